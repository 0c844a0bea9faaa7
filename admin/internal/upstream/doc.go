// Package upstream is how admin reaches what it shows, all found in the
// organization's Consul and none of it copied: the active carrier's API
// (and through it the chain and the listing directory), the health of the
// organization's services and gateways, and the chain head from the
// JSON-RPC endpoint in the organization's settings.
package upstream
