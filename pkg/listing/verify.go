package listing

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Verifier defaults.
const (
	DefaultMaxSkew = 2 * time.Minute
	DefaultMaxTTL  = 24 * time.Hour
)

// Verifier decides whether a received record may be stored and forwarded.
// The zero value of every field but Registry is usable.
type Verifier struct {
	// Registry reads the provider's owner. Required. If it is a
	// Rechecker (CachedRegistry is), an owner that differs from the
	// listing's is rechecked before the listing is refused.
	Registry RegistryReader
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
// the provider is registered, and (unless the record is a tombstone) its
// owner in the Registry is the record's Owner. Errors wrap the package's
// sentinel errors; Reason labels them.
//
// A tombstone's Owner is not compared: a withdrawal only removes a listing,
// it never directs a payment, and the provider's pre-signed withdrawal must
// still work after a transfer.
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
	owner, err := v.Registry.OwnerOf(ctx, r.Provider)
	if err == nil && owner != r.Owner && !r.Tombstone {
		// The answer may be cached from before a transfer to the owner
		// this listing names: ask again if the reader can.
		if rc, ok := v.Registry.(Rechecker); ok {
			owner, err = rc.Recheck(ctx, r.Provider)
		}
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrRegistry, err)
	case owner == (common.Address{}):
		return nil, fmt.Errorf("%w: %s", ErrUnregistered, r.Provider)
	case owner != r.Owner && !r.Tombstone:
		return nil, fmt.Errorf("%w: provider %s is owned by %s, the listing names %s", ErrOwnerMismatch, r.Provider, owner, r.Owner)
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
