package consul

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"
)

// Sentinel errors of KV operations, for errors.Is.
var (
	// ErrCASConflict: the key changed (or, for index 0, already existed)
	// since the index the caller read. Read again and retry, or give up.
	ErrCASConflict = errors.New("compare-and-swap conflict")
	// ErrValueTooLarge: the value is over MaxValueSize.
	ErrValueTooLarge = errors.New("value too large for consul kv")
)

// MaxValueSize is Consul's default limit on a KV value (kv_max_value_size).
const MaxValueSize = 512 << 10

// KeyPrefix is the root of everything gridnode keeps in Consul KV.
const KeyPrefix = "gridnode/"

// OrgPrefix is the KV prefix of an organization, gridnode/<org>/. org must
// be a lowercase DNS label.
func OrgPrefix(org string) (string, error) {
	if err := ValidateOrg(org); err != nil {
		return "", err
	}
	return KeyPrefix + org + "/", nil
}

// Entry is one key with its value and the index of its last change.
type Entry struct {
	Key         string
	Value       []byte
	ModifyIndex uint64
}

// KV is typed access to Consul's key/value store. Writes are linearizable
// through the Consul leader; CAS is how daemons share state safely (gateway
// nonces, for one).
type KV struct {
	kv  kvAPI
	log *zap.Logger
}

// NewKV returns KV access through c. The logger is used by WatchSettings.
func NewKV(c *api.Client, log *zap.Logger) *KV {
	return newKV(c.KV(), log)
}

func newKV(kv kvAPI, log *zap.Logger) *KV {
	if log == nil {
		log = zap.NewNop()
	}
	return &KV{kv: kv, log: log.Named("consul")}
}

func validateKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		return fmt.Errorf("kv key %q: want a non-empty UTF-8 path without a leading /", key)
	}
	return nil
}

func validateValue(key string, value []byte) error {
	if len(value) > MaxValueSize {
		return fmt.Errorf("kv key %s: %d bytes: %w (limit %d)", key, len(value), ErrValueTooLarge, MaxValueSize)
	}
	return nil
}

// withCallTimeout bounds a request whose context has no deadline.
func withCallTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, callTimeout)
}

// Get returns the value of key and its modify index; found is false, with
// no error, when the key does not exist.
func (k *KV) Get(ctx context.Context, key string) (value []byte, modifyIndex uint64, found bool, err error) {
	if err := validateKey(key); err != nil {
		return nil, 0, false, err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	p, _, err := k.kv.Get(key, queryOpts(ctx, api.QueryOptions{}))
	if err != nil {
		return nil, 0, false, fmt.Errorf("reading kv %s: %w", key, err)
	}
	if p == nil {
		return nil, 0, false, nil
	}
	return p.Value, p.ModifyIndex, true, nil
}

// Put sets key to value unconditionally.
func (k *KV) Put(ctx context.Context, key string, value []byte) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if err := validateValue(key, value); err != nil {
		return err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	if _, err := k.kv.Put(&api.KVPair{Key: key, Value: value}, writeOpts(ctx)); err != nil {
		return fmt.Errorf("writing kv %s: %w", key, err)
	}
	return nil
}

// CAS sets key to value only if its modify index is still index; index 0
// means "only if the key does not exist". A lost race is ErrCASConflict.
func (k *KV) CAS(ctx context.Context, key string, value []byte, index uint64) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if err := validateValue(key, value); err != nil {
		return err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	ok, _, err := k.kv.CAS(&api.KVPair{Key: key, Value: value, ModifyIndex: index}, writeOpts(ctx))
	if err != nil {
		return fmt.Errorf("writing kv %s: %w", key, err)
	}
	if !ok {
		return fmt.Errorf("writing kv %s at index %d: %w", key, index, ErrCASConflict)
	}
	return nil
}

// List returns the entries under prefix, sorted by key.
func (k *KV) List(ctx context.Context, prefix string) ([]Entry, error) {
	if err := validateKey(prefix); err != nil {
		return nil, err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	pairs, _, err := k.kv.List(prefix, queryOpts(ctx, api.QueryOptions{}))
	if err != nil {
		return nil, fmt.Errorf("listing kv %s: %w", prefix, err)
	}
	return toEntries(pairs), nil
}

func toEntries(pairs api.KVPairs) []Entry {
	out := make([]Entry, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, Entry{Key: p.Key, Value: p.Value, ModifyIndex: p.ModifyIndex})
	}
	return out
}

// Delete removes key; a missing key is not an error.
func (k *KV) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	if _, err := k.kv.Delete(key, writeOpts(ctx)); err != nil {
		return fmt.Errorf("deleting kv %s: %w", key, err)
	}
	return nil
}

// DeleteCAS removes key only if its modify index is still index; a lost
// race is ErrCASConflict.
func (k *KV) DeleteCAS(ctx context.Context, key string, index uint64) error {
	if err := validateKey(key); err != nil {
		return err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	ok, _, err := k.kv.DeleteCAS(&api.KVPair{Key: key, ModifyIndex: index}, writeOpts(ctx))
	if err != nil {
		return fmt.Errorf("deleting kv %s: %w", key, err)
	}
	if !ok {
		return fmt.Errorf("deleting kv %s at index %d: %w", key, index, ErrCASConflict)
	}
	return nil
}
