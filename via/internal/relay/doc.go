// Package relay is via's libp2p circuit relay v2 service: a libp2p host of
// its own whose relay lets the organization's carriers (an allow-list of
// peer IDs) reserve a slot, so that carriers without a direct path reach
// them through via. Reservations, circuits and relayed data are bounded.
package relay
