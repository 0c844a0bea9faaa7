// Package carrier is the carrier daemon: the organization's scheduler and
// chain mediator, libp2p peer of other organizations' carriers, holder of
// the network-wide provider directory, and the one component that holds the
// org wallet and talks to the chain.
//
// The root wires: Config and its flags (config.go, flags.go), the JSON API
// (api.go), and New, which opens the directory and builds the p2p
// (internal/federation) and chain (internal/chain) subsystems from it; Run
// serves and, while this carrier holds its organization's lock, runs their
// active duties under supervision (internal/duty). The CLI is
// cmd/carrier.
package carrier
