package duty

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Duty is work the carrier does only while it holds the organization's
// lock (the p2p node, the chain mediator). Run runs until ctx is done.
type Duty struct {
	Name string
	Run  func(ctx context.Context) error
}

// Restart bounds of a failed duty.
const (
	defaultRetryFirst = time.Second
	defaultRetryMax   = 30 * time.Second
	// defaultHealthyAfter is how long a restarted duty must run before
	// /readyz stops reporting its failure, and a run that long starts the
	// next failure's backoff from defaultRetryFirst again.
	defaultHealthyAfter = 10 * time.Second
)

// Supervisor supervises the active duties: a duty that fails (a chain RPC
// hiccup, a p2p listen address briefly taken, Consul busy) is logged at
// error level, counted, reported on /readyz and restarted with backoff; it
// never takes the daemon down.
type Supervisor struct {
	log      *zap.Logger
	restarts *prometheus.CounterVec
	// retryFirst, retryMax and healthyAfter are the defaultRetryFirst,
	// defaultRetryMax and defaultHealthyAfter bounds (shorter in unit tests).
	retryFirst, retryMax, healthyAfter time.Duration

	mu      sync.Mutex
	failing map[string]failure
}

// failure is a duty's last failure; restarted is when it was started
// again (zero while it waits to be).
type failure struct {
	why       string
	restarted time.Time
}

// NewSupervisor returns a supervisor whose restarts are counted in reg.
func NewSupervisor(log *zap.Logger, reg prometheus.Registerer) (*Supervisor, error) {
	s := &Supervisor{
		log: log,
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_carrier_duty_restarts_total",
			Help: "Active duties (p2p, chain) restarted after they failed.",
		}, []string{"duty"}),
		failing:    map[string]failure{},
		retryFirst: defaultRetryFirst, retryMax: defaultRetryMax, healthyAfter: defaultHealthyAfter,
	}
	if err := reg.Register(s.restarts); err != nil {
		return nil, fmt.Errorf("registering duty metrics: %w", err)
	}
	return s, nil
}

// Ready is a /readyz check: an error naming every duty that failed and has
// not yet run defaultHealthyAfter since its restart.
func (s *Supervisor) Ready(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failing) == 0 {
		return nil
	}
	var parts []string
	for name, f := range s.failing {
		if !f.restarted.IsZero() && time.Since(f.restarted) >= s.healthyAfter {
			continue // it has been running long enough since
		}
		parts = append(parts, name+": "+f.why)
	}
	if len(parts) == 0 {
		return nil
	}
	sort.Strings(parts)
	return errors.New(strings.Join(parts, "; "))
}

func (s *Supervisor) update(name string, f func(*failure) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.failing[name]
	if f(&cur) {
		s.failing[name] = cur
	} else {
		delete(s.failing, name)
	}
}

// Supervise runs d until ctx is done, restarting it after each failure:
// defaultRetryFirst, doubling up to defaultRetryMax (service.Backoff), back
// to defaultRetryFirst after a run of defaultHealthyAfter. It returns nil once ctx is done.
func (s *Supervisor) Supervise(ctx context.Context, d Duty) error {
	defer s.update(d.Name, func(*failure) bool { return false })
	b := service.Backoff{First: s.retryFirst, Max: s.retryMax}
	failures := 0
	for {
		started := time.Now()
		if failures > 0 {
			s.update(d.Name, func(f *failure) bool { f.restarted = started; return true })
		}
		err := d.Run(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = errors.New("returned while still active")
		}
		if time.Since(started) >= s.healthyAfter {
			b.Reset() // it had recovered
			failures = 0
		}
		failures++
		wait := b.Next()
		s.restarts.WithLabelValues(d.Name).Inc()
		why := fmt.Sprintf("failed (%d in a row), restarting in %s: %v", failures, wait, err)
		s.update(d.Name, func(f *failure) bool { *f = failure{why: why}; return true })
		s.log.Error("active duty failed; restarting it", zap.String("duty", d.Name), zap.Error(err),
			zap.Duration("in", wait), zap.Int("failures", failures))
		if !service.Sleep(ctx, wait) {
			return nil
		}
	}
}
