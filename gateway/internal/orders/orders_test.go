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
	owner, stranger := common.Address{0xcc}, common.Address{0xdd}
	now := time.Unix(1_700_000_000, 0)
	base := market.Order{ID: big.NewInt(7), Provider: provider, Payee: owner, Status: market.StatusOpen,
		Start: now.Add(-time.Minute), End: now.Add(time.Hour)}
	with := func(f func(*market.Order)) market.Order { o := base; f(&o); return o }
	for _, tc := range []struct {
		name  string
		o     market.Order
		owner common.Address
		want  error
	}{
		{"active", base, owner, nil},
		{"closed by the provider", with(func(o *market.Order) { o.Status = market.StatusClosed }), owner, orders.ErrClosed},
		{"pays another organization", with(func(o *market.Order) { o.Payee = stranger }), owner, orders.ErrWrongPayee},
		{"no owner configured: any payee", with(func(o *market.Order) { o.Payee = stranger }), common.Address{}, nil},
		{"cancelled beats the payee", with(func(o *market.Order) { o.Payee, o.Status = stranger, market.StatusCancelled }), owner, orders.ErrCancelled},
		{"not found", with(func(o *market.Order) { o.Status = market.StatusNone }), owner, orders.ErrNotFound},
		{"cancelled", with(func(o *market.Order) { o.Status = market.StatusCancelled }), owner, orders.ErrCancelled},
		{"settled", with(func(o *market.Order) { o.Status = market.StatusSettled }), owner, orders.ErrEnded},
		{"other provider", with(func(o *market.Order) { o.Provider = other }), owner, orders.ErrWrongProvider},
		{"ended exactly now", with(func(o *market.Order) { o.End = now }), owner, orders.ErrEnded},
		{"ended", with(func(o *market.Order) { o.End = now.Add(-time.Second) }), owner, orders.ErrEnded},
		{"start within skew", with(func(o *market.Order) { o.Start = now.Add(orders.MaxClockSkew) }), owner, nil},
		{"not started", with(func(o *market.Order) { o.Start = now.Add(orders.MaxClockSkew + time.Second) }), owner, orders.ErrNotStarted},
		{"unknown status", with(func(o *market.Order) { o.Status = 9 }), owner, orders.ErrChainUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := orders.Usable(tc.o, provider, tc.owner, now)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Usable = %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "order 7") {
				t.Errorf("error %q does not name the order", err)
			}
			if errors.Is(err, orders.ErrWrongPayee) && (!strings.Contains(err.Error(), "pays "+stranger.Hex()) ||
				!strings.Contains(err.Error(), "organization is "+owner.Hex())) {
				t.Errorf("error %q does not name the payee and the owner", err)
			}
			if err != nil && !orders.IsRefusal(err) && !errors.Is(err, orders.ErrChainUnavailable) {
				t.Errorf("%v is not a refusal", err)
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

// TestCheckerSeesExtensionsAndUpdates: a cached order is read again at
// its end (an extension moves the end, so it is not refused as ended
// while the cache holds the old one), and CheckFresh sees a change at
// once and refreshes the cache.
func TestCheckerSeesExtensionsAndUpdates(t *testing.T) {
	provider := common.Address{0xaa}
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	start := clk.Now()
	var mu sync.Mutex
	end, hash := start.Add(10*time.Second), common.Hash{1}
	r := &countingReader{order: func(id *big.Int) market.Order {
		mu.Lock()
		defer mu.Unlock()
		return market.Order{ID: id, Provider: provider, Status: market.StatusOpen, Start: start, End: end, ManifestHash: hash}
	}}
	c := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: time.Minute, Now: clk.Now})
	c.SetSource(r, orders.Chain{ID: big.NewInt(1), Market: common.Address{1}})
	ctx := context.Background()
	id := big.NewInt(3)
	if o, err := c.Check(ctx, id); err != nil || !o.End.Equal(start.Add(10*time.Second)) {
		t.Fatalf("first check: %v %v", o.End, err)
	}
	// The buyer extends by an hour and sets a new manifest.
	mu.Lock()
	end, hash = start.Add(time.Hour), common.Hash{2}
	mu.Unlock()
	if o, err := c.Check(ctx, id); err != nil || o.ManifestHash != (common.Hash{1}) || r.calls.Load() != 1 {
		t.Fatalf("within the TTL the cache answers: %v %v, %d reads", o.ManifestHash, err, r.calls.Load())
	}
	// CheckFresh reads now, and the cache then holds the new order.
	if o, err := c.CheckFresh(ctx, id); err != nil || o.ManifestHash != (common.Hash{2}) || !o.End.Equal(start.Add(time.Hour)) {
		t.Fatalf("CheckFresh: %+v %v", o, err)
	}
	if o, err := c.Check(ctx, id); err != nil || o.ManifestHash != (common.Hash{2}) || r.calls.Load() != 2 {
		t.Fatalf("after CheckFresh: %v %v, %d reads", o.ManifestHash, err, r.calls.Load())
	}

	// An order cached before an extension: at its old end it is read again.
	id2 := big.NewInt(4)
	mu.Lock()
	end = clk.Now().Add(10 * time.Second)
	mu.Unlock()
	if _, err := c.Check(ctx, id2); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	end = end.Add(time.Hour)
	mu.Unlock()
	clk.Add(10 * time.Second) // the old end, well within the TTL
	before := r.calls.Load()
	if o, err := c.Check(ctx, id2); err != nil || r.calls.Load() != before+1 {
		t.Fatalf("at the old end: %v (end %s), %d reads; want the extension read", err, o.End, r.calls.Load()-before)
	}
	// An order that did end stays refused, and is cached for the TTL.
	clk.Add(2 * time.Hour)
	if _, err := c.Check(ctx, id2); !errors.Is(err, orders.ErrEnded) {
		t.Fatalf("past the new end: %v", err)
	}
	before = r.calls.Load()
	if _, err := c.Check(ctx, id2); !errors.Is(err, orders.ErrEnded) || r.calls.Load() != before {
		t.Fatalf("an ended order is cached: %v, %d reads", err, r.calls.Load()-before)
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
	closed := ch.CreateOrder(buyer, provider, time.Hour, [32]byte{4})
	ch.CloseOrder(closed)

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
	if o.Buyer != devchaintest.Address(buyer) || o.Provider != provider || o.Payee != devchaintest.Address(ch.Owner) || o.ManifestHash != [32]byte{1} ||
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
		{"closed by the provider's owner", closed, orders.ErrClosed},
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

	// The payee: the Registry's owner of the provider when the order was
	// placed (the chain's owner here).
	for _, tc := range []struct {
		owner common.Address
		want  error
	}{
		{devchaintest.Address(ch.Owner), nil},
		{devchaintest.Address(ch.Buyers[1]), orders.ErrWrongPayee},
	} {
		pc := orders.NewChecker(orders.Options{Provider: provider, Owner: tc.owner, CacheTTL: -1})
		pc.SetSource(reader, chain)
		if _, err := pc.Check(ctx, active); !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("owner %s: %v, want %v", tc.owner.Hex(), err, tc.want)
		}
	}

	// The buyer extends the order and sets a new manifest: a cached
	// checker answers from its cache until CheckFresh reads them.
	cached := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: time.Minute})
	cached.SetSource(reader, chain)
	if _, err := cached.Check(ctx, active); err != nil {
		t.Fatal(err)
	}
	ch.Extend(buyer, active, 2*time.Hour)
	ch.UpdateManifest(buyer, active, [32]byte{9})
	if o, err := cached.Check(ctx, active); err != nil || o.ManifestHash != [32]byte{1} {
		t.Errorf("cached: %v %v", o.ManifestHash, err)
	}
	f, err := cached.CheckFresh(ctx, active)
	if err != nil || f.ManifestHash != [32]byte{9} || !f.End.Equal(o.End.Add(2*time.Hour)) {
		t.Errorf("CheckFresh after extend and update: hash %x end %s (was %s), %v", f.ManifestHash, f.End, o.End, err)
	}
	if o, err := cached.Check(ctx, active); err != nil || o.ManifestHash != [32]byte{9} {
		t.Errorf("cached after CheckFresh: %v %v", o.ManifestHash, err)
	}
	if _, err := cached.CheckFresh(ctx, closed); !errors.Is(err, orders.ErrClosed) {
		t.Errorf("CheckFresh(closed) = %v", err)
	}

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
