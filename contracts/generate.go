// Package contracts holds gridnode's settlement contracts: Token (the devnet's
// ERC20), Registry (providers, their owners and unit prices) and Market
// (credits, escrowed orders, settlement). The Solidity sources are in src/, the
// generated Go bindings in bindings/<name>/; docs/contracts.md describes them.
//
// Run `go generate ./contracts` (or hack/gen-contracts) after changing a source;
// hack/check-contracts fails when the committed bindings have drifted.
package contracts

//go:generate ../hack/gen-contracts
