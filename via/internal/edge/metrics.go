package edge

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the edge's Prometheus metrics, per route and upstream.
type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	upstream  *prometheus.CounterVec
	ejections *prometheus.CounterVec
	retries   *prometheus.CounterVec
	limited   prometheus.Counter
	tls       *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, e *Edge) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_via_requests_total",
			Help: "Requests on the public listener, by route (gw/<provider>, admin, healthz, none) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gridnode_via_request_duration_seconds",
			Help:    "Time to serve requests on the public listener, by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_via_upstream_attempts_total",
			Help: "Attempts sent to upstream instances, by route, upstream and outcome (ok, 5xx, error).",
		}, []string{"route", "upstream", "outcome"}),
		ejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_via_upstream_ejections_total",
			Help: "Times passive health ejected an upstream instance.",
		}, []string{"route", "upstream"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_via_retries_total",
			Help: "Requests retried on another instance, by route.",
		}, []string{"route"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridnode_via_rate_limited_total",
			Help: "Requests refused by the per-client rate limit.",
		}),
		tls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_via_tls_reloads_total",
			Help: "TLS certificate reloads, by result (ok, error).",
		}, []string{"result"}),
	}
	if reg == nil {
		return m
	}
	reg.MustRegister(m.requests, m.duration, m.upstream, m.ejections, m.retries, m.limited, m.tls,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gridnode_via_open_connections",
			Help: "Client connections open on the public listener.",
		}, func() float64 {
			if e.ln == nil {
				return 0
			}
			return float64(e.ln.open())
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gridnode_via_rate_limited_clients",
			Help: "Client addresses the rate limiter tracks.",
		}, func() float64 {
			if e.limiter == nil {
				return 0
			}
			return float64(e.limiter.size())
		}),
	)
	return m
}

// routeMetrics are a route's series, looked up once per route rather
// than per request.
type routeMetrics struct {
	vec      *prometheus.CounterVec
	route    string
	ok       prometheus.Counter // code 200, by far the most common
	duration prometheus.Observer
	retries  prometheus.Counter
}

func (m *metrics) route(route string) *routeMetrics {
	return &routeMetrics{
		vec:      m.requests,
		route:    route,
		ok:       m.requests.WithLabelValues(route, "200"),
		duration: m.duration.WithLabelValues(route),
		retries:  m.retries.WithLabelValues(route),
	}
}

// done counts one request answered with code after d.
func (rm *routeMetrics) done(code int, d time.Duration) {
	if code == http.StatusOK {
		rm.ok.Inc()
	} else {
		rm.vec.WithLabelValues(rm.route, strconv.Itoa(code)).Inc()
	}
	rm.duration.Observe(d.Seconds())
}

// forget drops the series of an upstream that left its route.
func (m *metrics) forget(route, addr string) {
	l := prometheus.Labels{"route": route, "upstream": addr}
	m.upstream.DeletePartialMatch(l)
	m.ejections.DeletePartialMatch(l)
}

func (m *metrics) tlsReload(ok bool) {
	if ok {
		m.tls.WithLabelValues("ok").Inc()
	} else {
		m.tls.WithLabelValues("error").Inc()
	}
}
