// Package edge is via's public HTTP(S) edge: one listener that routes
// /gw/{provider}/… to a passing instance of that provider's gateway and,
// when enabled, /admin/… to admin, from upstream sets that follow Consul.
// It balances by power of two choices on in-flight requests, ejects failing
// instances for a while, retries idempotent requests on another instance,
// and bounds every input: per-client rate, connections, headers, bodies and
// the time of every phase.
package edge
