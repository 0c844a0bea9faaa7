// Package via is the via daemon: the organization's single public entry: an HTTP edge router to the org's healthy gateways and admin found in Consul, and a libp2p circuit relay for the org's carrier.
//
// Today it runs the shared lifecycle (pkg/service): it serves /healthz,
// /readyz and /metrics and shuts down gracefully. docs/ARCHITECTURE.md says
// which of its features exist and which are still to come.
package via
