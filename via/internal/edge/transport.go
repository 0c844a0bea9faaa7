package edge

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"
)

// newTransport is the transport to upstreams: plain HTTP/1.1 on the
// organization's network, with keep-alive pools sized for an edge.
func newTransport(cfg Config) *http.Transport {
	d := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		MaxIdleConns:           4096,
		MaxIdleConnsPerHost:    1024,
		IdleConnTimeout:        90 * time.Second,
		ResponseHeaderTimeout:  cfg.UpstreamTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
		DisableCompression:     true,
		ForceAttemptHTTP2:      false,
	}
}

// retryTransport picks an instance of the request's pool for each attempt,
// keeps the in-flight counts and passive health, and retries on another
// instance when that is safe: the connection could not be made (nothing
// was sent), or the request is idempotent without a body and failed before
// any response.
type retryTransport struct {
	base http.RoundTripper
	e    *Edge
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
		req.URL.Host = u.addr
		u.inflight.Add(1)
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			u.inflight.Add(-1)
			if req.Context().Err() != nil {
				return nil, err
			}
			hard := isDialError(err)
			e.m.upstream.WithLabelValues(info.route, u.addr, "error").Inc()
			if u.failure(hard, e.cfg.EjectAfter, e.cfg.EjectFor, now) {
				e.m.ejections.WithLabelValues(info.route, u.addr).Inc()
				e.log.Warn("upstream ejected", zap.String("route", info.route), zap.String("upstream", u.addr),
					zap.Bool("connect_failed", hard), zap.Error(err))
			}
			lastErr = err
			if len(tried) <= e.cfg.Retries && retryable(req, info, hard) {
				e.m.retries.WithLabelValues(info.route).Inc()
				continue
			}
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			e.m.upstream.WithLabelValues(info.route, u.addr, "5xx").Inc()
			if u.failure(false, e.cfg.EjectAfter, e.cfg.EjectFor, now) {
				e.m.ejections.WithLabelValues(info.route, u.addr).Inc()
				e.log.Warn("upstream ejected after consecutive 5xx", zap.String("route", info.route), zap.String("upstream", u.addr))
			}
		default:
			e.m.upstream.WithLabelValues(info.route, u.addr, "ok").Inc()
			u.success()
		}
		release := func() { u.inflight.Add(-1) }
		if resp.StatusCode == http.StatusSwitchingProtocols {
			info.upgraded = true
			if rwc, ok := resp.Body.(io.ReadWriteCloser); ok {
				resp.Body = &releaseRWC{ReadWriteCloser: rwc, release: release}
				return resp, nil
			}
		}
		resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
		return resp, nil
	}
}

// retryable: a failed attempt may go to another instance if nothing of
// the request can have reached the first one (the dial failed, and no
// byte of a body was read), or if it is idempotent and has no body.
func retryable(req *http.Request, info *reqInfo, dialFailed bool) bool {
	bodyUntouched := info.body == nil || info.body.n.Load() == 0
	if dialFailed && bodyUntouched {
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
}

func (b *sentBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.once.Do(func() { _ = b.rc2.SetReadDeadline(time.Now().Add(b.timeout)) })
	n, err := b.rc.Read(p)
	b.n.Add(int64(n))
	if err != nil {
		// Done with the body: lift the deadline so that the connection's
		// next reads (keep-alive, an upgrade) are not cut short.
		_ = b.rc2.SetReadDeadline(time.Time{})
	}
	return n, err
}

func (b *sentBody) Close() error { return nil }

type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

type releaseRWC struct {
	io.ReadWriteCloser
	once    sync.Once
	release func()
}

func (b *releaseRWC) Close() error {
	err := b.ReadWriteCloser.Close()
	b.once.Do(b.release)
	return err
}

// bufferPool recycles the proxy's copy buffers.
type bufferPool struct{}

var buffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *(buffers.Get().(*[]byte)) }
func (bufferPool) Put(b []byte) { buffers.Put(&b) }
