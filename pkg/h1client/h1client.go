package h1client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// Client sends requests to upstreams over HTTP/1.1. Its fields are read
// only; a Client is used by many goroutines at once.
//
// The request is written by http.Request.Write, from the fields the server
// parsed (Content-Length and Transfer-Encoding are derived, never copied),
// and the response read by http.ReadResponse. No Accept-Encoding is added:
// encodings pass through as the upstream sends them. Informational
// responses other than 101 are not passed on.
type Client struct {
	// Dialer connects to upstreams (its Timeout bounds the connect).
	Dialer *net.Dialer
	// HeaderTimeout bounds the wait for the response head, and each read
	// of a body of known length. Zero: no bound.
	HeaderTimeout time.Duration
	// MaxIdle is the number of idle connections kept per Upstream.
	MaxIdle int
	// IdleTimeout: a connection idle for longer is not reused.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the response head. Zero: DefaultMaxHeaderBytes.
	MaxHeaderBytes int64
}

// DefaultMaxHeaderBytes bounds a response head when Client.MaxHeaderBytes
// is zero, as in http.Transport.
const DefaultMaxHeaderBytes = 10 << 20

// Upstream is one upstream address and its idle connections. It lives as
// long as the caller routes to that address; Retire closes it.
type Upstream struct {
	addr   string
	mu     sync.Mutex
	idle   []*conn
	closed bool
}

// NewUpstream is the upstream at addr (host:port).
func NewUpstream(addr string) *Upstream { return &Upstream{addr: addr} }

// Addr is the upstream's host:port.
func (u *Upstream) Addr() string { return u.addr }

// Idle is the number of idle connections kept.
func (u *Upstream) Idle() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.idle)
}

// popIdle takes the most recently used idle connection, nil if none.
func (u *Upstream) popIdle() *conn {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := len(u.idle)
	if n == 0 {
		return nil
	}
	c := u.idle[n-1]
	u.idle[n-1] = nil
	u.idle = u.idle[:n-1]
	return c
}

// pushIdle keeps c for reuse; false if the stack is full or the upstream
// was retired (the caller closes c).
func (u *Upstream) pushIdle(c *conn, max int) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed || len(u.idle) >= max {
		return false
	}
	u.idle = append(u.idle, c)
	return true
}

// CloseIdle closes the connections idle since before cutoff.
func (u *Upstream) CloseIdle(cutoff time.Time) {
	u.mu.Lock()
	var old []*conn
	// The stack is in order of return: the oldest at the bottom.
	i := 0
	for i < len(u.idle) && u.idle[i].idleFrom.Before(cutoff) {
		i++
	}
	if i > 0 {
		old = append(old, u.idle[:i]...)
		u.idle = append(u.idle[:0], u.idle[i:]...)
	}
	u.mu.Unlock()
	for _, c := range old {
		_ = c.conn.Close()
	}
}

// Retire closes the idle connections for good: connections in use are
// closed when their exchange ends.
func (u *Upstream) Retire() {
	u.mu.Lock()
	u.closed = true
	old := u.idle
	u.idle = nil
	u.mu.Unlock()
	for _, c := range old {
		_ = c.conn.Close()
	}
}

// conn is one connection to an upstream.
type conn struct {
	u        *Upstream
	conn     net.Conn
	lr       *headLimit
	br       *bufio.Reader
	bw       *bufio.Writer
	idleFrom time.Time
	// deadline is the read deadline set on conn, zero for none. It is
	// moved only when less than nine tenths of the timeout are left, so
	// that a busy connection does not reset its timer on every request.
	deadline time.Time
}

// readDeadline makes sure that a read on c times out no sooner than nine
// tenths of timeout from now and no later than timeout.
func (c *conn) readDeadline(now time.Time, timeout time.Duration) {
	if !c.deadline.IsZero() && c.deadline.Sub(now) >= timeout-timeout/10 {
		return
	}
	c.deadline = now.Add(timeout)
	_ = c.conn.SetReadDeadline(c.deadline)
}

// noReadDeadline lifts the read deadline: a stream or an upgraded
// connection may be quiet for long.
func (c *conn) noReadDeadline() {
	if !c.deadline.IsZero() {
		c.deadline = time.Time{}
		_ = c.conn.SetReadDeadline(time.Time{})
	}
}

const bufSize = 4 << 10

// errStale marks a failure on a reused connection before any byte of the
// response arrived: the upstream had closed it while idle.
var errStale = errors.New("idle upstream connection closed")

// RoundTrip sends req to u and reads the response head; the body returns
// the connection to u's idle stack once read to the end and closed. A
// reused connection that turns out closed is replaced by a new one once,
// if the request can be sent again: bodyUntouched reports that no byte of
// req.Body was read.
//
// A 101 response's Body is the connection (an io.ReadWriteCloser), as
// httputil.ReverseProxy wants it for an upgrade. Errors: the context's
// when req's context ended; a net.Error with Timeout() for a response
// head not in time (ErrHeaderTimeout) or a dial timeout; else the dial's,
// the write's or the read's.
func (t *Client) RoundTrip(u *Upstream, req *http.Request, bodyUntouched func() bool) (*http.Response, error) {
	// A request without a body is simply sent again if the connection
	// turns out closed; one with a body must find an open one first.
	hasBody := req.Body != nil && req.Body != http.NoBody
	for retried := false; ; retried = true {
		c, reused, err := t.get(req.Context(), u, hasBody)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(c, req)
		if err == nil {
			return resp, nil
		}
		if reused && !retried && errors.Is(err, errStale) && bodyUntouched() && req.Context().Err() == nil {
			continue
		}
		return nil, err
	}
}

// get pops an idle connection that is still open (checked with a peek
// at the socket if check), or dials.
func (t *Client) get(ctx context.Context, u *Upstream, check bool) (*conn, bool, error) {
	now := time.Now()
	for {
		c := u.popIdle()
		if c == nil {
			break
		}
		if now.Sub(c.idleFrom) < t.IdleTimeout && (!check || c.alive()) {
			return c, true, nil
		}
		_ = c.conn.Close()
	}
	nc, err := t.Dialer.DialContext(ctx, "tcp", u.addr)
	if err != nil {
		return nil, false, err
	}
	lr := &headLimit{r: nc, n: noLimit}
	return &conn{u: u, conn: nc, lr: lr, br: bufio.NewReaderSize(lr, bufSize), bw: bufio.NewWriterSize(nc, bufSize)}, false, nil
}

// alive peeks at the socket without blocking: an idle connection must have
// nothing to read; EOF or stray bytes (a 408 sent at idle timeout) mean it
// is unusable.
func (c *conn) alive() bool {
	if c.br.Buffered() > 0 {
		return false
	}
	sc, ok := c.conn.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ok = false
	var b [1]byte
	// Control, not Read: no readiness wait and no deadline check.
	_ = rc.Control(func(fd uintptr) {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		ok = n < 0 && (errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK))
	})
	return ok
}

// exchange writes req on c and reads the response head, skipping
// informational responses other than 101.
func (t *Client) exchange(c *conn, req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// The client gone, the exchange ends: closing the connection
	// interrupts whatever read or write is blocked on it.
	stop := context.AfterFunc(ctx, func() { _ = c.conn.Close() })
	fail := func(err error) (*http.Response, error) {
		stop()
		_ = c.conn.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	werr := req.Write(c.bw)
	if werr == nil {
		werr = c.bw.Flush()
	}
	if werr != nil {
		// The upstream may have answered early (a 413 before the whole
		// body) and closed: its answer beats our write error.
		_ = c.conn.SetReadDeadline(time.Now().Add(earlyAnswerWait))
		c.lr.n = t.maxHeaderBytes()
		resp, err := http.ReadResponse(c.br, req)
		c.lr.n = noLimit
		if err == nil && resp.StatusCode >= 200 {
			c.deadline = time.Time{}
			_ = c.conn.SetReadDeadline(time.Time{})
			resp.Body = &body{c: c, body: resp.Body, stop: stop, reuse: false, h: t}
			return resp, nil
		}
		return fail(stale(c, fmt.Errorf("writing the request: %w", werr)))
	}
	if t.HeaderTimeout > 0 {
		c.readDeadline(time.Now(), t.HeaderTimeout)
	}
	var resp *http.Response
	for {
		var err error
		c.lr.n = t.maxHeaderBytes()
		resp, err = http.ReadResponse(c.br, req)
		c.lr.n = noLimit
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil {
				return fail(ErrHeaderTimeout)
			}
			if errors.Is(err, errHeadTooLarge) {
				return fail(fmt.Errorf("reading the response: head over %d bytes", t.maxHeaderBytes()))
			}
			return fail(stale(c, fmt.Errorf("reading the response: %w", err)))
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		// 100 Continue, 103 Early Hints: not passed on.
	}
	if resp.StatusCode == http.StatusSwitchingProtocols || resp.ContentLength < 0 {
		c.noReadDeadline()
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		resp.Body = &upgraded{c: c, stop: stop}
		return resp, nil
	}
	// A body-less answer (HEAD, 204, 304) is complete already.
	eof := resp.Body == http.NoBody
	resp.Body = &body{c: c, body: resp.Body, stop: stop, reuse: !resp.Close && !req.Close, eof: eof, h: t}
	return resp, nil
}

// earlyAnswerWait bounds the look for an answer after a failed write.
const earlyAnswerWait = time.Second

// ErrHeaderTimeout: the upstream did not send its response head within
// Client.HeaderTimeout. It is a net.Error whose Timeout() is true.
var ErrHeaderTimeout error = timeoutError{"timeout awaiting response headers"}

type timeoutError struct{ msg string }

func (e timeoutError) Error() string   { return e.msg }
func (e timeoutError) Timeout() bool   { return true }
func (e timeoutError) Temporary() bool { return true }

// stale marks err as errStale when nothing of a response arrived: the
// connection was closed or reset under us.
func stale(c *conn, err error) error {
	if c.br.Buffered() == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
		return fmt.Errorf("%w: %w", errStale, err)
	}
	return err
}

// body is a response body: read to its end and closed, its connection
// goes back to the idle stack; closed early, the connection is closed (a
// rest of unknown length is not drained).
type body struct {
	c     *conn
	body  io.ReadCloser
	stop  func() bool
	h     *Client
	reuse bool
	eof   bool
	once  sync.Once
}

func (b *body) Read(p []byte) (int, error) {
	if !b.c.deadline.IsZero() {
		// A body of known length: each read within the timeout.
		b.c.readDeadline(time.Now(), b.h.HeaderTimeout)
	}
	n, err := b.body.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *body) Close() error {
	b.once.Do(func() {
		stopped := b.stop() // false: the context was cancelled and the connection closed
		if b.eof && b.reuse && stopped {
			_ = b.body.Close()
			b.c.idleFrom = time.Now()
			if b.c.u.pushIdle(b.c, b.h.MaxIdle) {
				return
			}
		}
		_ = b.c.conn.Close()
	})
	return nil
}

// upgraded is the connection after a 101 response: ReverseProxy copies
// both ways between it and the client's.
type upgraded struct {
	c    *conn
	stop func() bool
	once sync.Once
}

func (u *upgraded) Read(p []byte) (int, error)  { return u.c.br.Read(p) }
func (u *upgraded) Write(p []byte) (int, error) { return u.c.conn.Write(p) }
func (u *upgraded) Close() error {
	var err error
	u.once.Do(func() {
		u.stop()
		err = u.c.conn.Close()
	})
	return err
}

func (t *Client) maxHeaderBytes() int64 {
	if t.MaxHeaderBytes > 0 {
		return t.MaxHeaderBytes
	}
	return DefaultMaxHeaderBytes
}

// noLimit is headLimit.n outside a response head.
const noLimit = math.MaxInt64

// errHeadTooLarge: a response head went over Client.MaxHeaderBytes.
var errHeadTooLarge = errors.New("response head too large")

// headLimit is the connection as its buffered reader reads it: while a
// response head is parsed, n bounds what may still be read (the buffer
// reads ahead, so the bound is approximate by its size), as
// http.Transport bounds it.
type headLimit struct {
	r io.Reader
	n int64
}

func (l *headLimit) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errHeadTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	if l.n != noLimit {
		l.n -= int64(n)
	}
	return n, err
}
