package mediator

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
)

// The state file's buckets.
var (
	bucketMeta      = []byte("meta")      // identity, cursor, next batch seq
	bucketOrders    = []byte("orders")    // u64 id → Order
	bucketBatches   = []byte("batches")   // u64 seq → Batch
	bucketProviders = []byte("providers") // address → providerState
)

var (
	keyIdentity  = []byte("identity")
	keyCursor    = []byte("cursor")
	keyBatchSeq  = []byte("batch-seq")
	stateVersion = "1"
)

// ErrStateMismatch: the state file belongs to another account, chain or
// Market.
var ErrStateMismatch = errors.New("state file belongs to another account, chain or market")

// Batch is one settlement transaction: settleBatch(IDs) under txmgr key
// Key. It is written before the intent is submitted, so that a restart
// finds it and submits exactly the same intent again.
type Batch struct {
	Seq     uint64    `json:"seq"`
	Key     string    `json:"key"`
	IDs     []uint64  `json:"ids"`
	Created time.Time `json:"created"`
	// Done: the intent is final (or found unnecessary before sending).
	Done bool `json:"done"`
	// Result is "confirmed", "failed: <reason>" or "not sent: <why>".
	Result string `json:"result,omitempty"`
	// Settled counts OrderSettled events in the mined transaction.
	Settled int          `json:"settled"`
	Tx      *common.Hash `json:"tx,omitempty"`
	GasUsed uint64       `json:"gasUsed,omitempty"`
}

// providerState is what the registrar keeps per provider.
type providerState struct {
	Provider common.Address `json:"provider"`
	// Rev numbers the provider's registry intents: each key is used once.
	Rev uint64 `json:"rev"`
	// LastKey is the latest registry intent.
	LastKey string `json:"lastKey,omitempty"`
	// Deregistered: an operator deregistered it; it is not registered
	// again until an operator asks.
	Deregistered bool `json:"deregistered,omitempty"`
}

// store is the mediator's bbolt file: the event cursor, the org's orders,
// settlement batches and registrar state.
type store struct {
	db *bolt.DB
	// chainID and market are the state file's chain and Market: the
	// orders read back are on them.
	chainID *big.Int
	market  common.Address
}

func openStore(path, identity string) (*store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening chain state %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketOrders, bucketBatches, bucketProviders} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		want := []byte(stateVersion + " " + identity)
		if got := meta.Get(keyIdentity); got != nil && string(got) != string(want) {
			return fmt.Errorf("%w: it is %q, this carrier is %q", ErrStateMismatch, got, want)
		}
		return meta.Put(keyIdentity, want)
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("opening chain state %s: %w", path, err)
	}
	return &store{db: db}, nil
}

func (s *store) close() error { return s.db.Close() }

func u64key(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// cursor is the last block whose events are applied; ok is false before
// the first scan.
func (s *store) cursor() (block uint64, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyCursor); len(v) == 8 {
			block, ok = binary.BigEndian.Uint64(v), true
		}
		return nil
	})
	return block, ok, err
}

// applyRange applies fn to the orders of one block range and moves the
// cursor to `to` in the same transaction: a crash applies a range wholly
// or not at all.
func (s *store) applyRange(to uint64, fn func(tx *bolt.Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyCursor, u64key(to))
	})
}

func getOrder(tx *bolt.Tx, id uint64) (*OrderRecord, error) {
	v := tx.Bucket(bucketOrders).Get(u64key(id))
	if v == nil {
		return nil, nil
	}
	var o OrderRecord
	if err := json.Unmarshal(v, &o); err != nil {
		return nil, fmt.Errorf("decoding order %d: %w", id, err)
	}
	return &o, nil
}

func putOrder(tx *bolt.Tx, o *OrderRecord) error {
	o.Role, o.State = "", ""
	v, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketOrders).Put(u64key(o.id()), v)
}

// order returns order id, nil if not held.
func (s *store) order(id uint64) (*OrderRecord, error) {
	var o *OrderRecord
	err := s.db.View(func(tx *bolt.Tx) (err error) { o, err = getOrder(tx, id); return err })
	if o != nil {
		o.ChainID, o.Market = s.chainID, s.market
	}
	return o, err
}

// upsertOrder stores o unless an order with its id is held (the held one
// may know more, such as how it closed).
func (s *store) upsertOrder(o *OrderRecord) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		have, err := getOrder(tx, o.id())
		if err != nil || have != nil {
			return err
		}
		return putOrder(tx, o)
	})
}

// orders returns the held orders newest first, those keep returns true
// for.
func (s *store) orders(keep func(*OrderRecord) bool) ([]*OrderRecord, error) {
	var out []*OrderRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOrders).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var o OrderRecord
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("decoding order %x: %w", k, err)
			}
			o.ChainID, o.Market = s.chainID, s.market
			if keep(&o) {
				out = append(out, &o)
			}
		}
		return nil
	})
	return out, err
}

// newBatch numbers and stores a batch of ids, and records it on each of
// its orders.
func (s *store) newBatch(ids []uint64, key func(seq uint64) string) (*Batch, error) {
	var b *Batch
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq := uint64(1)
		if v := meta.Get(keyBatchSeq); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v) + 1
		}
		if err := meta.Put(keyBatchSeq, u64key(seq)); err != nil {
			return err
		}
		b = &Batch{Seq: seq, Key: key(seq), IDs: ids, Created: time.Now().UTC()}
		for _, id := range ids {
			o, err := getOrder(tx, id)
			if err != nil {
				return err
			}
			if o != nil {
				o.Batch = seq
				if err := putOrder(tx, o); err != nil {
					return err
				}
			}
		}
		return putBatch(tx, b)
	})
	return b, err
}

func putBatch(tx *bolt.Tx, b *Batch) error {
	v, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketBatches).Put(u64key(b.Seq), v)
}

func (s *store) saveBatch(b *Batch) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putBatch(tx, b) })
}

// batches returns up to limit batches newest first; open only keeps those
// not done.
func (s *store) batches(limit int, open bool) ([]*Batch, error) {
	var out []*Batch
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var b Batch
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("decoding batch %x: %w", k, err)
			}
			if !open || !b.Done {
				out = append(out, &b)
			}
		}
		return nil
	})
	return out, err
}

func (s *store) provider(p common.Address) (providerState, error) {
	ps := providerState{Provider: p}
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketProviders).Get(p[:]); v != nil {
			return json.Unmarshal(v, &ps)
		}
		return nil
	})
	return ps, err
}

func (s *store) saveProvider(ps providerState) error {
	v, err := json.Marshal(ps)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketProviders).Put(ps.Provider[:], v) })
}

func (s *store) providers() ([]providerState, error) {
	var out []providerState
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketProviders).ForEach(func(_, v []byte) error {
			var ps providerState
			if err := json.Unmarshal(v, &ps); err != nil {
				return err
			}
			out = append(out, ps)
			return nil
		})
	})
	return out, err
}
