// Package wallet holds the organization's wallet: one secp256k1 key kept in a
// go-ethereum keystore file (v3 JSON, scrypt) and unlocked with a passphrase
// read from a file or an environment variable. The key signs the carrier's
// transactions and typed data; it never leaves the package as bytes and never
// appears in logs, errors or formatted output, which show only the address.
// Command is `carrier keys new|import|show`.
package wallet
