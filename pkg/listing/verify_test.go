package listing

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// registrySet is a RegistryChecker over a fixed set, for unit tests of
// logic; pkg/chain's RegistryReader is tested against a real chain.
type registrySet struct {
	registered map[common.Address]bool
	err        error
}

func (s registrySet) IsRegistered(_ context.Context, a common.Address) (bool, error) {
	return s.registered[a], s.err
}

func TestVerify(t *testing.T) {
	key, other := testKey(t, 0), testKey(t, 1)
	provider := testRecord(key).Provider
	registered := registrySet{registered: map[common.Address]bool{provider: true}}
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
	tests := []struct {
		name     string
		raw      []byte
		held     HeldSeqFunc
		registry RegistryChecker
		reason   string
	}{
		{"valid", mk(nil), nil, registered, "ok"},
		{"valid, newer than held", mk(nil), held(6), registered, "ok"},
		{"tombstone", mk(func(r *Record) { r.Tombstone = true; r.GatewayURL = "" }), held(6), registered, "ok"},
		{"oversized", make([]byte, MaxRecordSize+1), nil, registered, "too_large"},
		{"junk", []byte("GNL\x01 not a record"), nil, registered, "malformed"},
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
		{"same seq as held", mk(nil), held(7), registered, "stale_seq"},
		{"older than held", mk(nil), held(8), registered, "stale_seq"},
		{"unregistered", mk(nil), nil, registrySet{}, "unregistered"},
		{"registry down", mk(nil), nil, registrySet{err: errors.New("dial tcp: refused")}, "registry_error"},
		{"stale beats registry", mk(nil), held(9), registrySet{err: errors.New("unreachable")}, "stale_seq"},
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
