// Package auth authenticates buyers at the gateway: a challenge is EIP-712
// typed data (pkg/gatewaylogin: chain id and Market in the domain; gateway,
// order id, nonce and expiry in the message) that the order's buyer signs with
// eth_signTypedData_v4 (MetaMask, ethers' signTypedData); a valid signature
// spends the challenge's nonce, once across every replica of the gateway
// (Consul KV check-and-set), and yields a session token (JWT, HS256) scoped
// to that one order, short-lived and renewable. Logouts are revocations in
// Consul KV that every replica follows with a blocking query. Tokens and
// signatures are never logged.
package auth
