// Package api is the gateway's HTTP API for buyers: login challenges and
// signature logins, session renewal and logout, deployment of an order's
// manifest (with its status, events and logs), and the order's app under
// /app/{order}/, reverse-proxied for a valid session of that order only.
// Errors are JSON {"error": {"code", "message", "request_id"}} mapped from
// typed errors in one place (errors.go). The gateway runs behind via at
// /gw/{provider}/: the X-Forwarded-Prefix and -Proto via sends (trusted
// from configured proxy addresses only) scope cookies and URLs.
package api
