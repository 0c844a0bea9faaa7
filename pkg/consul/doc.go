// Package consul is how every gridnode daemon uses its organization's Consul
// agent: the client options and flags (address, ACL token file, TLS), the
// Registrar that keeps a daemon registered with an HTTP health check, the
// Watcher that follows the healthy instances of a service with blocking
// queries, typed KV access with compare-and-swap under gridnode/<org>/, and a
// session-based Leader lock that keeps at most one instance active.
//
// Consul being down never fails a daemon: everything here retries with
// backoff, keeps its last good state and reports through Ready what
// /readyz should say. The conventions (service names, meta, KV layout) are
// described in docs/operations.md.
package consul
