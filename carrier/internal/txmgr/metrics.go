package txmgr

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	intents *prometheus.GaugeVec
	sends   *prometheus.CounterVec
	bumps   prometheus.Counter
	reorgs  prometheus.Counter
	latency prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		intents: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "gridnode", Subsystem: "txmgr", Name: "intents",
			Help: "Journaled intents by state.",
		}, []string{"state"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "txmgr", Name: "send_attempts_total",
			Help: "Transactions sent to the node, by result (ok, known, error).",
		}, []string{"result"}),
		bumps: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "txmgr", Name: "fee_bumps_total",
			Help: "Replacement transactions signed with higher fees.",
		}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "txmgr", Name: "reorgs_total",
			Help: "Mined transactions whose block left the canonical chain.",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "gridnode", Subsystem: "txmgr", Name: "confirmation_seconds",
			Help:    "Time from submission to confirmation.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 16), // 50 ms to ~27 min
		}),
	}
	for _, s := range States {
		m.intents.WithLabelValues(string(s))
	}
	for _, r := range []string{"ok", "known", "error"} {
		m.sends.WithLabelValues(r)
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.intents, err = register(reg, m.intents); err != nil {
		return nil, err
	}
	if m.sends, err = register(reg, m.sends); err != nil {
		return nil, err
	}
	if m.bumps, err = register(reg, m.bumps); err != nil {
		return nil, err
	}
	if m.reorgs, err = register(reg, m.reorgs); err != nil {
		return nil, err
	}
	if m.latency, err = register(reg, m.latency); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the collector registered before it
// (a manager reopened in the same process).
func register[T prometheus.Collector](reg prometheus.Registerer, c T) (T, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(T); ok {
			return existing, nil
		}
	}
	if err != nil {
		return c, fmt.Errorf("registering txmgr metrics: %w", err)
	}
	return c, nil
}

// transition moves one intent's count from state from ("" for a new one)
// to state to.
func (m *metrics) transition(from, to State) {
	if from == to {
		return
	}
	if from != "" {
		m.intents.WithLabelValues(string(from)).Dec()
	}
	m.intents.WithLabelValues(string(to)).Inc()
}
