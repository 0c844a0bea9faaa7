// Package auth holds the admin console's operator accounts and sessions in
// the organization's Consul KV, so that every admin replica shares them:
// argon2id password hashes, a bootstrap admin who must change the password
// on first login, consecutive-failure lockout, sessions that logout revokes
// everywhere at once, and wallet sign-in (EIP-4361 messages with single-use
// nonces) for the organization's owner addresses.
package auth
