package edge

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
	u     *upstream
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
	s.u = &upstream{addr: s.srv.Listener.Addr().String(), proto: ProtoHTTP1}
	t.Cleanup(func() { s.u.closeIdle(time.Time{}, true) })
	return s
}

func testH1(timeout time.Duration) *h1 {
	return &h1{dialer: &net.Dialer{Timeout: time.Second}, headerTimeout: timeout, maxIdle: 16, idleTimeout: time.Minute}
}

// do sends one request through t and returns the body.
func (s *h1Server) do(t *testing.T, tr *h1, ctx context.Context, method, body string) (*http.Response, string, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+s.u.addr+"/x", rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.roundTrip(s.u, req, func() bool { return true })
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
	resp, err := tr.roundTrip(s.u, req, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := len(s.u.idle); n != 0 {
		t.Fatalf("%d idle connections after Connection: close", n)
	}

	req, _ = http.NewRequest("GET", "http://"+s.u.addr+"/x?mode=big", nil)
	resp, err = tr.roundTrip(s.u, req, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadFull(resp.Body, make([]byte, 100))
	resp.Body.Close() // early: the rest is not drained, the connection is dropped
	if n := len(s.u.idle); n != 0 {
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
	if !errors.As(err, &ne) || !ne.Timeout() || !isTimeout(err) {
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
	resp, err := tr.roundTrip(s.u, req, func() bool { return false })
	if err != nil {
		t.Fatalf("an early answer came back as %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d %s, want 413", resp.StatusCode, b)
	}
	if n := len(s.u.idle); n != 0 {
		t.Fatalf("the connection of an early answer went back to the pool (%d idle)", n)
	}
}
