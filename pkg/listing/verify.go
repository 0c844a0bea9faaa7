package listing

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// RegistryChecker tells whether a provider is registered in the Registry
// contract. pkg/chain's RegistryReader is the real one; CachedRegistry
// caches any.
type RegistryChecker interface {
	IsRegistered(ctx context.Context, provider common.Address) (bool, error)
}

// Verifier defaults.
const (
	DefaultMaxSkew = 2 * time.Minute
	DefaultMaxTTL  = 24 * time.Hour
)

// Verifier decides whether a received record may be stored and forwarded.
// The zero value of every field but Registry is usable.
type Verifier struct {
	// Registry answers whether the provider is registered. Required.
	Registry RegistryChecker
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// MaxSkew is how far in the future IssuedAt may be; DefaultMaxSkew if
	// zero.
	MaxSkew time.Duration
	// MaxTTL bounds Expires − IssuedAt; DefaultMaxTTL if zero.
	MaxTTL time.Duration
}

// HeldSeqFunc returns the sequence number held for a provider, if any; the
// directory's HeldSeq is one.
type HeldSeqFunc func(provider common.Address) (seq uint64, ok bool)

// Verify decodes raw and checks it, cheapest check first: size, canonical
// decoding, field limits, expiry, issue time against the clock skew,
// lifetime against MaxTTL, the signature is the provider's, the sequence
// number is newer than the one heldSeq returns (nil heldSeq: nothing held),
// and the provider is registered. Errors wrap the package's sentinel errors;
// Reason labels them.
func (v *Verifier) Verify(ctx context.Context, raw []byte, heldSeq HeldSeqFunc) (*Record, error) {
	if len(raw) > MaxRecordSize {
		return nil, fmt.Errorf("%w: %d bytes, max %d", ErrTooLarge, len(raw), MaxRecordSize)
	}
	r, err := Unmarshal(raw)
	if err != nil {
		return nil, err
	}
	now := v.now().Unix()
	if r.Expires <= now {
		return nil, fmt.Errorf("%w: at %s", ErrExpired, time.Unix(r.Expires, 0).UTC().Format(time.RFC3339))
	}
	if skew := v.maxSkew(); r.IssuedAt > now+int64(skew/time.Second) {
		return nil, fmt.Errorf("%w: issued at %s, more than %s ahead", ErrFuture,
			time.Unix(r.IssuedAt, 0).UTC().Format(time.RFC3339), skew)
	}
	if ttl := v.maxTTL(); r.Expires-r.IssuedAt > int64(ttl/time.Second) {
		return nil, fmt.Errorf("%w: %ds, max %s", ErrTTLTooLong, r.Expires-r.IssuedAt, ttl)
	}
	if err := checkEncodedSignature(r, raw); err != nil {
		return nil, err
	}
	if heldSeq != nil {
		if held, ok := heldSeq(r.Provider); ok && r.Seq <= held {
			return nil, fmt.Errorf("%w: seq %d of %s, holding %d", ErrStaleSeq, r.Seq, r.Provider, held)
		}
	}
	ok, err := v.Registry.IsRegistered(ctx, r.Provider)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRegistry, err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnregistered, r.Provider)
	}
	return r, nil
}

// checkEncodedSignature is CheckSignature on the record's own encoding (the
// one raw), without encoding it again.
func checkEncodedSignature(r *Record, raw []byte) error {
	d := crypto.Keccak256([]byte(SigningDomain), raw[:len(raw)-SignatureSize])
	pub, err := crypto.SigToPub(d, r.Signature[:])
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if signer := crypto.PubkeyToAddress(*pub); signer != r.Provider {
		return fmt.Errorf("%w: signed by %s, not by provider %s", ErrBadSignature, signer, r.Provider)
	}
	return nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

func (v *Verifier) maxTTL() time.Duration {
	if v.MaxTTL > 0 {
		return v.MaxTTL
	}
	return DefaultMaxTTL
}
