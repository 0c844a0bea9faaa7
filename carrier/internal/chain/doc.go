// Package chain is the carrier's chain subsystem: the org wallet, the chain
// settings it follows (flags over the organization's settings in Consul KV)
// and, while the carrier is active, a mediator for each complete set; the
// API routes of providers, credits, orders, settlements and transactions,
// and gateway sessions for the orders the organization bought.
package chain
