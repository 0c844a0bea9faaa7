// Package listing is a provider's signed offer to the network: the Record
// (naming the provider's owner, the payee of its orders), its versioned
// canonical binary encoding, its secp256k1 signature by the provider key,
// and the Verifier that every carrier runs before storing or forwarding a
// record, which checks the owner against the Registry (through a
// CachedRegistry). Its resources and prices are pkg/market's.
//
// The gateway signs its own listing with its provider key; carriers verify,
// store (carrier/internal/directory) and gossip the exact signed bytes, whose
// Hash is the gossip message id.
package listing
