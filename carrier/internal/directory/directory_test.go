package directory

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gridnode/gridnode/pkg/listing"
)

func TestPutSequenceOrdering(t *testing.T) {
	type step struct {
		seq       uint64
		tombstone bool
		variant   string // a different GatewayURL: another record with the same seq
		expires   int64  // 0: testNow + 3600
		changed   bool
		result    string
	}
	tests := []struct {
		name  string
		steps []step
		// after the steps
		heldSeq uint64
		visible bool // Get returns a listing (not a tombstone)
	}{
		{"first record", []step{{seq: 1, changed: true, result: resultAccepted}}, 1, true},
		{"newer replaces", []step{{seq: 1, changed: true}, {seq: 3, changed: true}}, 3, true},
		{"older ignored", []step{{seq: 5, changed: true}, {seq: 4, result: resultStale}}, 5, true},
		{"duplicate ignored", []step{{seq: 2, changed: true}, {seq: 2, result: resultDuplicate}}, 2, true},
		{"equivocation ignored", []step{{seq: 2, changed: true}, {seq: 2, variant: "x", result: resultEquivocation}}, 2, true},
		{"expired not stored", []step{{seq: 1, expires: testNow, result: resultExpired}}, 0, false},
		{"tombstone hides", []step{{seq: 1, changed: true}, {seq: 2, tombstone: true, changed: true}}, 2, false},
		{"no resurrection under tombstone", []step{
			{seq: 1, changed: true}, {seq: 2, tombstone: true, changed: true}, {seq: 1, result: resultStale},
		}, 2, false},
		{"newer listing after tombstone", []step{
			{seq: 2, tombstone: true, changed: true}, {seq: 3, changed: true},
		}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := open(t, "", nil)
			for i, s := range tt.steps {
				r, raw := rec(t, 1, func(r *listing.Record) {
					r.Seq, r.Tombstone = s.seq, s.tombstone
					r.GatewayURL += s.variant
					if s.expires != 0 {
						r.Expires = s.expires
						r.IssuedAt = s.expires - 60
					}
				})
				before := d.metric(t, "gridnode_directory_puts_total", "result", orDefault(s.result, resultAccepted))
				if got := d.put(t, r, raw); got != s.changed {
					t.Fatalf("step %d: changed = %v, want %v", i, got, s.changed)
				}
				if s.result != "" {
					if after := d.metric(t, "gridnode_directory_puts_total", "result", s.result); after != before+1 {
						t.Errorf("step %d: puts_total{result=%q} went from %v to %v", i, s.result, before, after)
					}
				}
			}
			seq, ok := d.HeldSeq(addr(t, 1))
			if seq != tt.heldSeq || ok != (tt.heldSeq != 0) {
				t.Errorf("HeldSeq = %d, %v; want %d", seq, ok, tt.heldSeq)
			}
			r, ok := d.Get(addr(t, 1))
			if visible := ok && !r.Tombstone; visible != tt.visible {
				t.Errorf("listing visible = %v, want %v", visible, tt.visible)
			}
			res, err := d.Query(Query{})
			if err != nil {
				t.Fatal(err)
			}
			if (res.Total == 1) != tt.visible {
				t.Errorf("Query total = %d, visible %v", res.Total, tt.visible)
			}
		})
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestPutManyKeepsNewestPerProvider(t *testing.T) {
	d := open(t, "", nil)
	var items []Item
	for _, seq := range []uint64{3, 5, 4} {
		r, raw := rec(t, 1, func(r *listing.Record) { r.Seq = seq })
		items = append(items, Item{r, raw})
	}
	r, raw := rec(t, 2, nil)
	items = append(items, Item{r, raw})
	changed, err := d.PutMany(items)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, false, true}; !reflect.DeepEqual(changed, want) {
		t.Errorf("changed = %v, want %v", changed, want)
	}
	if seq, _ := d.HeldSeq(addr(t, 1)); seq != 5 || d.Len() != 2 {
		t.Errorf("held seq %d, len %d; want 5, 2", seq, d.Len())
	}
	if _, err := d.PutMany([]Item{{Record: r}}); err == nil {
		t.Error("PutMany without raw bytes succeeded")
	}
}

func TestRestartKeepsDirectory(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	for i := range 5 {
		d.putRec(t, i, func(r *listing.Record) { r.Seq = uint64(10 + i) })
	}
	d.putRec(t, 4, func(r *listing.Record) { r.Seq, r.Tombstone, r.GatewayURL = 20, true, "" })
	digest := d.Digest()
	raw2, _ := d.Raw(addr(t, 2))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	d2 := open(t, d.path, c)
	if d2.Len() != 5 {
		t.Fatalf("reopened directory holds %d records, want 5", d2.Len())
	}
	if got := d2.Digest(); !reflect.DeepEqual(got, digest) {
		t.Errorf("digest after restart:\n%v\nwant\n%v", got, digest)
	}
	if got, ok := d2.Raw(addr(t, 2)); !ok || !bytes.Equal(got, raw2) {
		t.Error("raw record of provider 2 changed across restart")
	}
	if seq, _ := d2.HeldSeq(addr(t, 4)); seq != 20 {
		t.Errorf("tombstone seq after restart = %d, want 20", seq)
	}
	// The tombstone still blocks the older listing.
	if d2.putRec(t, 4, func(r *listing.Record) { r.Seq = 14 }) {
		t.Error("an older listing replaced the tombstone after restart")
	}
	if got := d2.metric(t, "gridnode_directory_records", "kind", "tombstone"); got != 1 {
		t.Errorf("tombstone gauge = %v, want 1", got)
	}
	if got := d2.metric(t, "gridnode_directory_records", "kind", "listing"); got != 4 {
		t.Errorf("listing gauge = %v, want 4", got)
	}
	info, err := os.Stat(d.path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("directory file mode %o, want 600", perm)
	}
}

func TestSecondOpenFails(t *testing.T) {
	d := open(t, "", nil)
	_, err := Open(d.path, zap.NewNop(), Options{OpenTimeout: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("a second Open of the same file succeeded")
	}
}

func TestSweep(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	d.putRec(t, 1, func(r *listing.Record) { r.Expires = testNow + 100 })
	d.putRec(t, 2, func(r *listing.Record) { r.Expires = testNow + 200 })
	d.putRec(t, 3, func(r *listing.Record) { r.Expires = testNow + 100; r.Tombstone = true })
	d.putRec(t, 4, func(r *listing.Record) { r.Expires = testNow + 300 })

	c.Set(testNow + 99)
	if n, err := d.Sweep(c.Now()); err != nil || n != 0 {
		t.Fatalf("early Sweep removed %d (%v)", n, err)
	}
	c.Set(testNow + 100)
	if _, ok := d.Get(addr(t, 1)); ok {
		t.Error("Get returned an expired record")
	}
	if got := d.Digest(); len(got) != 2 {
		t.Errorf("digest lists %d records, want the 2 unexpired", len(got))
	}
	if n, err := d.Sweep(c.Now()); err != nil || n != 2 {
		t.Fatalf("Sweep removed %d (%v), want 2 (a listing and a tombstone)", n, err)
	}
	if _, ok := d.HeldSeq(addr(t, 3)); ok || d.Len() != 2 {
		t.Errorf("after sweep: len %d, expired tombstone held %v", d.Len(), ok)
	}
	if got := d.metric(t, "gridnode_directory_swept_total", "", ""); got != 2 {
		t.Errorf("swept_total = %v", got)
	}
	// Gone from the file too; provider 2 expires while closed and is dropped
	// at load.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	c.Set(testNow + 250)
	d2 := open(t, d.path, c)
	if d2.Len() != 1 {
		t.Errorf("reopened directory holds %d records, want 1", d2.Len())
	}
	if _, ok := d2.Get(addr(t, 4)); !ok {
		t.Error("provider 4 lost")
	}
}

func TestRunSweeper(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	d.putRec(t, 1, func(r *listing.Record) { r.Expires = testNow + 10 })
	c.Set(testNow + 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.RunSweeper(ctx, time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second) // against hangs, not a timing assertion
	for d.Len() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("sweeper did not remove the expired record")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunSweeper = %v, want nil on cancel", err)
	}
}

// TestCorruptEntriesQuarantined: a stored entry that does not load is moved
// to the quarantine bucket and logged at error level with its key and
// reason; the directory opens with the others.
func TestCorruptEntriesQuarantined(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	good, goodRaw := rec(t, 1, nil)
	d.put(t, good, goodRaw)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	_, raw2 := rec(t, 2, nil)
	tampered := bytes.Clone(raw2)
	tampered[51] ^= 1 // seq 1 → 257: decodes, the signature no longer matches
	_, raw3 := rec(t, 3, nil)
	corrupt := map[string][]byte{
		string(addr(t, 5).Bytes()): []byte("not a record"),
		string(addr(t, 6).Bytes()): append(bytes.Clone(goodRaw), make([]byte, listing.MaxRecordSize)...),
		string(addr(t, 2).Bytes()): tampered,
		string(addr(t, 7).Bytes()): raw3, // provider 3's record under 7's key
	}
	db, err := bolt.Open(d.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for k, v := range corrupt {
			if err := tx.Bucket(bucketRecords).Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	core, logs := observer.New(zapcore.ErrorLevel)
	reopened, err := Open(d.path, zap.New(core), Options{Now: c.Now})
	if err != nil {
		t.Fatalf("Open with corrupt entries: %v", err)
	}
	defer reopened.Close()
	if reopened.Len() != 1 {
		t.Errorf("holds %d records, want only the good one", reopened.Len())
	}
	if n, err := reopened.Quarantined(); err != nil || n != len(corrupt) {
		t.Errorf("Quarantined = %d, %v; want %d", n, err, len(corrupt))
	}
	reasons := map[string]bool{}
	for _, e := range logs.All() {
		reasons[e.ContextMap()["reason"].(string)] = true
	}
	for _, want := range []string{"malformed", "too_large", "bad_signature", "other"} {
		if !reasons[want] {
			t.Errorf("no error log with reason %q; got %v", want, reasons)
		}
	}
	if logs.Len() != len(corrupt) {
		t.Errorf("%d error logs, want one per corrupt entry", logs.Len())
	}
	// Quarantined entries left the records bucket: the next open is clean.
	if err := reopened.Close(); err != nil {
		t.Fatal(err)
	}
	core2, logs2 := observer.New(zapcore.ErrorLevel)
	again, err := Open(d.path, zap.New(core2), Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if logs2.Len() != 0 || again.Len() != 1 {
		t.Errorf("second open: %d error logs, %d records", logs2.Len(), again.Len())
	}
}

// TestOldVersionDropped: records of listing version 1 (stored before the
// upgrade to records that name their owner) are dropped at Open with one
// warning, not quarantined as corrupt.
func TestOldVersionDropped(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	good, goodRaw := rec(t, 1, nil)
	d.put(t, good, goodRaw)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// A version-1 record as carriers stored them: pkg/listing's golden one.
	v1hex, err := os.ReadFile(filepath.Join("..", "..", "..", "pkg", "listing", "testdata", "record-v1.hex"))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := hex.DecodeString(strings.TrimSpace(string(v1hex)))
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(d.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketRecords).Put(v1[4:24], v1) })
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.WarnLevel)
	reopened, err := Open(d.path, zap.New(core), Options{Now: c.Now})
	if err != nil {
		t.Fatalf("Open with a version-1 record: %v", err)
	}
	defer reopened.Close()
	if reopened.Len() != 1 {
		t.Errorf("holds %d records, want only the current one", reopened.Len())
	}
	if n, err := reopened.Quarantined(); err != nil || n != 0 {
		t.Errorf("Quarantined = %d, %v; want 0", n, err)
	}
	if logs.Len() != 1 || logs.All()[0].Level != zapcore.WarnLevel || logs.All()[0].ContextMap()["records"] != int64(1) {
		t.Errorf("logs %+v, want one warning for one record", logs.All())
	}
	if err := reopened.Close(); err != nil {
		t.Fatal(err)
	}
	core2, logs2 := observer.New(zapcore.WarnLevel)
	again, err := Open(d.path, zap.New(core2), Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if logs2.Len() != 0 || again.Len() != 1 {
		t.Errorf("second open: %d warnings, %d records; the old record should be gone", logs2.Len(), again.Len())
	}
}

func TestOpenRejectsOtherSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, []byte("99"))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := Open(path, zap.NewNop(), Options{}); err == nil {
		t.Fatal("Open accepted an unknown schema version")
	}
}

func TestMetricsRegistration(t *testing.T) {
	d := open(t, "", nil)
	_, err := Open(filepath.Join(t.TempDir(), "other.db"), zap.NewNop(), Options{Registerer: d.reg})
	if err == nil {
		t.Fatal("two directories registered metrics on one registry")
	}
}

func TestDigestSortedAndComplete(t *testing.T) {
	d := open(t, "", nil)
	want := map[common.Address][32]byte{}
	for i := range 20 {
		r, raw := rec(t, i, nil)
		d.put(t, r, raw)
		want[r.Provider] = listing.Hash(raw)
	}
	got := d.Digest()
	if len(got) != len(want) {
		t.Fatalf("digest has %d entries, want %d", len(got), len(want))
	}
	for i, e := range got {
		if i > 0 && bytes.Compare(got[i-1].Provider[:], e.Provider[:]) >= 0 {
			t.Errorf("digest not sorted at %d", i)
		}
		if want[e.Provider] != e.Hash || e.Seq != 1 {
			t.Errorf("digest entry %+v wrong", e)
		}
	}
	if _, ok := d.Raw(common.Address{9}); ok {
		t.Error("Raw of an unknown provider")
	}
}

func TestPutWriteFailureStoresNothing(t *testing.T) {
	d := open(t, "", nil)
	r, raw := rec(t, 1, nil)
	if err := d.db.Close(); err != nil { // make the file unwritable
		t.Fatal(err)
	}
	if _, err := d.Put(r, raw); err == nil || !errors.Is(err, bolt.ErrDatabaseNotOpen) {
		t.Fatalf("Put on a closed file = %v", err)
	}
	if d.Len() != 0 {
		t.Error("a record that was not written is held in memory")
	}
}

// TestConcurrentUse puts, queries, reads digests and sweeps at once; run
// with -race it checks the locking.
func TestConcurrentUse(t *testing.T) {
	d := open(t, "", nil)
	items := make([][]Item, 4)
	for w := range items {
		for i := range 10 {
			for seq := uint64(1); seq <= 3; seq++ {
				r, raw := rec(t, w*10+i, func(r *listing.Record) { r.Seq = seq })
				items[w] = append(items[w], Item{r, raw})
			}
		}
	}
	done := make(chan error, len(items)+1)
	for w := range items {
		go func() {
			for _, it := range items[w] {
				if _, err := d.Put(it.Record, it.Raw); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		for range 200 {
			if _, err := d.Query(Query{Limit: 5}); err != nil {
				done <- err
				return
			}
			d.Digest()
			if _, err := d.Sweep(d.clock.Now()); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range len(items) + 1 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if d.Len() != 40 {
		t.Fatalf("holds %d records, want 40", d.Len())
	}
	for _, e := range d.Digest() {
		if e.Seq != 3 {
			t.Errorf("provider %s at seq %d, want 3", e.Provider, e.Seq)
		}
	}
}
