// Package devnet runs the embedded development chain behind `carrier devnet`:
// an in-process go-ethereum node built as `geth --dev` builds it (chain id
// 1337, HTTP/WS JSON-RPC on loopback, a block per transaction or per period),
// with the Token, Registry and Market contracts deployed and deterministic
// dev accounts funded with ether and tokens.
//
// The dev accounts' private keys are derived from a public seed: DEVNET ONLY.
// The info file that Start writes (see Info, ReadInfo) holds them, the
// endpoints and the contract addresses, for the other daemons and for tests.
// docs/devnet.md is the reference.
package devnet
