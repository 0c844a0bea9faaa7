// Package chain holds what gridnode daemons share about the chain: the
// narrow interfaces over go-ethereum's ethclient and the generated contract
// bindings (each type exposes only the calls its consumers make, so that
// they can be tested against the devnet and replaced in unit tests of
// logic), Dial and the redaction of RPC URLs, Retry, and Follower, which
// follows an organization's chain settings in Consul KV and runs a session
// with each chain they name.
package chain
