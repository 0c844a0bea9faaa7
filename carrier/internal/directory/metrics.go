package directory

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Put results, the values of the result label of gridnode_directory_puts_total.
const (
	resultAccepted     = "accepted"
	resultStale        = "stale"        // older than the held record
	resultDuplicate    = "duplicate"    // the held record itself
	resultEquivocation = "equivocation" // same seq as the held record, different bytes
	resultExpired      = "expired"
)

type metrics struct {
	records     *prometheus.GaugeVec
	puts        *prometheus.CounterVec
	swept       prometheus.Counter
	quarantined prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		records: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gridnode_directory_records",
			Help: "Records held in the listing directory, by kind (listing or tombstone).",
		}, []string{"kind"}),
		puts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_directory_puts_total",
			Help: "Records offered to the directory, by result (accepted, stale, duplicate, equivocation, expired).",
		}, []string{"result"}),
		swept: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridnode_directory_swept_total",
			Help: "Expired records (listings and tombstones) removed from the directory.",
		}),
		quarantined: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridnode_directory_quarantined_total",
			Help: "Stored records that failed to load (undecodable, bad signature, wrong key) and were moved to quarantine.",
		}),
	}
	for _, k := range []string{"listing", "tombstone"} {
		m.records.WithLabelValues(k)
	}
	for _, r := range []string{resultAccepted, resultStale, resultDuplicate, resultEquivocation, resultExpired} {
		m.puts.WithLabelValues(r)
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.records, m.puts, m.swept, m.quarantined} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				return nil, fmt.Errorf("registering directory metrics: %w (one directory per registry)", err)
			}
			return nil, fmt.Errorf("registering directory metrics: %w", err)
		}
	}
	return m, nil
}
