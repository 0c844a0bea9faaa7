package reconcile

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/pkg/market"
)

// State is what the chain says about an order.
type State struct {
	Status market.OrderStatus
	// End is when the order ends (its start plus duration).
	End time.Time
}

// Chain reads orders of one chain and Market.
type Chain interface {
	// Market is the chain id and Market address the reader reads; ok is
	// false while none is configured (a pass then judges nothing). Only
	// namespaces of that chain and Market are judged.
	Market() (chainID *big.Int, market common.Address, ok bool)
	// OrderState returns the order's state. An order the Market does not
	// know has market.StatusNone; an error means the chain could not be read.
	OrderState(ctx context.Context, id *big.Int) (State, error)
}

// Cluster lists and deletes order namespaces; *deploy.Deployer is one.
type Cluster interface {
	List(ctx context.Context) ([]deploy.Placed, error)
	Delete(ctx context.Context, o market.Order) error
}

// Config configures a Reconciler.
type Config struct {
	// Provider selects the namespaces this gateway judges (with the
	// chain's id and Market); others (another provider's, an old
	// Market's) are left alone.
	Provider common.Address
	// Interval is the time between passes.
	Interval time.Duration
	// Grace is added to an open order's end before it counts as ended, so
	// that a local clock ahead of the chain's does not tear down early.
	Grace time.Duration
	// ReadTimeout bounds each chain read.
	ReadTimeout time.Duration
}

// Defaults: a pass every 30 s, a minute's grace, 10 s per read.
func Defaults() Config {
	return Config{Interval: 30 * time.Second, Grace: time.Minute, ReadTimeout: 10 * time.Second}
}

// Validate reports the first problem.
func (c Config) Validate() error {
	switch {
	case c.Provider == (common.Address{}):
		return errors.New("reconcile: no provider address")
	case c.Interval <= 0 || c.ReadTimeout <= 0 || c.Grace < 0:
		return errors.New("reconcile: interval and read timeout must be positive, grace not negative")
	}
	return nil
}

// Reasons a namespace is deleted.
const (
	ReasonEnded     = "ended"
	ReasonCancelled = "cancelled"
	ReasonSettled   = "settled"
	// ReasonClosed: the provider's owner closed the order early.
	ReasonClosed = "closed"
)

// Deletion is a namespace a pass deleted.
type Deletion struct {
	Namespace string `json:"namespace"`
	OrderID   string `json:"orderId"`
	Reason    string `json:"reason"`
}

// Summary is what one pass saw and did.
type Summary struct {
	Start time.Time `json:"start"`
	// DurationMS is how long the pass took, in milliseconds.
	DurationMS float64 `json:"durationMs"`
	// Orders counts this provider's order namespaces on this market.
	Orders int `json:"orders"`
	// Active are orders the chain says still run.
	Active int `json:"active"`
	// Deleted are the namespaces deleted in this pass.
	Deleted []Deletion `json:"deleted"`
	// Terminating are namespaces already being deleted.
	Terminating int `json:"terminating"`
	// Unknown are orders the chain does not know (kept).
	Unknown int `json:"unknown"`
	// ChainErrors are orders whose read failed (kept).
	ChainErrors int `json:"chainErrors"`
	// DeleteErrors are deletions the cluster refused (retried next pass).
	DeleteErrors int `json:"deleteErrors"`
	// Skipped are namespaces of another provider, market or chain, or
	// whose labels do not parse.
	Skipped int `json:"skipped"`
	// Err is set when the pass judged nothing: the namespaces could not
	// be listed, or no chain is configured.
	Err string `json:"error,omitempty"`
}

// Reconciler runs the teardown loop.
type Reconciler struct {
	cfg     Config
	chain   Chain
	cluster Cluster
	log     *zap.Logger
	now     func() time.Time
	m       *metrics

	mu   sync.Mutex
	last Summary
}

// New returns a Reconciler; reg, if not nil, receives its metrics.
func New(cfg Config, chain Chain, cluster Cluster, log *zap.Logger, reg prometheus.Registerer) (*Reconciler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Reconciler{cfg: cfg, chain: chain, cluster: cluster, log: log, now: time.Now, m: m}, nil
}

// Run makes a pass at once and then every Interval until ctx ends.
func (r *Reconciler) Run(ctx context.Context) error {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		r.Pass(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Last is the latest pass's summary (zero before the first).
func (r *Reconciler) Last() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.last
	s.Deleted = append([]Deletion(nil), s.Deleted...)
	return s
}

// Pass makes one pass and returns its summary.
func (r *Reconciler) Pass(ctx context.Context) (s Summary) {
	s.Start = r.now()
	defer func() {
		s.DurationMS = float64(r.now().Sub(s.Start).Microseconds()) / 1000
		r.m.record(s)
		r.mu.Lock()
		r.last = s
		r.mu.Unlock()
	}()
	chainID, mkt, ok := r.chain.Market()
	if !ok {
		s.Err = "no chain configured"
		r.log.Debug("reconcile: no chain configured yet; nothing judged")
		return s
	}
	placed, err := r.cluster.List(ctx)
	if err != nil {
		s.Err = err.Error()
		r.log.Warn("reconcile: listing order namespaces failed; nothing deleted", zap.Error(err))
		return s
	}
	for _, p := range placed {
		o := p.Order
		if deploy.ValidateOrder(o) != nil || o.ChainID.Cmp(chainID) != 0 || o.Market != mkt || o.Provider != r.cfg.Provider {
			s.Skipped++
			continue
		}
		s.Orders++
		if p.Terminating {
			s.Terminating++
			continue
		}
		log := r.log.With(zap.String("namespace", p.Namespace), zap.String("order", o.ID.String()))
		rctx, cancel := context.WithTimeout(ctx, r.cfg.ReadTimeout)
		st, err := r.chain.OrderState(rctx, o.ID)
		cancel()
		if err != nil {
			s.ChainErrors++
			log.Warn("reconcile: reading the order failed; namespace kept", zap.Error(err))
			continue
		}
		reason := r.verdict(st)
		switch reason {
		case "":
			s.Active++
			continue
		case "unknown":
			s.Unknown++
			log.Warn("reconcile: the chain does not know this order; namespace kept")
			continue
		}
		if err := r.cluster.Delete(ctx, o); err != nil && !errors.Is(err, deploy.ErrNotDeployed) {
			s.DeleteErrors++
			log.Warn("reconcile: deleting the namespace failed; retried next pass", zap.String("reason", reason), zap.Error(err))
			continue
		}
		s.Deleted = append(s.Deleted, Deletion{Namespace: p.Namespace, OrderID: o.ID.String(), Reason: reason})
		log.Info("reconcile: order over, namespace deleted", zap.String("reason", reason), zap.Stringer("status", st.Status),
			zap.Time("end", st.End))
	}
	return s
}

// verdict is why the order is over, "" if it is not, "unknown" if the
// chain does not know it.
func (r *Reconciler) verdict(st State) string {
	switch st.Status {
	case market.StatusCancelled:
		return ReasonCancelled
	case market.StatusClosed:
		return ReasonClosed
	case market.StatusSettled:
		return ReasonSettled
	case market.StatusOpen:
		// End is the chain's current end: an extended order runs on.
		if !st.End.IsZero() && !r.now().Before(st.End.Add(r.cfg.Grace)) {
			return ReasonEnded
		}
		return ""
	}
	return "unknown"
}

type metrics struct {
	passes       *prometheus.CounterVec
	deleted      *prometheus.CounterVec
	chainErrors  prometheus.Counter
	deleteErrors prometheus.Counter
	orders       *prometheus.GaugeVec
	lastPass     prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	ns, sub := "gridnode", "gateway_reconcile"
	m := &metrics{
		passes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "passes_total",
			Help: "Reconcile passes by result: ok, or not_judged (namespaces not listed or no chain configured)."}, []string{"result"}),
		deleted: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "deleted_total",
			Help: "Order namespaces deleted, by reason: ended, cancelled, closed, settled."}, []string{"reason"}),
		chainErrors: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "chain_errors_total",
			Help: "Order reads that failed; their namespaces were kept."}),
		deleteErrors: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "delete_errors_total",
			Help: "Namespace deletions the cluster refused; retried next pass."}),
		orders: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "orders",
			Help: "Order namespaces in the last pass by verdict: active, unknown, chain_error, terminating."}, []string{"verdict"}),
		lastPass: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "last_pass_timestamp_seconds",
			Help: "When the last pass started (Unix time)."}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.passes, m.deleted, m.chainErrors, m.deleteErrors, m.orders, m.lastPass} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("registering reconcile metrics: %w", err)
			}
		}
	}
	return m, nil
}

func (m *metrics) record(s Summary) {
	m.lastPass.Set(float64(s.Start.UnixNano()) / 1e9)
	if s.Err != "" {
		m.passes.WithLabelValues("not_judged").Inc()
		return
	}
	m.passes.WithLabelValues("ok").Inc()
	for _, d := range s.Deleted {
		m.deleted.WithLabelValues(d.Reason).Inc()
	}
	m.chainErrors.Add(float64(s.ChainErrors))
	m.deleteErrors.Add(float64(s.DeleteErrors))
	m.orders.WithLabelValues("active").Set(float64(s.Active))
	m.orders.WithLabelValues("unknown").Set(float64(s.Unknown))
	m.orders.WithLabelValues("chain_error").Set(float64(s.ChainErrors))
	m.orders.WithLabelValues("terminating").Set(float64(s.Terminating))
}
