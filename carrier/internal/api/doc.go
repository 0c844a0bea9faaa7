// Package api holds the conventions of the carrier's JSON API, shared by
// every subsystem that adds routes to it and by the CLI commands that call
// it: bearer-token authentication, request ids, JSON bodies with size
// limits, typed errors mapped to HTTP statuses in one place, and the client
// the `carrier` subcommands use.
package api
