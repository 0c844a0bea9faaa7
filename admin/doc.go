// Package admin is the admin daemon: the organization's web console for
// its operators, a JSON API under /api/ and the embedded single-page app
// (admin/web), served on --http-addr beside /healthz, /readyz and /metrics.
//
// Admin holds no copy of the organization's state: it finds the active
// carrier (and through it the chain and the listing directory) and the
// gateways in Consul, and keeps only its own operator accounts, sessions
// and audit log, in Consul KV under gridnode/<org>/admin/ so that every
// replica shares them. docs/admin.md is the operator's guide.
package admin
