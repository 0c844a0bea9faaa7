package consul

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

// dieForTest ends Run as a process killed with SIGKILL would: no step-down
// protocol, no release, no session destroy; the session is left to expire.
func (l *Leader) dieForTest() {
	l.killOnce.Do(func() {
		l.killed.Store(true)
		l.mu.Lock()
		l.state = StateStopped
		l.active = nil
		l.mu.Unlock()
		close(l.kill)
	})
}

// election runs several Leaders on one key and checks, continuously, that
// never two are active: a sampler reads every State() each 10ms, and every
// callback counts itself in and out of its active phase, so an overlap is
// caught exactly, not only when sampled.
type election struct {
	t   *testing.T
	key string

	mu      sync.Mutex
	members map[string]*member

	running    atomic.Int32
	overlaps   atomic.Int32
	sampled    atomic.Int64
	twoActive  atomic.Int32
	activeSeen chan string
}

type member struct {
	name string
	l    *Leader
	stop func() error
}

func newElection(t *testing.T, key string) *election {
	e := &election{t: t, key: key, members: map[string]*member{}, activeSeen: make(chan string, 64)}
	stop := background(t, func(ctx context.Context) error {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
			var active []string
			e.mu.Lock()
			for _, m := range e.members {
				if m.l.State() == StateActive {
					active = append(active, m.name)
				}
			}
			e.mu.Unlock()
			e.sampled.Add(1)
			if len(active) > 1 {
				e.twoActive.Add(1)
				t.Errorf("two active at once: %v", active)
			}
		}
	})
	t.Cleanup(func() {
		_ = stop()
		t.Logf("sampler: %d samples, %d with two active; callbacks overlapping: %d", e.sampled.Load(), e.twoActive.Load(), e.overlaps.Load())
		if e.overlaps.Load() > 0 {
			t.Errorf("%d callbacks ran while another was active", e.overlaps.Load())
		}
	})
	return e
}

func (e *election) callback(name string) func(context.Context) error {
	return func(ctx context.Context) error {
		if n := e.running.Add(1); n > 1 {
			e.overlaps.Add(1)
		}
		select {
		case e.activeSeen <- name:
		default:
		}
		<-ctx.Done()
		e.running.Add(-1)
		return nil
	}
}

func (e *election) start(c *api.Client, name string, fn func(context.Context) error) *member {
	e.t.Helper()
	l, err := NewLeader(c, e.key, LeaderOptions{ID: name}, testLogger(e.t).With())
	if err != nil {
		e.t.Fatal(err)
	}
	if fn == nil {
		fn = e.callback(name)
	}
	m := &member{name: name, l: l}
	m.stop = background(e.t, func(ctx context.Context) error { return l.Run(ctx, fn) })
	e.mu.Lock()
	e.members[name] = m
	e.mu.Unlock()
	return m
}

func (e *election) remove(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.members, name)
}

// active waits until exactly one member is active and returns it.
func (e *election) active(timeout time.Duration, exclude string) (*member, time.Duration) {
	e.t.Helper()
	var got *member
	took := eventually(e.t, timeout, "one active leader on "+e.key, func() (bool, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		got = nil
		n := 0
		for _, m := range e.members {
			if m.l.State() == StateActive {
				got = m
				n++
			}
		}
		return n == 1 && got.name != exclude, nil
	})
	return got, took
}

func TestLeaderOptions(t *testing.T) {
	tests := []struct {
		name string
		key  string
		opts LeaderOptions
		ok   bool
	}{
		{"defaults", "gridnode/org-a/carrier/leader", LeaderOptions{}, true},
		{"ttl under consul's floor", "k", LeaderOptions{SessionTTL: 5 * time.Second}, false},
		{"ttl over a day", "k", LeaderOptions{SessionTTL: 25 * time.Hour}, false},
		{"lock delay over a minute", "k", LeaderOptions{LockDelay: 2 * time.Minute}, false},
		{"negative lock delay", "k", LeaderOptions{LockDelay: -time.Second}, false},
		{"empty key", "", LeaderOptions{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := newLeader(nil, nil, "", tt.key, tt.opts, nil)
			if (err == nil) != tt.ok {
				t.Fatalf("newLeader: %v, want ok=%v", err, tt.ok)
			}
			if err == nil && (l.opts.SessionTTL != DefaultSessionTTL || l.opts.LockDelay != DefaultLockDelay || l.opts.ID == "") {
				t.Fatalf("defaults: %+v", l.opts)
			}
		})
	}
	key, err := CarrierLockKey("org-a")
	if err != nil || key != "gridnode/org-a/carrier/leader" {
		t.Fatalf("CarrierLockKey = %q, %v", key, err)
	}
}

func TestLeaderExactlyOneActive(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d leaders", n), func(t *testing.T) {
			e := newElection(t, fmt.Sprintf("gridnode/org-a/test/one-of-%d", n))
			for i := range n {
				e.start(c, fmt.Sprintf("l%d", i), nil)
			}
			act, took := e.active(20*time.Second, "")
			t.Logf("%d leaders: %s active after %s", n, act.name, took.Round(time.Millisecond))
			eventually(t, 10*time.Second, "standbys see the holder", func() (bool, error) {
				e.mu.Lock()
				defer e.mu.Unlock()
				for _, m := range e.members {
					err := m.l.Ready(t.Context())
					if m == act && err != nil {
						return false, err
					}
					if m != act && (err == nil || !strings.HasPrefix(err.Error(), "standby: another instance ("+act.name+")")) {
						return false, err
					}
				}
				return true, nil
			})
			time.Sleep(time.Second) // let the sampler watch a steady state
			if act.l.State() != StateActive {
				t.Fatalf("%s no longer active", act.name)
			}
			v, _, _ := c.KV().Get(e.key, nil)
			if v == nil || string(v.Value) != act.name || v.Session == "" {
				t.Fatalf("lock key %+v, want held with value %s", v, act.name)
			}
		})
	}
}

func TestLeaderTakeover(t *testing.T) {
	t.Parallel()
	a := consultest.Start(t)
	c := client(t, a)

	t.Run("clean stop", func(t *testing.T) {
		e := newElection(t, "gridnode/org-a/test/clean")
		e.start(c, "a", nil)
		e.start(c, "b", nil)
		act, _ := e.active(20*time.Second, "")
		stopped := time.Now()
		if err := act.stop(); err != nil {
			t.Fatal(err)
		}
		if act.l.State() != StateStopped {
			t.Fatalf("stopped leader is %s", act.l.State())
		}
		e.remove(act.name)
		next, _ := e.active(15*time.Second, act.name)
		t.Logf("clean stop: %s took over %s after %s stopped", next.name, time.Since(stopped).Round(time.Millisecond), act.name)
	})

	t.Run("callback error", func(t *testing.T) {
		e := newElection(t, "gridnode/org-a/test/fnerr")
		l, err := NewLeader(c, e.key, LeaderOptions{ID: "failing"}, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		isActive, proceed := make(chan struct{}), make(chan struct{})
		runErr := make(chan error, 1)
		go func() {
			runErr <- l.Run(t.Context(), func(context.Context) error {
				close(isActive)
				<-proceed
				return boom
			})
		}()
		select {
		case <-isActive:
		case <-time.After(20 * time.Second):
			t.Fatal("failing leader never active")
		}
		e.start(c, "next", nil)
		time.Sleep(300 * time.Millisecond) // "next" is a standby now
		failed := time.Now()
		close(proceed)
		select {
		case err = <-runErr:
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after its callback failed")
		}
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "leader callback: ") {
			t.Fatalf("Run = %v, want the callback's error wrapped", err)
		}
		if l.State() != StateStopped {
			t.Fatalf("state after Run: %s", l.State())
		}
		next, _ := e.active(15*time.Second, "")
		t.Logf("callback error: the lock was released and %s took over %s after the failure", next.name, time.Since(failed).Round(time.Millisecond))
	})

	t.Run("hard death", func(t *testing.T) {
		e := newElection(t, "gridnode/org-a/test/hard")
		e.start(c, "a", nil)
		e.start(c, "b", nil)
		act, _ := e.active(20*time.Second, "")
		died := time.Now()
		act.l.dieForTest()
		e.remove(act.name)
		// Consul invalidates a session up to 2×TTL after its last renewal,
		// then the lock delay runs.
		bound := 2*DefaultSessionTTL + DefaultLockDelay + 15*time.Second
		next, _ := e.active(bound, act.name)
		t.Logf("hard death: %s took over %s after %s died (TTL %s, lock delay %s)",
			next.name, time.Since(died).Round(time.Millisecond), act.name, DefaultSessionTTL, DefaultLockDelay)
	})
}

// A leader cut off from Consul steps down before its session can expire,
// so the other one never overlaps it.
func TestLeaderPartition(t *testing.T) {
	t.Parallel()
	a := consultest.Start(t)
	direct := client(t, a)
	proxy := newPartitionProxy(t, a.Addr())
	viaProxy, err := NewClient(Options{Addr: proxy.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	e := newElection(t, "gridnode/org-a/test/partition")
	cut := e.start(viaProxy, "cut-off", nil)
	e.active(20*time.Second, "")
	e.start(direct, "healthy", nil)
	time.Sleep(500 * time.Millisecond)
	if cut.l.State() != StateActive {
		t.Fatalf("cut-off leader is %s before the partition", cut.l.State())
	}

	partitioned := time.Now()
	proxy.setPaused(true)
	stepDown := eventually(t, DefaultSessionTTL+5*time.Second, "the cut-off leader steps down", func() (bool, error) {
		return cut.l.State() != StateActive, nil
	})
	next, _ := e.active(2*DefaultSessionTTL+DefaultLockDelay+15*time.Second, "cut-off")
	takeover := time.Since(partitioned)
	t.Logf("partition: cut-off leader stepped down after %s; %s took over after %s (TTL %s)",
		stepDown.Round(time.Millisecond), next.name, takeover.Round(time.Millisecond), DefaultSessionTTL)
	if err := cut.l.Ready(t.Context()); err == nil || !strings.HasPrefix(err.Error(), "standby") {
		t.Errorf("Ready of the cut-off leader: %v", err)
	}

	proxy.setPaused(false)
	healed := time.Now()
	eventually(t, 30*time.Second, "the cut-off leader is a standby of the healthy one", func() (bool, error) {
		err := cut.l.Ready(t.Context())
		return err != nil && strings.HasPrefix(err.Error(), "standby: another instance (healthy)"), err
	})
	t.Logf("partition healed: cut-off leader back as standby after %s", time.Since(healed).Round(time.Millisecond))
	if next.l.State() != StateActive {
		t.Fatalf("healthy leader lost the lock after the partition healed: %s", next.l.State())
	}
}

// Several kills in a row, clean and hard, with three candidates: never two
// active; each takeover is logged.
func TestLeaderNeverTwoActive(t *testing.T) {
	t.Parallel()
	a := consultest.Start(t)
	c := client(t, a)
	e := newElection(t, "gridnode/org-a/test/never-two")
	for i := range 3 {
		e.start(c, fmt.Sprintf("n%d", i), nil)
	}
	act, _ := e.active(20*time.Second, "")
	spare := 3
	for round, hard := range []bool{false, true, false, false} {
		killed := time.Now()
		kind := "clean stop"
		if hard {
			kind = "hard death"
			act.l.dieForTest()
		} else if err := act.stop(); err != nil {
			t.Fatal(err)
		}
		e.remove(act.name)
		e.start(c, fmt.Sprintf("n%d", spare), nil) // keep three candidates
		spare++
		next, _ := e.active(2*DefaultSessionTTL+DefaultLockDelay+15*time.Second, act.name)
		t.Logf("round %d, %s of %s: %s active after %s", round, kind, act.name, next.name, time.Since(killed).Round(time.Millisecond))
		act = next
	}
}
