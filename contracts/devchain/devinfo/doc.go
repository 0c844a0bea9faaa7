// Package devinfo is the devnet's info file: the chain id, JSON-RPC
// endpoints, contract addresses and dev accounts (public test keys, DEVNET
// ONLY) that a running dev chain writes for the daemons, tools and tests
// that use it. It is apart from package devchain so that a reader of the
// file, such as the carrier's `settings set --devnet-info`, does not link a
// go-ethereum node.
package devinfo
