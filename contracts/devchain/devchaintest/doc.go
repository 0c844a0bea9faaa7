// Package devchaintest starts a devnet (package devchain) for a test, on a
// free loopback port and stopped when the test ends, and gives it the few
// market steps tests set up with: register a provider, order, cancel. Code
// under test dials the devnet's JSON-RPC endpoint exactly as it dials a
// public chain.
package devchaintest
