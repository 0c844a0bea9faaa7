// Package carrier is the carrier daemon: the organization's scheduler and chain mediator: libp2p peer of other organizations' carriers, holder of the network-wide provider directory, and the one component that holds the org wallet and talks to the chain.
//
// Today it runs the shared lifecycle (pkg/service): it serves /healthz,
// /readyz and /metrics and shuts down gracefully. docs/ARCHITECTURE.md says
// which of its features exist and which are still to come.
package carrier
