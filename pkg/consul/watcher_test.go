package consul

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

func TestNextIndex(t *testing.T) {
	tests := []struct{ prev, got, want uint64 }{
		{0, 0, 1},   // below 1: block next time instead of spinning
		{0, 7, 7},   // first answer
		{7, 7, 7},   // wait timed out
		{7, 9, 9},   // moved forward
		{9, 3, 0},   // went backwards: start over
		{9, 0, 0},   // went backwards to 0
		{1, 1, 1},   // stays at 1
		{5, 6, 6},   // forward by one
		{0, 1, 1},   // forward from 0
		{12, 11, 0}, // backwards by one
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%d", tt.prev, tt.got), func(t *testing.T) {
			if got := nextIndex(tt.prev, tt.got); got != tt.want {
				t.Fatalf("nextIndex(%d, %d) = %d, want %d", tt.prev, tt.got, got, tt.want)
			}
		})
	}
}

// scriptedHealth answers Health().Service from a script and records the
// WaitIndex of each query; past the script it blocks until the query's
// context is done.
type scriptedHealth struct {
	mu      sync.Mutex
	steps   []healthStep
	indexes []uint64
	done    chan struct{} // closed when the script is exhausted
}

type healthStep struct {
	index uint64
	ids   []string
	err   error
}

func (s *scriptedHealth) Service(_, _ string, _ bool, q *api.QueryOptions) ([]*api.ServiceEntry, *api.QueryMeta, error) {
	s.mu.Lock()
	s.indexes = append(s.indexes, q.WaitIndex)
	if len(s.steps) == 0 {
		s.mu.Unlock()
		select {
		case <-s.done:
		default:
			close(s.done)
		}
		<-q.Context().Done()
		return nil, nil, q.Context().Err()
	}
	st := s.steps[0]
	s.steps = s.steps[1:]
	s.mu.Unlock()
	if st.err != nil {
		return nil, nil, st.err
	}
	var out []*api.ServiceEntry
	for _, id := range st.ids {
		out = append(out, &api.ServiceEntry{
			Node:    &api.Node{Node: "n1", Address: "10.0.0.1"},
			Service: &api.AgentService{ID: id, Service: "gateway", Port: 80},
		})
	}
	return out, &api.QueryMeta{LastIndex: st.index}, nil
}

// Index rules per Consul's blocking-query documentation, the last good set
// kept across an error, and a subscriber that never reads.
func TestWatcherIndexRulesAndLastGoodSet(t *testing.T) {
	h := &scriptedHealth{done: make(chan struct{}), steps: []healthStep{
		{index: 5, ids: []string{"b", "a"}},
		{index: 5, ids: []string{"b", "a"}},      // wait timed out, nothing new
		{index: 3, ids: []string{"a", "b", "c"}}, // index went backwards
		{err: errors.New("connection refused")},
		{index: 0, ids: []string{"c"}}, // index 0
	}}
	w, err := newWatcher(h, "gateway", WatchOptions{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	slow, cancelSlow := w.Subscribe() // never read until the end
	defer cancelSlow()
	stop := background(t, w.Run)
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		t.Fatal("script not consumed")
	}
	h.mu.Lock()
	got := slices.Clone(h.indexes)
	h.mu.Unlock()
	want := []uint64{0, 5, 5, 0, 0, 1}
	if !slices.Equal(got, want) {
		t.Fatalf("wait indexes %v, want %v", got, want)
	}
	set, synced := w.Snapshot()
	if !synced || len(set) != 1 || set[0].ID != "c" || set[0].Address != "10.0.0.1" {
		t.Fatalf("snapshot %+v synced %v", set, synced)
	}
	latest := <-slow
	if len(latest) != 1 || latest[0].ID != "c" {
		t.Fatalf("slow subscriber got %+v, want the latest set", latest)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-slow; ok {
		t.Fatal("subscription not closed after Run returned")
	}
}

// The error step must not have cleared the set: check it with a script that
// stops right after an error.
func TestWatcherKeepsSetOnError(t *testing.T) {
	h := &scriptedHealth{done: make(chan struct{}), steps: []healthStep{
		{index: 9, ids: []string{"b", "a"}},
		{err: errors.New("connection refused")},
		{err: errors.New("connection refused")},
	}}
	w, err := newWatcher(h, "gateway", WatchOptions{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	background(t, w.Run)
	<-h.done
	set, synced := w.Snapshot()
	if !synced || len(set) != 2 || set[0].ID != "a" || set[1].ID != "b" {
		t.Fatalf("snapshot after errors %+v (synced %v), want the last good set, sorted", set, synced)
	}
	if err := w.Ready(t.Context()); err != nil {
		t.Fatalf("Ready: %v", err)
	}
}

func ids(set []Instance) []string {
	out := make([]string, len(set))
	for i, in := range set {
		out[i] = in.ID
	}
	return out
}

// next waits for the subscription's next set that satisfies cond.
func next(t *testing.T, ch <-chan []Instance, timeout time.Duration, what string, cond func([]Instance) bool) []Instance {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case set, ok := <-ch:
			if !ok {
				t.Fatalf("%s: subscription closed", what)
			}
			if cond(set) {
				return set
			}
		case <-deadline:
			t.Fatalf("%s: not after %s", what, timeout)
		}
	}
}

func startRegistrar(t *testing.T, c *api.Client, reg Registration) (*Registrar, *healthTarget, func() error) {
	t.Helper()
	h := newHealthTarget(t)
	reg.Address, reg.Port = h.host, h.port
	if reg.CheckInterval == 0 {
		reg.CheckInterval = time.Second
	}
	r, err := NewRegistrar(c, reg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return r, h, background(t, r.Run)
}

// A watcher sees a new instance, a second one, and drops an instance whose
// check fails.
func TestWatcherFollowsInstances(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	w, err := NewWatcher(c, ServiceGateway, WatchOptions{}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := w.Subscribe()
	defer cancel()
	background(t, w.Run)
	next(t, ch, 10*time.Second, "first sync", func(set []Instance) bool { return len(set) == 0 })

	start := time.Now()
	r1, h1, _ := startRegistrar(t, c, Registration{Name: ServiceGateway, Org: "org-a", Provider: testProvider, ID: "gw-1"})
	next(t, ch, 20*time.Second, "gw-1 appears", func(set []Instance) bool { return slices.Equal(ids(set), []string{"gw-1"}) })
	t.Logf("new instance: registration to watcher update %s (includes the first check, run within one 1s interval)", time.Since(start).Round(time.Millisecond))

	_, _, _ = startRegistrar(t, c, Registration{Name: ServiceGateway, Org: "org-a", Provider: testProvider, ID: "gw-0"})
	set := next(t, ch, 20*time.Second, "gw-0 appears", func(set []Instance) bool { return len(set) == 2 })
	if !slices.Equal(ids(set), []string{"gw-0", "gw-1"}) || set[1].Meta["provider"] != testProvider || set[1].Port != h1.port {
		t.Fatalf("set %+v, want gw-0 then gw-1 with their meta and port", set)
	}

	h1.healthy.Store(false)
	start = time.Now()
	next(t, ch, 20*time.Second, "gw-1 dropped", func(set []Instance) bool { return slices.Equal(ids(set), []string{"gw-0"}) })
	t.Logf("failing check: unhealthy to watcher update %s (check interval 1s)", time.Since(start).Round(time.Millisecond))
	_ = r1
}

// Tag and Filter narrow the instances (via picks one provider's gateways).
func TestWatcherTagAndFilter(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	other := "0x00000000000000000000000000000000000000b2"
	startRegistrar(t, c, Registration{Name: ServiceGateway, Org: "org-a", Provider: testProvider, ID: "gw-a", Tags: []string{"blue"}})
	startRegistrar(t, c, Registration{Name: ServiceGateway, Org: "org-a", Provider: other, ID: "gw-b", Tags: []string{"green"}})

	tests := []struct {
		name string
		opts WatchOptions
		want []string
	}{
		{"all", WatchOptions{}, []string{"gw-a", "gw-b"}},
		{"tag", WatchOptions{Tag: "green"}, []string{"gw-b"}},
		{"filter", WatchOptions{Filter: fmt.Sprintf("Service.Meta.provider == %q", testProvider), Stale: true}, []string{"gw-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWatcher(c, ServiceGateway, tt.opts, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			ch, cancel := w.Subscribe()
			defer cancel()
			background(t, w.Run)
			next(t, ch, 20*time.Second, "instances", func(set []Instance) bool { return slices.Equal(ids(set), tt.want) })
		})
	}
}

// While the agent is down the watcher keeps its last set; after the agent
// restarts (empty) and the registrar registers again, it follows again.
func TestWatcherSurvivesAgentRestart(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	startRegistrar(t, c, Registration{Name: ServiceVia, Org: "org-a", ID: "via-1"})
	w, err := NewWatcher(c, ServiceVia, WatchOptions{WaitTime: 5 * time.Second}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := w.Subscribe()
	defer cancel()
	background(t, w.Run)
	next(t, ch, 20*time.Second, "via-1", func(set []Instance) bool { return slices.Equal(ids(set), []string{"via-1"}) })

	a.Stop()
	time.Sleep(3 * time.Second) // several failed queries
	set, synced := w.Snapshot()
	if !synced || !slices.Equal(ids(set), []string{"via-1"}) {
		t.Fatalf("while the agent is down: %+v (synced %v), want the last good set", set, synced)
	}
	select {
	case set := <-ch:
		t.Fatalf("subscriber got %v while the agent was down", ids(set))
	default:
	}

	a.Restart()
	start := time.Now()
	// The watcher is live again once it follows a change made after the
	// restart: a second instance. (via-1 is back by its registrar; the
	// restarted agent was empty, so the watcher may briefly see no instance,
	// which is the truth, or never notice the gap.)
	startRegistrar(t, c, Registration{Name: ServiceVia, Org: "org-a", ID: "via-2"})
	next(t, ch, 30*time.Second, "via-1 and via-2", func(set []Instance) bool {
		if len(set) == 0 {
			t.Logf("empty set after %s (agent restarted empty)", time.Since(start).Round(time.Millisecond))
		}
		return slices.Equal(ids(set), []string{"via-1", "via-2"})
	})
	t.Logf("after the agent restart, the watcher followed the new agent in %s", time.Since(start).Round(time.Millisecond))
}

func TestWatcherOptions(t *testing.T) {
	if _, err := newWatcher(&scriptedHealth{}, "", WatchOptions{}, nil); err == nil {
		t.Error("empty service accepted")
	}
	if _, err := newWatcher(&scriptedHealth{}, "via", WatchOptions{WaitTime: 2 * time.Minute}, nil); err == nil {
		t.Error("wait time over the maximum accepted")
	}
	w, err := newWatcher(&scriptedHealth{}, "via", WatchOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ready(context.Background()); err == nil {
		t.Error("Ready before any sync: nil")
	}
}
