package h1client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// h1Server is an upstream that counts the connections it accepted.
type h1Server struct {
	srv   *httptest.Server
	conns atomic.Int64
	u     *Upstream
}

func newH1Server(t *testing.T, h http.HandlerFunc, idle time.Duration) *h1Server {
	t.Helper()
	s := &h1Server{srv: httptest.NewUnstartedServer(h)}
	s.srv.Config.IdleTimeout = idle
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	s.u = NewUpstream(s.srv.Listener.Addr().String())
	t.Cleanup(s.u.Retire)
	return s
}

func testH1(timeout time.Duration) *Client {
	return &Client{Dialer: &net.Dialer{Timeout: time.Second}, HeaderTimeout: timeout, MaxIdle: 16, IdleTimeout: time.Minute}
}

// do sends one request through t and returns the body.
func (s *h1Server) do(t *testing.T, tr *Client, ctx context.Context, method, body string) (*http.Response, string, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+s.u.addr+"/x", rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(s.u, req, func() bool { return true })
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b), err
}

func echoBody(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	_, _ = io.WriteString(w, r.Method+" "+string(b))
}

// TestH1Reuse: sequential requests, with and without bodies, share one
// connection; a "Connection: close" response or a body closed early does
// not go back to the pool.
func TestH1Reuse(t *testing.T) {
	s := newH1Server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("mode") {
		case "close":
			w.Header().Set("Connection", "close")
		case "big":
			_, _ = w.Write(make([]byte, 1<<20))
			return
		}
		echoBody(w, r)
	}, 0)
	tr := testH1(5 * time.Second)
	ctx := context.Background()
	for i := range 20 {
		method, body := "GET", ""
		if i%2 == 1 {
			method, body = "POST", "payload"
		}
		_, got, err := s.do(t, tr, ctx, method, body)
		if err != nil || got != method+" "+body {
			t.Fatalf("request %d: %q, %v", i, got, err)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("20 sequential requests used %d connections, want 1", n)
	}

	req, _ := http.NewRequest("GET", "http://"+s.u.addr+"/x?mode=close", nil)
	resp, err := tr.RoundTrip(s.u, req, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := s.u.Idle(); n != 0 {
		t.Fatalf("%d idle connections after Connection: close", n)
	}

	req, _ = http.NewRequest("GET", "http://"+s.u.addr+"/x?mode=big", nil)
	resp, err = tr.RoundTrip(s.u, req, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadFull(resp.Body, make([]byte, 100))
	resp.Body.Close() // early: the rest is not drained, the connection is dropped
	if n := s.u.Idle(); n != 0 {
		t.Fatalf("%d idle connections after a body closed early", n)
	}
}

// TestH1StaleIdle: the upstream closes an idle connection; the next
// request, with or without a body, goes out on a new one.
func TestH1StaleIdle(t *testing.T) {
	s := newH1Server(t, echoBody, 100*time.Millisecond)
	tr := testH1(5 * time.Second)
	ctx := context.Background()
	for i, method := range []string{"GET", "GET", "POST", "POST"} {
		body := map[string]string{"GET": "", "POST": "payload"}[method]
		if _, got, err := s.do(t, tr, ctx, method, body); err != nil || got != method+" "+body {
			t.Fatalf("request %d (%s): %q, %v", i, method, got, err)
		}
		// Let the upstream close the connection we keep.
		time.Sleep(400 * time.Millisecond)
	}
	t.Logf("4 requests on connections closed while idle used %d connections", s.conns.Load())
	if s.conns.Load() < 2 {
		t.Fatalf("the upstream's idle timeout closed nothing? %d connections", s.conns.Load())
	}
}

// TestH1Timeouts: no response head within the timeout is a timeout error;
// a cancelled request ends at once and closes its connection.
func TestH1Timeouts(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var gone atomic.Int64
	s := newH1Server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			gone.Add(1)
		}
	}, 0)
	tr := testH1(300 * time.Millisecond)
	_, _, err := s.do(t, tr, context.Background(), "GET", "")
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, ErrHeaderTimeout) {
		t.Fatalf("err %v, want a timeout", err)
	}

	tr = testH1(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, _, err = s.do(t, tr, ctx, "GET", "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	t.Logf("cancelled request returned after %s", time.Since(start).Round(time.Millisecond))
	eventually(t, 5*time.Second, "upstream sees the connection closed", func() bool { return gone.Load() == 2 })
}

// TestH1EarlyAnswer: an upstream that answers before reading a large body
// and closes the connection: its answer is passed on, not a write error.
func TestH1EarlyAnswer(t *testing.T) {
	s := newH1Server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "too large for me", http.StatusRequestEntityTooLarge)
	}, 0)
	tr := testH1(5 * time.Second)
	req, _ := http.NewRequest("POST", "http://"+s.u.addr+"/x", strings.NewReader(strings.Repeat("z", 32<<20)))
	resp, err := tr.RoundTrip(s.u, req, func() bool { return false })
	if err != nil {
		t.Fatalf("an early answer came back as %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d %s, want 413", resp.StatusCode, b)
	}
	if n := s.u.Idle(); n != 0 {
		t.Fatalf("the connection of an early answer went back to the pool (%d idle)", n)
	}
}

// TestH1HeadTooLarge: a response head over MaxHeaderBytes is an error, and
// its connection is not kept.
func TestH1HeadTooLarge(t *testing.T) {
	s := newH1Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("b", 64<<10))
		_, _ = io.WriteString(w, "ok")
	}, 0)
	tr := testH1(5 * time.Second)
	tr.MaxHeaderBytes = 16 << 10
	_, _, err := s.do(t, tr, context.Background(), "GET", "")
	if err == nil || !strings.Contains(err.Error(), "head over") {
		t.Fatalf("err %v, want a head too large", err)
	}
	if n := s.u.Idle(); n != 0 {
		t.Fatalf("%d idle connections after a head too large", n)
	}
	tr.MaxHeaderBytes = 0 // the default, 10 MiB
	if _, got, err := s.do(t, tr, context.Background(), "GET", ""); err != nil || got != "ok" {
		t.Fatalf("with the default bound: %q, %v", got, err)
	}
}

// TestH1Upgrade: a 101 response's body is the connection, both ways.
func TestH1Upgrade(t *testing.T) {
	s := newH1Server(t, func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		b := make([]byte, 5)
		if _, err := io.ReadFull(brw, b); err == nil {
			_, _ = conn.Write(append([]byte("echo:"), b...))
		}
	}, 0)
	tr := testH1(5 * time.Second)
	req, _ := http.NewRequest("GET", "http://"+s.u.Addr()+"/ws", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := tr.RoundTrip(s.u, req, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d, want 101", resp.StatusCode)
	}
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		t.Fatalf("a 101 body is a %T, not an io.ReadWriteCloser", resp.Body)
	}
	if _, err := io.WriteString(rw, "hello"); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 10)
	if _, err := io.ReadFull(rw, got); err != nil || string(got) != "echo:hello" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// eventually polls cond every 20ms until it holds, failing the test after
// timeout (a liveness bound, not a performance assertion).
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for time.Since(start) < timeout {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not after %s", what, timeout)
}
