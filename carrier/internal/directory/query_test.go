package directory

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// queryFixture holds seven providers (numbered as the keys):
//
//	1: 4 cores, prices 1/1/1, eu, tier=gold, issued t
//	2: 2 cores, prices 2/1/1, us, tier=silver, issued t+10
//	3: 8 cores + 2 GPUs a100 at 1000, prices 1/1/1, eu, tier=gold arch=amd64, issued t−10
//	4: a tombstone
//	5: expired (at t+60, the queries' clock)
//	6: 1 core, cpu 1 and nothing else, eu, issued t−20
//	7: as 1 but no labels, issued t+5
func queryFixture(t *testing.T) *testDir {
	t.Helper()
	c := newClock()
	d := open(t, "", c)
	gold := map[string]string{"tier": "gold"}
	d.putRec(t, 1, func(r *listing.Record) { r.Labels = gold })
	d.putRec(t, 2, func(r *listing.Record) {
		r.Capacity.Free.CPUMillis = 2000
		r.Prices.CPUMilli = big.NewInt(2)
		r.Region, r.Labels, r.IssuedAt = "us", map[string]string{"tier": "silver"}, testNow+10
	})
	d.putRec(t, 3, func(r *listing.Record) {
		r.Capacity.Total.CPUMillis, r.Capacity.Free.CPUMillis = 8000, 8000
		r.Capacity.Total.GPUs, r.Capacity.Free.GPUs = 2, 2
		r.Capacity.Total.GPUModel, r.Capacity.Free.GPUModel = "a100", "a100"
		r.Prices.GPU = big.NewInt(1000)
		r.Labels, r.IssuedAt = map[string]string{"tier": "gold", "arch": "amd64"}, testNow-10
	})
	d.putRec(t, 4, func(r *listing.Record) { r.Tombstone, r.Labels = true, gold })
	d.putRec(t, 5, func(r *listing.Record) { r.Expires = testNow + 60; r.Labels = gold })
	d.putRec(t, 6, func(r *listing.Record) {
		r.Capacity.Free.CPUMillis = 1000
		r.Prices = market.Prices{CPUMilli: big.NewInt(1)}
		r.IssuedAt = testNow - 20
	})
	d.putRec(t, 7, func(r *listing.Record) { r.IssuedAt = testNow + 5 })
	c.Set(testNow + 60)
	return d
}

func TestQuery(t *testing.T) {
	d := queryFixture(t)
	small := market.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30}
	tests := []struct {
		name  string
		q     Query
		want  []int // providers, in order
		total int
	}{
		{"all by price", Query{Request: small}, []int{6, 7, 1, 3, 2}, 5},
		{"all by freshness", Query{Request: small, Sort: SortByFreshness}, []int{2, 7, 1, 3, 6}, 5},
		{"empty request by price ranks by freshness", Query{}, []int{2, 7, 1, 3, 6}, 5},
		{"min cpu", Query{Request: market.Resources{CPUMillis: 3000, MemoryBytes: 1 << 30}}, []int{7, 1, 3}, 3},
		{"min memory", Query{Request: market.Resources{MemoryBytes: 8<<30 + 1}}, nil, 0},
		{"min storage (6 charges nothing for it)", Query{Request: market.Resources{StorageBytes: 100 << 30}}, []int{6, 2, 7, 1, 3}, 5},
		{"too much storage", Query{Request: market.Resources{StorageBytes: 100<<30 + 1}}, nil, 0},
		{"gpu", Query{Request: market.Resources{GPUs: 1}}, []int{3}, 1},
		{"gpu model", Query{Request: market.Resources{GPUs: 2, GPUModel: "a100"}}, []int{3}, 1},
		{"other gpu model", Query{Request: market.Resources{GPUs: 1, GPUModel: "h100"}}, nil, 0},
		{"too many gpus", Query{Request: market.Resources{GPUs: 3}}, nil, 0},
		{"label", Query{Request: small, Labels: map[string]string{"tier": "gold"}}, []int{1, 3}, 2},
		{"labels all match", Query{Request: small, Labels: map[string]string{"tier": "gold", "arch": "amd64"}}, []int{3}, 1},
		{"label value differs", Query{Labels: map[string]string{"tier": "bronze"}}, nil, 0},
		{"region", Query{Request: small, Region: "us"}, []int{2}, 1},
		{"max price inclusive", Query{Request: small, Duration: 10, MaxPrice: big.NewInt(20240)}, []int{6, 7, 1, 3}, 4},
		{"max price", Query{Request: small, Duration: 10, MaxPrice: big.NewInt(20239)}, []int{6}, 1},
		{"max price above any rate", Query{Request: small, Duration: 1, MaxPrice: new(big.Int).Lsh(big.NewInt(1), 300)}, []int{6, 7, 1, 3, 2}, 5},
		{"page", Query{Request: small, Offset: 1, Limit: 2}, []int{7, 1}, 5},
		{"last page", Query{Request: small, Offset: 4, Limit: 2}, []int{2}, 5},
		{"past the end", Query{Request: small, Offset: 10}, nil, 5},
		{"freshness page", Query{Sort: SortByFreshness, Offset: 2, Limit: 2}, []int{1, 3}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := d.Query(tt.q)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			var got []int
			for _, m := range res.Listings {
				got = append(got, providerIndex(t, m.Record.Provider))
			}
			if !reflect.DeepEqual(got, tt.want) || res.Total != tt.total {
				t.Errorf("got %v (total %d), want %v (total %d)", got, res.Total, tt.want, tt.total)
			}
			if ex, err := d.Explain(tt.q); err != nil || ex.Matched != res.Total {
				t.Errorf("Explain matched %d (%v), Query total %d", ex.Matched, err, res.Total)
			}
			for _, m := range res.Listings {
				dur := max(tt.q.Duration, 1)
				if want := m.Record.Prices.Cost(tt.q.Request, dur); m.Cost.Cmp(want) != 0 || m.Hash == ([32]byte{}) {
					t.Errorf("match %d: cost %s, want %s", providerIndex(t, m.Record.Provider), m.Cost, want)
				}
			}
		})
	}
}

func providerIndex(t *testing.T, a common.Address) int {
	for i := range 10 {
		if addr(t, i) == a {
			return i
		}
	}
	t.Fatalf("unknown provider %s", a)
	return -1
}

func TestQueryRates(t *testing.T) {
	d := queryFixture(t)
	res, err := d.Query(Query{Request: market.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30}, Duration: 10, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Listings[0]; m.Rate.Int64() != 1000 || m.Cost.Int64() != 10000 {
		t.Errorf("cheapest: rate %s cost %s, want 1000 and 10000", m.Rate, m.Cost)
	}
}

func TestQueryInvalid(t *testing.T) {
	d := queryFixture(t)
	for name, q := range map[string]Query{
		"limit over max":         {Limit: MaxLimit + 1},
		"negative limit":         {Limit: -1},
		"negative offset":        {Offset: -1},
		"offset over max":        {Offset: MaxOffset + 1},
		"max price, no duration": {MaxPrice: big.NewInt(1)},
		"negative max price":     {MaxPrice: big.NewInt(-1), Duration: 1},
		"duration over max":      {Duration: market.MaxDuration + 1},
		"unknown sort":           {Sort: 7},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := d.Query(q); !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("Query = %v, want ErrInvalidQuery", err)
			}
			if _, err := d.Explain(q); !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("Explain = %v, want ErrInvalidQuery", err)
			}
		})
	}
	res, err := d.Query(Query{Limit: MaxLimit})
	if err != nil || len(res.Listings) != 5 {
		t.Errorf("Query at MaxLimit: %d listings, %v", len(res.Listings), err)
	}
}

func TestExplain(t *testing.T) {
	d := queryFixture(t)
	q := Query{
		Request:  market.Resources{CPUMillis: 3000, GPUs: 1},
		Labels:   map[string]string{"tier": "gold"},
		Duration: 3600,
		MaxPrice: big.NewInt(3600 * (3000 + 1000)),
	}
	ex, err := d.Explain(q)
	if err != nil {
		t.Fatal(err)
	}
	want := Explanation{Matched: 1, Excluded: map[string]int{
		ReasonInsufficientGPU: 4, // 1, 2, 6, 7
		ReasonInsufficientCPU: 2, // 2, 6
		ReasonLabelMismatch:   3, // 2, 6, 7
		ReasonWithdrawn:       1, // 4
		ReasonExpired:         1, // 5
		ReasonPriceAboveMax:   1, // 2 (cpu at 2)
	}}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("Explain = %+v, want %+v", ex, want)
	}
	tests := []struct {
		provider common.Address
		want     []string
	}{
		{addr(t, 2), []string{ReasonInsufficientCPU, ReasonInsufficientGPU, ReasonLabelMismatch, ReasonPriceAboveMax}},
		{addr(t, 3), nil},
		{addr(t, 4), []string{ReasonWithdrawn}},
		{addr(t, 5), []string{ReasonExpired}},
		{common.Address{0x99}, []string{ReasonNotFound}},
	}
	for _, tt := range tests {
		got, err := d.Why(q, tt.provider)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Why(%s) = %v, %v; want %v", tt.provider, got, err, tt.want)
		}
	}
	// Cheaper maximum: provider 3 now costs too much, with its other reasons.
	q.MaxPrice = big.NewInt(3600*(3000+1000) - 1)
	if got, _ := d.Why(q, addr(t, 3)); !reflect.DeepEqual(got, []string{ReasonPriceAboveMax}) {
		t.Errorf("Why(3) under a lower maximum = %v", got)
	}
	q.Region = "us"
	if got, _ := d.Why(q, addr(t, 1)); !reflect.DeepEqual(got, []string{ReasonInsufficientGPU, ReasonRegionMismatch}) {
		t.Errorf("Why(1) = %v", got)
	}
	q.Request.GPUModel = "h100"
	if got, _ := d.Why(q, addr(t, 3)); !reflect.DeepEqual(got, []string{ReasonGPUModelMismatch, ReasonRegionMismatch, ReasonPriceAboveMax}) {
		t.Errorf("Why(3) = %v", got)
	}
}

// TestRateMatchesListing checks the directory's fixed-width rate against
// market.Prices.Rate (big.Int, itself checked against the Market) on
// random inputs up to the widest prices and quantities.
func TestRateMatchesListing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randInt := func(bits int) *big.Int {
		n := new(big.Int)
		for range 4 {
			n.Lsh(n, 32).Or(n, big.NewInt(int64(rng.Uint32())))
		}
		return n.Rsh(n, uint(128-rng.IntN(bits+1)))
	}
	for i := range 2000 {
		p := market.Prices{CPUMilli: randInt(128), MemoryMiB: randInt(128), StorageGiB: randInt(128), GPU: randInt(128)}
		if i%3 == 0 {
			p.GPU = nil
		}
		req := market.Resources{CPUMillis: rng.Uint64(), MemoryBytes: rng.Uint64(), StorageBytes: rng.Uint64(), GPUs: rng.Uint32()}
		if i%2 == 0 {
			req = market.Resources{CPUMillis: rng.Uint64N(1e5), MemoryBytes: rng.Uint64N(1 << 40), GPUs: rng.Uint32N(8)}
		}
		r := &listing.Record{Prices: p, Capacity: listing.Capacity{}}
		s := newSlot(&entry{rec: r})
		c, err := (&Directory{now: newClock().Now}).compile(Query{Request: req})
		if err != nil {
			t.Fatal(err)
		}
		got := c.rate(&s)
		if want := p.Rate(req); got.big().Cmp(want) != 0 {
			t.Fatalf("rate of %+v at %+v = %s, want %s", req, p, got.big(), want)
		}
	}
}

// TestQueryLabelsInlineAndFallback: labels are matched exactly on the
// interned set held beside the slot (up to inlineLabels) and on the
// record beyond it; removing a slot keeps the sets aligned with the slots.
func TestQueryLabelsInlineAndFallback(t *testing.T) {
	c := newClock()
	d := open(t, "", c)
	many := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "tier": "gold"}
	if len(many) <= inlineLabels {
		t.Fatal("fixture must exceed the inline label set")
	}
	d.putRec(t, 1, func(r *listing.Record) {
		r.Labels = map[string]string{"tier": "gold", "zone": "z1"}
		r.Expires = testNow + 30
	})
	d.putRec(t, 2, func(r *listing.Record) { r.Labels = many })
	d.putRec(t, 3, func(r *listing.Record) { r.Labels = map[string]string{"tier": "silver", "zone": "z1"} })
	d.putRec(t, 4, func(r *listing.Record) { r.Labels = map[string]string{"tier": "bronze"} })
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   []int
	}{
		{"inline and fallback both match", map[string]string{"tier": "gold"}, []int{1, 2}},
		{"two labels inline", map[string]string{"tier": "gold", "zone": "z1"}, []int{1}},
		{"fallback only", map[string]string{"e": "5", "a": "1"}, []int{2}},
		{"value differs", map[string]string{"zone": "z2"}, nil},
		{"key absent", map[string]string{"arch": "amd64"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := d.Query(Query{Labels: tc.labels, Sort: SortByFreshness, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := providersOf(t, res); !sameSet(got, tc.want) {
				t.Errorf("labels %v: providers %v, want %v", tc.labels, got, tc.want)
			}
		})
	}
	// Provider 1 (the first slot) expires and is swept: the last slot
	// (provider 4) moves into its place, and its labels must move with it.
	c.Set(testNow + 60)
	if n, err := d.Sweep(time.Unix(testNow+60, 0)); err != nil || n != 1 {
		t.Fatalf("sweep removed %d (%v), want 1", n, err)
	}
	for labels, want := range map[string][]int{"gold": {2}, "silver": {3}, "bronze": {4}} {
		res, err := d.Query(Query{Labels: map[string]string{"tier": labels}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := providersOf(t, res); !sameSet(got, want) {
			t.Errorf("after a sweep, tier=%s: providers %v, want %v", labels, got, want)
		}
	}
}

// providersOf lists the fixture numbers of a result's providers.
func providersOf(t *testing.T, res Result) []int {
	var got []int
	for _, m := range res.Listings {
		got = append(got, providerIndex(t, m.Record.Provider))
	}
	return got
}

// sameSet reports whether a and b hold the same numbers, in any order.
func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		if seen[x]--; seen[x] < 0 {
			return false
		}
	}
	return true
}
