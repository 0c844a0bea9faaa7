// Package carrierapi is the carrier's HTTP API as both sides see it: the
// wire types of its requests and answers (the carrier's handlers encode
// them, its clients decode them), the API error, and Client, which calls
// one carrier with the API's bearer token. The carrier CLI, admin, the
// gateway, via and hack/scenario call the carrier through it;
// docs/carrier-api.yaml is the API's reference.
package carrierapi
