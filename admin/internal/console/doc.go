// Package console is the admin console's HTTP side: the JSON API under
// /api/ that the single-page app calls (sessions, roles, CSRF checks, login
// rate limits and the audit of every mutating request, in one place), the
// routes that pass through to the organization's carrier, the views that
// combine Consul, the carrier and the chain, and the embedded app itself,
// served under any base path (X-Forwarded-Prefix from a trusted proxy such
// as via's /admin/).
package console
