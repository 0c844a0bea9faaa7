package listingsync

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	rounds   *prometheus.CounterVec
	records  *prometheus.CounterVec
	duration prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_p2p_sync_rounds_total",
			Help: "Listings sync rounds, by role (initiator, responder) and result (ok, error).",
		}, []string{"role", "result"}),
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_p2p_sync_records_total",
			Help: "Records exchanged by listings sync rounds, by direction (sent, received).",
		}, []string{"direction"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gridnode_p2p_sync_round_seconds",
			Help:    "Duration of listings sync rounds.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
	}
	for _, role := range []string{"initiator", "responder"} {
		for _, res := range []string{"ok", "error"} {
			m.rounds.WithLabelValues(role, res)
		}
	}
	m.records.WithLabelValues("sent")
	m.records.WithLabelValues("received")
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.rounds, m.records, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering listings sync metrics: %w", err)
		}
	}
	return m, nil
}

func (m *metrics) observe(st *Stats, err error) {
	role, res := "responder", "ok"
	if st.Initiator {
		role = "initiator"
	}
	if err != nil {
		res = "error"
	}
	m.rounds.WithLabelValues(role, res).Inc()
	m.records.WithLabelValues("sent").Add(float64(st.Sent))
	m.records.WithLabelValues("received").Add(float64(st.Received))
	m.duration.Observe(st.Duration.Seconds())
}
