package listing

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// countingRegistry answers owners from a map and counts lookups; block, if
// set, is waited on by every lookup.
type countingRegistry struct {
	mu     sync.Mutex
	owners map[common.Address]common.Address
	err    error
	calls  atomic.Int32
	block  chan struct{}
}

func (c *countingRegistry) OwnerOf(ctx context.Context, a common.Address) (common.Address, error) {
	c.calls.Add(1)
	if c.block != nil {
		select {
		case <-c.block:
		case <-ctx.Done():
			return common.Address{}, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.owners[a], c.err
}

func (c *countingRegistry) setOwner(a, owner common.Address, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.owners[a] = owner
	c.err = err
}

var (
	ownerX = common.Address{0xa1}
	ownerY = common.Address{0xa2}
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestCachedRegistryTTLs(t *testing.T) {
	a, b := common.Address{1}, common.Address{2}
	inner := &countingRegistry{owners: map[common.Address]common.Address{a: ownerX}}
	clock := &fakeClock{t: time.Unix(testNow, 0)}
	c := NewCachedRegistry(inner, CacheOptions{PositiveTTL: time.Minute, NegativeTTL: 10 * time.Second, Now: clock.Now})
	ctx := context.Background()
	ask := func(addr, want common.Address, wantCalls int32) {
		t.Helper()
		got, err := c.OwnerOf(ctx, addr)
		if err != nil || got != want {
			t.Fatalf("OwnerOf(%s) = %s, %v; want %s", addr, got, err, want)
		}
		if n := inner.calls.Load(); n != wantCalls {
			t.Fatalf("%d lookups, want %d", n, wantCalls)
		}
	}
	none := common.Address{}
	ask(a, ownerX, 1)
	ask(b, none, 2)
	ask(a, ownerX, 2) // cached
	ask(b, none, 2)

	inner.setOwner(b, ownerY, nil) // b registers; "not registered" stands until it expires
	clock.Advance(9 * time.Second)
	ask(b, none, 2)
	clock.Advance(time.Second)
	ask(b, ownerY, 3)

	// a is transferred: the former owner is the answer until it expires
	// (PositiveTTL), then the new one.
	inner.setOwner(a, ownerY, nil)
	clock.Advance(49 * time.Second)
	ask(a, ownerX, 3)
	clock.Advance(time.Second)
	ask(a, ownerY, 4)

	inner.setOwner(a, none, nil) // a deregisters
	clock.Advance(time.Minute)
	ask(a, none, 5)

	c.Forget(b)
	ask(b, ownerY, 6)
}

func TestCachedRegistryRecheck(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{owners: map[common.Address]common.Address{a: ownerX}}
	clock := &fakeClock{t: time.Unix(testNow, 0)}
	c := NewCachedRegistry(inner, CacheOptions{PositiveTTL: time.Hour, RecheckAfter: 30 * time.Second, Now: clock.Now})
	ctx := context.Background()
	recheck := func(want common.Address, wantCalls int32) {
		t.Helper()
		got, err := c.Recheck(ctx, a)
		if err != nil || got != want {
			t.Fatalf("Recheck = %s, %v; want %s", got, err, want)
		}
		if n := inner.calls.Load(); n != wantCalls {
			t.Fatalf("%d lookups, want %d", n, wantCalls)
		}
	}
	recheck(ownerX, 1) // nothing cached: looked up
	inner.setOwner(a, ownerY, nil)
	recheck(ownerX, 1) // fresh: from the cache
	clock.Advance(29 * time.Second)
	recheck(ownerX, 1)
	clock.Advance(time.Second)
	recheck(ownerY, 2) // 30 s old: looked up again
	if got, err := c.OwnerOf(ctx, a); err != nil || got != ownerY || inner.calls.Load() != 2 {
		t.Errorf("OwnerOf after a recheck = %s, %v (%d lookups); want the rechecked owner from the cache", got, err, inner.calls.Load())
	}
	var _ Rechecker = c
}

func TestCachedRegistryErrorsNotCached(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{owners: map[common.Address]common.Address{a: ownerX}}
	c := NewCachedRegistry(inner, CacheOptions{})
	boom := errors.New("boom")
	inner.setOwner(a, ownerX, boom)
	if _, err := c.OwnerOf(context.Background(), a); !errors.Is(err, boom) {
		t.Fatalf("OwnerOf = %v, want the lookup error", err)
	}
	inner.setOwner(a, ownerX, nil)
	if owner, err := c.OwnerOf(context.Background(), a); err != nil || owner != ownerX {
		t.Fatalf("after the error cleared: %s, %v", owner, err)
	}
	if n := inner.calls.Load(); n != 2 {
		t.Errorf("%d lookups, want 2", n)
	}
}

func TestCachedRegistrySingleflight(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{owners: map[common.Address]common.Address{a: ownerX}, block: make(chan struct{})}
	c := NewCachedRegistry(inner, CacheOptions{})
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner, err := c.OwnerOf(context.Background(), a)
			if err == nil && owner != ownerX {
				err = errors.New("wrong owner")
			}
			errs <- err
		}()
	}
	// Release the one lookup once it has started; the others wait on it.
	for inner.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(inner.block)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// Callers that arrived after the lookup finished hit the cache, so
	// exactly one lookup ran.
	if got := inner.calls.Load(); got != 1 {
		t.Errorf("%d lookups for %d concurrent callers, want 1", got, n)
	}
}

func TestCachedRegistryCallerCancel(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{owners: map[common.Address]common.Address{a: ownerX}, block: make(chan struct{})}
	defer close(inner.block)
	c := NewCachedRegistry(inner, CacheOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.OwnerOf(ctx, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("OwnerOf with a cancelled context = %v", err)
	}
}

func TestCachedRegistryBounded(t *testing.T) {
	inner := &countingRegistry{owners: map[common.Address]common.Address{}}
	c := NewCachedRegistry(inner, CacheOptions{MaxEntries: 10})
	for i := range 100 {
		if _, err := c.OwnerOf(context.Background(), common.Address{byte(i), 1}); err != nil {
			t.Fatal(err)
		}
		if c.Len() > 10 {
			t.Fatalf("cache holds %d entries, max 10", c.Len())
		}
	}
	if c.Len() != 10 {
		t.Errorf("cache holds %d entries, want 10", c.Len())
	}
}
