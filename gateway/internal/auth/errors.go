package auth

import (
	"errors"

	"github.com/gridnode/gridnode/pkg/gatewaylogin"
)

// Sentinel errors, for errors.Is. Each is a distinct reason a login or a
// session is refused; order refusals come from package orders unchanged.
var (
	// ErrMalformed: the request, nonce, expiry or signature cannot be
	// parsed or is out of range (gatewaylogin's).
	ErrMalformed = gatewaylogin.ErrMalformed
	// ErrChallengeExpired: the challenge's expiry has passed.
	ErrChallengeExpired = errors.New("challenge expired")
	// ErrReplayed: the challenge's nonce was already used (or was never
	// issued by this gateway, or was cleaned up after its expiry).
	ErrReplayed = errors.New("challenge already used or unknown")
	// ErrWrongSigner: the signature is valid but not by the order's buyer
	// (or signs other data than the challenge).
	ErrWrongSigner = errors.New("signature is not by the order's buyer")
	// ErrOtherOrder: the challenge was issued for another order.
	ErrOtherOrder = errors.New("challenge was issued for another order")
	// ErrTooManyChallenges: too many challenges were asked for this order
	// recently.
	ErrTooManyChallenges = errors.New("too many challenges for this order")
	// ErrStateUnavailable: the shared state (Consul KV) cannot be reached;
	// nothing was decided.
	ErrStateUnavailable = errors.New("shared gateway state unavailable")

	// ErrNoSession: the request carries no session token.
	ErrNoSession = errors.New("no session")
	// ErrSessionInvalid: the token is malformed, tampered with or not
	// issued by this provider's gateways (for this chain and Market).
	ErrSessionInvalid = errors.New("session token invalid")
	// ErrSessionExpired: the session's expiry has passed (renew before it
	// does, or log in again).
	ErrSessionExpired = errors.New("session expired")
	// ErrSessionRevoked: the session was logged out.
	ErrSessionRevoked = errors.New("session revoked")
	// ErrSessionOtherOrder: the session is for another order.
	ErrSessionOtherOrder = errors.New("session is for another order")
	// ErrSessionTooOld: the session reached its maximum age from the login
	// and cannot be renewed; log in again.
	ErrSessionTooOld = errors.New("session too old to renew")
)
