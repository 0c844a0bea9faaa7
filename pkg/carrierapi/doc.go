// Package carrierapi is the carrier's HTTP API as its clients see it: the
// wire types of its requests and answers, the API error, and Client, which
// calls one carrier with the API's bearer token. The carrier CLI, admin and
// the gateway call the carrier through it; docs/carrier-api.yaml is the
// API's reference.
package carrierapi
