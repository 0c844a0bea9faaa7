package gatewaylogin

import "errors"

// Errors callers test with errors.Is.
var (
	// ErrMalformed: a login request, nonce, expiry or signature cannot be
	// parsed or is out of range.
	ErrMalformed = errors.New("malformed login")
	// ErrMalformedChallenge: a challenge answer is not a JSON object of
	// the challenge's form.
	ErrMalformedChallenge = errors.New("malformed challenge")
	// ErrChallengeRefused: the challenge is not a login for exactly the
	// expected order (another chain, Market, gateway or order, extra
	// fields, an expiry too far or past): a wallet must not sign it.
	ErrChallengeRefused = errors.New("gateway challenge refused")
)
