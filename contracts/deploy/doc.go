// Package deploy puts the gridnode contracts on an EVM chain reached over
// JSON-RPC: it deploys Token (or checks an existing ERC-20), Registry and
// Market from one account, waits for the transactions to be confirmed, and
// verifies that the code at each address is the runtime code the committed
// bindings produce. The dev chain (package devchain) deploys with it, and so
// does `carrier contracts deploy`, which writes the addresses file (File)
// that `carrier settings set --contracts-file` reads.
//
// The package imports only the bindings and go-ethereum; it signs with the
// bind.TransactOpts it is given and never sees a key.
package deploy
