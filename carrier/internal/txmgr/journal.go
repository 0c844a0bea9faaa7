package txmgr

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	bolt "go.etcd.io/bbolt"
)

// The journal's layout (bbolt):
//
//	meta/version    "1"
//	meta/from       20-byte sender address
//	meta/chain      chain id, decimal
//	meta/nextNonce  8-byte big-endian: one above the highest nonce ever signed
//	intents/<key>   JSON record
//	ids/<8-byte id> intent key, for listing in submission order
var (
	bucketMeta    = []byte("meta")
	bucketIntents = []byte("intents")
	bucketIDs     = []byte("ids")

	metaVersion   = []byte("version")
	metaFrom      = []byte("from")
	metaChain     = []byte("chain")
	metaNextNonce = []byte("nextNonce")
)

const journalVersion = "1"

// record is an intent as journaled.
type record struct {
	ID            uint64         `json:"id"`
	Key           string         `json:"key"`
	To            common.Address `json:"to"`
	Data          hexutil.Bytes  `json:"data,omitempty"`
	Value         *hexutil.Big   `json:"value,omitempty"`
	GasLimit      uint64         `json:"gasLimit,omitempty"`
	State         State          `json:"state"`
	Nonce         *uint64        `json:"nonce,omitempty"`
	Attempts      []attempt      `json:"attempts,omitempty"`
	Mined         *minedTx       `json:"mined,omitempty"`
	Confirmations uint64         `json:"confirmations,omitempty"`
	Reason        string         `json:"reason,omitempty"`
	Preflight     bool           `json:"preflight,omitempty"`
	LastError     string         `json:"lastError,omitempty"`
	Created       time.Time      `json:"created"`
	Updated       time.Time      `json:"updated"`
	Final         *time.Time     `json:"final,omitempty"`
}

// attempt is one signed transaction of an intent; replacements share the
// nonce.
type attempt struct {
	Hash   common.Hash   `json:"hash"`
	Raw    hexutil.Bytes `json:"raw"`
	TipCap *hexutil.Big  `json:"tipCap"`
	FeeCap *hexutil.Big  `json:"feeCap"`
	Signed time.Time     `json:"signed"`
	// Sent: a node accepted it at least once (or said it knew it).
	Sent bool `json:"sent,omitempty"`
}

// minedTx is the receipt of the attempt that was mined.
type minedTx struct {
	Hash      common.Hash `json:"hash"`
	Block     uint64      `json:"block"`
	BlockHash common.Hash `json:"blockHash"`
	GasUsed   uint64      `json:"gasUsed"`
	Success   bool        `json:"success"`
}

func (a attempt) tx() (*types.Transaction, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(a.Raw); err != nil {
		return nil, fmt.Errorf("decoding journaled transaction %s: %w", a.Hash, err)
	}
	return tx, nil
}

func (r *record) latest() *attempt {
	if len(r.Attempts) == 0 {
		return nil
	}
	return &r.Attempts[len(r.Attempts)-1]
}

func (r *record) anySent() bool {
	for _, a := range r.Attempts {
		if a.Sent {
			return true
		}
	}
	return false
}

func (r *record) value() *big.Int {
	if r.Value == nil {
		return new(big.Int)
	}
	return r.Value.ToInt()
}

func (r *record) status(required uint64) Status {
	s := Status{
		ID: r.ID, Key: r.Key, State: r.State, To: r.To, Nonce: r.Nonce, GasLimit: r.GasLimit,
		Confirmations: r.Confirmations, Required: max(required, 1), Reason: r.Reason,
		Preflight: r.Preflight, LastError: r.LastError, Created: r.Created, Updated: r.Updated, Confirmed: r.Final,
	}
	for _, a := range r.Attempts {
		s.Hashes = append(s.Hashes, a.Hash)
	}
	if a := r.latest(); a != nil {
		h := a.Hash
		s.Hash = &h
		s.TipCap, s.FeeCap = a.TipCap.ToInt(), a.FeeCap.ToInt()
	}
	if m := r.Mined; m != nil {
		h, bh := m.Hash, m.BlockHash
		s.Hash, s.BlockHash, s.Block, s.GasUsed = &h, &bh, m.Block, m.GasUsed
	}
	return s
}

// journal is the durable store of intents.
type journal struct {
	db *bolt.DB
}

func openJournal(path string, from common.Address, chainID *big.Int) (*journal, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("opening journal %s: locked by another process", path)
		}
		return nil, fmt.Errorf("opening journal %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketIntents, bucketIDs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(metaVersion); v == nil {
			if err := meta.Put(metaVersion, []byte(journalVersion)); err != nil {
				return err
			}
			if err := meta.Put(metaFrom, from.Bytes()); err != nil {
				return err
			}
			return meta.Put(metaChain, []byte(chainID.String()))
		} else if string(v) != journalVersion {
			return fmt.Errorf("journal version %q: this carrier reads version %s", v, journalVersion)
		}
		if got := common.BytesToAddress(meta.Get(metaFrom)); got != from {
			return fmt.Errorf("%w: it is %s's, the wallet is %s", ErrJournalMismatch, got, from)
		}
		if got := string(meta.Get(metaChain)); got != chainID.String() {
			return fmt.Errorf("%w: it is for chain %s, the node is on chain %s", ErrJournalMismatch, got, chainID)
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("opening journal %s: %w", path, err)
	}
	return &journal{db: db}, nil
}

func (j *journal) close() error { return j.db.Close() }

func getRecord(tx *bolt.Tx, key string) (*record, error) {
	v := tx.Bucket(bucketIntents).Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	r := new(record)
	if err := json.Unmarshal(v, r); err != nil {
		return nil, fmt.Errorf("journal record %q: %w", key, err)
	}
	return r, nil
}

func putRecord(tx *bolt.Tx, r *record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding journal record %q: %w", r.Key, err)
	}
	return tx.Bucket(bucketIntents).Put([]byte(r.Key), b)
}

// get returns the record of key, or nil.
func (j *journal) get(key string) (*record, error) {
	var r *record
	err := j.db.View(func(tx *bolt.Tx) error {
		var err error
		r, err = getRecord(tx, key)
		return err
	})
	return r, err
}

// insert stores a new record (or overwrites a pre-flight failure of the
// same key, keeping its id) and, if it holds a nonce, raises nextNonce. It
// returns the state of the record replaced, "" if none.
func (j *journal) insert(r *record) (replaced State, err error) {
	return replaced, j.db.Update(func(tx *bolt.Tx) error {
		old, err := getRecord(tx, r.Key)
		if err != nil {
			return err
		}
		if old != nil {
			if !(old.State == StateFailed && old.Preflight) {
				return fmt.Errorf("intent %q is journaled already", r.Key)
			}
			replaced = old.State
			r.ID = old.ID
		} else {
			ids := tx.Bucket(bucketIDs)
			id, err := ids.NextSequence()
			if err != nil {
				return err
			}
			r.ID = id
			if err := ids.Put(u64(id), []byte(r.Key)); err != nil {
				return err
			}
		}
		if r.Nonce != nil {
			meta := tx.Bucket(bucketMeta)
			if *r.Nonce+1 > fromU64(meta.Get(metaNextNonce)) {
				if err := meta.Put(metaNextNonce, u64(*r.Nonce+1)); err != nil {
					return err
				}
			}
		}
		return putRecord(tx, r)
	})
}

// update applies fn to the stored record of key and stores the result, in
// one transaction, and returns the states before and after. fn returning
// errNoChange skips the write.
func (j *journal) update(key string, fn func(*record) error) (before, after *record, err error) {
	err = j.db.Update(func(tx *bolt.Tx) error {
		r, err := getRecord(tx, key)
		if err != nil {
			return err
		}
		if r == nil {
			return fmt.Errorf("%w: %q", ErrUnknownIntent, key)
		}
		snapshot := *r
		before = &snapshot
		if err := fn(r); err != nil {
			return err
		}
		r.Updated = time.Now().UTC()
		after = r
		return putRecord(tx, r)
	})
	if errors.Is(err, errNoChange) {
		return before, before, nil
	}
	return before, after, err
}

var errNoChange = errors.New("no change")

// nextNonce is one above the highest nonce ever journaled.
func (j *journal) nextNonce() (uint64, error) {
	var n uint64
	err := j.db.View(func(tx *bolt.Tx) error {
		n = fromU64(tx.Bucket(bucketMeta).Get(metaNextNonce))
		return nil
	})
	return n, err
}

// each calls fn for records by descending id, starting below before (0:
// from the newest), until fn returns false.
func (j *journal) each(before uint64, fn func(*record) bool) error {
	return j.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIDs).Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else {
			if k, _ = c.Seek(u64(before)); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil; k, v = c.Prev() {
			r, err := getRecord(tx, string(v))
			if err != nil {
				return err
			}
			if r == nil {
				continue
			}
			if !fn(r) {
				return nil
			}
		}
		return nil
	})
}

// active returns the keys of the intents that are not final, oldest first.
func (j *journal) active() ([]string, map[State]int, error) {
	var keys []string
	counts := map[State]int{}
	err := j.each(0, func(r *record) bool {
		counts[r.State]++
		if !r.State.Final() {
			keys = append(keys, r.Key)
		}
		return true
	})
	for i, k := 0, len(keys)-1; i < k; i, k = i+1, k-1 {
		keys[i], keys[k] = keys[k], keys[i]
	}
	return keys, counts, err
}

func matches(r *record, opts ListOptions) bool {
	if opts.Prefix != "" && !strings.HasPrefix(r.Key, opts.Prefix) {
		return false
	}
	if len(opts.States) == 0 {
		return true
	}
	for _, s := range opts.States {
		if r.State == s {
			return true
		}
	}
	return false
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func fromU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
