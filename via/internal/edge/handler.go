package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

const (
	headerRequestID = "X-Request-Id"
	// maxPathLen bounds the request target beyond MaxHeaderBytes.
	maxPathLen = 8 << 10
)

// validProvider reports whether s is 0x and 40 lowercase hex digits.
func validProvider(s string) bool {
	if len(s) != 42 || s[0] != '0' || s[1] != 'x' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Sentinel errors of the proxy path.
var (
	errNoUpstream = errors.New("no passing instance")
)

// reqInfo travels with a proxied request from ServeHTTP to the transport.
type reqInfo struct {
	id       string
	route    string
	pool     *pool
	prefix   string
	tail     string
	rawTail  string
	body     *sentBody
	upstream string // the last instance tried
	attempts int
	upgraded bool
	err      error
}

// bodyUntouched reports whether no byte of the request body was read:
// the request can still go to another instance.
func (info *reqInfo) bodyUntouched() bool { return info.body == nil || info.body.n.Load() == 0 }

type infoKey struct{}

// ServeHTTP routes one request.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := &reqInfo{id: requestID(r), route: "none"}
	rec := &recorder{ResponseWriter: w}
	w.Header().Set(headerRequestID, info.id)
	defer func() { e.done(r, rec, info, start) }()

	if r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		info.route = "healthz"
		rec.Header().Set("Content-Type", "application/json")
		rec.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(rec, `{"status":"ok"}`+"\n")
		return
	}
	if e.limiter != nil {
		if ok, wait := e.limiter.allow(clientIP(r), start); !ok {
			e.m.limited.Inc()
			rec.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
			writeError(rec, http.StatusTooManyRequests, "rate_limited", "too many requests from this address; slow down", info.id)
			return
		}
	}
	if len(r.URL.RawPath)+len(r.URL.Path) > maxPathLen {
		writeError(rec, http.StatusRequestURITooLong, "uri_too_long", "request path too long", info.id)
		return
	}
	rt := e.table.cur.Load()
	switch {
	case strings.HasPrefix(r.URL.Path, "/gw/"):
		prov, _, _ := strings.Cut(r.URL.Path[len("/gw/"):], "/")
		prov = strings.ToLower(prov)
		if !validProvider(prov) {
			writeError(rec, http.StatusNotFound, "not_found", "no such route: /gw/{provider} wants the provider's address, 0x and 40 hex digits", info.id)
			return
		}
		info.prefix = r.URL.Path[:len("/gw/")+len(prov)]
		info.pool = rt.gateways[prov]
		if info.pool == nil {
			writeError(rec, http.StatusServiceUnavailable, "no_upstream", fmt.Sprintf("no passing gateway of provider %s in this organization", prov), info.id)
			return
		}
		info.route = info.pool.route
	case e.cfg.AdminRoute && (r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/")):
		info.prefix = "/admin"
		info.route = routeAdmin
		info.pool = rt.admin
	default:
		writeError(rec, http.StatusNotFound, "not_found", "no such route", info.id)
		return
	}
	if len(info.pool.ups) == 0 {
		writeError(rec, http.StatusServiceUnavailable, "no_upstream", "no passing instance of "+info.route, info.id)
		return
	}
	info.tail = r.URL.Path[len(info.prefix):]
	if info.tail == "" {
		info.tail = "/"
	}
	if r.URL.RawPath != "" {
		// The prefix is plain ASCII, so it has the same length escaped.
		info.rawTail = r.URL.RawPath[min(len(info.prefix), len(r.URL.RawPath)):]
	}
	if r.ContentLength > e.cfg.MaxBodyBytes {
		writeError(rec, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body larger than %d bytes", e.cfg.MaxBodyBytes), info.id)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		info.body = &sentBody{
			rc:  http.MaxBytesReader(rec, r.Body, e.cfg.MaxBodyBytes),
			rc2: http.NewResponseController(w), timeout: e.cfg.BodyTimeout,
		}
		r.Body = info.body
	}
	e.proxy.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
}

// rewrite builds the outbound request: the prefix stripped, the
// X-Forwarded-* and Forwarded headers set from what via saw (anything the
// client sent in them is dropped: via is the edge). The transport fills in
// the instance.
func (e *Edge) rewrite(pr *httputil.ProxyRequest) {
	info := pr.In.Context().Value(infoKey{}).(*reqInfo)
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = "upstream.invalid"
	pr.Out.URL.Path = info.tail
	pr.Out.URL.RawPath = info.rawTail
	pr.Out.Host = ""
	pr.SetXForwarded()
	pr.Out.Header.Set("X-Forwarded-Prefix", info.prefix)
	pr.Out.Header.Set(headerRequestID, info.id)
	proto := "http"
	if pr.In.TLS != nil {
		proto = "https"
	}
	fwd := "for=" + forwardedNode(pr.In.RemoteAddr) + ";proto=" + proto
	if pr.In.Host != "" {
		fwd += ";host=" + strconv.Quote(pr.In.Host)
	}
	pr.Out.Header.Set("Forwarded", fwd)
}

// forwardedNode is the RFC 7239 node of a remote address.
func forwardedNode(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return "unknown"
	}
	if strings.Contains(host, ":") {
		return `"[` + host + `]"`
	}
	return host
}

// proxyError answers a request no instance could serve.
func (e *Edge) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	info, _ := r.Context().Value(infoKey{}).(*reqInfo)
	id := ""
	if info != nil {
		id = info.id
		info.err = err
	}
	var bodyErr error
	if info != nil && info.body != nil {
		bodyErr = info.body.readErr()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || errors.As(bodyErr, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body larger than %d bytes", tooBig.Limit), id)
	case errors.Is(err, errNoUpstream):
		writeError(w, http.StatusServiceUnavailable, "no_upstream", "no passing instance can take the request", id)
	case r.Context().Err() != nil:
		// The client went away; nobody reads this.
		w.WriteHeader(499)
	case bodyErr != nil && isTimeout(bodyErr):
		writeError(w, http.StatusRequestTimeout, "body_timeout", "the request body did not arrive in time", id)
	case bodyErr != nil:
		writeError(w, http.StatusBadRequest, "bad_body", "reading the request body failed", id)
	case isTimeout(err):
		writeError(w, http.StatusGatewayTimeout, "upstream_timeout", "the upstream did not answer in time", id)
	default:
		writeError(w, http.StatusBadGateway, "upstream_failed", "the upstream failed before answering; the request was not retried (not idempotent, or no other instance)", id)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return (errors.As(err, &ne) && ne.Timeout()) || strings.Contains(err.Error(), "timeout awaiting response headers")
}

// done logs and counts a finished request.
func (e *Edge) done(r *http.Request, rec *recorder, info *reqInfo, start time.Time) {
	d := time.Since(start)
	code := rec.status()
	if info.upgraded {
		code = http.StatusSwitchingProtocols
	}
	if info.pool != nil {
		info.pool.rm.done(code, d)
	} else {
		e.m.requests.WithLabelValues(info.route, strconv.Itoa(code)).Inc()
		e.m.duration.WithLabelValues(info.route).Observe(d.Seconds())
	}
	if e.access.log == nil {
		return
	}
	fields := make([]zap.Field, 0, 11)
	fields = append(fields,
		zap.String("request_id", info.id),
		zap.String("method", r.Method),
		zap.String("path", r.URL.Path),
		zap.String("client", clientIP(r)),
		zap.String("route", info.route),
		zap.Int("status", code),
		zap.Int64("bytes", rec.bytes),
		zap.Duration("duration", d),
	)
	if info.upstream != "" {
		fields = append(fields, zap.String("upstream", info.upstream), zap.Int("attempts", info.attempts))
	}
	if info.err != nil {
		fields = append(fields, zap.NamedError("upstream_error", info.err))
	}
	e.access.log.Info("request", fields...)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requestID is the client's X-Request-Id if well-formed (1-64 of
// A-Z a-z 0-9 . _ -), else 16 random hex digits.
func requestID(r *http.Request) string {
	if v := r.Header[headerRequestID]; len(v) > 0 && validRequestID(v[0]) {
		return v[0]
	}
	var b [16]byte
	const hexDigits = "0123456789abcdef"
	x := rand.Uint64()
	for i := 15; i >= 0; i-- {
		b[i] = hexDigits[x&0xf]
		x >>= 4
	}
	return string(b[:])
}

func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func writeError(w http.ResponseWriter, status int, code, msg, id string) {
	service.WriteError(w, status, code, msg, id)
}

// recorder notes the status and size of a response. Unwrap lets
// http.ResponseController reach Flush and Hijack underneath.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
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
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
