package orders_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/market"
)

func TestUsable(t *testing.T) {
	provider, other := common.Address{0xaa}, common.Address{0xbb}
	now := time.Unix(1_700_000_000, 0)
	base := market.Order{ID: big.NewInt(7), Provider: provider, Status: market.StatusOpen,
		Start: now.Add(-time.Minute), End: now.Add(time.Hour)}
	with := func(f func(*market.Order)) market.Order { o := base; f(&o); return o }
	for _, tc := range []struct {
		name string
		o    market.Order
		want error
	}{
		{"active", base, nil},
		{"not found", with(func(o *market.Order) { o.Status = market.StatusNone }), orders.ErrNotFound},
		{"cancelled", with(func(o *market.Order) { o.Status = market.StatusCancelled }), orders.ErrCancelled},
		{"settled", with(func(o *market.Order) { o.Status = market.StatusSettled }), orders.ErrEnded},
		{"other provider", with(func(o *market.Order) { o.Provider = other }), orders.ErrWrongProvider},
		{"ended exactly now", with(func(o *market.Order) { o.End = now }), orders.ErrEnded},
		{"ended", with(func(o *market.Order) { o.End = now.Add(-time.Second) }), orders.ErrEnded},
		{"start within skew", with(func(o *market.Order) { o.Start = now.Add(orders.MaxClockSkew) }), nil},
		{"not started", with(func(o *market.Order) { o.Start = now.Add(orders.MaxClockSkew + time.Second) }), orders.ErrNotStarted},
		{"unknown status", with(func(o *market.Order) { o.Status = 9 }), orders.ErrChainUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := orders.Usable(tc.o, provider, now)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Usable = %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "order 7") {
				t.Errorf("error %q does not name the order", err)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	max := orders.MaxID.String()
	over := new(big.Int).Add(orders.MaxID, big.NewInt(1)).String()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"1", true}, {"42", true}, {max, true},
		{"", false}, {"0", false}, {"007", false}, {"-1", false}, {"+1", false}, {"1e3", false},
		{"0x10", false}, {" 1", false}, {over, false}, {strings.Repeat("9", 100), false},
	} {
		id, err := orders.ParseID(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseID(%q) = %v, %v; want ok=%v", tc.in, id, err, tc.ok)
		}
		if err == nil && id.String() != tc.in {
			t.Errorf("ParseID(%q) = %s", tc.in, id)
		}
	}
}

// countingReader is a Reader for tests of the cache logic.
type countingReader struct {
	calls atomic.Int64
	block chan struct{}
	err   error
	order func(id *big.Int) market.Order
}

func (r *countingReader) ReadOrder(ctx context.Context, id *big.Int) (market.Order, error) {
	r.calls.Add(1)
	if r.block != nil {
		<-r.block
	}
	if r.err != nil {
		return market.Order{}, r.err
	}
	return r.order(id), nil
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestCheckerCache(t *testing.T) {
	provider := common.Address{0xaa}
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	r := &countingReader{order: func(id *big.Int) market.Order {
		return market.Order{ID: id, Provider: provider, Status: market.StatusOpen, Start: clk.Now(), End: clk.Now().Add(time.Hour)}
	}}
	c := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: 5 * time.Second, CacheSize: 2, Now: clk.Now})
	ctx := context.Background()

	if _, err := c.Check(ctx, big.NewInt(1)); !errors.Is(err, orders.ErrChainUnavailable) {
		t.Fatalf("check without a source = %v, want ErrChainUnavailable", err)
	}
	if err := c.Ready(ctx); err == nil {
		t.Fatal("ready without a source")
	}
	c.SetSource(r, orders.Chain{ID: big.NewInt(1337), Market: common.Address{0x01}})
	if err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}

	for range 3 {
		if _, err := c.Check(ctx, big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.calls.Load(); n != 1 {
		t.Fatalf("3 checks within the TTL read the chain %d times, want 1", n)
	}
	clk.Add(5 * time.Second)
	if _, err := c.Check(ctx, big.NewInt(1)); err != nil || r.calls.Load() != 2 {
		t.Fatalf("after the TTL: %v, %d reads; want a second read", err, r.calls.Load())
	}

	// The cache holds at most 2 orders: 1 is evicted by 2 and 3.
	_, _ = c.Get(ctx, big.NewInt(2))
	_, _ = c.Get(ctx, big.NewInt(3))
	before := r.calls.Load()
	_, _ = c.Get(ctx, big.NewInt(1))
	if r.calls.Load() != before+1 {
		t.Fatal("order 1 was not evicted from a cache of 2")
	}

	// A new source drops the cache.
	c.SetSource(r, orders.Chain{ID: big.NewInt(1337), Market: common.Address{0x02}})
	before = r.calls.Load()
	_, _ = c.Get(ctx, big.NewInt(1))
	if r.calls.Load() != before+1 {
		t.Fatal("a new source reused the old source's cache")
	}

	// Read bypasses the cache.
	before = r.calls.Load()
	if _, err := c.Read(ctx, big.NewInt(1)); err != nil || r.calls.Load() != before+1 {
		t.Fatalf("Read: %v, %d reads", err, r.calls.Load()-before)
	}
}

func TestCheckerCoalescesAndDoesNotCacheFailures(t *testing.T) {
	provider := common.Address{0xaa}
	r := &countingReader{block: make(chan struct{}), order: func(id *big.Int) market.Order {
		return market.Order{ID: id, Provider: provider, Status: market.StatusOpen, End: time.Now().Add(time.Hour)}
	}}
	c := orders.NewChecker(orders.Options{Provider: provider})
	c.SetSource(r, orders.Chain{ID: big.NewInt(1), Market: common.Address{1}})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Check(context.Background(), big.NewInt(5)); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them pile up on the blocked read
	close(r.block)
	wg.Wait()
	if n := r.calls.Load(); n != 1 {
		t.Errorf("20 concurrent checks made %d reads, want 1", n)
	}

	f := &countingReader{err: errors.New("connection refused")}
	c.SetSource(f, orders.Chain{ID: big.NewInt(1), Market: common.Address{1}})
	for range 2 {
		if _, err := c.Check(context.Background(), big.NewInt(5)); !errors.Is(err, orders.ErrChainUnavailable) || orders.IsRefusal(err) {
			t.Fatalf("failed read = %v, want ErrChainUnavailable and no refusal", err)
		}
	}
	if f.calls.Load() != 2 {
		t.Errorf("a failed read was cached: %d reads for 2 checks", f.calls.Load())
	}
}

// TestCheckerOnChain runs the checker over JSON-RPC against the real
// Market contract.
func TestCheckerOnChain(t *testing.T) {
	ch := devchaintest.Start(t)
	_, provider := ch.NewProvider()
	_, otherProvider := ch.NewProvider()
	buyer := ch.Buyers[0]

	active := ch.CreateOrder(buyer, provider, time.Hour, [32]byte{1})
	foreign := ch.CreateOrder(buyer, otherProvider, time.Hour, [32]byte{2})
	cancelled := ch.CreateOrder(buyer, provider, time.Hour, [32]byte{3})
	ch.Cancel(buyer, cancelled)

	client, err := ethclient.Dial(ch.RPC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	chain := orders.Chain{ID: ch.ID, Market: ch.Market}
	reader, err := orders.NewMarketReader(client, chain)
	if err != nil {
		t.Fatal(err)
	}
	var now atomic.Pointer[time.Time]
	clockNow := func() time.Time {
		if p := now.Load(); p != nil {
			return *p
		}
		return time.Now()
	}
	c := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: -1, Now: clockNow})
	c.SetSource(reader, chain)
	ctx := context.Background()

	o, err := c.Check(ctx, active)
	if err != nil {
		t.Fatalf("active order: %v", err)
	}
	if o.Buyer != devchaintest.Address(buyer) || o.Provider != provider || o.ManifestHash != [32]byte{1} ||
		o.Resources.CPUMillis != 500 || o.ChainID.Cmp(ch.ID) != 0 || o.Market != ch.Market || o.End.Sub(o.Start) != time.Hour {
		t.Errorf("order = %+v", o)
	}
	for _, tc := range []struct {
		name string
		id   *big.Int
		want error
	}{
		{"unknown", big.NewInt(999), orders.ErrNotFound},
		{"other provider", foreign, orders.ErrWrongProvider},
		{"cancelled", cancelled, orders.ErrCancelled},
	} {
		if _, err := c.Check(ctx, tc.id); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Read is uncached: it sees the cancellation at once.
	if o, err := c.Read(ctx, cancelled); err != nil || o.Status != market.StatusCancelled {
		t.Errorf("Read(cancelled) = %v, %v", o.Status, err)
	}

	// Past its end (on the gateway's clock) the order has ended.
	later := o.End.Add(time.Second)
	now.Store(&later)
	if _, err := c.Check(ctx, active); !errors.Is(err, orders.ErrEnded) {
		t.Errorf("after its end: %v, want ErrEnded", err)
	}
	now.Store(nil)

	// A Market address without the contract is the chain being
	// misconfigured, not a missing order.
	wrong, _ := orders.NewMarketReader(client, orders.Chain{ID: ch.ID, Market: common.Address{0x12, 0x34}})
	c.SetSource(wrong, orders.Chain{ID: ch.ID, Market: common.Address{0x12, 0x34}})
	if _, err := c.Check(ctx, active); !errors.Is(err, orders.ErrChainUnavailable) {
		t.Errorf("wrong market address: %v, want ErrChainUnavailable", err)
	}
	if _, err := c.Read(ctx, active); !errors.Is(err, orders.ErrChainUnavailable) {
		t.Errorf("Read with a wrong market address: %v, want ErrChainUnavailable", err)
	}

	// The RPC goes away: unavailable, never a verdict.
	c.SetSource(reader, chain)
	ch.Close()
	_, err = c.Check(ctx, active)
	if !errors.Is(err, orders.ErrChainUnavailable) || orders.IsRefusal(err) {
		t.Errorf("chain down: %v, want only ErrChainUnavailable", err)
	}
	if _, err := c.Read(ctx, cancelled); !errors.Is(err, orders.ErrChainUnavailable) {
		t.Errorf("Read with the chain down: %v", err)
	}
}
