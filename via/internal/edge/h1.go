package edge

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// h1 is the HTTP/1.1 client to plain upstreams. Unlike http.Transport it
// runs each exchange on the handler's goroutine (no reader and writer
// goroutine per connection, no hand-offs between them): on two cores that
// hand-off was a third of the proxy's CPU per request. Each upstream
// keeps its own stack of idle connections (upstream.idle).
//
// The request is written by http.Request.Write, from the fields the server
// parsed (Content-Length and Transfer-Encoding are derived, never copied),
// and the response read by http.ReadResponse: framing is net/http's on both
// sides.
type h1 struct {
	dialer        *net.Dialer
	headerTimeout time.Duration
	maxIdle       int
	idleTimeout   time.Duration
}

// h1Conn is one connection to an upstream.
type h1Conn struct {
	u        *upstream
	conn     net.Conn
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
func (c *h1Conn) readDeadline(now time.Time, timeout time.Duration) {
	if !c.deadline.IsZero() && c.deadline.Sub(now) >= timeout-timeout/10 {
		return
	}
	c.deadline = now.Add(timeout)
	_ = c.conn.SetReadDeadline(c.deadline)
}

// noReadDeadline lifts the read deadline: a stream or an upgraded
// connection may be quiet for long.
func (c *h1Conn) noReadDeadline() {
	if !c.deadline.IsZero() {
		c.deadline = time.Time{}
		_ = c.conn.SetReadDeadline(time.Time{})
	}
}

const h1BufSize = 4 << 10

// errStale marks a failure on a reused connection before any byte of the
// response arrived: the upstream had closed it while idle.
var errStale = errors.New("idle upstream connection closed")

// roundTrip sends req to u and reads the response head; the body returns
// the connection to u's idle stack once read to the end. A reused
// connection that turns out closed is replaced by a new one once, if the
// request can be sent again (no body was read).
func (t *h1) roundTrip(u *upstream, req *http.Request, bodyUntouched func() bool) (*http.Response, error) {
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
func (t *h1) get(ctx context.Context, u *upstream, check bool) (*h1Conn, bool, error) {
	now := time.Now()
	for {
		c := u.popIdle()
		if c == nil {
			break
		}
		if now.Sub(c.idleFrom) < t.idleTimeout && (!check || c.alive()) {
			return c, true, nil
		}
		_ = c.conn.Close()
	}
	conn, err := t.dialer.DialContext(ctx, "tcp", u.addr)
	if err != nil {
		return nil, false, err
	}
	return &h1Conn{u: u, conn: conn, br: bufio.NewReaderSize(conn, h1BufSize), bw: bufio.NewWriterSize(conn, h1BufSize)}, false, nil
}

// alive peeks at the socket without blocking: an idle connection must have
// nothing to read; EOF or stray bytes (a 408 sent at idle timeout) mean it
// is unusable.
func (c *h1Conn) alive() bool {
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
func (t *h1) exchange(c *h1Conn, req *http.Request) (*http.Response, error) {
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
		if resp, err := http.ReadResponse(c.br, req); err == nil && resp.StatusCode >= 200 {
			c.deadline = time.Time{}
			_ = c.conn.SetReadDeadline(time.Time{})
			resp.Body = &h1Body{c: c, body: resp.Body, stop: stop, reuse: false, h: t}
			return resp, nil
		}
		return fail(stale(c, fmt.Errorf("writing the request: %w", werr)))
	}
	c.readDeadline(time.Now(), t.headerTimeout)
	var resp *http.Response
	for {
		var err error
		if resp, err = http.ReadResponse(c.br, req); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil {
				return fail(errHeaderTimeout)
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
		resp.Body = &h1Upgraded{c: c, stop: stop}
		return resp, nil
	}
	// A body-less answer (HEAD, 204, 304) is complete already.
	eof := resp.Body == http.NoBody
	resp.Body = &h1Body{c: c, body: resp.Body, stop: stop, reuse: !resp.Close && !req.Close, eof: eof, h: t}
	return resp, nil
}

// earlyAnswerWait bounds the look for an answer after a failed write.
const earlyAnswerWait = time.Second

// errHeaderTimeout: the upstream did not send its response head in time.
var errHeaderTimeout = timeoutError{"timeout awaiting response headers"}

type timeoutError struct{ msg string }

func (e timeoutError) Error() string   { return e.msg }
func (e timeoutError) Timeout() bool   { return true }
func (e timeoutError) Temporary() bool { return true }

// stale marks err as errStale when nothing of a response arrived: the
// connection was closed or reset under us.
func stale(c *h1Conn, err error) error {
	if c.br.Buffered() == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
		return fmt.Errorf("%w: %w", errStale, err)
	}
	return err
}

// h1Body is a response body: read to its end and closed, its connection
// goes back to the idle stack; closed early, the connection is closed (a
// rest of unknown length is not drained).
type h1Body struct {
	c     *h1Conn
	body  io.ReadCloser
	stop  func() bool
	h     *h1
	reuse bool
	eof   bool
	once  sync.Once
}

func (b *h1Body) Read(p []byte) (int, error) {
	if !b.c.deadline.IsZero() {
		// A body of known length: each read within the timeout.
		b.c.readDeadline(time.Now(), b.h.headerTimeout)
	}
	n, err := b.body.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *h1Body) Close() error {
	b.once.Do(func() {
		stopped := b.stop() // false: the context was cancelled and the connection closed
		if b.eof && b.reuse && stopped {
			_ = b.body.Close()
			b.c.idleFrom = time.Now()
			if b.c.u.pushIdle(b.c, b.h.maxIdle) {
				return
			}
		}
		_ = b.c.conn.Close()
	})
	return nil
}

// h1Upgraded is the connection after a 101 response: ReverseProxy copies
// both ways between it and the client's.
type h1Upgraded struct {
	c    *h1Conn
	stop func() bool
	once sync.Once
}

func (u *h1Upgraded) Read(p []byte) (int, error)  { return u.c.br.Read(p) }
func (u *h1Upgraded) Write(p []byte) (int, error) { return u.c.conn.Write(p) }
func (u *h1Upgraded) Close() error {
	var err error
	u.once.Do(func() {
		u.stop()
		err = u.c.conn.Close()
	})
	return err
}
