// Package gwclient logs the organization in at a provider's gateway for an
// order it bought, with the org wallet: it asks the gateway for the order's
// EIP-712 login challenge, checks every field of it against the order as
// the chain has it (primary type, domain, chain id, Market, gateway, order,
// expiry; pkg/gatewaylogin) and signs only what it built itself from those
// values, then
// trades the signature for the gateway's session. Calls to the gateway are
// bounded in size, time and redirects, and go only to addresses the
// operator allows (pkg/manifest's rules).
package gwclient
