// Package chain holds the narrow chain interfaces gridnode daemons use, over
// go-ethereum's ethclient and the generated contract bindings: each type
// exposes only the calls its consumers make, so that they can be tested
// against the devnet and replaced in unit tests of logic.
package chain
