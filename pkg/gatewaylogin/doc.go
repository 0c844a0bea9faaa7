// Package gatewaylogin is the buyer's login at a provider's gateway: an
// EIP-712 challenge (domain "gridnode gateway" version 1 with the chain id
// and the Market as verifyingContract; the gateway's provider address, the
// order id, a single-use nonce and an expiry in the GatewayLogin message),
// its digest, its signing and the recovery of its signer, and the wire forms
// of the challenge and of the login request.
//
// The gateway issues challenges and verifies logins with it
// (gateway/internal/auth); the carrier checks a gateway's challenge field by
// field and signs it with the org wallet (carrier/internal/gwclient).
package gatewaylogin
