// Package devchain is the development chain of the gridnode contracts: an
// in-process go-ethereum node built as `geth --dev` builds it (chain id
// 1337, HTTP/WS JSON-RPC on loopback, a block per transaction or per
// period), with the Token, Registry and Market contracts deployed and
// deterministic dev accounts funded with ether and tokens. The devnet
// command (hack/devnet) runs it; tests start it in-process.
//
// The dev accounts' private keys are derived from a public seed: DEVNET ONLY.
// The info file that Start writes (package devinfo) holds them, the
// endpoints and the contract addresses, for the other daemons and for tests.
// docs/devnet.md is the reference.
package devchain
