package directory

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// benchListings is the size of the benchmark directory.
const benchListings = 100_000

var bench struct {
	once        sync.Once
	dir         *Directory
	tmp         string
	bytesPerRec float64
	err         error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != nil {
		_ = bench.dir.Close()
		_ = os.RemoveAll(bench.tmp)
	}
	os.Exit(code)
}

// benchDirectory is a directory of benchListings realistic listings (5
// regions, 3 labels each, a GPU on one in five), unsigned: Put does not
// verify. It is built once per test binary; building it measures the heap
// it takes.
func benchDirectory(b *testing.B) *Directory {
	bench.once.Do(func() {
		bench.tmp, bench.err = os.MkdirTemp("", "directory-bench-")
		if bench.err != nil {
			return
		}
		clock := newClock()
		d, err := Open(filepath.Join(bench.tmp, "d.db"), zap.NewNop(), Options{Now: clock.Now})
		if err != nil {
			bench.err = err
			return
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := fillBench(d); err != nil {
			bench.err = err
			return
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		bench.dir = d
		bench.bytesPerRec = float64(after.HeapAlloc-before.HeapAlloc) / benchListings
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.dir
}

func fillBench(d *Directory) error {
	rng := rand.New(rand.NewPCG(7, 7))
	regions := []string{"eu-west", "eu-central", "us-east", "us-west", "ap-south"}
	const batch = 10_000
	items := make([]Item, 0, batch)
	for i := range benchListings {
		var p common.Address
		for j := range p {
			p[j] = byte(rng.Uint32())
		}
		free := market.Resources{
			CPUMillis:    1000 * rng.Uint64N(64),
			MemoryBytes:  (1 << 30) * rng.Uint64N(256),
			StorageBytes: (1 << 30) * rng.Uint64N(2000),
		}
		total := free
		total.CPUMillis += 4000
		if rng.IntN(5) == 0 {
			total.GPUs, total.GPUModel = 8, []string{"nvidia-a100", "nvidia-h100"}[rng.IntN(2)]
			free.GPUs, free.GPUModel = uint32(rng.IntN(9)), total.GPUModel
		}
		r := &listing.Record{
			Version:    listing.Version2,
			Provider:   p,
			Owner:      testOwner,
			Org:        fmt.Sprintf("org-%d", i%500),
			GatewayURL: fmt.Sprintf("https://via.org-%d.example/gw/%s", i%500, p.Hex()),
			Capacity:   listing.Capacity{Total: total, Free: free},
			Prices: market.Prices{
				CPUMilli:   big.NewInt(int64(1 + rng.IntN(1000))),
				MemoryMiB:  big.NewInt(int64(1 + rng.IntN(1000))),
				StorageGiB: big.NewInt(int64(1 + rng.IntN(1000))),
				GPU:        big.NewInt(int64(1e6 + rng.IntN(1e6))),
			},
			Region:   regions[rng.IntN(len(regions))],
			Labels:   map[string]string{"tier": []string{"gold", "silver", "bronze"}[rng.IntN(3)], "arch": "amd64", "zone": fmt.Sprintf("z%d", rng.IntN(4))},
			Seq:      1,
			IssuedAt: testNow - rng.Int64N(3600),
			Expires:  testNow + 3600 + rng.Int64N(20*3600),
		}
		raw, err := listing.Marshal(r)
		if err != nil {
			return err
		}
		items = append(items, Item{Record: r, Raw: raw})
		if len(items) == batch {
			if _, err := d.PutMany(items); err != nil {
				return err
			}
			items = items[:0]
		}
	}
	if d.Len() != benchListings {
		return fmt.Errorf("directory holds %d listings, want %d", d.Len(), benchListings)
	}
	return nil
}

// BenchmarkQueryTop10 runs top-10 queries over 100k listings and reports
// the p50 and p99 latency of one query in µs.
func BenchmarkQueryTop10(b *testing.B) {
	d := benchDirectory(b)
	req := market.Resources{CPUMillis: 2000, MemoryBytes: 4 << 30, StorageBytes: 20 << 30}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		// Every listing matches and is priced: the worst case.
		{"all-by-price", Query{Limit: 10}},
		{"request-by-price", Query{Request: req, Duration: 3600, Limit: 10}},
		{"request-max-price", Query{Request: req, Duration: 3600, MaxPrice: big.NewInt(3600 * 2_000_000), Limit: 10}},
		{"labels-region-by-price", Query{Request: req, Labels: map[string]string{"tier": "gold", "zone": "z1"}, Region: "eu-west", Limit: 10}},
		{"gpu-by-price", Query{Request: market.Resources{CPUMillis: 1000, GPUs: 2, GPUModel: "nvidia-h100"}, Limit: 10}},
		{"request-by-freshness", Query{Request: req, Sort: SortByFreshness, Limit: 10}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var res Result
			// Measure steady state: finish the collection of the setup's
			// garbage (100k records built) before timing, rather than
			// timing queries against a concurrent mark of it.
			runtime.GC()
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				var err error
				res, err = d.Query(bc.q)
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			us := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
			b.ReportMetric(us(0.50), "p50-µs")
			b.ReportMetric(us(0.99), "p99-µs")
			b.ReportMetric(float64(res.Total), "matches")
		})
	}
}

// BenchmarkMemoryPerListing reports the heap held per listing in the
// 100k-listing directory (records, signed bytes and index).
func BenchmarkMemoryPerListing(b *testing.B) {
	benchDirectory(b)
	for range b.N {
	}
	b.ReportMetric(bench.bytesPerRec, "B/listing")
}
