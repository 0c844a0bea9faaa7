package edge

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/gridnode/gridnode/pkg/consul"
)

// staticSource is a Source with a fixed set: the benchmark measures the
// proxy path, not discovery (the tests run the real watcher).
type staticSource struct{ set []consul.Instance }

func (s staticSource) Subscribe() (<-chan []consul.Instance, func()) {
	ch := make(chan []consul.Instance, 1)
	ch <- s.set
	return ch, func() {}
}

// benchUpstream is a minimal app: a fixed 64-byte body.
func benchUpstream(tb testing.TB) (string, int) {
	tb.Helper()
	body := []byte("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n")
	length := strconv.Itoa(len(body))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/plain"}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(body)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	host, p, _ := net.SplitHostPort(ln.Addr().String())
	port, _ := strconv.Atoi(p)
	return host, port
}

// benchEdge starts an edge in front of one upstream instance.
func benchEdge(tb testing.TB, mod func(*Config), log *zap.Logger) *Edge {
	tb.Helper()
	host, port := benchUpstream(tb)
	src := staticSource{set: []consul.Instance{{
		ID: "gw-1", Address: host, Port: port,
		Meta: map[string]string{consul.MetaOrg: testOrg, consul.MetaProvider: testProvider},
	}}}
	cfg := Defaults()
	cfg.PublicAddr = "127.0.0.1:0"
	cfg.MaxConns = 100_000
	if mod != nil {
		mod(&cfg)
	}
	e, err := New(cfg, testOrg, src, nil, prometheus.NewRegistry(), log)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
	// Wait for the route.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(e.URL() + "/gw/" + testProvider + "/")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return e
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("edge does not route: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkProxy measures one proxied GET through the edge over keep-alive
// connections (client, edge and upstream in this process, on loopback):
// go test -run '^$' -bench Proxy -benchmem ./via/internal/edge
// Its CPU and allocation profiles show the edge's per-request cost.
func BenchmarkProxy(b *testing.B) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		log  *zap.Logger
	}{
		{"bare", func(c *Config) { c.RateLimit = 0; c.AccessLog = false }, zap.NewNop()},
		{"defaults", nil, zap.New(zapcoreDiscard())},
	} {
		b.Run(tc.name, func(b *testing.B) {
			mod := tc.mod
			if mod == nil {
				// Defaults, but a rate limit no single benchmark client hits.
				mod = func(c *Config) { c.RateLimit = 1e9; c.RateBurst = 1e9 }
			}
			e := benchEdge(b, mod, tc.log)
			url := e.URL() + "/gw/" + testProvider + "/v1/items"
			tr := &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr}
			var errs atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := hc.Get(url)
					if err != nil {
						errs.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						errs.Add(1)
					}
				}
			})
			b.StopTimer()
			if n := errs.Load(); n > 0 {
				b.Fatalf("%d failed requests", n)
			}
		})
	}
}

// zapcoreDiscard is a production JSON core writing to nowhere: the
// encoding cost of the access log, without a file's.
func zapcoreDiscard() zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zap.InfoLevel)
}
