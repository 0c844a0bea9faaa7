package listing

import (
	"context"
	"errors"
)

// Errors returned by Unmarshal, Validate, Signer and Verifier.Verify. Every
// error they return wraps exactly one of these; Reason maps it to a label.
var (
	// ErrTooLarge: the encoding is longer than MaxRecordSize.
	ErrTooLarge = errors.New("record too large")
	// ErrMalformed: the bytes are not a canonical encoding of a record.
	ErrMalformed = errors.New("malformed record")
	// ErrUnsupportedVersion: the encoding's version byte is unknown.
	ErrUnsupportedVersion = errors.New("unsupported record version")
	// ErrInvalidField: a field is out of its limits or charset.
	ErrInvalidField = errors.New("invalid record field")
	// ErrExpired: the record's expiry has passed.
	ErrExpired = errors.New("record expired")
	// ErrFuture: the record was issued further in the future than the
	// allowed clock skew.
	ErrFuture = errors.New("record issued in the future")
	// ErrTTLTooLong: the record's lifetime exceeds the verifier's MaxTTL.
	ErrTTLTooLong = errors.New("record lifetime too long")
	// ErrBadSignature: the signature is not canonical or not the provider's.
	ErrBadSignature = errors.New("bad record signature")
	// ErrStaleSeq: the sequence number is not newer than the one held: an
	// older record, a replay, or another record with the same sequence
	// number (equivocation).
	ErrStaleSeq = errors.New("stale record sequence")
	// ErrUnregistered: the provider is not registered in the Registry.
	ErrUnregistered = errors.New("provider not registered")
	// ErrOwnerMismatch: the Registry's owner of the provider is not the
	// listing's Owner: a listing naming a payee the provider is not bound
	// to (a squatter, a typo), or one signed before the provider was
	// transferred.
	ErrOwnerMismatch = errors.New("listing owner is not the provider's owner in the Registry")
	// ErrRegistry: the Registry could not be read.
	ErrRegistry = errors.New("registry lookup failed")
)

var reasons = []struct {
	err   error
	label string
}{
	{ErrTooLarge, "too_large"},
	{ErrMalformed, "malformed"},
	{ErrUnsupportedVersion, "unsupported_version"},
	{ErrInvalidField, "invalid_field"},
	{ErrExpired, "expired"},
	{ErrFuture, "future"},
	{ErrTTLTooLong, "ttl_too_long"},
	{ErrBadSignature, "bad_signature"},
	{ErrStaleSeq, "stale_seq"},
	{ErrUnregistered, "unregistered"},
	{ErrOwnerMismatch, "owner_mismatch"},
	{ErrRegistry, "registry_error"},
}

// Reason returns a short, stable label for err, for metrics: "too_large",
// "malformed", "unsupported_version", "invalid_field", "expired", "future",
// "ttl_too_long", "bad_signature", "stale_seq", "unregistered",
// "owner_mismatch", "registry_error"; "canceled" for a cancelled or timed-out context, "ok"
// for nil and "other" for anything else.
func Reason(err error) string {
	if err == nil {
		return "ok"
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.label
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "canceled"
	}
	return "other"
}

// Reasons lists every label Reason can return except "ok", so that metrics
// can be initialised to zero.
func Reasons() []string {
	out := make([]string, 0, len(reasons)+2)
	for _, r := range reasons {
		out = append(out, r.label)
	}
	return append(out, "canceled", "other")
}
