package deploy

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	deploys            *prometheus.CounterVec
	deployDuration     *prometheus.HistogramVec
	deletes            *prometheus.CounterVec
	entrypointUncached prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		deploys: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "gateway", Name: "deploys_total",
			Help: "Deploys by result: ok, invalid, fetch, hash, superseded, refused, apply.",
		}, []string{"result"}),
		deployDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "gridnode", Subsystem: "gateway", Name: "deploy_duration_seconds",
			Help:    "Time from manifest URL to applied objects, by result.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
		}, []string{"result"}),
		deletes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "gateway", Name: "deletes_total",
			Help: "Order namespace deletions by result: ok, not_found, error.",
		}, []string{"result"}),
		entrypointUncached: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "gridnode", Subsystem: "gateway", Name: "entrypoint_uncached_total",
			Help: "Entrypoint lookups sent to the API server because the Service cache had not synced.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.deploys, m.deployDuration, m.deletes, m.entrypointUncached} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering deploy metrics: %w", err)
		}
	}
	return m, nil
}
