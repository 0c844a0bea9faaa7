package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/listing"
)

// Sources of records, the values of the source label.
const (
	SourceGossip = "gossip"
	SourceSync   = "sync"
	SourceAPI    = "api"
)

// Results beyond listing.Reason's labels.
const (
	// ResultAccepted: verified and stored.
	ResultAccepted = "accepted"
	// ResultDuplicate: the exact record held already; not an offence.
	ResultDuplicate = "duplicate"
)

// ErrDuplicate is returned by Verify for the exact bytes already held.
var ErrDuplicate = errors.New("record already held")

// Store is what ingest needs of the directory.
type Store interface {
	HeldSeq(provider common.Address) (uint64, bool)
	Raw(provider common.Address) ([]byte, bool)
	PutMany(items []directory.Item) ([]bool, error)
}

// Ingest verifies records and stores them. It is safe for concurrent use.
type Ingest struct {
	verifier *listing.Verifier
	store    Store
	workers  int
	records  *prometheus.CounterVec
}

// New returns an Ingest that verifies with v and stores into store; its
// counter gridnode_p2p_records_total is registered with reg (if not nil).
func New(v *listing.Verifier, store Store, reg prometheus.Registerer) (*Ingest, error) {
	if v == nil || v.Registry == nil || store == nil {
		return nil, errors.New("ingest: a verifier with a registry and a store are required")
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gridnode_p2p_records_total",
		Help: "Listing records received, by source (gossip, sync, api) and result (accepted, duplicate, or the rejection reason).",
	}, []string{"source", "result"})
	for _, src := range []string{SourceGossip, SourceSync, SourceAPI} {
		for _, res := range append([]string{ResultAccepted, ResultDuplicate}, listing.Reasons()...) {
			c.WithLabelValues(src, res)
		}
	}
	if reg != nil {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering ingest metrics: %w", err)
		}
	}
	workers := 2 * runtime.GOMAXPROCS(0)
	return &Ingest{verifier: v, store: store, workers: workers, records: c}, nil
}

// Verify checks raw as a candidate for the directory: ErrDuplicate if the
// very bytes are held, else listing.Verifier.Verify against the held
// sequence number. A rejection is counted under source; acceptance is
// counted by Store.
func (in *Ingest) Verify(ctx context.Context, source string, raw []byte) (*listing.Record, error) {
	rec, err := in.verify(ctx, raw)
	if err != nil {
		in.count(source, err)
	}
	return rec, err
}

func (in *Ingest) verify(ctx context.Context, raw []byte) (*listing.Record, error) {
	if p, ok := PeekProvider(raw); ok {
		if held, ok := in.store.Raw(p); ok && bytes.Equal(held, raw) {
			return nil, ErrDuplicate
		}
	}
	return in.verifier.Verify(ctx, raw, in.store.HeldSeq)
}

// Store puts verified records (from Verify) into the directory in one
// transaction and counts those stored as accepted, the others (a newer one
// arrived meanwhile) as stale.
func (in *Ingest) Store(source string, items []directory.Item) ([]bool, error) {
	if len(items) == 0 {
		return nil, nil
	}
	changed, err := in.store.PutMany(items)
	if err != nil {
		return changed, fmt.Errorf("storing %d records: %w", len(items), err)
	}
	n := 0
	for _, c := range changed {
		if c {
			n++
		}
	}
	in.records.WithLabelValues(source, ResultAccepted).Add(float64(n))
	in.records.WithLabelValues(source, listing.Reason(listing.ErrStaleSeq)).Add(float64(len(items) - n))
	return changed, nil
}

// Result of one record of a batch.
type Result struct {
	Record *listing.Record
	Err    error
}

// VerifyBatch verifies raws concurrently (registry lookups and signature
// recovery dominate) and returns one Result per record, in order.
func (in *Ingest) VerifyBatch(ctx context.Context, source string, raws [][]byte) []Result {
	out := make([]Result, len(raws))
	workers := min(in.workers, len(raws))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				out[i].Record, out[i].Err = in.Verify(ctx, source, raws[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// Ingest verifies raws and stores those that pass; it returns how many
// were stored and the rejections by result label.
func (in *Ingest) Ingest(ctx context.Context, source string, raws [][]byte) (accepted int, rejected map[string]int, err error) {
	results := in.VerifyBatch(ctx, source, raws)
	items := make([]directory.Item, 0, len(results))
	rejected = map[string]int{}
	for i, r := range results {
		if r.Err != nil {
			rejected[Label(r.Err)]++
			continue
		}
		items = append(items, directory.Item{Record: r.Record, Raw: raws[i]})
	}
	changed, err := in.Store(source, items)
	for _, c := range changed {
		if c {
			accepted++
		}
	}
	return accepted, rejected, err
}

// Label is the result label of a Verify error.
func Label(err error) string {
	if errors.Is(err, ErrDuplicate) {
		return ResultDuplicate
	}
	return listing.Reason(err)
}

func (in *Ingest) count(source string, err error) {
	in.records.WithLabelValues(source, Label(err)).Inc()
}

// Offence reports whether a rejection is the sender's fault (a forged,
// malformed, stale, expired or unregistered record) rather than ours (the
// registry unreachable, a cancelled context) or harmless (a duplicate).
// An owner mismatch is no offence: the record is refused, but a sender
// whose Registry cache predates a transfer forwards it in good faith.
func Offence(err error) bool {
	switch Label(err) {
	case ResultDuplicate, "registry_error", "canceled", "other", "owner_mismatch":
		return false
	}
	return true
}

// PeekProvider reads the provider address of an encoded record without
// decoding it (the encoding's fixed header: magic, version, provider).
func PeekProvider(raw []byte) (common.Address, bool) {
	const off = 4 // "GNL" + version
	if len(raw) < off+common.AddressLength || string(raw[:3]) != "GNL" {
		return common.Address{}, false
	}
	return common.BytesToAddress(raw[off : off+common.AddressLength]), true
}
