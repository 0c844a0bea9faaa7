// Package admin is the admin daemon: the organization's web console: a JSON API and an embedded single-page app for the org's operators.
//
// Today it runs the shared lifecycle (pkg/service): it serves /healthz,
// /readyz and /metrics and shuts down gracefully. docs/ARCHITECTURE.md says
// which of its features exist and which are still to come.
package admin
