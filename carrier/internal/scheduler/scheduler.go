package scheduler

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// Directory is what the scheduler reads of the network directory;
// *directory.Directory is the real one.
type Directory interface {
	Query(q directory.Query) (directory.Result, error)
	Explain(q directory.Query) (directory.Explanation, error)
	Why(q directory.Query, provider common.Address) ([]string, error)
	Get(provider common.Address) (*listing.Record, bool)
}

var _ Directory = (*directory.Directory)(nil)

// ErrInvalidRequest is wrapped by the errors of a request that cannot be
// matched as stated.
var ErrInvalidRequest = errors.New("invalid request")

// Limits of a request.
const (
	DefaultCandidates = 10
	MaxCandidates     = 100
	// MaxExcluded bounds the excluded providers listed one by one; the
	// counts by reason cover all of them.
	MaxExcluded = 100
)

// Request is what a buyer asks for.
type Request struct {
	Resources market.Resources
	// Duration is in seconds, 1 to market.MaxDuration.
	Duration uint64
	// MaxPrice, if set, bounds the cost over Duration in token base units.
	MaxPrice *big.Int
	Labels   map[string]string
	Region   string
	// Limit is the number of candidates; 0 is DefaultCandidates.
	Limit int
}

// Validate reports the first problem with r.
func (r Request) Validate() error {
	res := r.Resources
	switch {
	case r.Duration == 0:
		return fmt.Errorf("%w: duration must be at least 1 second", ErrInvalidRequest)
	case r.Duration > market.MaxDuration:
		return fmt.Errorf("%w: duration %d s over the Market's maximum %d s", ErrInvalidRequest, r.Duration, market.MaxDuration)
	case res.CPUMillis == 0 && res.MemoryBytes == 0 && res.StorageBytes == 0 && res.GPUs == 0:
		return fmt.Errorf("%w: no resources requested", ErrInvalidRequest)
	case r.MaxPrice != nil && r.MaxPrice.Sign() <= 0:
		return fmt.Errorf("%w: max price must be positive", ErrInvalidRequest)
	case res.GPUModel != "" && res.GPUs == 0:
		return fmt.Errorf("%w: a GPU model without GPUs", ErrInvalidRequest)
	case r.Limit < 0 || r.Limit > MaxCandidates:
		return fmt.Errorf("%w: limit %d, want 0 to %d", ErrInvalidRequest, r.Limit, MaxCandidates)
	case len(r.Labels) > listing.MaxLabels:
		return fmt.Errorf("%w: %d labels, max %d", ErrInvalidRequest, len(r.Labels), listing.MaxLabels)
	}
	return nil
}

// Candidate is a provider that fits, with what the order would cost.
type Candidate struct {
	Provider common.Address `json:"provider"`
	// Owner is the owner the listing names: the payee an order must
	// have (CheckOwners compares it with the chain's).
	Owner      common.Address    `json:"owner"`
	Org        string            `json:"org"`
	GatewayURL string            `json:"gatewayUrl"`
	Region     string            `json:"region,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	// Rate is the price per second of the request; Cost is Rate ×
	// Duration, what the Market escrows at the listed prices.
	Rate *big.Int         `json:"rate"`
	Cost *big.Int         `json:"cost"`
	Free market.Resources `json:"free"`
	Seq  uint64           `json:"seq"`
	// Prices are the listing's unit prices.
	Prices market.Prices `json:"-"`
}

// MarshalJSON keeps the wire of /v1/match as it was before pkg/market:
// "free" has the Go field names (CPUMillis, …, GPUModel always present),
// not market.Resources' camelCase JSON. Decoding needs no counterpart:
// encoding/json matches keys case-insensitively.
func (c Candidate) MarshalJSON() ([]byte, error) {
	type freeJSON struct {
		CPUMillis    uint64
		MemoryBytes  uint64
		StorageBytes uint64
		GPUs         uint32
		GPUModel     string
	}
	return json.Marshal(struct {
		Provider   common.Address    `json:"provider"`
		Owner      common.Address    `json:"owner"`
		Org        string            `json:"org"`
		GatewayURL string            `json:"gatewayUrl"`
		Region     string            `json:"region,omitempty"`
		Labels     map[string]string `json:"labels,omitempty"`
		Rate       *big.Int          `json:"rate"`
		Cost       *big.Int          `json:"cost"`
		Free       freeJSON          `json:"free"`
		Seq        uint64            `json:"seq"`
	}{c.Provider, c.Owner, c.Org, c.GatewayURL, c.Region, c.Labels, c.Rate, c.Cost, freeJSON(c.Free), c.Seq})
}

// Excluded is a provider that does not fit, and why.
type Excluded struct {
	Provider common.Address `json:"provider"`
	Org      string         `json:"org"`
	Reasons  []string       `json:"reasons"`
}

// Result answers a request: the candidates, best first, and the rest.
type Result struct {
	Candidates []Candidate `json:"candidates"`
	// Matched counts all fitting listings (Candidates may be fewer).
	Matched int `json:"matched"`
	// Excluded lists up to MaxExcluded other providers with their reasons;
	// ExcludedByReason counts all of them (expired records included) by
	// reason.
	Excluded         []Excluded     `json:"excluded"`
	ExcludedByReason map[string]int `json:"excludedByReason"`
}

// Scheduler ranks directory listings for requests.
type Scheduler struct {
	dir Directory
}

// New returns a scheduler over dir.
func New(dir Directory) *Scheduler { return &Scheduler{dir: dir} }

func (r Request) query(limit int) directory.Query {
	return directory.Query{
		Request: r.Resources, Duration: r.Duration, MaxPrice: r.MaxPrice,
		Labels: r.Labels, Region: r.Region, Sort: directory.SortByPrice, Limit: limit,
	}
}

// Match ranks the fitting providers by cost (then freshness) and explains
// the others.
func (s *Scheduler) Match(r Request) (Result, error) {
	if err := r.Validate(); err != nil {
		return Result{}, err
	}
	limit := r.Limit
	if limit == 0 {
		limit = DefaultCandidates
	}
	q := r.query(limit)
	res, err := s.dir.Query(q)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	out := Result{Matched: res.Total, Candidates: make([]Candidate, 0, len(res.Listings))}
	for _, m := range res.Listings {
		out.Candidates = append(out.Candidates, candidate(m))
	}
	ex, err := s.dir.Explain(q)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	out.ExcludedByReason = ex.Excluded
	out.Excluded, err = s.excluded(q)
	if err != nil {
		return Result{}, err
	}
	return out, nil
}

// excluded lists live listings that do not match q, with their reasons.
func (s *Scheduler) excluded(q directory.Query) ([]Excluded, error) {
	all, err := s.dir.Query(directory.Query{Duration: 1, Limit: directory.MaxLimit, Sort: directory.SortByFreshness})
	if err != nil {
		return nil, fmt.Errorf("listing the directory: %w", err)
	}
	out := []Excluded{}
	for _, m := range all.Listings {
		why, err := s.dir.Why(q, m.Record.Provider)
		if err != nil {
			return nil, fmt.Errorf("explaining %s: %w", m.Record.Provider, err)
		}
		if len(why) == 0 {
			continue
		}
		out = append(out, Excluded{Provider: m.Record.Provider, Org: m.Record.Org, Reasons: why})
		if len(out) == MaxExcluded {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider.Cmp(out[j].Provider) < 0 })
	return out, nil
}

// Choose returns provider as a candidate for r if its listing fits, an
// error wrapping ErrUnknownProvider if the directory holds no live listing
// of it, or ErrNotFit with the reasons.
func (s *Scheduler) Choose(r Request, provider common.Address) (Candidate, error) {
	if err := r.Validate(); err != nil {
		return Candidate{}, err
	}
	q := r.query(0)
	why, err := s.dir.Why(q, provider)
	if err != nil {
		return Candidate{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	if len(why) == 1 && why[0] == directory.ReasonNotFound {
		return Candidate{}, fmt.Errorf("%w %s: no listing of it in the directory", ErrUnknownProvider, provider)
	}
	if len(why) > 0 {
		return Candidate{}, &NotFitError{Provider: provider, Reasons: why}
	}
	// It fits: find it among the matches for its cost. The directory ranks
	// by price; a page of MaxLimit is scanned at most.
	res, err := s.dir.Query(directory.Query{
		Request: q.Request, Duration: q.Duration, MaxPrice: q.MaxPrice, Labels: q.Labels, Region: q.Region,
		Sort: directory.SortByPrice, Limit: directory.MaxLimit,
	})
	if err != nil {
		return Candidate{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	for _, m := range res.Listings {
		if m.Record.Provider == provider {
			return candidate(m), nil
		}
	}
	return Candidate{}, fmt.Errorf("%w %s: its listing fits but ranks past the first %d", ErrUnknownProvider, provider, directory.MaxLimit)
}

// Listing returns the unexpired record held for provider (a tombstone
// included).
func (s *Scheduler) Listing(provider common.Address) (*listing.Record, bool) {
	return s.dir.Get(provider)
}

// ErrUnknownProvider: the directory has no live listing of the provider.
var ErrUnknownProvider = errors.New("unknown provider")

// NotFitError says why a chosen provider does not fit.
type NotFitError struct {
	Provider common.Address
	Reasons  []string
}

func (e *NotFitError) Error() string {
	return fmt.Sprintf("provider %s does not fit the request: %v", e.Provider, e.Reasons)
}

// Is makes a NotFitError an ErrInvalidRequest.
func (e *NotFitError) Is(target error) bool { return target == ErrInvalidRequest }

func candidate(m directory.Match) Candidate {
	r := m.Record
	return Candidate{
		Provider: r.Provider, Owner: r.Owner, Org: r.Org, GatewayURL: r.GatewayURL, Region: r.Region, Labels: r.Labels,
		Rate: m.Rate, Cost: m.Cost, Free: r.Capacity.Free, Seq: r.Seq, Prices: r.Prices,
	}
}
