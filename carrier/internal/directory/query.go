package directory

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"sort"
	"sync"
	"unique"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// Query limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
	MaxOffset    = 1 << 20
)

// ErrInvalidQuery is wrapped by the errors of Query, Explain and Why for a
// query that cannot be run.
var ErrInvalidQuery = errors.New("invalid directory query")

// SortOrder orders query results.
type SortOrder int

const (
	// SortByPrice ranks by the cost of Request (cheapest first), then by
	// freshness, then by provider address.
	SortByPrice SortOrder = iota
	// SortByFreshness ranks by IssuedAt (newest first), then by provider
	// address.
	SortByFreshness
)

// Query selects listings. Tombstones and expired records never match.
type Query struct {
	// Request is the minimum free capacity a listing must have. A non-empty
	// GPUModel must equal the listing's.
	Request market.Resources
	// Duration is the order length in seconds, 1 to market.MaxDuration:
	// MaxPrice and the reported Cost are for Request over Duration. Zero is
	// one second, and is not allowed with MaxPrice.
	Duration uint64
	// MaxPrice, if not nil, is the most Request may cost over Duration, in
	// token base units (market.Prices.Cost).
	MaxPrice *big.Int
	// Labels must all be present with these values.
	Labels map[string]string
	// Region, if not empty, must equal the listing's.
	Region string
	Sort   SortOrder
	// Offset and Limit page through the sorted matches; Limit 0 is
	// DefaultLimit, at most MaxLimit.
	Offset, Limit int
}

// Match is one listing in a result.
type Match struct {
	// Record must not be modified.
	Record *listing.Record
	Hash   [32]byte
	// Rate is Request's price per second at the listing's prices; Cost is
	// Rate × Duration, what the Market would escrow.
	Rate, Cost *big.Int
}

// Result is a page of matches.
type Result struct {
	// Total is the number of matching listings, on all pages.
	Total    int
	Listings []Match
}

// Exclusion reasons: why a listing does not match a query.
const (
	ReasonNotFound            = "not_found"
	ReasonWithdrawn           = "withdrawn"
	ReasonExpired             = "expired"
	ReasonInsufficientCPU     = "insufficient_cpu"
	ReasonInsufficientMemory  = "insufficient_memory"
	ReasonInsufficientStorage = "insufficient_storage"
	ReasonInsufficientGPU     = "insufficient_gpu"
	ReasonGPUModelMismatch    = "gpu_model_mismatch"
	ReasonRegionMismatch      = "region_mismatch"
	ReasonLabelMismatch       = "label_mismatch"
	ReasonPriceAboveMax       = "price_above_max"
)

// reasonBits lists the reasons in mask bit order (ReasonNotFound has none).
var reasonBits = [...]string{
	ReasonWithdrawn, ReasonExpired, ReasonInsufficientCPU, ReasonInsufficientMemory,
	ReasonInsufficientStorage, ReasonInsufficientGPU, ReasonGPUModelMismatch,
	ReasonRegionMismatch, ReasonLabelMismatch, ReasonPriceAboveMax,
}

const (
	exWithdrawn uint16 = 1 << iota
	exExpired
	exCPU
	exMemory
	exStorage
	exGPU
	exGPUModel
	exRegion
	exLabels
	exPrice
)

func reasonList(mask uint16) []string {
	var out []string
	for i, r := range reasonBits {
		if mask&(1<<i) != 0 {
			out = append(out, r)
		}
	}
	return out
}

// compiled is a validated query with its constants precomputed.
type compiled struct {
	q        Query
	now      int64
	qty      [4]uint64 // cpuMillis, MiB, GiB, gpus billed
	needRate bool
	hasMax   bool
	maxRate  u256 // the highest rate within MaxPrice: floor(MaxPrice / Duration)
	duration uint64
	limit    int
	// the string criteria, interned as the slots' are; labels as a bloom
	// mask, confirmed on the record
	modelSet, regionSet bool
	model, region       unique.Handle[string]
	labelBits           uint64
	wantLabels          []unique.Handle[labelPair]
}

func (d *Directory) compile(q Query) (*compiled, error) {
	c := &compiled{q: q, now: d.now().Unix(), duration: q.Duration, limit: q.Limit}
	switch {
	case q.Offset < 0 || q.Limit < 0:
		return nil, fmt.Errorf("%w: negative offset or limit", ErrInvalidQuery)
	case q.Offset > MaxOffset:
		return nil, fmt.Errorf("%w: offset %d, max %d", ErrInvalidQuery, q.Offset, MaxOffset)
	case q.Limit > MaxLimit:
		return nil, fmt.Errorf("%w: limit %d, max %d", ErrInvalidQuery, q.Limit, MaxLimit)
	case q.Duration > market.MaxDuration:
		return nil, fmt.Errorf("%w: duration %ds, max %ds", ErrInvalidQuery, q.Duration, market.MaxDuration)
	case q.MaxPrice != nil && q.Duration == 0:
		return nil, fmt.Errorf("%w: a maximum price needs a duration", ErrInvalidQuery)
	case q.MaxPrice != nil && q.MaxPrice.Sign() < 0:
		return nil, fmt.Errorf("%w: negative maximum price", ErrInvalidQuery)
	case q.Sort != SortByPrice && q.Sort != SortByFreshness:
		return nil, fmt.Errorf("%w: unknown sort order %d", ErrInvalidQuery, q.Sort)
	}
	if c.limit == 0 {
		c.limit = DefaultLimit
	}
	if c.duration == 0 {
		c.duration = 1
	}
	c.qty = [4]uint64{
		q.Request.CPUMillis,
		(q.Request.MemoryBytes-1)/market.MiB + 1, // ceil, as the Market; fixed below for 0
		(q.Request.StorageBytes-1)/market.GiB + 1,
		uint64(q.Request.GPUs),
	}
	if q.Request.MemoryBytes == 0 {
		c.qty[1] = 0
	}
	if q.Request.StorageBytes == 0 {
		c.qty[2] = 0
	}
	if q.MaxPrice != nil {
		c.hasMax = true
		m := new(big.Int).Quo(q.MaxPrice, new(big.Int).SetUint64(q.Duration))
		var ok bool
		if c.maxRate, ok = u256Of(m); !ok {
			c.hasMax = false // above any possible rate
		}
	}
	c.needRate = c.hasMax || q.Sort == SortByPrice
	c.modelSet, c.model = q.Request.GPUModel != "", unique.Make(q.Request.GPUModel)
	c.regionSet, c.region = q.Region != "", unique.Make(q.Region)
	for k, v := range q.Labels {
		c.labelBits |= labelBit(k, v)
		c.wantLabels = append(c.wantLabels, unique.Make(labelPair{k, v}))
	}
	return c, nil
}

func (c *compiled) rate(s *slot) u256 {
	var r u256
	if s.widePrices {
		p := &s.e.rec.Prices
		for i, price := range []*big.Int{p.CPUMilli, p.MemoryMiB, p.StorageGiB, p.GPU} {
			if c.qty[i] != 0 {
				r.mulAdd(c.qty[i], u128Of(price))
			}
		}
		return r
	}
	// Four 64×64-bit products: the sum is below 2^130.
	var lo, mid, hi, carry uint64
	for i, q := range c.qty {
		h, l := bits.Mul64(q, s.prices[i])
		lo, carry = bits.Add64(lo, l, 0)
		mid, carry = bits.Add64(mid, h, carry)
		hi += carry
	}
	return u256{w0: lo, w1: mid, w2: hi}
}

// matches is reasons(s) == 0, for the scan: the cheap checks first, and
// the string criteria by hash, confirmed on the record (a pointer away,
// likely a cache miss) only for what passes everything else.
func (c *compiled) matches(s *slot, ls *labelSet) (ok bool, rate u256) {
	q := &c.q
	if s.tombstone || s.expires <= c.now || s.cpu < q.Request.CPUMillis || s.mem < q.Request.MemoryBytes ||
		s.storage < q.Request.StorageBytes || s.gpus < q.Request.GPUs ||
		c.modelSet && s.model != c.model || c.regionSet && s.region != c.region ||
		s.labelBits&c.labelBits != c.labelBits {
		return false, rate
	}
	if c.needRate {
		rate = c.rate(s)
		if c.hasMax && rate.cmp(c.maxRate) > 0 {
			return false, rate
		}
	}
	if c.labelBits != 0 && !c.labelsMatch(s, ls) {
		return false, rate
	}
	return true, rate
}

// labelsMatch reports whether the slot has every wanted label.
func (c *compiled) labelsMatch(s *slot, ls *labelSet) bool {
	if ls.n > inlineLabels {
		return labelsMatch(s.e.rec.Labels, c.q.Labels)
	}
	for _, w := range c.wantLabels {
		found := false
		for _, h := range ls.pairs[:ls.n] {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func labelsMatch(have, want map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// reasons returns every reason s does not match (zero if it does); matches
// is its fast equivalent for the scan.
func (c *compiled) reasons(s *slot) (mask uint16) {
	q := &c.q
	// A withdrawn or expired record is not a listing: no other reason is
	// worth reporting for it.
	if s.tombstone {
		return exWithdrawn
	}
	if s.expires <= c.now {
		return exExpired
	}
	set := func(cond bool, bit uint16) {
		if cond {
			mask |= bit
		}
	}
	rec := s.e.rec
	set(s.cpu < q.Request.CPUMillis, exCPU)
	set(s.mem < q.Request.MemoryBytes, exMemory)
	set(s.storage < q.Request.StorageBytes, exStorage)
	set(s.gpus < q.Request.GPUs, exGPU)
	set(q.Request.GPUModel != "" && rec.Capacity.Free.GPUModel != q.Request.GPUModel, exGPUModel)
	set(q.Region != "" && rec.Region != q.Region, exRegion)
	set(len(q.Labels) > 0 && !labelsMatch(rec.Labels, q.Labels), exLabels)
	if c.hasMax {
		rate := c.rate(s)
		set(rate.cmp(c.maxRate) > 0, exPrice)
	}
	return mask
}

// candidate is a match in the top-k heap.
type candidate struct {
	rate     u256
	issuedAt int64
	slot     int32
}

// worse reports whether a ranks after b.
func (d *Directory) worse(sortBy SortOrder, a, b *candidate) bool {
	if sortBy == SortByPrice {
		if c := a.rate.cmp(b.rate); c != 0 {
			return c > 0
		}
	}
	if a.issuedAt != b.issuedAt {
		return a.issuedAt < b.issuedAt
	}
	pa, pb := d.slots[a.slot].provider(), d.slots[b.slot].provider()
	return bytes.Compare(pa[:], pb[:]) > 0
}

var heapPool = sync.Pool{New: func() any { s := make([]candidate, 0, 64); return &s }}

// Query returns the page of listings matching q, ranked. It reads memory
// only.
func (d *Directory) Query(q Query) (Result, error) {
	c, err := d.compile(q)
	if err != nil {
		return Result{}, err
	}
	k := q.Offset + c.limit
	hp := heapPool.Get().(*[]candidate)
	defer heapPool.Put(hp)

	d.mu.RLock()
	defer d.mu.RUnlock()
	h, total := d.scan(c, k, (*hp)[:0])
	*hp = h[:0]
	sort.Slice(h, func(i, j int) bool { return d.worse(q.Sort, &h[j], &h[i]) })
	res := Result{Total: total}
	if q.Offset < len(h) {
		page := h[q.Offset:]
		res.Listings = make([]Match, len(page))
		dur := new(big.Int).SetUint64(c.duration)
		for i, cand := range page {
			e := d.slots[cand.slot].e
			rate := e.rec.Prices.Rate(q.Request)
			res.Listings[i] = Match{Record: e.rec, Hash: e.hash, Rate: rate, Cost: new(big.Int).Mul(rate, dur)}
		}
	}
	return res, nil
}

// scan collects the k best matches of c in the max-heap h (its root is the
// worst kept) and counts all matches.
func (d *Directory) scan(c *compiled, k int, h []candidate) ([]candidate, int) {
	byPrice := c.q.Sort == SortByPrice
	total := 0
	for i := range d.slots {
		s := &d.slots[i]
		ok, rate := c.matches(s, &d.labels[i])
		if !ok {
			continue
		}
		total++
		if len(h) == k {
			// Most matches rank after the root: reject them inline.
			root := &h[0]
			if byPrice {
				if r := rate.cmp(root.rate); r > 0 || r == 0 && s.issuedAt < root.issuedAt {
					continue
				}
			} else if s.issuedAt < root.issuedAt {
				continue
			}
		}
		cand := candidate{rate: rate, issuedAt: s.issuedAt, slot: int32(i)}
		if len(h) < k {
			h = append(h, cand)
			d.siftUp(c.q.Sort, h, len(h)-1)
		} else if d.worse(c.q.Sort, &h[0], &cand) {
			h[0] = cand
			d.siftDown(c.q.Sort, h, 0)
		}
	}
	return h, total
}

func (d *Directory) siftUp(by SortOrder, h []candidate, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !d.worse(by, &h[i], &h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (d *Directory) siftDown(by SortOrder, h []candidate, i int) {
	for {
		w := i
		if l := 2*i + 1; l < len(h) && d.worse(by, &h[l], &h[w]) {
			w = l
		}
		if r := 2*i + 2; r < len(h) && d.worse(by, &h[r], &h[w]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// Explanation summarises why listings do not match a query.
type Explanation struct {
	// Matched is the number of matching listings (Result.Total).
	Matched int
	// Excluded counts the other records by reason; a record failing
	// several criteria counts under each.
	Excluded map[string]int
}

// Explain runs q over every record held and counts the reasons for
// excluding each, for a scheduler or operator asking "why nothing?".
func (d *Directory) Explain(q Query) (Explanation, error) {
	c, err := d.compile(q)
	if err != nil {
		return Explanation{}, err
	}
	ex := Explanation{Excluded: map[string]int{}}
	d.mu.RLock()
	defer d.mu.RUnlock()
	for i := range d.slots {
		mask := c.reasons(&d.slots[i])
		if mask == 0 {
			ex.Matched++
			continue
		}
		for _, r := range reasonList(mask) {
			ex.Excluded[r]++
		}
	}
	return ex, nil
}

// Why returns every reason provider's record does not match q, nil if it
// matches, or [ReasonNotFound] if no record of provider is held.
func (d *Directory) Why(q Query, provider common.Address) ([]string, error) {
	c, err := d.compile(q)
	if err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.index[provider]
	if !ok {
		return []string{ReasonNotFound}, nil
	}
	return reasonList(c.reasons(&d.slots[i])), nil
}
