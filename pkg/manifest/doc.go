// Package manifest fetches a buyer's Kubernetes manifest by URL and hashes
// it (keccak256 of the bytes, the Market's manifestHash) under DESIGN §4's
// rules: bounded size and time, a bounded number of redirects, and no
// connection to loopback, link-local, private, multicast or metadata
// addresses, checked after DNS resolution and again at connect time,
// unless an operator allow-list names them. The carrier uses it when it
// places an order and the gateway when it deploys one.
package manifest
