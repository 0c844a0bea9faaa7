package reconcile

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/pkg/market"
)

var (
	chainID    = big.NewInt(1337)
	marketAddr = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	provider   = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	now        = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
)

// fakeChain answers from a table (a unit-test stand-in for the Market;
// kube_test.go runs the real one).
type fakeChain struct {
	states map[int64]State
	errs   map[int64]error
	none   bool
}

func (f *fakeChain) Market() (*big.Int, common.Address, bool) { return chainID, marketAddr, !f.none }

func (f *fakeChain) OrderState(_ context.Context, id *big.Int) (State, error) {
	if err := f.errs[id.Int64()]; err != nil {
		return State{}, err
	}
	return f.states[id.Int64()], nil
}

type fakeCluster struct {
	mu        sync.Mutex
	placed    []deploy.Placed
	listErr   error
	deleteErr error
	deleted   []int64
}

func (f *fakeCluster) List(context.Context) ([]deploy.Placed, error) { return f.placed, f.listErr }

func (f *fakeCluster) Delete(_ context.Context, o market.Order) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.deleteErr != nil {
		return f.deleteErr
	}
	f.deleted = append(f.deleted, o.ID.Int64())
	return nil
}

func placed(id int64, mod func(*market.Order)) deploy.Placed {
	o := market.Order{ChainID: chainID, Market: marketAddr, ID: big.NewInt(id), Provider: provider}
	if mod != nil {
		mod(&o)
	}
	ns := "(invalid)"
	if deploy.ValidateOrder(o) == nil {
		ns = deploy.Namespace(o)
	}
	return deploy.Placed{Namespace: ns, Order: o}
}

func newReconciler(t *testing.T, ch Chain, cl Cluster) *Reconciler {
	t.Helper()
	cfg := Defaults()
	cfg.Provider = provider
	r, err := New(cfg, ch, cl, zaptest.NewLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	r.now = func() time.Time { return now }
	return r
}

// TestVerdicts: only cancelled, settled and ended (past the grace) orders
// lose their namespace; unknown orders, failed reads and other providers'
// or markets' namespaces are kept.
func TestVerdicts(t *testing.T) {
	ch := &fakeChain{
		states: map[int64]State{
			1:  {Status: market.StatusCancelled, End: now.Add(time.Hour)},
			2:  {Status: market.StatusSettled, End: now.Add(-time.Hour)},
			3:  {Status: market.StatusOpen, End: now.Add(-2 * time.Minute)},  // ended, past the minute of grace
			4:  {Status: market.StatusOpen, End: now.Add(-30 * time.Second)}, // ended, within the grace
			5:  {Status: market.StatusOpen, End: now.Add(time.Hour)},
			6:  {Status: market.StatusNone},
			7:  {Status: market.StatusOpen},                            // no end: kept
			10: {Status: market.StatusClosed, End: now.Add(time.Hour)}, // closed by the provider's owner
		},
		errs: map[int64]error{8: errors.New("connection refused")},
	}
	cl := &fakeCluster{placed: []deploy.Placed{
		placed(1, nil), placed(2, nil), placed(3, nil), placed(4, nil), placed(5, nil), placed(6, nil), placed(7, nil), placed(8, nil), placed(10, nil),
		placed(1, func(o *market.Order) { o.Provider = common.HexToAddress("0x01") }),
		placed(2, func(o *market.Order) { o.Market = common.HexToAddress("0x02") }),
		placed(3, func(o *market.Order) { o.ChainID = big.NewInt(1) }),
		placed(0, func(o *market.Order) { o.ID = nil }),
	}}
	term := placed(9, nil)
	term.Terminating = true
	cl.placed = append(cl.placed, term)
	r := newReconciler(t, ch, cl)
	s := r.Pass(context.Background())
	if got := cl.deleted; len(got) != 4 || got[0] != 1 || got[1] != 2 || got[2] != 3 || got[3] != 10 {
		t.Errorf("deleted %v, want [1 2 3 10]", got)
	}
	want := Summary{Orders: 10, Active: 3, Terminating: 1, Unknown: 1, ChainErrors: 1, Skipped: 4}
	if s.Orders != want.Orders || s.Active != want.Active || s.Terminating != want.Terminating || s.Unknown != want.Unknown ||
		s.ChainErrors != want.ChainErrors || s.Skipped != want.Skipped || len(s.Deleted) != 4 {
		t.Errorf("summary %+v", s)
	}
	reasons := map[string]string{}
	for _, d := range s.Deleted {
		reasons[d.OrderID] = d.Reason
	}
	if reasons["1"] != ReasonCancelled || reasons["2"] != ReasonSettled || reasons["3"] != ReasonEnded || reasons["10"] != ReasonClosed {
		t.Errorf("reasons %v", reasons)
	}
	if last := r.Last(); last.Orders != 10 || len(last.Deleted) != 4 {
		t.Errorf("Last() = %+v", last)
	}
}

// TestNothingJudged: a chain that is down, not configured, or a cluster
// that cannot be listed, deletes nothing.
func TestNothingJudged(t *testing.T) {
	over := map[int64]State{1: {Status: market.StatusCancelled}, 2: {Status: market.StatusSettled}}
	down := errors.New("dial tcp 127.0.0.1:8545: connect: connection refused")
	for _, tc := range []struct {
		name string
		ch   *fakeChain
		cl   *fakeCluster
	}{
		{"chain down", &fakeChain{states: over, errs: map[int64]error{1: down, 2: down}}, &fakeCluster{placed: []deploy.Placed{placed(1, nil), placed(2, nil)}}},
		{"no chain configured", &fakeChain{states: over, none: true}, &fakeCluster{placed: []deploy.Placed{placed(1, nil), placed(2, nil)}}},
		{"namespaces not listed", &fakeChain{states: over}, &fakeCluster{listErr: errors.New("the server is currently unable to handle the request")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReconciler(t, tc.ch, tc.cl)
			s := r.Pass(context.Background())
			if len(tc.cl.deleted) != 0 || len(s.Deleted) != 0 {
				t.Fatalf("deleted %v", tc.cl.deleted)
			}
			t.Logf("%+v", s)
		})
	}
}

// TestDeleteFailureRetried: a refused deletion is counted and retried by
// the next pass.
func TestDeleteFailureRetried(t *testing.T) {
	ch := &fakeChain{states: map[int64]State{1: {Status: market.StatusCancelled}}}
	cl := &fakeCluster{placed: []deploy.Placed{placed(1, nil)}, deleteErr: errors.New("etcd timeout")}
	r := newReconciler(t, ch, cl)
	if s := r.Pass(context.Background()); s.DeleteErrors != 1 || len(s.Deleted) != 0 {
		t.Fatalf("first pass %+v", s)
	}
	cl.deleteErr = nil
	if s := r.Pass(context.Background()); len(s.Deleted) != 1 {
		t.Fatalf("second pass %+v", s)
	}
}

// TestRun: the loop passes at once and stops with its context.
func TestRun(t *testing.T) {
	ch := &fakeChain{states: map[int64]State{1: {Status: market.StatusCancelled}}}
	cl := &fakeCluster{placed: []deploy.Placed{placed(1, nil)}}
	r := newReconciler(t, ch, cl)
	r.cfg.Interval = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for r.Last().Start.IsZero() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r.Last().Start.IsZero() || len(cl.deleted) == 0 {
		t.Fatalf("no pass ran: %+v", r.Last())
	}
}
