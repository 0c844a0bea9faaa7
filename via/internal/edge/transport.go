package edge

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/h1client"
)

// transports are the clients to upstreams, one per upstream protocol.
type transports struct {
	h1  *h1client.Client // ProtoHTTP1, and upgrades on ProtoH2C upstreams
	h2c *http.Transport  // ProtoH2C
	tls *http.Transport  // ProtoHTTPS: HTTP/2 if the upstream offers it in ALPN
}

func newTransports(cfg Config) (*transports, error) {
	d := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	base := func() *http.Transport {
		return &http.Transport{
			Proxy:                  nil,
			DialContext:            d.DialContext,
			MaxIdleConns:           4096,
			MaxIdleConnsPerHost:    maxIdlePerUpstream,
			IdleConnTimeout:        upstreamIdleTimeout,
			ResponseHeaderTimeout:  cfg.UpstreamTimeout,
			ExpectContinueTimeout:  time.Second,
			MaxResponseHeaderBytes: maxResponseHeaderBytes,
			DisableCompression:     true,
			TLSHandshakeTimeout:    cfg.DialTimeout,
		}
	}
	h2c := base()
	h2c.Protocols = new(http.Protocols)
	h2c.Protocols.SetUnencryptedHTTP2(true)

	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.UpstreamCAFile != "" {
		pem, err := os.ReadFile(cfg.UpstreamCAFile)
		if err != nil {
			return nil, fmt.Errorf("upstream-ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("upstream-ca-file %s: no PEM certificate in it", cfg.UpstreamCAFile)
		}
		tlsConf.RootCAs = pool
	}
	tr := base()
	tr.TLSClientConfig = tlsConf
	tr.Protocols = new(http.Protocols)
	tr.Protocols.SetHTTP1(true)
	tr.Protocols.SetHTTP2(true)
	return &transports{
		h1: &h1client.Client{Dialer: d, HeaderTimeout: cfg.UpstreamTimeout, MaxIdle: maxIdlePerUpstream,
			IdleTimeout: upstreamIdleTimeout, MaxHeaderBytes: maxResponseHeaderBytes},
		h2c: h2c,
		tls: tr,
	}, nil
}

// Upstream connection limits.
const (
	maxIdlePerUpstream     = 1024
	upstreamIdleTimeout    = 90 * time.Second
	maxResponseHeaderBytes = 1 << 20
)

func (ts *transports) close() {
	ts.h2c.CloseIdleConnections()
	ts.tls.CloseIdleConnections()
}

// retryTransport picks an instance of the request's pool for each attempt,
// keeps the in-flight counts and passive health, and retries on another
// instance when that is safe: the connection could not be made (nothing
// was sent), or the request is idempotent without a body and failed before
// any response.
type retryTransport struct {
	ts *transports
	e  *Edge
}

// send is one attempt on u.
func (t *retryTransport) send(u *upstream, req *http.Request, info *reqInfo) (*http.Response, error) {
	req.URL.Host = u.addr
	switch {
	case u.proto == ProtoHTTPS:
		req.URL.Scheme = "https"
		return t.ts.tls.RoundTrip(req)
	case u.proto == ProtoH2C && !isUpgrade(req):
		req.URL.Scheme = "http"
		return t.ts.h2c.RoundTrip(req)
	default:
		req.URL.Scheme = "http"
		return t.ts.h1.RoundTrip(u.conns, req, info.bodyUntouched)
	}
}

// isUpgrade reports whether req asks for a protocol upgrade (WebSocket).
func isUpgrade(req *http.Request) bool {
	if req.Header.Get("Upgrade") == "" {
		return false
	}
	for _, v := range req.Header["Connection"] {
		for _, tok := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "upgrade") {
				return true
			}
		}
	}
	return false
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	info := req.Context().Value(infoKey{}).(*reqInfo)
	e := t.e
	var tried []*upstream
	var lastErr error
	for {
		now := time.Now()
		u := info.pool.pick(tried, now)
		if u == nil {
			if lastErr != nil {
				return nil, lastErr
			}
			return nil, errNoUpstream
		}
		tried = append(tried, u)
		info.upstream = u.addr
		info.attempts++
		u.inflight.Add(1)
		resp, err := t.send(u, req, info)
		if err != nil {
			u.inflight.Add(-1)
			if req.Context().Err() != nil {
				return nil, err
			}
			hard := isDialError(err)
			u.attemptsErr.Inc()
			if u.failure(hard, e.cfg.EjectAfter, e.cfg.EjectFor, now) {
				u.ejectionsC.Inc()
				e.log.Warn("upstream ejected", zap.String("route", info.route), zap.String("upstream", u.addr),
					zap.Bool("connect_failed", hard), zap.Error(err))
			}
			lastErr = err
			if len(tried) <= e.cfg.Retries && retryable(req, info, hard) {
				info.pool.rm.retries.Inc()
				continue
			}
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			u.attempts5xx.Inc()
			if u.failure(false, e.cfg.EjectAfter, e.cfg.EjectFor, now) {
				u.ejectionsC.Inc()
				e.log.Warn("upstream ejected after consecutive 5xx", zap.String("route", info.route), zap.String("upstream", u.addr))
			}
		default:
			u.attemptsOK.Inc()
			u.success()
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			info.upgraded = true
			if rwc, ok := resp.Body.(io.ReadWriteCloser); ok {
				resp.Body = &releaseRWC{ReadWriteCloser: rwc, u: u}
				return resp, nil
			}
		}
		resp.Body = &releaseBody{ReadCloser: resp.Body, u: u}
		return resp, nil
	}
}

// retryable: a failed attempt may go to another instance if nothing of
// the request can have reached the first one (the dial failed, and no
// byte of a body was read), or if it is idempotent and has no body.
func retryable(req *http.Request, info *reqInfo, dialFailed bool) bool {
	if dialFailed && info.bodyUntouched() {
		return true
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return info.body == nil
	}
	return false
}

func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// sentBody is a request body that counts what the transport read, applies
// the body read timeout, and ignores Close so that an attempt that failed
// before reading it leaves it usable for the next (the server closes the
// real body when the handler returns).
type sentBody struct {
	rc      io.ReadCloser
	rc2     *http.ResponseController
	timeout time.Duration
	n       atomic.Int64
	once    sync.Once
	mu      sync.Mutex
	err     error // the first read error but EOF; under mu
}

// readErr is the error reading the client's body failed with, if any: the
// request failed on the client's side, not the upstream's.
func (b *sentBody) readErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *sentBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.once.Do(func() { _ = b.rc2.SetReadDeadline(time.Now().Add(b.timeout)) })
	n, err := b.rc.Read(p)
	b.n.Add(int64(n))
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	if err != nil {
		// Done with the body: lift the deadline so that the connection's
		// next reads (keep-alive, an upgrade) are not cut short.
		_ = b.rc2.SetReadDeadline(time.Time{})
	}
	return n, err
}

func (b *sentBody) Close() error { return nil }

// releaseBody ends an attempt's in-flight count when its body is closed.
type releaseBody struct {
	io.ReadCloser
	u        *upstream
	released atomic.Bool
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	if b.released.CompareAndSwap(false, true) {
		b.u.inflight.Add(-1)
	}
	return err
}

type releaseRWC struct {
	io.ReadWriteCloser
	u        *upstream
	released atomic.Bool
}

func (b *releaseRWC) Close() error {
	err := b.ReadWriteCloser.Close()
	if b.released.CompareAndSwap(false, true) {
		b.u.inflight.Add(-1)
	}
	return err
}

// bufferPool recycles the proxy's copy buffers.
type bufferPool struct{}

// copyBufSize is the size of a body copy buffer: large enough for a
// download to move in few writes, small enough that a GC emptying the pool
// costs little.
const copyBufSize = 16 << 10

var buffers = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

func (bufferPool) Get() []byte { return *(buffers.Get().(*[]byte)) }
func (bufferPool) Put(b []byte) {
	if cap(b) == copyBufSize {
		b = b[:copyBufSize]
		buffers.Put(&b)
	}
}
