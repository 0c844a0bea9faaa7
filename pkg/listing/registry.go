package listing

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/singleflight"
)

// RegistryReader reads the owner of a provider from the Registry contract
// (Registry.ownerOf). pkg/chain's RegistryReader is the real one;
// CachedRegistry caches any.
type RegistryReader interface {
	// OwnerOf returns the provider's owner as of the latest block, the
	// zero address if the provider is not registered.
	OwnerOf(ctx context.Context, provider common.Address) (common.Address, error)
}

// Rechecker is a RegistryReader that may answer from a cache: Recheck asks
// the Registry again unless its answer is recent. The Verifier rechecks
// before refusing a listing for its owner, so that a listing naming the new
// owner of a provider transferred meanwhile is not refused on a stale
// answer.
type Rechecker interface {
	RegistryReader
	Recheck(ctx context.Context, provider common.Address) (common.Address, error)
}

// CachedRegistry defaults.
const (
	DefaultPositiveTTL   = 5 * time.Minute
	DefaultNegativeTTL   = 30 * time.Second
	DefaultRecheckAfter  = 30 * time.Second
	DefaultCacheEntries  = 100_000
	DefaultLookupTimeout = 10 * time.Second
)

// CacheOptions configure a CachedRegistry. Zero fields take the defaults.
type CacheOptions struct {
	// PositiveTTL is how long an owner is believed. A provider transferred
	// to another owner may still pass with a listing naming the former
	// owner for this long (buyers check the owner again, uncached, before
	// they pay: see carrier/internal/mediator).
	PositiveTTL time.Duration
	// NegativeTTL is how long "not registered" is believed; short, so that
	// a newly registered provider is accepted soon.
	NegativeTTL time.Duration
	// RecheckAfter is how old an answer must be for Recheck to look it up
	// again: a listing naming the new owner of a transferred provider is
	// accepted at most this long after the transfer, and a stream of
	// listings that name another owner costs at most one lookup per
	// provider per RecheckAfter.
	RecheckAfter time.Duration
	// MaxEntries bounds the cache.
	MaxEntries int
	// LookupTimeout bounds one lookup of the underlying reader. A lookup is
	// shared by concurrent callers, so it does not run on any one caller's
	// context.
	LookupTimeout time.Duration
	// Now is the clock; time.Now if nil.
	Now func() time.Time
}

// CachedRegistry is a RegistryReader that remembers answers of another:
// owners for PositiveTTL, "not registered" (the zero owner) for
// NegativeTTL; errors are not cached. Concurrent lookups of one address
// share one underlying call. When full, it drops expired entries, then
// arbitrary ones. It is a Rechecker.
type CachedRegistry struct {
	inner RegistryReader
	opts  CacheOptions
	group singleflight.Group

	mu      sync.Mutex
	entries map[common.Address]cacheEntry
}

type cacheEntry struct {
	owner common.Address
	at    time.Time // when it was read
	until time.Time
}

// NewCachedRegistry caches inner.
func NewCachedRegistry(inner RegistryReader, opts CacheOptions) *CachedRegistry {
	if opts.PositiveTTL <= 0 {
		opts.PositiveTTL = DefaultPositiveTTL
	}
	if opts.NegativeTTL <= 0 {
		opts.NegativeTTL = DefaultNegativeTTL
	}
	if opts.RecheckAfter <= 0 {
		opts.RecheckAfter = DefaultRecheckAfter
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultCacheEntries
	}
	if opts.LookupTimeout <= 0 {
		opts.LookupTimeout = DefaultLookupTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &CachedRegistry{inner: inner, opts: opts, entries: make(map[common.Address]cacheEntry)}
}

// OwnerOf answers from the cache or asks the underlying reader.
func (c *CachedRegistry) OwnerOf(ctx context.Context, provider common.Address) (common.Address, error) {
	return c.lookup(ctx, provider, 0)
}

// Recheck is OwnerOf, except that an answer read more than RecheckAfter
// ago is looked up again (and replaces the cached one).
func (c *CachedRegistry) Recheck(ctx context.Context, provider common.Address) (common.Address, error) {
	return c.lookup(ctx, provider, c.opts.RecheckAfter)
}

// lookup answers from an unexpired entry younger than maxAge (0: any age),
// else asks the underlying reader.
func (c *CachedRegistry) lookup(ctx context.Context, provider common.Address, maxAge time.Duration) (common.Address, error) {
	if owner, ok := c.cached(provider, maxAge); ok {
		return owner, nil
	}
	key := string(provider[:])
	if maxAge > 0 {
		key = "recheck " + key // not shared with plain lookups, which accept older answers
	}
	ch := c.group.DoChan(key, func() (any, error) {
		// A caller that missed the cache just before a previous flight
		// stored its answer finds it here.
		if owner, ok := c.cached(provider, maxAge); ok {
			return owner, nil
		}
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.LookupTimeout)
		defer cancel()
		owner, err := c.inner.OwnerOf(lctx, provider)
		if err != nil {
			return common.Address{}, err
		}
		c.store(provider, owner)
		return owner, nil
	})
	select {
	case <-ctx.Done():
		return common.Address{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return common.Address{}, res.Err
		}
		return res.Val.(common.Address), nil
	}
}

func (c *CachedRegistry) cached(provider common.Address, maxAge time.Duration) (common.Address, bool) {
	c.mu.Lock()
	e, ok := c.entries[provider]
	c.mu.Unlock()
	now := c.opts.Now()
	if !ok || !now.Before(e.until) || maxAge > 0 && now.Sub(e.at) >= maxAge {
		return common.Address{}, false
	}
	return e.owner, true
}

// Forget drops what the cache holds about provider, for example on a
// Registry event about it.
func (c *CachedRegistry) Forget(provider common.Address) {
	c.mu.Lock()
	delete(c.entries, provider)
	c.mu.Unlock()
}

// Len is the number of cached answers, expired ones included.
func (c *CachedRegistry) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *CachedRegistry) store(provider, owner common.Address) {
	now := c.opts.Now()
	ttl := c.opts.NegativeTTL
	if owner != (common.Address{}) {
		ttl = c.opts.PositiveTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[provider]; !ok && len(c.entries) >= c.opts.MaxEntries {
		for a, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, a)
			}
		}
		for a := range c.entries {
			if len(c.entries) < c.opts.MaxEntries {
				break
			}
			delete(c.entries, a)
		}
	}
	c.entries[provider] = cacheEntry{owner: owner, at: now, until: now.Add(ttl)}
}
