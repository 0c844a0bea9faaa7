package listing

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// registrySet is a RegistryReader over a fixed map of owners, for unit
// tests of logic; pkg/chain's RegistryReader is tested against a real
// chain.
type registrySet struct {
	owners map[common.Address]common.Address
	err    error
}

func (s registrySet) OwnerOf(_ context.Context, a common.Address) (common.Address, error) {
	return s.owners[a], s.err
}

func TestVerify(t *testing.T) {
	key, other := testKey(t, 0), testKey(t, 1)
	provider := testRecord(key).Provider
	squatter := common.HexToAddress("0x000000000000000000000000000000000000bad0")
	registered := registrySet{owners: map[common.Address]common.Address{provider: testOwner}}
	transferred := registrySet{owners: map[common.Address]common.Address{provider: squatter}}
	held := func(seq uint64) HeldSeqFunc {
		return func(a common.Address) (uint64, bool) { return seq, a == provider }
	}
	mk := func(mutate func(r *Record)) []byte {
		r := testRecord(key)
		if mutate != nil {
			mutate(r)
		}
		return signed(t, key, r)
	}
	tombstone := func(r *Record) { r.Tombstone = true; r.GatewayURL = "" }
	tests := []struct {
		name     string
		raw      []byte
		held     HeldSeqFunc
		registry RegistryReader
		reason   string
	}{
		{"valid", mk(nil), nil, registered, "ok"},
		{"valid, newer than held", mk(nil), held(6), registered, "ok"},
		{"tombstone", mk(tombstone), held(6), registered, "ok"},
		{"oversized", make([]byte, MaxRecordSize+1), nil, registered, "too_large"},
		{"junk", []byte("GNL\x02 not a record"), nil, registered, "malformed"},
		{"expired", mk(func(r *Record) { r.Expires = testNow }), nil, registered, "expired"},
		{"issued too far ahead", mk(func(r *Record) { r.IssuedAt = testNow + 121; r.Expires = testNow + 3600 }), nil, registered, "future"},
		{"issued within skew", mk(func(r *Record) { r.IssuedAt = testNow + 120 }), nil, registered, "ok"},
		{"lifetime too long", mk(func(r *Record) { r.Expires = r.IssuedAt + 24*3600 + 1 }), nil, registered, "ttl_too_long"},
		{"lifetime at the limit", mk(func(r *Record) { r.Expires = r.IssuedAt + 24*3600 }), nil, registered, "ok"},
		{"signed by another key", func() []byte {
			r := testRecord(key)
			r.Provider = testRecord(other).Provider
			b := signed(t, other, r)
			copy(b[4:24], provider[:]) // claim provider's address
			return b
		}(), nil, registered, "bad_signature"},
		{"owner replaced after signing", func() []byte {
			b := mk(nil)
			copy(b[offOwner:offOwner+20], squatter[:])
			return b
		}(), nil, transferred, "bad_signature"},
		{"same seq as held", mk(nil), held(7), registered, "stale_seq"},
		{"older than held", mk(nil), held(8), registered, "stale_seq"},
		{"unregistered", mk(nil), nil, registrySet{}, "unregistered"},
		{"tombstone, unregistered", mk(tombstone), nil, registrySet{}, "unregistered"},
		{"registry down", mk(nil), nil, registrySet{err: errors.New("dial tcp: refused")}, "registry_error"},
		{"stale beats registry", mk(nil), held(9), registrySet{err: errors.New("unreachable")}, "stale_seq"},
		// The provider key signs a listing naming a squatter as owner:
		// orders would pay an address the provider is not bound to.
		{"squatter owner", mk(func(r *Record) { r.Owner = squatter }), nil, registered, "owner_mismatch"},
		// Signed for the owner of the time; the provider moved since.
		{"transferred after signing", mk(nil), nil, transferred, "owner_mismatch"},
		{"transferred, listing names the new owner", mk(func(r *Record) { r.Owner = squatter }), nil, transferred, "ok"},
		// A withdrawal signed before a transfer still withdraws.
		{"tombstone, transferred after signing", mk(tombstone), nil, transferred, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Verifier{Registry: tt.registry, Now: func() time.Time { return time.Unix(testNow, 0) }}
			r, err := v.Verify(context.Background(), tt.raw, tt.held)
			if got := Reason(err); got != tt.reason {
				t.Fatalf("Verify: %v (reason %q), want reason %q", err, got, tt.reason)
			}
			if err == nil && (r == nil || r.Provider != provider) {
				t.Errorf("Verify returned %+v", r)
			}
		})
	}
}

// TestVerifyZeroOwner: a record cannot be made with the zero owner (Sign
// and Marshal refuse it), and one crafted by hand with a valid signature
// over the zero owner is refused as invalid before any Registry lookup.
func TestVerifyZeroOwner(t *testing.T) {
	key := testKey(t, 0)
	r := testRecord(key)
	r.Owner = common.Address{}
	if err := Sign(r, key); !errors.Is(err, ErrInvalidField) {
		t.Fatalf("Sign of a zero-owner record = %v, want ErrInvalidField", err)
	}
	// Sign the body by hand, bypassing Validate.
	r.Signature = [65]byte{}
	body := appendBody(nil, r)
	d := digest(r)
	sig, err := crypto.Sign(d[:], key)
	if err != nil {
		t.Fatal(err)
	}
	raw := append(body[:len(body)-SignatureSize], sig...)
	calls := 0
	v := &Verifier{Registry: countingOwners(func() { calls++ }), Now: func() time.Time { return time.Unix(testNow, 0) }}
	if _, err := v.Verify(context.Background(), raw, nil); Reason(err) != "invalid_field" || !strings.Contains(err.Error(), "owner") {
		t.Errorf("Verify of a signed zero-owner record = %v, want invalid_field on owner", err)
	}
	if calls != 0 {
		t.Errorf("%d registry lookups for an invalid record", calls)
	}
}

type countingOwners func()

func (c countingOwners) OwnerOf(context.Context, common.Address) (common.Address, error) {
	c()
	return testOwner, nil
}

// TestVerifyRechecks: a mismatch on a cached owner is looked up again
// (at most once per RecheckAfter), so that the new owner's listing is
// accepted soon after a transfer while the former owner's stays refused.
func TestVerifyRechecks(t *testing.T) {
	key := testKey(t, 0)
	provider := testRecord(key).Provider
	newOwner := common.HexToAddress("0x000000000000000000000000000000000000beef")
	inner := &countingRegistry{owners: map[common.Address]common.Address{provider: testOwner}}
	clock := &fakeClock{t: time.Unix(testNow, 0)}
	cache := NewCachedRegistry(inner, CacheOptions{PositiveTTL: time.Hour, RecheckAfter: 30 * time.Second, Now: clock.Now})
	v := &Verifier{Registry: cache, Now: clock.Now}
	ctx := context.Background()
	verify := func(owner common.Address, seq uint64, want string, wantCalls int32) {
		t.Helper()
		r := testRecord(key)
		r.Owner, r.Seq = owner, seq
		_, err := v.Verify(ctx, signed(t, key, r), nil)
		if got := Reason(err); got != want {
			t.Fatalf("Verify(owner %s) = %v (%s), want %s", owner, err, got, want)
		}
		if n := inner.calls.Load(); n != wantCalls {
			t.Fatalf("%d lookups, want %d", n, wantCalls)
		}
	}
	verify(testOwner, 1, "ok", 1)
	verify(testOwner, 2, "ok", 1) // cached

	inner.setOwner(provider, newOwner, nil) // transferred
	// The former owner's listing still passes on the cached answer: the
	// documented window (PositiveTTL).
	verify(testOwner, 3, "ok", 1)
	// The new owner's listing: the cached answer is fresh (read 0 s ago),
	// so no lookup yet, and it is refused ...
	verify(newOwner, 4, "owner_mismatch", 1)
	clock.Advance(30 * time.Second)
	// ... until the answer is RecheckAfter old: looked up again, accepted.
	verify(newOwner, 5, "ok", 2)
	// Now the former owner's listings are refused, without a lookup for
	// each: the answer is fresh.
	verify(testOwner, 6, "owner_mismatch", 2)
	verify(testOwner, 7, "owner_mismatch", 2)
	clock.Advance(30 * time.Second)
	verify(testOwner, 8, "owner_mismatch", 3)
}
