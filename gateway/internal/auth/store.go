package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/pkg/consul"
)

// KV is the part of Consul KV the store uses; *consul.KV implements it.
type KV interface {
	Get(ctx context.Context, key string) ([]byte, uint64, bool, error)
	Put(ctx context.Context, key string, value []byte) error
	CAS(ctx context.Context, key string, value []byte, index uint64) error
	DeleteCAS(ctx context.Context, key string, index uint64) error
	List(ctx context.Context, prefix string) ([]consul.Entry, error)
}

// Watcher runs blocking queries on a KV prefix: it returns the entries
// once the prefix's index passes index (or the wait time ends) and the new
// index.
type Watcher interface {
	ListWait(ctx context.Context, prefix string, index uint64) ([]consul.Entry, uint64, error)
}

// Store is the gateway's shared state in Consul KV, under
// gridnode/<org>/gateway/<provider>/: challenges/<nonce> (issued,
// unspent challenges), revoked/<token id> (logged-out sessions) and
// session-key (the key sessions are signed with, unless a key file is
// configured). Every replica of the provider's gateway uses the same keys.
type Store struct {
	kv     KV
	watch  Watcher
	prefix string
}

// Sub-keys under the store's prefix.
const (
	challengesDir = "challenges/"
	revokedDir    = "revoked/"
	sessionKeyKey = "session-key"
)

// StorePrefix is gridnode/<org>/gateway/<provider in lowercase hex>/.
func StorePrefix(org string, provider common.Address) (string, error) {
	p, err := consul.OrgPrefix(org)
	if err != nil {
		return "", err
	}
	return p + "gateway/" + strings.ToLower(provider.Hex()) + "/", nil
}

// NewStore returns the store under prefix.
func NewStore(kv KV, watch Watcher, prefix string) *Store {
	return &Store{kv: kv, watch: watch, prefix: prefix}
}

// NewConsulStore returns the store for org's provider through client.
func NewConsulStore(client *api.Client, org string, provider common.Address) (*Store, error) {
	prefix, err := StorePrefix(org, provider)
	if err != nil {
		return nil, err
	}
	return NewStore(consul.NewKV(client, nil), ConsulWatcher{KV: client.KV()}, prefix), nil
}

// ConsulWatcher implements Watcher with Consul's blocking queries.
type ConsulWatcher struct{ KV *api.KV }

// ListWait lists prefix with a blocking query from index.
func (w ConsulWatcher) ListWait(ctx context.Context, prefix string, index uint64) ([]consul.Entry, uint64, error) {
	q := (&api.QueryOptions{WaitIndex: index, WaitTime: consul.DefaultWaitTime}).WithContext(ctx)
	pairs, meta, err := w.KV.List(prefix, q)
	if err != nil {
		return nil, 0, fmt.Errorf("watching kv %s: %w", prefix, err)
	}
	out := make([]consul.Entry, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, consul.Entry{Key: p.Key, Value: p.Value, ModifyIndex: p.ModifyIndex})
	}
	return out, meta.LastIndex, nil
}

// challengeRecord is the value of challenges/<nonce>. A spent challenge
// stays, marked, until it expires: Consul's delete-with-CAS succeeds on a
// missing key, so spending is a check-and-set update instead, which exactly
// one writer wins.
type challengeRecord struct {
	Order   string `json:"order"`
	Expires uint64 `json:"expires"`
	Spent   bool   `json:"spent,omitempty"`
}

func (s *Store) challengeKey(nonce [32]byte) string {
	return s.prefix + challengesDir + hex.EncodeToString(nonce[:])
}

// unavailable wraps a KV failure.
func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrStateUnavailable, what, err)
}

// IssueNonce records a fresh random nonce for order, valid until expires.
func (s *Store) IssueNonce(ctx context.Context, order *big.Int, expires uint64) ([32]byte, error) {
	var nonce [32]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nonce, fmt.Errorf("drawing a nonce: %w", err)
	}
	v, _ := json.Marshal(challengeRecord{Order: order.String(), Expires: expires})
	// Index 0: create only. A collision of 256 random bits does not happen;
	// if the key exists anyway, refuse rather than overwrite.
	if err := s.kv.CAS(ctx, s.challengeKey(nonce), v, 0); err != nil {
		if errors.Is(err, consul.ErrCASConflict) {
			return nonce, fmt.Errorf("nonce collision: %w", err)
		}
		return nonce, unavailable("recording the challenge", err)
	}
	return nonce, nil
}

// LookupNonce returns the record of an unspent nonce and its modify index.
// A spent nonce is ErrReplayed; one that is not there (never issued here,
// or expired and cleaned up) too, with its own message.
func (s *Store) LookupNonce(ctx context.Context, nonce [32]byte) (order string, expires uint64, index uint64, err error) {
	v, idx, found, err := s.kv.Get(ctx, s.challengeKey(nonce))
	if err != nil {
		return "", 0, 0, unavailable("reading the challenge", err)
	}
	if !found {
		return "", 0, 0, fmt.Errorf("%w: this gateway issued no such challenge (or it expired)", ErrReplayed)
	}
	var rec challengeRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return "", 0, 0, fmt.Errorf("%w: challenge record %s unreadable: %v", ErrStateUnavailable, s.challengeKey(nonce), err)
	}
	if rec.Spent {
		return rec.Order, rec.Expires, idx, fmt.Errorf("%w: the challenge was used for a login already", ErrReplayed)
	}
	return rec.Order, rec.Expires, idx, nil
}

// SpendNonce marks the nonce spent if its record is still at index: of any
// number of concurrent spends, on any replica, exactly one succeeds; the
// others get ErrReplayed.
func (s *Store) SpendNonce(ctx context.Context, nonce [32]byte, order *big.Int, expires uint64, index uint64) error {
	v, _ := json.Marshal(challengeRecord{Order: order.String(), Expires: expires, Spent: true})
	err := s.kv.CAS(ctx, s.challengeKey(nonce), v, index)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, consul.ErrCASConflict):
		return fmt.Errorf("%w: the challenge was used for a login already", ErrReplayed)
	default:
		return unavailable("spending the challenge", err)
	}
}

// CleanupNonces deletes challenges (spent or not) that expired before now;
// it returns how many it deleted. Replicas may run it concurrently. A login
// with a deleted challenge is refused for its expiry before the nonce is
// looked up.
func (s *Store) CleanupNonces(ctx context.Context, now time.Time) (int, error) {
	entries, err := s.kv.List(ctx, s.prefix+challengesDir)
	if err != nil {
		return 0, unavailable("listing challenges", err)
	}
	n := 0
	for _, e := range entries {
		var rec challengeRecord
		if json.Unmarshal(e.Value, &rec) == nil && rec.Expires >= uint64(max(now.Unix(), 0)) {
			continue
		}
		if err := s.kv.DeleteCAS(ctx, e.Key, e.ModifyIndex); err == nil {
			n++
		} else if !errors.Is(err, consul.ErrCASConflict) {
			return n, unavailable("deleting an expired challenge", err)
		}
	}
	return n, nil
}

// Revoke records that the session with token id jti, valid until exp, is
// revoked.
func (s *Store) Revoke(ctx context.Context, jti string, exp time.Time) error {
	if err := s.kv.Put(ctx, s.prefix+revokedDir+jti, []byte(fmt.Sprint(exp.Unix()))); err != nil {
		return unavailable("recording the logout", err)
	}
	return nil
}

// WatchRevocations lists the revocations once the prefix changes after
// index: token id → expiry (unix seconds), with the new index.
func (s *Store) WatchRevocations(ctx context.Context, index uint64) (map[string]int64, []consul.Entry, uint64, error) {
	entries, idx, err := s.watch.ListWait(ctx, s.prefix+revokedDir, index)
	if err != nil {
		return nil, nil, 0, unavailable("watching revocations", err)
	}
	out := make(map[string]int64, len(entries))
	for _, e := range entries {
		jti := strings.TrimPrefix(e.Key, s.prefix+revokedDir)
		var exp int64
		if _, err := fmt.Sscan(string(e.Value), &exp); err != nil {
			exp = 1<<63 - 1 // unreadable: keep it revoked
		}
		out[jti] = exp
	}
	return out, entries, idx, nil
}

// DeleteRevocation removes a revocation entry that is no longer needed
// (its session expired), if it is still at index.
func (s *Store) DeleteRevocation(ctx context.Context, key string, index uint64) error {
	if err := s.kv.DeleteCAS(ctx, key, index); err != nil && !errors.Is(err, consul.ErrCASConflict) {
		return unavailable("deleting an old revocation", err)
	}
	return nil
}

// Key sizes of the session key.
const (
	SessionKeySize    = 32
	MaxSessionKeySize = 64
)

// SessionKey returns the provider's shared session key, creating it (32
// random bytes, check-and-set) if no replica has yet.
func (s *Store) SessionKey(ctx context.Context) ([]byte, error) {
	key := s.prefix + sessionKeyKey
	for range 3 {
		v, _, found, err := s.kv.Get(ctx, key)
		if err != nil {
			return nil, unavailable("reading the session key", err)
		}
		if found {
			if len(v) < SessionKeySize || len(v) > MaxSessionKeySize {
				return nil, fmt.Errorf("session key in consul kv %s: %d bytes, want %d to %d", key, len(v), SessionKeySize, MaxSessionKeySize)
			}
			return v, nil
		}
		fresh := make([]byte, SessionKeySize)
		if _, err := rand.Read(fresh); err != nil {
			return nil, fmt.Errorf("drawing a session key: %w", err)
		}
		err = s.kv.CAS(ctx, key, fresh, 0)
		if err == nil {
			return fresh, nil
		}
		if !errors.Is(err, consul.ErrCASConflict) {
			return nil, unavailable("writing the session key", err)
		}
		// Another replica created it first: read theirs.
	}
	return nil, fmt.Errorf("%w: the session key keeps changing under %s", ErrStateUnavailable, key)
}
