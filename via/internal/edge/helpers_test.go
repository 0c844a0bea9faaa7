package edge

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hashicorp/consul/api"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/test/consultest"
)

const (
	testOrg      = "org-a"
	testProvider = "0x00000000000000000000000000000000000000a1"
)

func testLogger(t testing.TB) *zap.Logger {
	return zaptest.NewLogger(t, zaptest.Level(zap.InfoLevel))
}

// background runs fn until the test ends.
func background(t testing.TB, fn func(ctx context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var stopped atomic.Bool
	stop = func() {
		if stopped.CompareAndSwap(false, true) {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("background: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return stop
}

// eventually polls cond every 20ms until it holds, failing the test after
// timeout (a liveness bound, not a performance assertion). It returns how
// long it took.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < timeout {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not after %s", what, timeout)
	return 0
}

// backend is a gateway-like upstream registered in Consul as a gateway of
// testProvider: /healthz for the agent's check (can be turned unhealthy),
// /echo describing the request, /hang waiting until the connection
// closes, /ws echoing bytes after an Upgrade, /stream sending chunks.
type backend struct {
	t       *testing.T
	name    string
	proto   string // ProtoHTTP1, ProtoH2C or ProtoHTTPS
	srv     *httptest.Server
	healthy atomic.Bool
	hits    atomic.Int64
	hanging atomic.Int64
	noHang  atomic.Bool // /hang answers at once
	failing atomic.Bool // / answers 503 (its check still passes)
	addr    string
	port    int
	id      string
	next    chan struct{} // /stream waits on it between chunks
	quit    chan struct{} // closed at cleanup: ends /hang
}

type echo struct {
	Backend string            `json:"backend"`
	Proto   string            `json:"proto"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func newBackend(t *testing.T, name string) *backend {
	t.Helper()
	return newBackendProto(t, name, ProtoHTTP1)
}

// newBackendProto is a backend speaking proto: HTTP/1.1, HTTP/1.1 and h2c
// on one port, or TLS offering h2 and http/1.1 (httptest's certificate,
// for 127.0.0.1).
func newBackendProto(t *testing.T, name, proto string) *backend {
	t.Helper()
	b := &backend{t: t, name: name, proto: proto, next: make(chan struct{}), quit: make(chan struct{})}
	b.healthy.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if !b.healthy.Load() {
			http.Error(w, "unhealthy", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		if b.failing.Load() {
			http.Error(w, "failing", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		h := map[string]string{}
		for _, k := range []string{"X-Forwarded-Prefix", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Request-Id"} {
			h[k] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(echo{Backend: name, Proto: r.Proto, Method: r.Method, Path: r.URL.Path, Headers: h, Body: string(body)})
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		if b.noHang.Load() {
			_, _ = io.WriteString(w, `{"backend":"`+name+`"}`)
			return
		}
		b.hanging.Add(1)
		select {
		case <-r.Context().Done():
		case <-b.quit:
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		case <-b.quit:
		}
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		http.Error(w, "failing", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		// A WebSocket echo: every message comes back prefixed with the
		// backend's name.
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			mt, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := conn.WriteMessage(mt, append([]byte(name+": "), msg...)); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		for i := range 3 {
			fmt.Fprintf(w, "chunk %d\n", i)
			_ = rc.Flush()
			if i < 2 {
				select {
				case <-b.next:
				case <-r.Context().Done():
					return
				}
			}
		}
	})
	b.srv = httptest.NewUnstartedServer(mux)
	switch proto {
	case ProtoH2C:
		b.srv.Config.Protocols = new(http.Protocols)
		b.srv.Config.Protocols.SetHTTP1(true)
		b.srv.Config.Protocols.SetUnencryptedHTTP2(true)
		b.srv.Start()
	case ProtoHTTPS:
		b.srv.EnableHTTP2 = true
		b.srv.StartTLS()
	default:
		b.srv.Start()
	}
	t.Cleanup(b.srv.Close)
	t.Cleanup(func() { close(b.quit) })
	host, port, _ := net.SplitHostPort(b.srv.Listener.Addr().String())
	b.addr = host
	b.port, _ = strconv.Atoi(port)
	b.id = "gateway-" + name + "-" + port
	return b
}

// register lists the backend in the agent as a gateway of provider with an
// HTTP check every second.
func (b *backend) register(t *testing.T, c *api.Client, provider string) {
	t.Helper()
	err := c.Agent().ServiceRegister(&api.AgentServiceRegistration{
		ID:      b.id,
		Name:    consul.ServiceGateway,
		Address: b.addr,
		Port:    b.port,
		Tags:    []string{testOrg, strings.ToLower(provider)},
		Meta:    map[string]string{consul.MetaOrg: testOrg, consul.MetaProvider: provider, consul.MetaVersion: "test", MetaProtocol: b.proto},
		Check: &api.AgentServiceCheck{
			CheckID:       "service:" + b.id,
			HTTP:          b.srv.URL + "/healthz",
			TLSSkipVerify: b.proto == ProtoHTTPS,
			Interval:      "1s",
			Timeout:       "500ms",
		},
	})
	if err != nil {
		t.Fatalf("registering %s: %v", b.name, err)
	}
}

// kill closes the backend's listener and every connection, as a crash
// would.
func (b *backend) kill() {
	b.srv.Listener.Close()
	b.srv.CloseClientConnections()
}

// harness is a Consul agent, a gateway watcher and an Edge.
type harness struct {
	agent  *consultest.Agent
	client *api.Client
	edge   *Edge
	base   string
	hc     *http.Client
}

func startHarness(t *testing.T, mod func(*Config)) *harness {
	t.Helper()
	agent := consultest.Start(t)
	c, err := consul.NewClient(consul.Options{Addr: agent.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	return startEdge(t, agent, c, mod)
}

// startHarnessReg is startHarness with the edge's metrics in reg.
func startHarnessReg(t *testing.T, reg prometheus.Registerer, mod func(*Config)) *harness {
	t.Helper()
	agent := consultest.Start(t)
	c, err := consul.NewClient(consul.Options{Addr: agent.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	return startEdgeReg(t, agent, c, reg, mod)
}

func startEdge(t *testing.T, agent *consultest.Agent, c *api.Client, mod func(*Config)) *harness {
	t.Helper()
	return startEdgeReg(t, agent, c, nil, mod)
}

func startEdgeReg(t *testing.T, agent *consultest.Agent, c *api.Client, reg prometheus.Registerer, mod func(*Config)) *harness {
	t.Helper()
	log := testLogger(t)
	w, err := consul.NewWatcher(c, consul.ServiceGateway, consul.WatchOptions{Tag: testOrg, WaitTime: 5 * time.Second}, log)
	if err != nil {
		t.Fatal(err)
	}
	background(t, w.Run)
	cfg := Defaults()
	cfg.PublicAddr = "127.0.0.1:0"
	cfg.RateLimit = 0
	cfg.ShutdownGrace = 2 * time.Second
	if mod != nil {
		mod(&cfg)
	}
	e, err := New(cfg, testOrg, w, nil, reg, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	background(t, e.Run)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return &harness{agent: agent, client: c, edge: e, base: e.URL(), hc: &http.Client{Transport: tr, Timeout: 20 * time.Second}}
}

// get fetches path through the edge and decodes an echo (zero if the
// response is not one).
func (h *harness) do(t *testing.T, method, path, body string) (int, echo, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e echo
	_ = json.Unmarshal(raw, &e)
	return resp.StatusCode, e, raw
}

// passing reports whether the agent lists exactly the ids as passing
// gateways.
func passing(c *api.Client, ids ...string) bool {
	entries, _, err := c.Health().Service(consul.ServiceGateway, "", true, nil)
	if err != nil || len(entries) != len(ids) {
		return false
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Service.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			return false
		}
	}
	return true
}

func readLine(r *bufio.Reader) string {
	s, _ := r.ReadString('\n')
	return s
}
