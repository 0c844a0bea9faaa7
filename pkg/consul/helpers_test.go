package consul

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/test/consultest"
)

func testLogger(t testing.TB) *zap.Logger {
	return zaptest.NewLogger(t, zaptest.Level(zap.InfoLevel))
}

// client is the package's own client for an agent, as a daemon builds it.
func client(t testing.TB, a *consultest.Agent) *api.Client {
	t.Helper()
	c, err := NewClient(Options{Addr: a.Addr()})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// healthTarget is a tiny HTTP server whose /healthz the agent probes; it can
// be turned unhealthy.
type healthTarget struct {
	srv     *httptest.Server
	healthy atomic.Bool
	host    string
	port    int
}

func newHealthTarget(t testing.TB) *healthTarget {
	t.Helper()
	h := &healthTarget{}
	h.healthy.Store(true)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		if !h.healthy.Load() {
			http.Error(w, "unhealthy", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	t.Cleanup(h.srv.Close)
	host, port, _ := net.SplitHostPort(h.srv.Listener.Addr().String())
	h.host = host
	h.port, _ = strconv.Atoi(port)
	return h
}

// background runs fn until the returned stop is called (or the test ends)
// and returns fn's result from stop.
func background(t testing.TB, fn func(ctx context.Context) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var res error
	var stopped atomic.Bool
	stop = func() error {
		if stopped.CompareAndSwap(false, true) {
			cancel()
			res = <-done
		}
		return res
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// eventually polls cond every 50ms until it holds, failing the test after
// timeout (a liveness bound, not a performance assertion). It returns how
// long it took.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, error)) time.Duration {
	t.Helper()
	start := time.Now()
	var lastErr error
	for time.Since(start) < timeout {
		ok, err := cond()
		if ok {
			return time.Since(start)
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not after %s (last error: %v)", what, timeout, lastErr)
	return 0
}

// passingIDs returns the ids of the passing instances of a service.
func passingIDs(c *api.Client, service string) (map[string]*api.AgentService, error) {
	entries, _, err := c.Health().Service(service, "", true, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]*api.AgentService{}
	for _, e := range entries {
		out[e.Service.ID] = e.Service
	}
	return out, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
