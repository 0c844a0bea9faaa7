// Package gateway is the gateway daemon: the provider side of the market: it checks a buyer's order on chain, authenticates the buyer by signature, deploys the buyer's Kubernetes manifest and reverse-proxies the buyer's traffic to it.
//
// Today it runs the shared lifecycle (pkg/service): it serves /healthz,
// /readyz and /metrics and shuts down gracefully. docs/ARCHITECTURE.md says
// which of its features exist and which are still to come.
package gateway
