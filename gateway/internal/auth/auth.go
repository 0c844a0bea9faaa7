package auth

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// Defaults of Options.
const (
	DefaultChallengeTTL  = 5 * time.Minute
	DefaultSessionTTL    = 15 * time.Minute
	DefaultSessionMaxAge = 24 * time.Hour
	// DefaultChallengeRate is how many challenges one order may ask one
	// replica for per minute.
	DefaultChallengeRate = 20
	// cleanupInterval is how often expired challenges and revocations are
	// removed from Consul KV.
	cleanupInterval = time.Minute
	watchMinBackoff = 250 * time.Millisecond
	watchMaxBackoff = 10 * time.Second
)

// Orders is what login needs of the order check.
type Orders interface {
	Check(ctx context.Context, id *big.Int) (market.Order, error)
	// CheckFresh checks the order as the chain has it now: a login and a
	// renewal cap the session at the order's current end (an extension
	// counts at once).
	CheckFresh(ctx context.Context, id *big.Int) (market.Order, error)
	Chain() (orders.Chain, bool)
}

// Options configure an Authenticator.
type Options struct {
	// Provider is this gateway's provider address (the challenge's
	// gateway field).
	Provider common.Address
	// ChallengeTTL is how long a challenge may be signed and used.
	ChallengeTTL time.Duration
	// SessionTTL is the life of one session token; it never outlives its
	// order.
	SessionTTL time.Duration
	// SessionMaxAge is how long renewals may extend a login.
	SessionMaxAge time.Duration
	// ChallengeRate limits challenges per order per minute on this replica.
	ChallengeRate int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Authenticator issues challenges, logs buyers in and checks sessions.
type Authenticator struct {
	opts     Options
	orders   Orders
	store    *Store
	sessions *Sessions
	log      *zap.Logger
	ready    atomic.Bool
	names    atomic.Pointer[chainNames]

	rl rateLimiter
}

// New returns an authenticator whose sessions are signed with key; a nil
// key is the provider's shared key in Consul KV, which Run reads (creating
// it if no replica has) before the authenticator is ready.
func New(opts Options, o Orders, store *Store, key []byte, log *zap.Logger) (*Authenticator, error) {
	if opts.ChallengeTTL <= 0 {
		opts.ChallengeTTL = DefaultChallengeTTL
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.SessionMaxAge <= 0 {
		opts.SessionMaxAge = DefaultSessionMaxAge
	}
	if opts.ChallengeRate <= 0 {
		opts.ChallengeRate = DefaultChallengeRate
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if log == nil {
		log = zap.NewNop()
	}
	s, err := NewSessions(key, opts.Provider, opts.Now)
	if err != nil {
		return nil, err
	}
	return &Authenticator{opts: opts, orders: o, store: store, sessions: s, log: log.Named("auth"),
		rl: rateLimiter{limit: opts.ChallengeRate, window: time.Minute, seen: map[string]*window{}}}, nil
}

// Sessions is the session signer and verifier.
func (a *Authenticator) Sessions() *Sessions { return a.sessions }

// Challenge issues a login challenge for order id, after checking that the
// order may be used here.
func (a *Authenticator) Challenge(ctx context.Context, id *big.Int) (gatewaylogin.Challenge, error) {
	chain, ok := a.orders.Chain()
	if !ok {
		return gatewaylogin.Challenge{}, fmt.Errorf("%w: no chain configured yet", orders.ErrChainUnavailable)
	}
	if _, err := a.orders.Check(ctx, id); err != nil {
		return gatewaylogin.Challenge{}, err
	}
	now := a.opts.Now()
	if !a.rl.allow(id.String(), now) {
		return gatewaylogin.Challenge{}, fmt.Errorf("%w: at most %d a minute; sign one of those already issued", ErrTooManyChallenges, a.opts.ChallengeRate)
	}
	exp := uint64(now.Add(a.opts.ChallengeTTL).Unix())
	nonce, err := a.store.IssueNonce(ctx, id, exp)
	if err != nil {
		return gatewaylogin.Challenge{}, err
	}
	return gatewaylogin.Challenge{ChainID: chain.ID, Market: chain.Market, Gateway: a.opts.Provider, OrderID: id, Nonce: nonce, Expires: exp}, nil
}

// Session is an issued session.
type Session struct {
	Token   string
	Claims  *Claims
	Expires time.Time
}

// Login verifies a signed challenge for order id and issues a session. The
// checks run in this order, each with its own error: expiry, the nonce
// (unknown or spent: ErrReplayed; issued for another order:
// ErrOtherOrder), the order (package orders' errors), the signer
// (ErrWrongSigner); only then is the nonce spent, exactly once across
// replicas.
func (a *Authenticator) Login(ctx context.Context, id *big.Int, req gatewaylogin.LoginRequest) (Session, error) {
	chain, ok := a.orders.Chain()
	if !ok {
		return Session{}, fmt.Errorf("%w: no chain configured yet", orders.ErrChainUnavailable)
	}
	now := a.opts.Now()
	if uint64(max(now.Unix(), 0)) >= req.Expires {
		return Session{}, fmt.Errorf("%w at %s; ask for a new one", ErrChallengeExpired, time.Unix(int64(req.Expires), 0).UTC().Format(time.RFC3339))
	}
	recOrder, recExp, index, err := a.store.LookupNonce(ctx, req.Nonce)
	if err != nil {
		return Session{}, err
	}
	if recOrder != id.String() {
		return Session{}, fmt.Errorf("%w (order %s, not %s)", ErrOtherOrder, recOrder, id)
	}
	if recExp != req.Expires {
		return Session{}, fmt.Errorf("%w: expires %d does not match the challenge's %d", ErrMalformed, req.Expires, recExp)
	}
	o, err := a.orders.CheckFresh(ctx, id)
	if err != nil {
		return Session{}, err
	}
	c := gatewaylogin.Challenge{ChainID: chain.ID, Market: chain.Market, Gateway: a.opts.Provider, OrderID: id, Nonce: req.Nonce, Expires: req.Expires}
	signer, err := c.Recover(req.Signature[:])
	if err != nil {
		return Session{}, err
	}
	if signer != o.Buyer {
		return Session{}, fmt.Errorf("%w: signed by %s, the order's buyer is %s", ErrWrongSigner, signer.Hex(), o.Buyer.Hex())
	}
	if err := a.store.SpendNonce(ctx, req.Nonce, id, req.Expires, index); err != nil {
		return Session{}, err
	}
	return a.issue(o, chain, now)
}

func (a *Authenticator) issue(o market.Order, chain orders.Chain, loginAt time.Time) (Session, error) {
	now := a.opts.Now()
	exp := now.Add(a.opts.SessionTTL)
	if o.End.Before(exp) {
		exp = o.End
	}
	if limit := loginAt.Add(a.opts.SessionMaxAge); limit.Before(exp) {
		exp = limit
	}
	tok, claims, err := a.sessions.Issue(o.ID, chain.ID, chain.Market, o.Buyer, loginAt, exp)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: tok, Claims: claims, Expires: claims.ExpiresAt.Time}, nil
}

// Verify checks a session token and that it belongs to the chain and
// Market the gateway uses now. It does not read the chain.
func (a *Authenticator) Verify(token string) (*Claims, error) {
	c, err := a.sessions.Verify(token)
	if err != nil {
		return nil, err
	}
	chain, ok := a.orders.Chain()
	if !ok {
		return nil, fmt.Errorf("%w: no chain configured yet", orders.ErrChainUnavailable)
	}
	id, market := a.chainStrings(chain)
	if c.Chain != id || c.Market != market {
		return nil, fmt.Errorf("%w: issued for chain %s market %s, the gateway now serves chain %s market %s",
			ErrSessionInvalid, c.Chain, c.Market, id, market)
	}
	return c, nil
}

// chainNames are a chain's id and Market as session claims hold them.
type chainNames struct {
	chain      orders.Chain
	id, market string
}

// chainStrings formats chain for the claims, once per chain (Verify runs
// on every request).
func (a *Authenticator) chainStrings(chain orders.Chain) (string, string) {
	if n := a.names.Load(); n != nil && n.chain.ID.Cmp(chain.ID) == 0 && n.chain.Market == chain.Market {
		return n.id, n.market
	}
	n := &chainNames{chain: chain, id: chain.ID.String(), market: strings.ToLower(chain.Market.Hex())}
	a.names.Store(n)
	return n.id, n.market
}

// Renew issues a new token for the same order after checking that the
// order may still be used, as the chain has it now: the new token is
// capped at the order's current end, so a renewal after an extension gets
// the new end. The old token stays valid until it expires.
func (a *Authenticator) Renew(ctx context.Context, c *Claims) (Session, error) {
	chain, ok := a.orders.Chain()
	if !ok {
		return Session{}, fmt.Errorf("%w: no chain configured yet", orders.ErrChainUnavailable)
	}
	loginAt := time.Unix(c.LoginAt, 0)
	if !a.opts.Now().Before(loginAt.Add(a.opts.SessionMaxAge)) {
		return Session{}, fmt.Errorf("%w (logged in at %s; maximum %s)", ErrSessionTooOld, loginAt.UTC().Format(time.RFC3339), a.opts.SessionMaxAge)
	}
	o, err := a.orders.CheckFresh(ctx, c.OrderID())
	if err != nil {
		return Session{}, err
	}
	if !strings.EqualFold(o.Buyer.Hex(), c.Subject) {
		return Session{}, fmt.Errorf("%w: the order's buyer is no longer the session's", ErrSessionInvalid)
	}
	return a.issue(o, chain, loginAt)
}

// Logout revokes the session on every replica: this one at once, the
// others as soon as their watch sees the revocation.
func (a *Authenticator) Logout(ctx context.Context, c *Claims) error {
	exp := c.ExpiresAt.Time
	if err := a.store.Revoke(ctx, c.ID, exp); err != nil {
		return err
	}
	a.sessions.markRevoked(c.ID, exp.Unix())
	return nil
}

// Ready reports whether the session key is loaded and the revocation list
// has been read once.
func (a *Authenticator) Ready(context.Context) error {
	if !a.sessions.HasKey() {
		return errNoKey
	}
	if !a.ready.Load() {
		return fmt.Errorf("%w: revocations not read yet", ErrStateUnavailable)
	}
	return nil
}

// Run loads the session key if it has none, then follows the revocations
// and cleans up expired challenges and revocations until ctx is done.
func (a *Authenticator) Run(ctx context.Context) error {
	backoff := service.Backoff{First: watchMinBackoff, Max: watchMaxBackoff}
	for !a.sessions.HasKey() {
		key, err := a.store.SessionKey(ctx)
		if err == nil {
			err = a.sessions.SetKey(key)
			clear(key)
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if !errors.Is(err, ErrStateUnavailable) {
			return err // a key in KV that is not a key: the operator must fix it
		}
		a.log.Warn("loading the session key from Consul KV failed; retrying", zap.Error(err))
		if !service.Sleep(ctx, backoff.Next()) {
			return nil
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.cleanupLoop(ctx)
	}()
	a.watchLoop(ctx)
	wg.Wait()
	return nil
}

func (a *Authenticator) watchLoop(ctx context.Context) {
	var index uint64
	backoff := service.Backoff{First: watchMinBackoff, Max: watchMaxBackoff}
	failing := false
	for ctx.Err() == nil {
		start := time.Now()
		all, entries, idx, err := a.store.WatchRevocations(ctx, index)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if !failing {
				a.log.Warn("watching revocations failed; keeping the last list", zap.Error(err))
				failing = true
			}
			index = 0
			if !service.Sleep(ctx, backoff.Next()) {
				return
			}
			continue
		}
		if failing {
			a.log.Info("watching revocations again")
			failing = false
		}
		backoff.Reset()
		if idx < index {
			idx = 0
		}
		index = max(idx, 1)
		now := a.opts.Now().Unix()
		a.sessions.setRevoked(all, now)
		a.ready.Store(true)
		for _, e := range entries {
			if jti := e.Key[strings.LastIndexByte(e.Key, '/')+1:]; all[jti] < now {
				if err := a.store.DeleteRevocation(ctx, e.Key, e.ModifyIndex); err != nil {
					a.log.Debug("deleting an expired revocation", zap.Error(err))
				}
			}
		}
		if d := 50*time.Millisecond - time.Since(start); d > 0 && !service.Sleep(ctx, d) {
			return
		}
	}
}

func (a *Authenticator) cleanupLoop(ctx context.Context) {
	for service.Sleep(ctx, cleanupInterval) {
		n, err := a.store.CleanupNonces(ctx, a.opts.Now())
		if err != nil && !errors.Is(err, context.Canceled) {
			a.log.Warn("cleaning up expired challenges", zap.Error(err))
		} else if n > 0 {
			a.log.Debug("expired challenges deleted", zap.Int("count", n))
		}
		a.rl.prune(a.opts.Now())
	}
}

// rateLimiter counts events per key in fixed windows.
type rateLimiter struct {
	limit  int
	window time.Duration
	mu     sync.Mutex
	seen   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func (r *rateLimiter) allow(key string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.seen[key]
	if w == nil || now.Sub(w.start) >= r.window {
		if len(r.seen) >= 100_000 {
			r.pruneLocked(now)
		}
		w = &window{start: now}
		r.seen[key] = w
	}
	if w.n >= r.limit {
		return false
	}
	w.n++
	return true
}

func (r *rateLimiter) prune(now time.Time) {
	r.mu.Lock()
	r.pruneLocked(now)
	r.mu.Unlock()
}

func (r *rateLimiter) pruneLocked(now time.Time) {
	for k, w := range r.seen {
		if now.Sub(w.start) >= r.window {
			delete(r.seen, k)
		}
	}
}
