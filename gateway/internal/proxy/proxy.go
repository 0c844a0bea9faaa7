// Package proxy reverse-proxies a buyer's requests to the entrypoint of
// their order's app: httputil.ReverseProxy with HTTP/1.1 (and WebSocket
// upgrades) or, optionally, cleartext HTTP/2 to the app; any protocol from
// the client the gateway's server speaks; responses of unknown length and
// event streams flushed as they come; a client that goes away cancels the
// upstream request. Requests without a body (and upgrades) go out through
// pkg/h1client, which runs the exchange on the request's goroutine;
// requests with a body through an http.Transport, which streams the body
// while the response streams back (full duplex). The entrypoint is
// resolved per order, so one order's requests can only reach that order's
// app.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/h1client"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// Resolver finds an order's app entrypoint (http://host:port).
type Resolver interface {
	Entrypoint(ctx context.Context, o market.Order) (*url.URL, error)
}

// ErrNoEntrypoint is wrapped by resolver errors that mean "no app (yet)".
var ErrNoEntrypoint = errors.New("no entrypoint")

// Options tune the proxy; zero fields take the defaults.
type Options struct {
	// DialTimeout bounds connecting to an app. Default 5 s.
	DialTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for an app's response headers.
	// Default 60 s.
	ResponseHeaderTimeout time.Duration
	// IdleConnTimeout closes idle keep-alive connections. Default 90 s.
	IdleConnTimeout time.Duration
	// MaxIdleConnsPerHost is the number of idle keep-alive connections
	// kept per app; MaxIdleConns bounds the total of those of the
	// transport for requests with a body. Defaults 4096 and 512.
	MaxIdleConns        int
	MaxIdleConnsPerHost int
	// H2C speaks HTTP/2 without TLS (prior knowledge) to apps, except for
	// upgrade requests (WebSocket), which stay on HTTP/1.1.
	H2C bool
	// EntrypointTTL is how long a resolved entrypoint is reused. Default
	// 2 s; a failed connection drops it at once.
	EntrypointTTL time.Duration
}

func (o *Options) defaults() {
	if o.DialTimeout <= 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.ResponseHeaderTimeout <= 0 {
		o.ResponseHeaderTimeout = 60 * time.Second
	}
	if o.IdleConnTimeout <= 0 {
		o.IdleConnTimeout = 90 * time.Second
	}
	if o.MaxIdleConns <= 0 {
		o.MaxIdleConns = 4096
	}
	if o.MaxIdleConnsPerHost <= 0 {
		o.MaxIdleConnsPerHost = 512
	}
	if o.EntrypointTTL <= 0 {
		o.EntrypointTTL = 2 * time.Second
	}
}

// Proxy serves orders' apps.
type Proxy struct {
	opts     Options
	resolver Resolver
	log      *zap.Logger
	rp       *httputil.ReverseProxy
	// h1 sends requests without a body, and upgrades; tr (HTTP/1.1) the
	// others, h2 (if H2C) all but upgrades.
	h1     *h1client.Client
	tr, h2 *http.Transport
	m      *metrics

	mu    sync.Mutex
	cache map[cacheKey]cached
	// ups are the apps' addresses (host:port) with their idle HTTP/1.1
	// connections; under mu.
	ups    map[string]*appUpstream
	sweep  *time.Timer
	closed bool
}

type cached struct {
	u       *url.URL
	up      *h1client.Upstream
	expires time.Time
}

// appUpstream is an app's address and when an entrypoint last resolved to
// it: one not resolved for an idle timeout is retired by the sweep.
type appUpstream struct {
	up       *h1client.Upstream
	resolved time.Time
}

// cacheKey names an order across chains and Markets without formatting.
type cacheKey struct {
	chain  [32]byte
	market [20]byte
	id     [32]byte
}

// New returns a proxy that resolves entrypoints with r.
func New(opts Options, r Resolver, reg prometheus.Registerer, log *zap.Logger) *Proxy {
	opts.defaults()
	if log == nil {
		log = zap.NewNop()
	}
	p := &Proxy{opts: opts, resolver: r, log: log.Named("proxy"), m: newMetrics(reg), cache: map[cacheKey]cached{},
		ups: map[string]*appUpstream{}}
	p.h1 = &h1client.Client{
		Dialer:        &net.Dialer{Timeout: opts.DialTimeout, KeepAlive: 30 * time.Second},
		HeaderTimeout: opts.ResponseHeaderTimeout, MaxIdle: opts.MaxIdleConnsPerHost,
		IdleTimeout: opts.IdleConnTimeout, MaxHeaderBytes: maxResponseHeaderBytes,
	}
	p.tr = newTransport(opts)
	p.sweep = time.AfterFunc(opts.IdleConnTimeout/2, p.sweepIdle)
	if opts.H2C {
		p.h2 = newTransport(opts)
		p.h2.Protocols = new(http.Protocols)
		p.h2.Protocols.SetUnencryptedHTTP2(true)
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      roundTripper{p},
		ErrorHandler:   p.proxyError,
		ModifyResponse: modifyResponse,
		BufferPool:     bufferPool{},
		ErrorLog:       zap.NewStdLog(p.log),
		// 0: responses of unknown length (streams) and text/event-stream
		// are flushed after every write; fixed-length ones are buffered.
		FlushInterval: 0,
	}
	return p
}

func newTransport(o Options) *http.Transport {
	d := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		MaxIdleConns:           o.MaxIdleConns,
		MaxIdleConnsPerHost:    o.MaxIdleConnsPerHost,
		IdleConnTimeout:        o.IdleConnTimeout,
		ResponseHeaderTimeout:  o.ResponseHeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
		// Pass encodings through as the app sends them.
		DisableCompression: true,
		ForceAttemptHTTP2:  false,
		WriteBufferSize:    32 << 10,
		ReadBufferSize:     32 << 10,
	}
}

// maxResponseHeaderBytes bounds an app's response head.
const maxResponseHeaderBytes = 1 << 20

// Close drops idle connections and stops the sweep.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.sweep.Stop()
	ups := p.ups
	p.ups = map[string]*appUpstream{}
	clear(p.cache)
	p.mu.Unlock()
	for _, a := range ups {
		a.up.Retire()
	}
	p.tr.CloseIdleConnections()
	if p.h2 != nil {
		p.h2.CloseIdleConnections()
	}
}

// sweepIdle closes the HTTP/1.1 connections idle for longer than the idle
// timeout, and retires the apps' addresses no entrypoint resolved to for
// as long. It runs on a timer every half idle timeout.
func (p *Proxy) sweepIdle() {
	now := time.Now()
	cutoff := now.Add(-p.opts.IdleConnTimeout)
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	var keep, retire []*h1client.Upstream
	for addr, a := range p.ups {
		if a.resolved.Before(cutoff.Add(-p.opts.EntrypointTTL)) {
			delete(p.ups, addr)
			retire = append(retire, a.up)
		} else {
			keep = append(keep, a.up)
		}
	}
	p.sweep.Reset(p.opts.IdleConnTimeout / 2)
	p.mu.Unlock()
	for _, u := range retire {
		u.Retire()
	}
	for _, u := range keep {
		u.CloseIdle(cutoff)
	}
}

// target travels with a request from ServeApp to the rewrite and the
// round trip.
type target struct {
	url    *url.URL
	up     *h1client.Upstream
	order  market.Order
	prefix string
	err    error
	key    cacheKey
}

type targetKey struct{}

// ServeApp proxies r, whose URL.Path is the path inside the app, to o's
// entrypoint. prefix is the public path of the app's root: the app gets it
// as X-Forwarded-Prefix.
func (p *Proxy) ServeApp(w http.ResponseWriter, r *http.Request, o market.Order, prefix string) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	key := orderKey(o)
	defer func() { p.m.done(o.ID.String(), rec, r, start) }()
	u, up, err := p.entrypoint(r.Context(), o, key)
	if err != nil {
		p.m.upstreamErrors.WithLabelValues("resolve").Inc()
		p.log.Debug("no entrypoint", zap.String("order", o.ID.String()), zap.Error(err))
		writeError(rec, r, http.StatusBadGateway, "app_unavailable", fmt.Sprintf("order %s has no reachable app: %v", o.ID, err))
		return
	}
	// Let the request body stream to the app while its response streams
	// back (HTTP/1 would otherwise drain the body before the first write;
	// HTTP/2 is full duplex already).
	_ = http.NewResponseController(w).EnableFullDuplex()
	t := &target{url: u, up: up, order: o, prefix: prefix, key: key}
	p.rp.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), targetKey{}, t)))
}

func orderKey(o market.Order) cacheKey {
	k := cacheKey{market: o.Market}
	if o.ChainID != nil && o.ChainID.Sign() >= 0 && o.ChainID.BitLen() <= 256 {
		o.ChainID.FillBytes(k.chain[:])
	}
	if o.ID != nil && o.ID.Sign() >= 0 && o.ID.BitLen() <= 256 {
		o.ID.FillBytes(k.id[:])
	}
	return k
}

// entrypoint is o's app entrypoint and its address's idle connections.
func (p *Proxy) entrypoint(ctx context.Context, o market.Order, key cacheKey) (*url.URL, *h1client.Upstream, error) {
	now := time.Now()
	p.mu.Lock()
	c, ok := p.cache[key]
	p.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.u, c.up, nil
	}
	u, err := p.resolver.Entrypoint(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	if u.Scheme != "http" || u.Host == "" {
		return nil, nil, fmt.Errorf("%w: entrypoint %q is not http://host:port", ErrNoEntrypoint, u)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.ups[addr]
	if a == nil {
		a = &appUpstream{up: h1client.NewUpstream(addr)}
		if !p.closed {
			p.ups[addr] = a
		}
	}
	a.resolved = now
	if len(p.cache) > 65536 {
		clear(p.cache)
	}
	p.cache[key] = cached{u: u, up: a.up, expires: now.Add(p.opts.EntrypointTTL)}
	return u, a.up, nil
}

func (p *Proxy) forget(key cacheKey) {
	p.mu.Lock()
	delete(p.cache, key)
	p.mu.Unlock()
}

// rewrite builds the outbound request: the entrypoint's scheme and host,
// its path joined with the path inside the app, the X-Forwarded-* headers
// (appending to a chain the API kept because it came from a trusted
// proxy) and X-Forwarded-Prefix.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	t := pr.In.Context().Value(targetKey{}).(*target)
	pr.SetURL(t.url)
	if xff := pr.In.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		pr.Out.Header["X-Forwarded-For"] = append([]string(nil), xff...)
	}
	host, proto := pr.In.Header.Get("X-Forwarded-Host"), pr.In.Header.Get("X-Forwarded-Proto")
	pr.SetXForwarded()
	if host != "" {
		pr.Out.Header.Set("X-Forwarded-Host", host)
	}
	if proto != "" {
		pr.Out.Header.Set("X-Forwarded-Proto", proto)
	}
	pr.Out.Header.Set("X-Forwarded-Prefix", t.prefix)
	pr.Out.Header.Del("Forwarded")
}

// modifyResponse keeps apps from setting the gateway's session cookies.
func modifyResponse(resp *http.Response) error {
	if vals := resp.Header.Values("Set-Cookie"); len(vals) > 0 {
		resp.Header.Del("Set-Cookie")
		for _, v := range vals {
			name, _, _ := strings.Cut(v, "=")
			if !strings.HasPrefix(strings.TrimSpace(name), sessionCookiePrefix) {
				resp.Header.Add("Set-Cookie", v)
			}
		}
	}
	return nil
}

// sessionCookiePrefix is the API's session cookie prefix
// (api.CookiePrefix; not imported to keep the proxy independent).
const sessionCookiePrefix = "gridnode_session_"

type roundTripper struct{ p *Proxy }

// RoundTrip sends r over h2 if H2C (upgrades excepted); else a request
// without a body over h1 (on this goroutine), one with a body over tr (the
// body streams while the response streams back).
func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	upgrade := isUpgrade(r)
	if rt.p.h2 != nil && !upgrade {
		return rt.p.h2.RoundTrip(r)
	}
	if r.Body == nil || r.Body == http.NoBody {
		t := r.Context().Value(targetKey{}).(*target)
		return rt.p.h1.RoundTrip(t.up, r, bodyUntouched)
	}
	return rt.p.tr.RoundTrip(r)
}

// bodyUntouched: a request without a body can always be sent again.
func bodyUntouched() bool { return true }

func isUpgrade(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" && headerHasToken(r.Header, "Connection", "upgrade")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// proxyError answers a request the app could not serve.
func (p *Proxy) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	t, _ := r.Context().Value(targetKey{}).(*target)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		p.m.upstreamErrors.WithLabelValues("body_too_large").Inc()
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body over %d bytes", tooBig.Limit))
	case r.Context().Err() != nil:
		// The client went away; nobody reads this.
		p.m.upstreamErrors.WithLabelValues("client_gone").Inc()
		w.WriteHeader(499)
	case isTimeout(err):
		p.m.upstreamErrors.WithLabelValues("timeout").Inc()
		writeError(w, r, http.StatusGatewayTimeout, "app_timeout", "the app did not answer in time")
	default:
		p.m.upstreamErrors.WithLabelValues("connect").Inc()
		if t != nil {
			p.forget(t.key)
		}
		p.log.Debug("app request failed", zap.Error(err))
		writeError(w, r, http.StatusBadGateway, "app_unavailable", "the app failed before answering")
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return (errors.As(err, &ne) && ne.Timeout()) || strings.Contains(err.Error(), "timeout awaiting response headers")
}

// writeError writes the error envelope with the request id via passed on
// (none when the request came without).
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	service.WriteError(w, status, code, msg, r.Header.Get("X-Request-Id"))
}

// recorder notes a response's status. Unwrap lets ResponseController
// (flush, hijack for upgrades, deadlines) reach the real writer.
type recorder struct {
	http.ResponseWriter
	code int
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 || (r.code >= 100 && r.code < 200 && code != http.StatusSwitchingProtocols) {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

type bufferPool struct{}

var buffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *(buffers.Get().(*[]byte)) }
func (bufferPool) Put(b []byte) { buffers.Put(&b) }

type metrics struct {
	requests       *prometheus.CounterVec
	duration       *prometheus.HistogramVec
	upstreamErrors *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_proxy_requests_total",
			Help: "Requests proxied to orders' apps, by order and status class (1xx…5xx; 499: the client went away).",
		}, []string{"order", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gridnode_gateway_proxy_request_duration_seconds",
			Help:    "Time to proxy a request to an app (until its response ends), by status class.",
			Buckets: prometheus.DefBuckets,
		}, []string{"code"}),
		upstreamErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_proxy_errors_total",
			Help: "Proxied requests that failed before the app answered, by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.upstreamErrors)
	}
	return m
}

func (m *metrics) done(order string, rec *recorder, r *http.Request, start time.Time) {
	code := rec.status()
	class := strconv.Itoa(code/100) + "xx"
	if code == 499 {
		class = "499"
	}
	m.requests.WithLabelValues(order, class).Inc()
	m.duration.WithLabelValues(class).Observe(time.Since(start).Seconds())
}
