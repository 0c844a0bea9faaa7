package orders

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/singleflight"

	"github.com/gridnode/gridnode/pkg/market"
)

// Defaults of the cache.
const (
	DefaultCacheTTL  = 5 * time.Second
	DefaultCacheSize = 4096
	// readTimeout bounds one chain read made for a caller.
	readTimeout = 10 * time.Second
)

// Options configure a Checker.
type Options struct {
	// Provider is this gateway's provider address.
	Provider common.Address
	// CacheTTL is how long a read order is reused; a cancellation is seen
	// at most this late. 0 means DefaultCacheTTL; negative disables the
	// cache.
	CacheTTL time.Duration
	// CacheSize bounds the cached orders; 0 means DefaultCacheSize.
	CacheSize int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Checker answers "may this order be used here now" from the chain, with a
// short cache. Its source (chain and Market) can change at run time, when
// the organization's settings do; until one is set every check is
// ErrChainUnavailable.
type Checker struct {
	provider common.Address
	ttl      time.Duration
	now      func() time.Time

	src   atomic.Pointer[source]
	group singleflight.Group

	mu    sync.Mutex
	cache *lru
}

// source is a reader and the chain it reads, swapped as a unit.
type source struct {
	r     Reader
	chain Chain
	gen   uint64
}

// NewChecker returns a checker without a source: call SetSource.
func NewChecker(opts Options) *Checker {
	if opts.CacheTTL == 0 {
		opts.CacheTTL = DefaultCacheTTL
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Checker{provider: opts.Provider, ttl: opts.CacheTTL, now: opts.Now, cache: newLRU(opts.CacheSize)}
}

// Provider is the provider the checker checks for.
func (c *Checker) Provider() common.Address { return c.provider }

// SetSource makes r (reading chain) the source of orders and drops the
// cache; nil removes the source.
func (c *Checker) SetSource(r Reader, chain Chain) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var gen uint64
	if old := c.src.Load(); old != nil {
		gen = old.gen + 1
	}
	if r == nil {
		c.src.Store(&source{gen: gen})
	} else {
		c.src.Store(&source{r: r, chain: Chain{ID: new(big.Int).Set(chain.ID), Market: chain.Market}, gen: gen})
	}
	c.cache.clear()
}

// Chain returns the chain orders are read from, and false while there is
// none.
func (c *Checker) Chain() (Chain, bool) {
	s := c.src.Load()
	if s == nil || s.r == nil {
		return Chain{}, false
	}
	return s.chain, true
}

// Ready reports whether a chain is configured (a readiness check).
func (c *Checker) Ready(context.Context) error {
	if _, ok := c.Chain(); !ok {
		return fmt.Errorf("%w: no chain RPC and Market address yet (flags or the org settings in Consul KV)", ErrChainUnavailable)
	}
	return nil
}

// Check returns the order if it may be used at this gateway now, else an
// error that wraps one of the sentinel errors.
func (c *Checker) Check(ctx context.Context, id *big.Int) (market.Order, error) {
	o, err := c.Get(ctx, id)
	if err != nil {
		return market.Order{}, err
	}
	if err := Usable(o, c.provider, c.now()); err != nil {
		return o, err
	}
	return o, nil
}

// Get returns the order as the chain has it, from the cache when it is
// fresh. An unknown order is an Order with market.StatusNone.
func (c *Checker) Get(ctx context.Context, id *big.Int) (market.Order, error) {
	s := c.src.Load()
	if s == nil || s.r == nil {
		return market.Order{}, fmt.Errorf("%w: no chain RPC and Market address configured yet", ErrChainUnavailable)
	}
	if id == nil || id.Sign() < 0 || id.BitLen() > 256 {
		return market.Order{}, fmt.Errorf("%w: order id out of range", ErrNotFound)
	}
	var key [32]byte
	id.FillBytes(key[:])
	now := c.now()
	if c.ttl > 0 {
		c.mu.Lock()
		e, ok := c.cache.get(key)
		c.mu.Unlock()
		if ok && e.gen == s.gen && now.Before(e.expires) {
			return e.order, nil
		}
	}
	v, err, _ := c.group.Do(fmt.Sprintf("%d/%x", s.gen, key), func() (any, error) {
		// The read belongs to no single caller: one that gives up must not
		// fail the others waiting on it.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readTimeout)
		defer cancel()
		o, err := s.r.ReadOrder(rctx, id)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrChainUnavailable, err)
		}
		if c.ttl > 0 {
			c.mu.Lock()
			if cur := c.src.Load(); cur != nil && cur.gen == s.gen {
				c.cache.put(key, cacheEntry{order: o, gen: s.gen, expires: c.now().Add(c.ttl)})
			}
			c.mu.Unlock()
		}
		return o, nil
	})
	if err != nil {
		return market.Order{}, err
	}
	return v.(market.Order), nil
}

// Read reads the order from the chain now, bypassing the cache (the
// teardown loop's view: it must never act on a stale one).
func (c *Checker) Read(ctx context.Context, id *big.Int) (market.Order, error) {
	s := c.src.Load()
	if s == nil || s.r == nil {
		return market.Order{}, fmt.Errorf("%w: no chain RPC and Market address configured yet", ErrChainUnavailable)
	}
	o, err := s.r.ReadOrder(ctx, id)
	if err != nil {
		return market.Order{}, fmt.Errorf("%w: %w", ErrChainUnavailable, err)
	}
	return o, nil
}

// IsRefusal reports whether err is a verdict on the order (as opposed to
// the chain being unavailable).
func IsRefusal(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotStarted) || errors.Is(err, ErrEnded) ||
		errors.Is(err, ErrCancelled) || errors.Is(err, ErrWrongProvider)
}

type cacheEntry struct {
	order   market.Order
	gen     uint64
	expires time.Time
}

// lru is a bounded least-recently-used map; callers hold the lock.
type lru struct {
	max   int
	ll    *list.List
	items map[[32]byte]*list.Element
}

type lruItem struct {
	key [32]byte
	val cacheEntry
}

func newLRU(max int) *lru {
	return &lru{max: max, ll: list.New(), items: make(map[[32]byte]*list.Element)}
}

func (l *lru) get(key [32]byte) (cacheEntry, bool) {
	e, ok := l.items[key]
	if !ok {
		return cacheEntry{}, false
	}
	l.ll.MoveToFront(e)
	return e.Value.(*lruItem).val, true
}

func (l *lru) put(key [32]byte, v cacheEntry) {
	if e, ok := l.items[key]; ok {
		e.Value.(*lruItem).val = v
		l.ll.MoveToFront(e)
		return
	}
	l.items[key] = l.ll.PushFront(&lruItem{key: key, val: v})
	for l.ll.Len() > l.max {
		last := l.ll.Back()
		l.ll.Remove(last)
		delete(l.items, last.Value.(*lruItem).key)
	}
}

func (l *lru) clear() {
	l.ll.Init()
	clear(l.items)
}

func (l *lru) len() int { return l.ll.Len() }
