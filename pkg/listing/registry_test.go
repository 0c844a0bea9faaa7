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

// countingRegistry answers from a map and counts lookups; block, if set, is
// waited on by every lookup.
type countingRegistry struct {
	mu         sync.Mutex
	registered map[common.Address]bool
	err        error
	calls      atomic.Int32
	block      chan struct{}
}

func (c *countingRegistry) IsRegistered(ctx context.Context, a common.Address) (bool, error) {
	c.calls.Add(1)
	if c.block != nil {
		select {
		case <-c.block:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.registered[a], c.err
}

func (c *countingRegistry) set(a common.Address, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.registered[a] = ok
	c.err = err
}

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
	inner := &countingRegistry{registered: map[common.Address]bool{a: true}}
	clock := &fakeClock{t: time.Unix(testNow, 0)}
	c := NewCachedRegistry(inner, CacheOptions{PositiveTTL: time.Minute, NegativeTTL: 10 * time.Second, Now: clock.Now})
	ctx := context.Background()
	ask := func(addr common.Address, want bool, wantCalls int32) {
		t.Helper()
		got, err := c.IsRegistered(ctx, addr)
		if err != nil || got != want {
			t.Fatalf("IsRegistered(%s) = %v, %v; want %v", addr, got, err, want)
		}
		if n := inner.calls.Load(); n != wantCalls {
			t.Fatalf("%d lookups, want %d", n, wantCalls)
		}
	}
	ask(a, true, 1)
	ask(b, false, 2)
	ask(a, true, 2) // cached
	ask(b, false, 2)

	inner.set(b, true, nil) // b registers; the negative answer stands until it expires
	clock.Advance(9 * time.Second)
	ask(b, false, 2)
	clock.Advance(time.Second)
	ask(b, true, 3)

	inner.set(a, false, nil) // a deregisters
	clock.Advance(49 * time.Second)
	ask(a, true, 3)
	clock.Advance(time.Second)
	ask(a, false, 4)

	c.Forget(b)
	ask(b, true, 5)
}

func TestCachedRegistryErrorsNotCached(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{registered: map[common.Address]bool{a: true}}
	c := NewCachedRegistry(inner, CacheOptions{})
	boom := errors.New("boom")
	inner.set(a, true, boom)
	if _, err := c.IsRegistered(context.Background(), a); !errors.Is(err, boom) {
		t.Fatalf("IsRegistered = %v, want the lookup error", err)
	}
	inner.set(a, true, nil)
	if ok, err := c.IsRegistered(context.Background(), a); err != nil || !ok {
		t.Fatalf("after the error cleared: %v, %v", ok, err)
	}
	if n := inner.calls.Load(); n != 2 {
		t.Errorf("%d lookups, want 2", n)
	}
}

func TestCachedRegistrySingleflight(t *testing.T) {
	a := common.Address{1}
	inner := &countingRegistry{registered: map[common.Address]bool{a: true}, block: make(chan struct{})}
	c := NewCachedRegistry(inner, CacheOptions{})
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := c.IsRegistered(context.Background(), a)
			if err == nil && !ok {
				err = errors.New("not registered")
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
	inner := &countingRegistry{registered: map[common.Address]bool{a: true}, block: make(chan struct{})}
	defer close(inner.block)
	c := NewCachedRegistry(inner, CacheOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.IsRegistered(ctx, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("IsRegistered with a cancelled context = %v", err)
	}
}

func TestCachedRegistryBounded(t *testing.T) {
	inner := &countingRegistry{registered: map[common.Address]bool{}}
	c := NewCachedRegistry(inner, CacheOptions{MaxEntries: 10})
	for i := range 100 {
		if _, err := c.IsRegistered(context.Background(), common.Address{byte(i), 1}); err != nil {
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
