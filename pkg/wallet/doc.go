// Package wallet holds one secp256k1 key kept in a go-ethereum keystore file
// (v3 JSON, scrypt) and unlocked with a passphrase read from a file or an
// environment variable: the carrier's org wallet (transactions, typed data)
// and the gateway's provider key (its signed listing). The key never leaves
// the package as bytes and never appears in logs, errors or formatted
// output, which show only the address. Command is `<role> keys
// new|import|show`.
package wallet
