// Package api holds the server side of the carrier's JSON API, shared by
// every subsystem that adds routes to it: bearer-token authentication,
// request ids, JSON bodies with size limits, and typed errors mapped to
// HTTP statuses in one place. Its wire types, errors and client are
// pkg/carrierapi's.
package api
