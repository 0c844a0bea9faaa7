package consul

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// State is a Leader's role.
type State string

// Leader states.
const (
	// StateStopped: Run is not running.
	StateStopped State = "stopped"
	// StateStandby: waiting for the lock (or for Consul).
	StateStandby State = "standby"
	// StateActive: holding the lock; the callback runs.
	StateActive State = "active"
)

// Leader lock defaults and bounds.
const (
	// DefaultSessionTTL is also Consul's floor (session_ttl_min).
	DefaultSessionTTL = 10 * time.Second
	MinSessionTTL     = 10 * time.Second
	MaxSessionTTL     = 24 * time.Hour
	// DefaultLockDelay keeps a standby from taking a lock whose holder's
	// session was just invalidated for this long (Consul's own default of
	// 15s would delay every takeover after a crash by as much).
	DefaultLockDelay = time.Second
	MaxLockDelay     = 60 * time.Second
)

// LeaderOptions tune a Leader.
type LeaderOptions struct {
	// SessionTTL is the Consul session's TTL; default and minimum 10s.
	// Consul invalidates a session that was not renewed for up to twice
	// its TTL, so a standby takes over from a holder that died hard within
	// about 2×SessionTTL + LockDelay.
	SessionTTL time.Duration
	// LockDelay is how long Consul keeps the lock from being taken after
	// its holder's session was invalidated; default 1s, at most 60s.
	LockDelay time.Duration
	// ID names this instance; it is the lock key's value, which shows who
	// holds it. Default <hostname>-<pid>.
	ID string
	// HealthCheckID ties the session to one of the agent's health checks,
	// usually the daemon's own service check ("service:<service id>"):
	// Consul invalidates the session the moment that check turns critical,
	// so a standby takes over from a holder that died hard within the
	// check's interval + timeout + LockDelay instead of 2×SessionTTL. The
	// TTL still covers a holder whose agent is gone. A session cannot be
	// created while the check is critical; the Leader retries.
	HealthCheckID string
}

// CarrierLockKey is the key of the lock that makes one carrier of an
// organization active: gridnode/<org>/carrier/leader.
func CarrierLockKey(org string) (string, error) {
	p, err := OrgPrefix(org)
	if err != nil {
		return "", err
	}
	return p + "carrier/leader", nil
}

// Leader is leader election on a Consul lock: of all the Leaders on one key,
// in all processes, at most one is active at any time.
//
// It holds the lock through a Consul session with a TTL, renewed every
// TTL/3. It steps down (cancels the active context) as soon as it cannot
// confirm a renewal sent within the last TTL minus a safety margin, before
// Consul could possibly have released the lock to another instance; it also
// watches the lock key and steps down at once if the lock is no longer its
// own. A clean stop releases the lock and destroys the session so that a
// standby takes over at once.
type Leader struct {
	kv       kvAPI
	sessions sessionAPI
	key      string
	opts     LeaderOptions
	addr     string
	log      *zap.Logger

	// kill ends Run as if the process had died: no release, no destroy,
	// the session is left to expire (tests).
	kill     chan struct{}
	killOnce sync.Once
	killed   atomic.Bool

	mu      sync.Mutex
	state   State
	active  *leaderSession // the session holding the lock while active
	holder  string         // who holds the lock, as last seen
	lastErr error          // why the last attempt to campaign failed
}

// NewLeader returns a Leader on key; Run campaigns.
func NewLeader(c *api.Client, key string, opts LeaderOptions, log *zap.Logger) (*Leader, error) {
	return newLeader(c.KV(), c.Session(), agentAddr(c), key, opts, log)
}

func newLeader(kv kvAPI, sessions sessionAPI, addr, key string, opts LeaderOptions, log *zap.Logger) (*Leader, error) {
	if err := validateKey(key); err != nil {
		return nil, fmt.Errorf("consul leader: %w", err)
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.SessionTTL < MinSessionTTL || opts.SessionTTL > MaxSessionTTL {
		return nil, fmt.Errorf("consul leader: session ttl %s: want %s to %s", opts.SessionTTL, MinSessionTTL, MaxSessionTTL)
	}
	if opts.LockDelay == 0 {
		opts.LockDelay = DefaultLockDelay
	}
	if opts.LockDelay < time.Millisecond || opts.LockDelay > MaxLockDelay {
		return nil, fmt.Errorf("consul leader: lock delay %s: want 1ms to %s", opts.LockDelay, MaxLockDelay)
	}
	if opts.ID == "" {
		host, _ := os.Hostname()
		opts.ID = host + "-" + strconv.Itoa(os.Getpid())
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Leader{
		kv:       kv,
		sessions: sessions,
		key:      key,
		opts:     opts,
		addr:     addr,
		log:      log.Named("consul").With(zap.String("lock", key), zap.String("id", opts.ID)),
		kill:     make(chan struct{}),
		state:    StateStopped,
	}, nil
}

// State returns the Leader's current role.
func (l *Leader) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// Ready is a readiness check for /readyz: nil while active; a standby says
// "standby: …".
func (l *Leader) Ready(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.state == StateActive:
		return nil
	case l.state == StateStopped:
		return fmt.Errorf("leader election on %s is not running", l.key)
	case l.lastErr != nil:
		return fmt.Errorf("standby: cannot campaign for lock %s at consul %s: %w", l.key, l.addr, l.lastErr)
	case l.holder != "":
		return fmt.Errorf("standby: another instance (%s) holds the lock %s", l.holder, l.key)
	default:
		return fmt.Errorf("standby: campaigning for lock %s", l.key)
	}
}

func (l *Leader) setStandby(holder string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.killed.Load() {
		l.state = StateStandby
	}
	l.active = nil
	l.holder = holder
	l.lastErr = err
}

// leaderSession is one Consul session and the goroutine that renews it.
type leaderSession struct {
	id     string
	ctx    context.Context // done when the session is lost or Run stops
	cancel context.CancelFunc
	lost   atomic.Pointer[error]
	done   chan struct{} // the renewer has returned
}

func (s *leaderSession) lostErr() error {
	if p := s.lost.Load(); p != nil {
		return *p
	}
	return nil
}

// Run campaigns for the lock until ctx is done. While it holds the lock it
// runs fn with a context that is cancelled the moment leadership is lost or
// in doubt; fn must stop acting as leader then, and return. After losing
// the lock Run goes back to standby and campaigns again.
//
// Run returns nil when ctx is done (after fn has returned, the lock is
// released and the session destroyed). If fn returns by itself while
// active, Run releases the lock and returns fn's error, wrapped, or nil.
// Consul being unreachable never ends Run.
func (l *Leader) Run(ctx context.Context, fn func(active context.Context) error) error {
	if fn == nil {
		return errors.New("consul leader: nil callback")
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-l.kill:
			cancel()
		case <-runCtx.Done():
		}
	}()
	l.setStandby("", nil)
	defer func() {
		l.mu.Lock()
		l.state = StateStopped
		l.active = nil
		l.mu.Unlock()
	}()

	b := service.Backoff{First: 250 * time.Millisecond, Max: 5 * time.Second, Jitter: true}
	failing := false
	for {
		sess, err := l.newSession(runCtx)
		if runCtx.Err() != nil {
			return nil
		}
		if err != nil {
			l.setStandby("", err)
			if !failing {
				l.log.Warn("standby: cannot create a consul session; retrying", zap.String("agent", l.addr), zap.Error(err))
				failing = true
			}
			if !service.Sleep(runCtx, b.Next()) {
				return nil
			}
			continue
		}
		if failing {
			l.log.Info("consul session created again")
			failing = false
		}
		b.Reset()
		if err := l.campaign(sess); err == nil {
			stop, err := l.lead(sess, fn)
			l.closeSession(sess)
			if stop {
				return err
			}
		} else {
			l.closeSession(sess)
		}
		if runCtx.Err() != nil {
			return nil
		}
	}
}

// newSession creates a session and starts renewing it.
func (l *Leader) newSession(ctx context.Context) (*leaderSession, error) {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	sent := time.Now()
	id, _, err := l.sessions.Create(&api.SessionEntry{
		Name:      "gridnode lock " + l.key + " (" + l.opts.ID + ")",
		TTL:       l.opts.SessionTTL.String(),
		LockDelay: l.opts.LockDelay,
		Behavior:  api.SessionBehaviorRelease,
		// Node checks stay the default (serfHealth); the service check is
		// added when given.
		ServiceChecks: l.serviceChecks(),
	}, writeOpts(cctx))
	if err != nil {
		return nil, fmt.Errorf("creating session: %w", err)
	}
	sctx, scancel := context.WithCancel(ctx)
	s := &leaderSession{id: id, ctx: sctx, cancel: scancel, done: make(chan struct{})}
	go l.keepAlive(s, sent)
	return s, nil
}

func (l *Leader) serviceChecks() []api.ServiceCheck {
	if l.opts.HealthCheckID == "" {
		return nil
	}
	return []api.ServiceCheck{{ID: l.opts.HealthCheckID}}
}

// safetyMargin is how long before its deadline a holder gives up a session
// whose renewal it cannot confirm.
func safetyMargin(ttl time.Duration) time.Duration { return ttl / 5 }

// keepAlive renews s every TTL/3. The session is valid, as far as this
// process can prove, until TTL minus a margin after the last renewal that
// was *sent* and confirmed; past that, or on a renewal that says the session
// is gone, the session is lost.
func (l *Leader) keepAlive(s *leaderSession, created time.Time) {
	defer close(s.done)
	ttl := l.opts.SessionTTL
	every := ttl / 3
	validUntil := created.Add(ttl - safetyMargin(ttl))
	next := time.Now().Add(every)
	t := time.NewTimer(time.Until(next))
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		if !time.Now().Before(validUntil) {
			l.loseSession(s, errors.New("session renewal not confirmed in time"))
			return
		}
		sent := time.Now()
		rctx, cancel := context.WithDeadline(s.ctx, earliest(sent.Add(every), validUntil))
		entry, _, err := l.sessions.Renew(s.id, writeOpts(rctx))
		cancel()
		if s.ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			l.log.Debug("renewing consul session failed", zap.Error(err))
			if !time.Now().Before(validUntil) {
				l.loseSession(s, fmt.Errorf("session renewal not confirmed in time: %w", err))
				return
			}
			next = earliest(time.Now().Add(500*time.Millisecond), validUntil)
		case entry == nil:
			l.loseSession(s, errors.New("session expired or was destroyed"))
			return
		default:
			if d, err := time.ParseDuration(entry.TTL); err == nil && d >= MinSessionTTL && d != ttl {
				ttl, every = d, d/3
			}
			validUntil = sent.Add(ttl - safetyMargin(ttl))
			next = time.Now().Add(every)
		}
		t.Reset(time.Until(next))
	}
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// loseSession marks s lost: if it holds the lock, the Leader stops being
// active first, then everything running under s is cancelled.
func (l *Leader) loseSession(s *leaderSession, cause error) {
	if !s.lost.CompareAndSwap(nil, &cause) {
		return
	}
	l.mu.Lock()
	if l.active == s {
		l.state = StateStandby
		l.active = nil
	}
	l.mu.Unlock()
	s.cancel()
}

// closeSession stops renewing s and destroys it, unless the process is
// "dead" (tests).
func (l *Leader) closeSession(s *leaderSession) {
	s.cancel()
	<-s.done
	if l.killed.Load() {
		return
	}
	timeout := stopTimeout
	if s.lostErr() != nil {
		timeout = time.Second // likely gone or unreachable: do not linger
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := l.sessions.Destroy(s.id, writeOpts(ctx)); err != nil {
		l.log.Debug("destroying consul session failed; it will expire", zap.Error(err))
	}
}

// campaign tries to acquire the lock with s, waiting as standby while
// another instance holds it. It returns nil once acquired, or an error when
// s is lost or Run's context is done.
func (l *Leader) campaign(s *leaderSession) error {
	b := service.Backoff{First: 250 * time.Millisecond, Max: 5 * time.Second, Jitter: true}
	retryFree := min(max(l.opts.LockDelay/10, 20*time.Millisecond), 100*time.Millisecond)
	standbyLogged, failing, sawFree := false, false, false
	var index uint64
	for {
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		acquired, err := l.acquire(s)
		if err == nil {
			if acquired {
				return nil
			}
			var pair *api.KVPair
			var meta *api.QueryMeta
			pair, meta, err = l.kv.Get(l.key, queryOpts(s.ctx, api.QueryOptions{WaitIndex: index, WaitTime: DefaultWaitTime}))
			if err == nil {
				if failing {
					l.log.Info("consul reachable again")
					failing = false
				}
				b.Reset()
				if pair == nil || pair.Session == "" {
					// Free: try at once. If it was free at the last
					// attempt too, a lock delay runs: poll until it ends.
					l.setStandby("", nil)
					index = 0
					if sawFree && !service.Sleep(s.ctx, retryFree) {
						return s.ctx.Err()
					}
					sawFree = true
					continue
				}
				sawFree = false
				holder := string(pair.Value)
				l.setStandby(holder, nil)
				if !standbyLogged {
					l.log.Info("standby: another instance holds the lock", zap.String("holder", holder))
					standbyLogged = true
				}
				index = nextIndex(index, meta.LastIndex)
				continue
			}
		}
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		l.setStandby("", err)
		if !failing {
			l.log.Warn("standby: cannot reach consul to campaign; retrying", zap.String("agent", l.addr), zap.Error(err))
			failing = true
		}
		index = 0
		if !service.Sleep(s.ctx, b.Next()) {
			return s.ctx.Err()
		}
	}
}

func (l *Leader) acquire(s *leaderSession) (bool, error) {
	ctx, cancel := context.WithTimeout(s.ctx, callTimeout)
	defer cancel()
	ok, _, err := l.kv.Acquire(&api.KVPair{Key: l.key, Value: []byte(l.opts.ID), Session: s.id}, writeOpts(ctx))
	if err != nil {
		return false, fmt.Errorf("acquiring lock %s: %w", l.key, err)
	}
	return ok, nil
}

// lead runs fn while s holds the lock. stop reports that Run should
// return err; otherwise leadership was lost and Run campaigns again.
func (l *Leader) lead(s *leaderSession, fn func(context.Context) error) (stop bool, err error) {
	activeCtx, cancelActive := context.WithCancel(s.ctx)
	defer cancelActive()
	l.mu.Lock()
	l.state = StateActive
	l.active = s
	l.holder = l.opts.ID
	l.lastErr = nil
	l.mu.Unlock()
	l.log.Info("acquired the lock: active")
	start := time.Now()

	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		l.monitor(activeCtx, s)
	}()
	fnDone := make(chan error, 1)
	go func() { fnDone <- fn(activeCtx) }()

	var fnErr error
	fnReturned, byItself := false, false
	select {
	case fnErr = <-fnDone:
		fnReturned, byItself = true, activeCtx.Err() == nil
	case <-activeCtx.Done():
	}
	// Step down: no longer active first, then cancel, then wait for fn.
	l.mu.Lock()
	if l.active == s {
		l.state = StateStandby
		l.active = nil
	}
	l.mu.Unlock()
	cancelActive()
	if !fnReturned {
		fnErr = <-fnDone
	}
	<-monitorDone
	if l.killed.Load() {
		return true, nil
	}
	if lost := s.lostErr(); lost != nil {
		l.log.Warn("lost the lock: standby", zap.Error(lost), zap.Duration("was_active", time.Since(start)))
		return false, nil
	}
	l.release(s)
	switch {
	case byItself && fnErr != nil:
		return true, fmt.Errorf("leader callback: %w", fnErr)
	case byItself:
		l.log.Info("released the lock: callback returned", zap.Duration("was_active", time.Since(start)))
	default:
		l.log.Info("released the lock: stopping", zap.Duration("was_active", time.Since(start)))
	}
	return true, nil
}

// release gives the lock up (no lock delay applies to a release).
func (l *Leader) release(s *leaderSession) {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if _, _, err := l.kv.Release(&api.KVPair{Key: l.key, Session: s.id}, writeOpts(ctx)); err != nil {
		l.log.Warn("releasing the lock failed; destroying the session releases it", zap.Error(err))
	}
}

// monitor watches the lock key while active: if it is deleted or held by
// another session, the lock is lost. Errors are not decisive here: the
// renewer decides when an unreachable Consul means the lock is in doubt.
func (l *Leader) monitor(ctx context.Context, s *leaderSession) {
	b := service.Backoff{First: 250 * time.Millisecond, Max: 2 * time.Second, Jitter: true}
	var index uint64
	for {
		pair, meta, err := l.kv.Get(l.key, queryOpts(ctx, api.QueryOptions{WaitIndex: index, WaitTime: DefaultWaitTime}))
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			index = 0
			if !service.Sleep(ctx, b.Next()) {
				return
			}
			continue
		}
		b.Reset()
		if pair == nil || pair.Session != s.id {
			l.loseSession(s, errors.New("the lock key was deleted or is held by another session"))
			return
		}
		index = nextIndex(index, meta.LastIndex)
	}
}
