package directory

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// testNow is the start of the tests' clock.
const testNow = int64(1_800_000_000)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(testNow, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(unix int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = time.Unix(unix, 0)
}

var (
	keysMu sync.Mutex
	keys   = map[int]*ecdsa.PrivateKey{}
)

// key is provider i's deterministic key.
func key(t testing.TB, i int) *ecdsa.PrivateKey {
	t.Helper()
	keysMu.Lock()
	defer keysMu.Unlock()
	if k, ok := keys[i]; ok {
		return k
	}
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("gridnode directory test provider %d", i))))
	if err != nil {
		t.Fatal(err)
	}
	keys[i] = k
	return k
}

func addr(t testing.TB, i int) common.Address {
	return crypto.PubkeyToAddress(key(t, i).PublicKey)
}

// testOwner owns every test provider.
var testOwner = common.HexToAddress("0x00000000000000000000000000000000000a11ce")

// baseRecord is provider i's listing: 4 cores, 8 GiB, 100 GiB free, no
// GPUs, at 1/1/1/0 per second, issued at testNow, valid for an hour.
func baseRecord(t testing.TB, i int) *listing.Record {
	return &listing.Record{
		Version:    listing.Version2,
		Provider:   addr(t, i),
		Owner:      testOwner,
		Org:        "org-a",
		GatewayURL: fmt.Sprintf("https://via.org-a.example/gw/%d", i),
		Capacity: listing.Capacity{
			Total: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 200 << 30},
			Free:  market.Resources{CPUMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 100 << 30},
		},
		Prices:   market.Prices{CPUMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), GPU: big.NewInt(0)},
		Region:   "eu",
		Seq:      1,
		IssuedAt: testNow,
		Expires:  testNow + 3600,
	}
}

// sign signs r with its provider's key (provider i) and returns it and its
// encoding.
func sign(t testing.TB, i int, r *listing.Record) (*listing.Record, []byte) {
	t.Helper()
	if err := listing.Sign(r, key(t, i)); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, raw
}

// rec is provider i's base record modified by mutate, signed.
func rec(t testing.TB, i int, mutate func(r *listing.Record)) (*listing.Record, []byte) {
	t.Helper()
	r := baseRecord(t, i)
	if mutate != nil {
		mutate(r)
	}
	return sign(t, i, r)
}

type testDir struct {
	*Directory
	path  string
	clock *clock
	reg   *prometheus.Registry
}

// open opens the directory at path (a new one if empty) on clock.
func open(t *testing.T, path string, c *clock) *testDir {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "directory.db")
	}
	if c == nil {
		c = newClock()
	}
	reg := prometheus.NewRegistry()
	d, err := Open(path, zaptest.NewLogger(t), Options{Registerer: reg, Now: c.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return &testDir{Directory: d, path: path, clock: c, reg: reg}
}

func (d *testDir) put(t *testing.T, r *listing.Record, raw []byte) bool {
	t.Helper()
	changed, err := d.Put(r, raw)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return changed
}

// metric returns the value of the counter or gauge name{label=value} (no
// label if label is empty).
func (d *testDir) metric(t *testing.T, name, label, value string) float64 {
	t.Helper()
	fams, err := d.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			match := label == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					match = true
				}
			}
			if !match {
				continue
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s{%s=%q}", name, label, value)
	return 0
}

// putRec puts provider i's base record modified by mutate.
func (d *testDir) putRec(t *testing.T, i int, mutate func(r *listing.Record)) bool {
	t.Helper()
	r, raw := rec(t, i, mutate)
	return d.put(t, r, raw)
}
