package listing

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/singleflight"
)

// CachedRegistry defaults.
const (
	DefaultPositiveTTL   = 5 * time.Minute
	DefaultNegativeTTL   = 30 * time.Second
	DefaultCacheEntries  = 100_000
	DefaultLookupTimeout = 10 * time.Second
)

// CacheOptions configure a CachedRegistry. Zero fields take the defaults.
type CacheOptions struct {
	// PositiveTTL is how long "registered" is believed.
	PositiveTTL time.Duration
	// NegativeTTL is how long "not registered" is believed; short, so that
	// a newly registered provider is accepted soon.
	NegativeTTL time.Duration
	// MaxEntries bounds the cache.
	MaxEntries int
	// LookupTimeout bounds one lookup of the underlying checker. A lookup is
	// shared by concurrent callers, so it does not run on any one caller's
	// context.
	LookupTimeout time.Duration
	// Now is the clock; time.Now if nil.
	Now func() time.Time
}

// CachedRegistry is a RegistryChecker that remembers answers of another:
// positive ones for PositiveTTL, negative ones for NegativeTTL; errors are
// not cached. Concurrent lookups of one address share one underlying call.
// When full, it drops expired entries, then arbitrary ones.
type CachedRegistry struct {
	inner RegistryChecker
	opts  CacheOptions
	group singleflight.Group

	mu      sync.Mutex
	entries map[common.Address]cacheEntry
}

type cacheEntry struct {
	registered bool
	until      time.Time
}

// NewCachedRegistry caches inner.
func NewCachedRegistry(inner RegistryChecker, opts CacheOptions) *CachedRegistry {
	if opts.PositiveTTL <= 0 {
		opts.PositiveTTL = DefaultPositiveTTL
	}
	if opts.NegativeTTL <= 0 {
		opts.NegativeTTL = DefaultNegativeTTL
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

// IsRegistered answers from the cache or asks the underlying checker.
func (c *CachedRegistry) IsRegistered(ctx context.Context, provider common.Address) (bool, error) {
	if registered, ok := c.cached(provider); ok {
		return registered, nil
	}
	ch := c.group.DoChan(string(provider[:]), func() (any, error) {
		// A caller that missed the cache just before a previous flight
		// stored its answer finds it here.
		if registered, ok := c.cached(provider); ok {
			return registered, nil
		}
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.LookupTimeout)
		defer cancel()
		registered, err := c.inner.IsRegistered(lctx, provider)
		if err != nil {
			return false, err
		}
		c.store(provider, registered)
		return registered, nil
	})
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return false, res.Err
		}
		return res.Val.(bool), nil
	}
}

func (c *CachedRegistry) cached(provider common.Address) (registered, ok bool) {
	c.mu.Lock()
	e, ok := c.entries[provider]
	c.mu.Unlock()
	if ok && c.opts.Now().Before(e.until) {
		return e.registered, true
	}
	return false, false
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

func (c *CachedRegistry) store(provider common.Address, registered bool) {
	now := c.opts.Now()
	ttl := c.opts.NegativeTTL
	if registered {
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
	c.entries[provider] = cacheEntry{registered: registered, until: now.Add(ttl)}
}
