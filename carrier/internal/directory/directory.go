package directory

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"math/big"
	"runtime"
	"sort"
	"sync"
	"time"
	"unique"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	bolt "go.etcd.io/bbolt"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/listing"
)

// Bucket names and the schema of the bbolt file.
var (
	bucketRecords    = []byte("records")    // provider (20 bytes) → signed record
	bucketQuarantine = []byte("quarantine") // unix nanos (8) + original key → stored bytes
	bucketMeta       = []byte("meta")
	keySchema        = []byte("schema")
)

const schemaVersion = "1"

// DefaultOpenTimeout is how long Open waits for another process to release
// the file.
const DefaultOpenTimeout = time.Second

// Options configure a Directory. The zero value is usable.
type Options struct {
	// Registerer receives the directory's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// OpenTimeout bounds the wait for the file lock; DefaultOpenTimeout if
	// zero.
	OpenTimeout time.Duration
}

// Directory is the set of listing records held, one per provider: the newest
// by sequence number. It is safe for concurrent use.
type Directory struct {
	log     *zap.Logger
	db      *bolt.DB
	now     func() time.Time
	metrics *metrics

	mu    sync.RWMutex
	index map[common.Address]int // position in slots
	slots []slot
	// labels[i] are the labels of slots[i].
	labels []labelSet
	tombs  int // slots that are tombstones
}

// entry is one held record. Never modified after creation: readers get its
// fields without copying.
type entry struct {
	rec  *listing.Record
	raw  []byte
	hash [32]byte
}

// slot holds what a query scan reads, contiguously and compactly (104
// bytes), so that a scan over 100k records stays in cache and rarely
// dereferences e: strings and labels are first compared by hash.
type slot struct {
	cpu, mem, storage uint64
	gpus              uint32
	tombstone         bool
	// widePrices: a price needs more than 64 bits; prices then holds
	// nothing and rates are computed from e.rec.
	widePrices        bool
	issuedAt, expires int64
	prices            [4]uint64 // cpuMilli, memoryMiB, storageGiB, gpu
	labelBits         uint64    // bit hash(k, v) % 64 set for each label
	// region and model are the record's strings interned (unique.Handle):
	// comparing them is exact and reads nothing outside the slot.
	region, model unique.Handle[string]
	e             *entry
}

func (s *slot) provider() common.Address { return s.e.rec.Provider }
func (s *slot) seq() uint64              { return s.e.rec.Seq }

func newSlot(e *entry) slot {
	r := e.rec
	s := slot{
		cpu: r.Capacity.Free.CPUMillis, mem: r.Capacity.Free.MemoryBytes, storage: r.Capacity.Free.StorageBytes,
		gpus:      r.Capacity.Free.GPUs,
		tombstone: r.Tombstone,
		issuedAt:  r.IssuedAt,
		expires:   r.Expires,
		region:    unique.Make(r.Region),
		model:     unique.Make(r.Capacity.Free.GPUModel),
		e:         e,
	}
	for i, p := range []*big.Int{r.Prices.CPUMilli, r.Prices.MemoryMiB, r.Prices.StorageGiB, r.Prices.GPU} {
		switch {
		case p == nil:
		case p.IsUint64():
			s.prices[i] = p.Uint64()
		default:
			s.widePrices = true
		}
	}
	for k, v := range r.Labels {
		s.labelBits |= labelBit(k, v)
	}
	return s
}

var hashSeed = maphash.MakeSeed()

func labelBit(k, v string) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	h.WriteString(k)
	h.WriteByte(0)
	h.WriteString(v)
	return 1 << (h.Sum64() % 64)
}

// Open opens (creating it with mode 0600 if needed) the directory file at
// path and loads every record into memory. Records that fail to decode, are
// stored under the wrong key or whose signature is not the provider's are
// moved to quarantine and logged; expired ones are dropped.
func Open(path string, log *zap.Logger, opts Options) (*Directory, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OpenTimeout <= 0 {
		opts.OpenTimeout = DefaultOpenTimeout
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.OpenTimeout})
	if err != nil {
		return nil, fmt.Errorf("opening directory %s: %w", path, err)
	}
	d := &Directory{
		log:     log,
		db:      db,
		now:     opts.Now,
		metrics: m,
		index:   make(map[common.Address]int),
	}
	if err := d.load(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("opening directory %s: %w", path, err)
	}
	return d, nil
}

// Close closes the file. The directory must not be used afterwards.
func (d *Directory) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("closing directory: %w", err)
	}
	return nil
}

type stored struct {
	key, raw []byte
	rec      *listing.Record
	err      error
}

func (d *Directory) load() error {
	var all []stored
	err := d.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch v := meta.Get(keySchema); {
		case v == nil:
			if err := meta.Put(keySchema, []byte(schemaVersion)); err != nil {
				return err
			}
		case string(v) != schemaVersion:
			return fmt.Errorf("schema version %q, want %q", v, schemaVersion)
		}
		if _, err := tx.CreateBucketIfNotExists(bucketQuarantine); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketRecords)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			all = append(all, stored{key: bytes.Clone(k), raw: bytes.Clone(v)})
			return nil
		})
	})
	if err != nil {
		return err
	}

	// Decoding and signature recovery (~50 µs each) in parallel.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				all[i].rec, all[i].err = checkStored(all[i].key, all[i].raw)
			}
		}()
	}
	wg.Wait()

	now := d.now().Unix()
	var bad, expired, obsolete []stored
	for _, s := range all {
		switch {
		case errors.Is(s.err, listing.ErrUnsupportedVersion):
			// Written before an upgrade of the record format (version 1
			// names no owner): not corruption; peers send current ones.
			obsolete = append(obsolete, s)
		case s.err != nil:
			bad = append(bad, s)
		case s.rec.Expires <= now:
			expired = append(expired, s)
		default:
			d.insertLocked(&entry{rec: s.rec, raw: s.raw, hash: listing.Hash(s.raw)})
		}
	}
	if len(bad) > 0 || len(expired) > 0 || len(obsolete) > 0 {
		stamp := binary.BigEndian.AppendUint64(nil, uint64(d.now().UnixNano()))
		err := d.db.Update(func(tx *bolt.Tx) error {
			recs, q := tx.Bucket(bucketRecords), tx.Bucket(bucketQuarantine)
			for _, s := range bad {
				if err := q.Put(append(bytes.Clone(stamp), s.key...), s.raw); err != nil {
					return err
				}
				if err := recs.Delete(s.key); err != nil {
					return err
				}
			}
			for _, s := range append(expired, obsolete...) {
				if err := recs.Delete(s.key); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("quarantining %d records: %w", len(bad), err)
		}
	}
	for _, s := range bad {
		d.log.Error("directory record quarantined: it does not load",
			zap.String("key", hex.EncodeToString(s.key)), zap.Int("bytes", len(s.raw)),
			zap.String("reason", listing.Reason(s.err)), zap.Error(s.err))
	}
	if len(obsolete) > 0 {
		d.log.Warn("directory records of an unsupported listing version dropped (written before the upgrade to listings that name their owner); peers send current ones",
			zap.Int("records", len(obsolete)), zap.Error(obsolete[0].err))
	}
	d.metrics.quarantined.Add(float64(len(bad)))
	d.metrics.swept.Add(float64(len(expired)))
	d.updateGauges()
	d.log.Info("directory loaded", zap.Int("records", len(d.slots)), zap.Int("tombstones", d.tombs),
		zap.Int("expired", len(expired)), zap.Int("quarantined", len(bad)), zap.Int("obsolete", len(obsolete)))
	return nil
}

var errWrongKey = errors.New("stored under another provider's key")

// checkStored decodes a stored record and checks its signature and key.
func checkStored(key, raw []byte) (*listing.Record, error) {
	r, err := listing.Unmarshal(raw)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(key, r.Provider[:]) {
		return nil, fmt.Errorf("record of %s %w %x", r.Provider, errWrongKey, key)
	}
	if err := listing.CheckSignature(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Quarantined is the number of records in quarantine (see Open).
func (d *Directory) Quarantined() (int, error) {
	n := 0
	err := d.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketQuarantine).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reading quarantine: %w", err)
	}
	return n, nil
}

// Item is a verified record and its exact signed encoding.
type Item struct {
	Record *listing.Record
	Raw    []byte
}

// Put stores rec if it is newer (by Seq) than the record held for its
// provider and not expired; changed reports whether it did. A tombstone
// replaces the listing and hides it while keeping its Seq, so that no older
// record can come back until the tombstone expires. rec must be the
// verified decoding of raw, as listing.Verifier.Verify returns it; Put does
// not verify. An error means nothing was stored.
func (d *Directory) Put(rec *listing.Record, raw []byte) (changed bool, err error) {
	changed1, err := d.PutMany([]Item{{Record: rec, Raw: raw}})
	if err != nil {
		return false, err
	}
	return changed1[0], nil
}

// PutMany is Put for many records in one write transaction (one fsync):
// what a sync round should use. changed[i] reports whether items[i] was
// stored; of several records of one provider only the newest can be.
func (d *Directory) PutMany(items []Item) (changed []bool, err error) {
	changed = make([]bool, len(items))
	entries := make([]*entry, len(items))
	for i, it := range items {
		if it.Record == nil || len(it.Raw) <= listing.SignatureSize || len(it.Raw) > listing.MaxRecordSize {
			return changed, fmt.Errorf("putting item %d: no record or raw encoding of %d bytes", i, len(it.Raw))
		}
		raw := bytes.Clone(it.Raw)
		entries[i] = &entry{rec: it.Record, raw: raw, hash: listing.Hash(raw)}
	}
	now := d.now().Unix()
	results := make(map[string]int, 2)

	// Pick the candidates: newer than held (and than any other item of the
	// same provider) and not expired.
	best := make(map[common.Address]int, len(items))
	d.mu.RLock()
	for i, e := range entries {
		if res := d.compareLocked(e, now); res != "" {
			results[res]++
			continue
		}
		p := e.rec.Provider
		if j, ok := best[p]; ok {
			if entries[j].rec.Seq >= e.rec.Seq {
				results[resultStale]++
				continue
			}
			results[resultStale]++
		}
		best[p] = i
	}
	d.mu.RUnlock()
	if len(best) == 0 {
		d.countPuts(results)
		return changed, nil
	}
	order := make([]int, 0, len(best))
	for _, i := range best {
		order = append(order, i)
	}
	sort.Ints(order)

	// Write those whose stored record is older: the file never goes back
	// in sequence, whatever the interleaving of concurrent puts.
	written := make([]int, 0, len(order))
	err = d.db.Update(func(tx *bolt.Tx) error {
		written = written[:0]
		b := tx.Bucket(bucketRecords)
		for _, i := range order {
			e := entries[i]
			if old := b.Get(e.rec.Provider[:]); old != nil {
				if r, err := listing.Unmarshal(old); err == nil && r.Seq >= e.rec.Seq {
					continue
				}
			}
			if err := b.Put(e.rec.Provider[:], e.raw); err != nil {
				return err
			}
			written = append(written, i)
		}
		return nil
	})
	if err != nil {
		return make([]bool, len(items)), fmt.Errorf("writing %d directory records: %w", len(order), err)
	}
	results[resultStale] += len(order) - len(written)

	d.mu.Lock()
	for _, i := range written {
		e := entries[i]
		if res := d.compareLocked(e, now); res != "" && res != resultExpired {
			results[res]++ // a concurrent put stored a newer one meanwhile
			continue
		}
		d.insertLocked(e)
		changed[i] = true
		results[resultAccepted]++
	}
	d.updateGaugesLocked()
	d.mu.Unlock()
	d.countPuts(results)
	return changed, nil
}

// compareLocked returns "" if e may replace what is held, or why not.
func (d *Directory) compareLocked(e *entry, now int64) string {
	if e.rec.Expires <= now {
		return resultExpired
	}
	i, ok := d.index[e.rec.Provider]
	if !ok {
		return ""
	}
	held := &d.slots[i]
	switch {
	case e.rec.Seq > held.seq():
		return ""
	case e.rec.Seq < held.seq():
		return resultStale
	case held.e.hash == e.hash:
		return resultDuplicate
	default:
		return resultEquivocation
	}
}

// labelPair is one label, interned for exact comparison.
type labelPair struct{ k, v string }

// inlineLabels is how many labels a labelSet holds; a record with more is
// matched on its label map.
const inlineLabels = 4

// labelSet is a slot's labels, interned, in an array parallel to the
// slots: the scan reads it only for slots whose bloom mask passes, with
// one memory access instead of a walk through the record's label map.
type labelSet struct {
	n     uint8 // number of labels; inlineLabels+1: more, see the record
	pairs [inlineLabels]unique.Handle[labelPair]
}

func newLabelSet(labels map[string]string) labelSet {
	var ls labelSet
	if len(labels) > inlineLabels {
		ls.n = inlineLabels + 1
		return ls
	}
	for k, v := range labels {
		ls.pairs[ls.n] = unique.Make(labelPair{k, v})
		ls.n++
	}
	return ls
}

// insertLocked inserts or replaces the slot of e's provider.
func (d *Directory) insertLocked(e *entry) {
	s := newSlot(e)
	ls := newLabelSet(e.rec.Labels)
	if i, ok := d.index[s.provider()]; ok {
		if d.slots[i].tombstone {
			d.tombs--
		}
		d.slots[i] = s
		d.labels[i] = ls
	} else {
		d.index[s.provider()] = len(d.slots)
		d.slots = append(d.slots, s)
		d.labels = append(d.labels, ls)
	}
	if s.tombstone {
		d.tombs++
	}
}

// removeLocked removes the slot of provider (swap with the last one).
func (d *Directory) removeLocked(provider common.Address) {
	i, ok := d.index[provider]
	if !ok {
		return
	}
	if d.slots[i].tombstone {
		d.tombs--
	}
	last := len(d.slots) - 1
	if i != last {
		d.slots[i] = d.slots[last]
		d.labels[i] = d.labels[last]
		d.index[d.slots[i].provider()] = i
	}
	d.slots[last] = slot{}
	d.slots = d.slots[:last]
	d.labels[last] = labelSet{}
	d.labels = d.labels[:last]
	delete(d.index, provider)
}

func (d *Directory) countPuts(results map[string]int) {
	for res, n := range results {
		d.metrics.puts.WithLabelValues(res).Add(float64(n))
	}
}

func (d *Directory) updateGauges() {
	d.mu.RLock()
	defer d.mu.RUnlock()
	d.updateGaugesLocked()
}

func (d *Directory) updateGaugesLocked() {
	d.metrics.records.WithLabelValues("listing").Set(float64(len(d.slots) - d.tombs))
	d.metrics.records.WithLabelValues("tombstone").Set(float64(d.tombs))
}

// Get returns the record held for provider, which may be a tombstone
// (rec.Tombstone), unless it has expired. The record must not be modified.
func (d *Directory) Get(provider common.Address) (*listing.Record, bool) {
	now := d.now().Unix()
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.index[provider]
	if !ok || d.slots[i].expires <= now {
		return nil, false
	}
	return d.slots[i].e.rec, true
}

// HeldSeq returns the sequence number held for provider, tombstones and
// not yet swept expired records included: what listing.Verifier.Verify
// needs to reject stale records.
func (d *Directory) HeldSeq(provider common.Address) (uint64, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.index[provider]
	if !ok {
		return 0, false
	}
	return d.slots[i].seq(), true
}

// Raw returns the signed encoding held for provider, to send to a peer. The
// bytes must not be modified.
func (d *Directory) Raw(provider common.Address) ([]byte, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.index[provider]
	if !ok {
		return nil, false
	}
	return d.slots[i].e.raw, true
}

// Len is the number of records held, tombstones included.
func (d *Directory) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.slots)
}

// DigestEntry identifies one held record for anti-entropy: a peer holding
// a lower Seq for Provider (or none) wants it; equal Seq with another Hash
// is an equivocation by the provider.
type DigestEntry struct {
	Provider common.Address
	Seq      uint64
	Hash     [32]byte
}

// Digest lists every unexpired record held, tombstones included, sorted by
// provider.
func (d *Directory) Digest() []DigestEntry {
	now := d.now().Unix()
	d.mu.RLock()
	out := make([]DigestEntry, 0, len(d.slots))
	for i := range d.slots {
		s := &d.slots[i]
		if s.expires > now {
			out = append(out, DigestEntry{Provider: s.provider(), Seq: s.seq(), Hash: s.e.hash})
		}
	}
	d.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Provider[:], out[j].Provider[:]) < 0 })
	return out
}

// Sweep removes the records (listings and tombstones) expired at now from
// memory and from the file, and returns how many it removed.
func (d *Directory) Sweep(now time.Time) (int, error) {
	t := now.Unix()
	type victim struct {
		provider common.Address
		seq      uint64
	}
	var victims []victim
	d.mu.RLock()
	for i := range d.slots {
		if s := &d.slots[i]; s.expires <= t {
			victims = append(victims, victim{s.provider(), s.seq()})
		}
	}
	d.mu.RUnlock()
	if len(victims) == 0 {
		return 0, nil
	}
	err := d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRecords)
		for _, v := range victims {
			old := b.Get(v.provider[:])
			if old == nil {
				continue
			}
			if r, err := listing.Unmarshal(old); err == nil && r.Seq > v.seq {
				continue // replaced by a newer record meanwhile
			}
			if err := b.Delete(v.provider[:]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweeping %d expired records: %w", len(victims), err)
	}
	removed := 0
	d.mu.Lock()
	for _, v := range victims {
		if i, ok := d.index[v.provider]; ok && d.slots[i].seq() == v.seq {
			d.removeLocked(v.provider)
			removed++
		}
	}
	d.updateGaugesLocked()
	d.mu.Unlock()
	d.metrics.swept.Add(float64(removed))
	return removed, nil
}

// RunSweeper sweeps every interval until ctx is cancelled, then returns
// nil. A failed sweep is logged and retried at the next tick.
func (d *Directory) RunSweeper(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			n, err := d.Sweep(d.now())
			if err != nil {
				d.log.Warn("directory sweep failed", zap.Error(err))
				continue
			}
			if n > 0 {
				d.log.Debug("directory swept", zap.Int("removed", n))
			}
		}
	}
}
