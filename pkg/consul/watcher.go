package consul

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Instance is one healthy instance of a service.
type Instance struct {
	ID      string
	Node    string
	Address string // the service address, or the node's when it has none
	Port    int
	Meta    map[string]string
	Tags    []string
}

// WatchOptions narrow and tune a Watcher.
type WatchOptions struct {
	// Tag keeps only instances with this tag.
	Tag string
	// Stale lets any server answer (faster, possibly slightly behind the
	// leader); the default asks the leader.
	Stale bool
	// WaitTime is how long each blocking query waits; default
	// DefaultWaitTime, at most MaxWaitTime.
	WaitTime time.Duration
	// Filter is a Consul filter expression over the health entries, such
	// as `Service.Meta.provider == "0xabc…"`.
	Filter string
}

// Watcher follows the instances of one service whose checks all pass, with
// blocking queries. While Consul is unreachable it keeps the last set it
// got; it never serves a made-up one.
type Watcher struct {
	health  healthAPI
	service string
	opts    WatchOptions
	log     *zap.Logger

	mu      sync.Mutex
	current []Instance
	synced  bool
	subs    map[int]chan []Instance
	nextSub int
	closed  bool
}

// NewWatcher returns a Watcher of service's passing instances; Run starts
// it.
func NewWatcher(c *api.Client, service string, opts WatchOptions, log *zap.Logger) (*Watcher, error) {
	return newWatcher(c.Health(), service, opts, log)
}

func newWatcher(h healthAPI, service string, opts WatchOptions, log *zap.Logger) (*Watcher, error) {
	if service == "" {
		return nil, errors.New("consul watcher: empty service name")
	}
	switch {
	case opts.WaitTime == 0:
		opts.WaitTime = DefaultWaitTime
	case opts.WaitTime < time.Second || opts.WaitTime > MaxWaitTime:
		return nil, fmt.Errorf("consul watcher: wait time %s: want 1s to %s", opts.WaitTime, MaxWaitTime)
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Watcher{
		health:  h,
		service: service,
		opts:    opts,
		log:     log.Named("consul").With(zap.String("watch", service), zap.String("tag", opts.Tag)),
		subs:    map[int]chan []Instance{},
	}, nil
}

// Run follows the service until ctx is done and returns nil; subscribers'
// channels are then closed. Errors are retried with backoff and logged when
// the state changes, not at every attempt.
func (w *Watcher) Run(ctx context.Context) error {
	defer w.closeSubs()
	b := service.Backoff{First: 100 * time.Millisecond, Max: 5 * time.Second, Jitter: true}
	var index uint64
	failing := false
	for {
		start := time.Now()
		q := queryOpts(ctx, api.QueryOptions{
			WaitIndex:  index,
			WaitTime:   w.opts.WaitTime,
			AllowStale: w.opts.Stale,
			Filter:     w.opts.Filter,
		})
		entries, meta, err := w.health.Service(w.service, w.opts.Tag, true, q)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if !failing {
				n, synced := w.size()
				w.log.Warn("consul query failed; keeping the last known instances", zap.Error(err),
					zap.Bool("ever_synced", synced), zap.Int("kept", n))
				failing = true
			}
			// An agent that comes back may have restarted its index (a
			// dev agent, a restored snapshot): start over with a query
			// that returns at once.
			index = 0
			if !service.Sleep(ctx, b.Next()) {
				return nil
			}
			continue
		}
		if failing {
			w.log.Info("consul query succeeds again")
			failing = false
		}
		b.Reset()
		index = nextIndex(index, meta.LastIndex)
		w.publish(toInstances(entries))
		if d := minQueryGap - time.Since(start); d > 0 && !service.Sleep(ctx, d) {
			return nil
		}
	}
}

func toInstances(entries []*api.ServiceEntry) []Instance {
	out := make([]Instance, 0, len(entries))
	for _, e := range entries {
		if e == nil || e.Service == nil {
			continue
		}
		in := Instance{
			ID:      e.Service.ID,
			Address: e.Service.Address,
			Port:    e.Service.Port,
			Meta:    maps.Clone(e.Service.Meta),
			Tags:    slices.Clone(e.Service.Tags),
		}
		if e.Node != nil {
			in.Node = e.Node.Node
			if in.Address == "" {
				in.Address = e.Node.Address
			}
		}
		out = append(out, in)
	}
	slices.SortFunc(out, func(a, b Instance) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func instancesEqual(a, b []Instance) bool {
	return slices.EqualFunc(a, b, func(x, y Instance) bool {
		return x.ID == y.ID && x.Node == y.Node && x.Address == y.Address && x.Port == y.Port &&
			maps.Equal(x.Meta, y.Meta) && slices.Equal(x.Tags, y.Tags)
	})
}

func cloneInstances(in []Instance) []Instance {
	out := make([]Instance, len(in))
	for i, x := range in {
		x.Meta = maps.Clone(x.Meta)
		x.Tags = slices.Clone(x.Tags)
		out[i] = x
	}
	return out
}

// publish stores a new set and hands it to subscribers if it changed.
func (w *Watcher) publish(set []Instance) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.synced && instancesEqual(w.current, set) {
		return
	}
	if !w.synced {
		w.log.Info("synced with consul", zap.Int("instances", len(set)))
	} else {
		w.log.Debug("instances changed", zap.Int("instances", len(set)))
	}
	w.current = set
	w.synced = true
	for _, ch := range w.subs {
		offer(ch, cloneInstances(set))
	}
}

// offer replaces whatever ch holds with v without blocking: ch has room for
// one value and only the watcher, under its lock, sends on it.
func offer(ch chan []Instance, v []Instance) {
	select {
	case <-ch:
	default:
	}
	ch <- v
}

func (w *Watcher) size() (int, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.current), w.synced
}

// Snapshot returns the current instances, sorted by node then id, and
// whether the watcher has ever heard from Consul.
func (w *Watcher) Snapshot() ([]Instance, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return cloneInstances(w.current), w.synced
}

// Subscribe returns a channel that holds the latest set of instances
// whenever it changes (the current one at once, if synced). A slow reader
// misses intermediate sets, never the latest, and never slows the watcher.
// The channel is closed when Run returns or cancel is called.
func (w *Watcher) Subscribe() (<-chan []Instance, func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan []Instance, 1)
	if w.closed {
		close(ch)
		return ch, func() {}
	}
	id := w.nextSub
	w.nextSub++
	w.subs[id] = ch
	if w.synced {
		ch <- cloneInstances(w.current)
	}
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if c, ok := w.subs[id]; ok {
			delete(w.subs, id)
			close(c)
		}
	}
}

func (w *Watcher) closeSubs() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, ch := range w.subs {
		delete(w.subs, id)
		close(ch)
	}
	w.closed = true
}

// Ready is a readiness check: nil once the watcher has heard from Consul
// (it keeps its last set afterwards, even while Consul is unreachable).
func (w *Watcher) Ready(context.Context) error {
	if _, synced := w.size(); !synced {
		return fmt.Errorf("no instances of %s known yet: consul not reached", w.service)
	}
	return nil
}
