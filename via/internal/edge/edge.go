package edge

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
)

// Source is a set of Consul instances that changes over time: a
// consul.Watcher.
type Source interface {
	Subscribe() (<-chan []consul.Instance, func())
}

// Edge is via's public HTTP(S) edge.
type Edge struct {
	cfg      Config
	org      string
	log      *zap.Logger
	gateways Source
	admin    Source
	table    *table
	limiter  *limiter
	certs    *certReloader
	ln       *limitListener
	rln      net.Listener
	srv      *http.Server
	redirect *http.Server
	proxy    *httputil.ReverseProxy
	ts       *transports
	m        *metrics
	access   accessLog

	baseCtx    context.Context
	cancelBase context.CancelFunc
}

// New binds the public listener (and the redirect listener, if any) so
// that their addresses are known; Run serves. gateways follows the
// "gateway" service; admin the "admin" service, nil unless cfg.AdminRoute.
func New(cfg Config, org string, gateways, admin Source, reg prometheus.Registerer, log *zap.Logger) (*Edge, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.AdminRoute && admin == nil {
		return nil, errors.New("admin route enabled without an admin source")
	}
	log = log.Named("edge")
	e := &Edge{cfg: cfg, org: org, log: log, gateways: gateways, admin: admin}
	e.m = newMetrics(reg, e)
	e.table = newTable(e.m)
	ts, err := newTransports(cfg)
	if err != nil {
		return nil, err
	}
	e.ts = ts
	if cfg.RateLimit > 0 {
		e.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.MaxClients)
	}
	if cfg.TLS() {
		certs, err := newCertReloader(cfg.TLSCert, cfg.TLSKey, log.Named("tls"), e.m.tlsReload)
		if err != nil {
			return nil, err
		}
		e.certs = certs
	}
	e.access = newAccessLog(cfg, log, accessLogOut)
	e.baseCtx, e.cancelBase = context.WithCancel(context.Background())
	e.proxy = &httputil.ReverseProxy{
		Rewrite:        e.rewrite,
		Transport:      &retryTransport{ts: ts, e: e},
		FlushInterval:  0, // streamed (unknown length) and event-stream responses are flushed at once anyway
		BufferPool:     bufferPool{},
		ErrorLog:       zap.NewStdLog(log),
		ModifyResponse: func(resp *http.Response) error { resp.Header.Del(headerRequestID); return nil },
		ErrorHandler:   e.proxyError,
	}
	e.srv = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          zap.NewStdLog(log.WithOptions(zap.IncreaseLevel(zap.WarnLevel))),
		BaseContext:       func(net.Listener) context.Context { return e.baseCtx },
	}
	if e.certs != nil {
		// HTTP/2 by ALPN, HTTP/1.1 otherwise.
		e.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: e.certs.getCertificate}
	} else {
		// Plain: HTTP/1.1, and HTTP/2 with prior knowledge (h2c) for a
		// TLS-terminating load balancer in front.
		e.srv.Protocols = new(http.Protocols)
		e.srv.Protocols.SetHTTP1(true)
		e.srv.Protocols.SetUnencryptedHTTP2(true)
	}
	ln, err := net.Listen("tcp", cfg.PublicAddr)
	if err != nil {
		return nil, fmt.Errorf("listening on public-addr %s: %w", cfg.PublicAddr, err)
	}
	e.ln = newLimitListener(ln, cfg.MaxConns)
	if cfg.RedirectAddr != "" {
		rln, err := net.Listen("tcp", cfg.RedirectAddr)
		if err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("listening on http-redirect-addr %s: %w", cfg.RedirectAddr, err)
		}
		e.rln = rln
		e.redirect = &http.Server{
			Handler:           http.HandlerFunc(e.redirectHTTPS),
			ReadHeaderTimeout: cfg.ReadHeaderTimeout,
			ReadTimeout:       cfg.ReadHeaderTimeout,
			WriteTimeout:      cfg.ReadHeaderTimeout,
			IdleTimeout:       cfg.IdleTimeout,
			MaxHeaderBytes:    cfg.MaxHeaderBytes,
			ErrorLog:          zap.NewStdLog(log.WithOptions(zap.IncreaseLevel(zap.WarnLevel))),
		}
	}
	return e, nil
}

// Addr is the public listener's address.
func (e *Edge) Addr() net.Addr { return e.ln.Addr() }

// RedirectAddr is the redirect listener's address, nil without one.
func (e *Edge) RedirectAddr() net.Addr {
	if e.rln == nil {
		return nil
	}
	return e.rln.Addr()
}

// URL is the public listener's base URL.
func (e *Edge) URL() string {
	if e.certs != nil {
		return "https://" + e.ln.Addr().String()
	}
	return "http://" + e.ln.Addr().String()
}

// Run follows the upstream sets and serves until ctx is done, then drains
// the public listener within the shutdown grace.
func (e *Edge) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	follow := func(src Source, set func(string, []consul.Instance), what string) {
		ch, cancel := src.Subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cancel()
			for {
				select {
				case <-ctx.Done():
					return
				case s, ok := <-ch:
					if !ok {
						return
					}
					set(e.org, s)
					e.log.Info("upstreams changed", zap.String("service", what), zap.Int("instances", len(s)))
				}
			}
		}()
	}
	follow(e.gateways, e.table.setGateways, consul.ServiceGateway)
	if e.cfg.AdminRoute {
		follow(e.admin, e.table.setAdmin, consul.ServiceAdmin)
	}
	if e.certs != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.certs.run(ctx, e.cfg.TLSPollInterval)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(upstreamIdleTimeout / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				e.table.sweepIdle(now.Add(-upstreamIdleTimeout))
			}
		}
	}()

	errc := make(chan error, 2)
	e.log.Info("public listener", zap.String("addr", e.ln.Addr().String()), zap.Bool("tls", e.certs != nil),
		zap.Bool("admin_route", e.cfg.AdminRoute), zap.String("org", e.org))
	go func() {
		if e.certs != nil {
			errc <- e.srv.ServeTLS(e.ln, "", "")
		} else {
			errc <- e.srv.Serve(e.ln)
		}
	}()
	if e.redirect != nil {
		e.log.Info("redirect listener", zap.String("addr", e.rln.Addr().String()))
		go func() { errc <- e.redirect.Serve(e.rln) }()
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case err := <-errc:
		serveErr = fmt.Errorf("serving public http: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownGrace)
	defer cancel()
	start := time.Now()
	if e.redirect != nil {
		_ = e.redirect.Shutdown(sctx)
	}
	err := e.srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		e.log.Warn("grace period over; closing open connections", zap.Duration("grace", e.cfg.ShutdownGrace))
		err = e.srv.Close()
	}
	e.cancelBase() // ends upgraded (WebSocket) connections
	e.table.sweepIdle(time.Now().Add(time.Hour))
	e.ts.close()
	e.access.stop()
	if serveErr != nil {
		return serveErr
	}
	if err != nil {
		return fmt.Errorf("shutting down public http: %w", err)
	}
	e.log.Info("public listener drained", zap.Duration("took", time.Since(start)))
	return nil
}

// redirectHTTPS sends a plain HTTP request to the same path over HTTPS:
// the public URL's host if configured, else the request's host on the
// public port.
func (e *Edge) redirectHTTPS(w http.ResponseWriter, r *http.Request) {
	host := ""
	if u, err := url.Parse(e.cfg.PublicURL); err == nil && e.cfg.PublicURL != "" && u.Scheme == "https" {
		host = u.Host
	} else {
		h := r.Host
		if hh, _, err := net.SplitHostPort(h); err == nil {
			h = hh
		}
		_, port, _ := net.SplitHostPort(e.ln.Addr().String())
		host = h
		if port != "443" {
			host = net.JoinHostPort(strings.Trim(h, "[]"), port)
		}
	}
	target := "https://" + host + r.URL.RequestURI()
	http.Redirect(w, r, target, http.StatusPermanentRedirect)
}
