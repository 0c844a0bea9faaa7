package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
)

// CheckFunc reports whether one dependency of the daemon is ready. It must
// return within the context's deadline.
type CheckFunc func(ctx context.Context) error

// Server is a daemon's HTTP server. It answers /healthz (the process is
// alive and serving), /readyz (every registered readiness check passes) and
// /metrics (the daemon's own Prometheus registry), and whatever the daemon
// mounts with Handle.
type Server struct {
	log      *zap.Logger
	grace    time.Duration
	mux      *http.ServeMux
	srv      *http.Server
	ln       net.Listener
	registry *prometheus.Registry

	mu     sync.Mutex
	checks map[string]CheckFunc
	// raw are path prefixes served without the mux (HandleRaw).
	raw []rawRoute
}

type rawRoute struct {
	prefix string
	h      http.Handler
}

// Limits on what the lifecycle server accepts.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	checkTimeout      = 3 * time.Second
)

// NewServer binds cfg.HTTPAddr right away, so that the bound address is
// known (port 0) and a port conflict fails New rather than Run.
func NewServer(cfg Config, role string, log *zap.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", cfg.HTTPAddr, err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "gridnode_build_info",
			Help:        "Build information of the running daemon; always 1.",
			ConstLabels: prometheus.Labels{"role": role, "version": Version(), "commit": Commit()},
		}, func() float64 { return 1 }),
	)
	s := &Server{
		log:      log.Named("http"),
		grace:    cfg.ShutdownGrace,
		mux:      http.NewServeMux(),
		ln:       ln,
		registry: reg,
		checks:   map[string]CheckFunc{},
	}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gridnode_http_requests_total",
		Help: "HTTP requests served, by response code and method.",
	}, []string{"code", "method"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gridnode_http_request_duration_seconds",
		Help:    "Time to serve HTTP requests.",
		Buckets: prometheus.DefBuckets,
	}, []string{"code", "method"})
	reg.MustRegister(requests, duration)

	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	s.srv = &http.Server{
		Handler: promhttp.InstrumentHandlerDuration(duration,
			promhttp.InstrumentHandlerCounter(requests, http.HandlerFunc(s.route))),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          zap.NewStdLog(s.log),
	}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the server's base URL, http://host:port.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Registry is the daemon's Prometheus registry; subsystems register their
// metrics here.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Handle mounts a handler, with the pattern syntax of net/http.ServeMux.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// HandleRaw serves every request whose path starts with prefix with h,
// bypassing the mux: no path cleaning and no redirects, so that a reverse
// proxy passes paths on exactly as received (the gateway's app path).
// Register raw prefixes before Serve.
func (s *Server) HandleRaw(prefix string, h http.Handler) {
	s.raw = append(s.raw, rawRoute{prefix: prefix, h: h})
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	for _, rr := range s.raw {
		if strings.HasPrefix(r.URL.Path, rr.prefix) {
			rr.h.ServeHTTP(w, r)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// AddCheck registers a readiness check under a name shown by /readyz.
func (s *Server) AddCheck(name string, check CheckFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks[name] = check
}

// Serve serves until ctx is cancelled, then shuts down gracefully: new
// connections are refused at once, requests in flight get up to the grace
// period, and whatever is still open after it is closed.
func (s *Server) Serve(ctx context.Context) error {
	s.log.Info("listening", zap.String("addr", s.ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving http: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.grace)
	defer cancel()
	start := time.Now()
	err := s.srv.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("grace period over; closing open connections", zap.Duration("grace", s.grace))
		err = s.srv.Close()
	}
	<-errc // Serve has returned http.ErrServerClosed
	if err != nil {
		return fmt.Errorf("shutting down http: %w", err)
	}
	s.log.Info("drained", zap.Duration("took", time.Since(start)))
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeProbe(w, http.StatusOK, map[string]string{"status": "ok"})
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	names := make([]string, 0, len(s.checks))
	for n := range s.checks {
		names = append(names, n)
	}
	checks := make(map[string]CheckFunc, len(s.checks))
	for n, c := range s.checks {
		checks[n] = c
	}
	s.mu.Unlock()
	sort.Strings(names)

	ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
	defer cancel()
	res := readiness{Status: "ready", Checks: map[string]string{}}
	code := http.StatusOK
	for _, n := range names {
		if err := checks[n](ctx); err != nil {
			res.Checks[n] = err.Error()
			res.Status = "not ready"
			code = http.StatusServiceUnavailable
			continue
		}
		res.Checks[n] = "ok"
	}
	writeProbe(w, code, res)
}

// writeProbe writes a /healthz or /readyz answer as compact JSON (probes
// and scripts match "status":"ok" as it is), not cache-controlled like the
// APIs' WriteJSON.
func writeProbe(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// ServeWith serves like Serve while running the given runners: the
// daemon's parts that must stop before its HTTP server drains, Consul
// registration first of all (so that nobody is sent to a daemon that is
// going away). When ctx is cancelled it waits for every runner to return,
// then drains HTTP within the grace period. A runner that fails, or a
// server that fails, stops the others; the first error is returned.
func (s *Server) ServeWith(ctx context.Context, runners ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	httpCtx, stopHTTP := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHTTP()

	httpErr := make(chan error, 1)
	go func() {
		httpErr <- s.Serve(httpCtx)
		cancel() // a server that failed stops the runners
	}()
	g, gctx := errgroup.WithContext(ctx)
	for _, run := range runners {
		g.Go(func() error { return run(gctx) })
	}
	err := g.Wait()
	byThemselves := ctx.Err() == nil // before stopping HTTP cancels ctx
	stopHTTP()
	if herr := <-httpErr; err == nil {
		err = herr
	}
	if err == nil && len(runners) > 0 && byThemselves {
		// Runners return when the daemon stops; all of them returning by
		// themselves, with no error, is a fault that must not look like a
		// clean stop.
		err = ErrStoppedByItself
	}
	return err
}

// ErrStoppedByItself is ServeWith's error when every runner returned nil
// before the daemon was asked to stop.
var ErrStoppedByItself = errors.New("every part of the daemon stopped by itself, with no error and no signal")
