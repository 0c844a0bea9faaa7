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
	"go.uber.org/zap"
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
	// Owner is this gateway's organization wallet (--owner): orders that
	// pay anyone else are refused (ErrWrongPayee). Zero skips the check.
	Owner common.Address
	// CacheTTL is how long a read order is reused; a cancellation, a
	// close, an extension or a manifest update is seen at most this late
	// (CheckFresh sees them at once). An entry never outlives the order's
	// end: at its end an order is read again, so an extension is honoured.
	// 0 means DefaultCacheTTL; negative disables the cache.
	CacheTTL time.Duration
	// CacheSize bounds the cached orders; 0 means DefaultCacheSize.
	CacheSize int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives a warning when an order of this provider pays another
	// organization (at most once per read); nil logs nothing.
	Log *zap.Logger
}

// Checker answers "may this order be used here now" from the chain, with a
// short cache. Its source (chain and Market) can change at run time, when
// the organization's settings do; until one is set every check is
// ErrChainUnavailable.
type Checker struct {
	provider common.Address
	owner    common.Address
	ttl      time.Duration
	now      func() time.Time
	log      *zap.Logger

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
	if opts.Log == nil {
		opts.Log = zap.NewNop()
	}
	return &Checker{provider: opts.Provider, owner: opts.Owner, ttl: opts.CacheTTL, now: opts.Now, log: opts.Log,
		cache: newLRU(opts.CacheSize)}
}

// Provider is the provider the checker checks for.
func (c *Checker) Provider() common.Address { return c.provider }

// Owner is the organization whose orders the checker accepts (zero: any).
func (c *Checker) Owner() common.Address { return c.owner }

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
	if err := Usable(o, c.provider, c.owner, c.now()); err != nil {
		return o, err
	}
	return o, nil
}

// CheckFresh is Check on the order as the chain has it now, bypassing the
// cache (and refreshing it): for the decisions that must see an
// extension or a manifest update at once (a login, a renewal, a deploy).
func (c *Checker) CheckFresh(ctx context.Context, id *big.Int) (market.Order, error) {
	s, key, err := c.prepare(id)
	if err != nil {
		return market.Order{}, err
	}
	rctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	o, err := c.fill(rctx, s, id, key)
	if err != nil {
		return market.Order{}, err
	}
	if err := Usable(o, c.provider, c.owner, c.now()); err != nil {
		return o, err
	}
	return o, nil
}

func (c *Checker) prepare(id *big.Int) (*source, [32]byte, error) {
	var key [32]byte
	s := c.src.Load()
	if s == nil || s.r == nil {
		return nil, key, fmt.Errorf("%w: no chain RPC and Market address configured yet", ErrChainUnavailable)
	}
	if id == nil || id.Sign() < 0 || id.BitLen() > 256 {
		return nil, key, fmt.Errorf("%w: order id out of range", ErrNotFound)
	}
	id.FillBytes(key[:])
	return s, key, nil
}

// Get returns the order as the chain has it, from the cache when it is
// fresh. An unknown order is an Order with market.StatusNone.
func (c *Checker) Get(ctx context.Context, id *big.Int) (market.Order, error) {
	s, key, err := c.prepare(id)
	if err != nil {
		return market.Order{}, err
	}
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
		return c.fill(rctx, s, id, key)
	})
	if err != nil {
		return market.Order{}, err
	}
	return v.(market.Order), nil
}

// fill reads the order from s and caches it. The entry expires after the
// TTL, or at the order's end if that comes first: an order extended since
// is then read again rather than refused as ended.
func (c *Checker) fill(ctx context.Context, s *source, id *big.Int, key [32]byte) (market.Order, error) {
	o, err := s.r.ReadOrder(ctx, id)
	if err != nil {
		return market.Order{}, fmt.Errorf("%w: %w", ErrChainUnavailable, err)
	}
	if c.owner != (common.Address{}) && o.Status == market.StatusOpen && o.Provider == c.provider && o.Payee != c.owner {
		c.log.Warn("an order of this provider pays another organization; refused", zap.Stringer("order", o.ID),
			zap.String("payee", o.Payee.Hex()), zap.String("owner", c.owner.Hex()))
	}
	if c.ttl > 0 {
		now := c.now()
		exp := now.Add(c.ttl)
		if o.Status == market.StatusOpen && o.End.After(now) && o.End.Before(exp) {
			exp = o.End
		}
		c.mu.Lock()
		if cur := c.src.Load(); cur != nil && cur.gen == s.gen {
			c.cache.put(key, cacheEntry{order: o, gen: s.gen, expires: exp})
		}
		c.mu.Unlock()
	}
	return o, nil
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
		errors.Is(err, ErrCancelled) || errors.Is(err, ErrClosed) || errors.Is(err, ErrWrongProvider) ||
		errors.Is(err, ErrWrongPayee)
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
