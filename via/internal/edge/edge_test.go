package edge

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridnode/gridnode/pkg/service"
)

const gw = "/gw/" + testProvider

// TestRouting: two replicas share traffic with the prefix stripped and the
// forwarding headers set; a failing check reroutes; a new instance becomes
// routable without a restart; unknown routes and empty pools answer JSON.
func TestRouting(t *testing.T) {
	h := startHarness(t, nil)
	a, b := newBackend(t, "a"), newBackend(t, "b")
	a.register(t, h.client, testProvider)
	b.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "both replicas passing", func() bool { return passing(h.client, a.id, b.id) })

	// The provider in the path is case-insensitive; the prefix is stripped.
	code, e, raw := h.do(t, "GET", "/gw/"+strings.ToUpper(testProvider[2:3])+testProvider[1:2]+testProvider[2:]+"/v1/items?q=1", "")
	_ = code
	eventually(t, 5*time.Second, "edge routes to the replicas", func() bool {
		code, e, raw = h.do(t, "GET", gw+"/v1/items", "")
		return code == http.StatusOK
	})
	if e.Path != "/v1/items" || e.Headers["X-Forwarded-Prefix"] != gw {
		t.Fatalf("upstream saw path %q prefix %q; want /v1/items and %s (%s)", e.Path, e.Headers["X-Forwarded-Prefix"], gw, raw)
	}
	if e.Headers["X-Forwarded-For"] != "127.0.0.1" || e.Headers["X-Forwarded-Proto"] != "http" ||
		!strings.HasPrefix(e.Headers["Forwarded"], "for=127.0.0.1;proto=http;host=") || e.Headers["X-Request-Id"] == "" {
		t.Fatalf("forwarding headers: %v", e.Headers)
	}

	counts := map[string]int{}
	for range 200 {
		code, e, _ := h.do(t, "GET", gw+"/x", "")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		counts[e.Backend]++
	}
	t.Logf("200 sequential requests spread: %v", counts)
	if counts["a"] == 0 || counts["b"] == 0 {
		t.Fatalf("traffic not spread across both replicas: %v", counts)
	}

	// Fail a's check: once Consul marks it critical, everything goes to b.
	a.healthy.Store(false)
	eventually(t, 15*time.Second, "consul marks a critical", func() bool { return passing(h.client, b.id) })
	critical := time.Now()
	took := eventually(t, 10*time.Second, "edge stops routing to a", func() bool {
		for range 20 {
			if _, e, _ := h.do(t, "GET", gw+"/x", ""); e.Backend != "b" {
				return false
			}
		}
		return true
	})
	t.Logf("rerouted away from the critical replica %s after Consul marked it critical (poll took %s)", time.Since(critical).Round(time.Millisecond), took.Round(time.Millisecond))

	// A new instance is routable without a restart.
	c := newBackend(t, "c")
	c.register(t, h.client, testProvider)
	took = eventually(t, 15*time.Second, "new instance c routable", func() bool {
		_, e, _ := h.do(t, "GET", gw+"/x", "")
		return e.Backend == "c"
	})
	t.Logf("new instance served its first request %s after registration", took.Round(time.Millisecond))

	// Errors are JSON with a request id.
	for _, tc := range []struct {
		path string
		code int
		err  string
	}{
		{"/nope", http.StatusNotFound, "not_found"},
		{"/gw/0x0000000000000000000000000000000000000bad/x", http.StatusServiceUnavailable, "no_upstream"},
		{"/gw/notaprovider/x", http.StatusNotFound, "not_found"},
		{"/admin/x", http.StatusNotFound, "not_found"},
	} {
		code, _, raw := h.do(t, "GET", tc.path, "")
		var eb service.ErrorBody
		if code != tc.code || json.Unmarshal(raw, &eb) != nil || eb.Error.Code != tc.err || eb.Error.RequestID == "" {
			t.Errorf("GET %s: %d %s; want %d with code %s and a request id", tc.path, code, raw, tc.code, tc.err)
		}
	}
	if code, _, raw := h.do(t, "GET", "/healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz: %d %s", code, raw)
	}
}

// TestKilledInstance: in-flight idempotent requests on a killed instance
// are retried on the other; a POST in flight gets a clear 502.
func TestKilledInstance(t *testing.T) {
	h := startHarness(t, nil)
	a, b := newBackend(t, "a"), newBackend(t, "b")
	a.register(t, h.client, testProvider)
	b.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "both passing", func() bool { return passing(h.client, a.id, b.id) })
	eventually(t, 5*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gw+"/x", ""); return code == 200 })

	// b answers /hang at once; a hangs until killed. Send GETs until one
	// hangs on a, then kill a: every GET must succeed.
	b.noHang.Store(true)
	type result struct {
		code int
		body string
	}
	run := func(method string, n int) []result {
		res := make([]result, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, _, raw := h.do(t, method, gw+"/hang", map[string]string{"GET": "", "POST": "payload"}[method])
				res[i] = result{code, string(raw)}
			}()
			time.Sleep(10 * time.Millisecond)
		}
		eventually(t, 10*time.Second, "a request hangs on a", func() bool { return a.hanging.Load() > 0 })
		a.kill()
		wg.Wait()
		return res
	}
	gets := run("GET", 20)
	for _, r := range gets {
		if r.code != http.StatusOK {
			t.Errorf("GET in flight on a killed instance: %d %s; want it retried on the other", r.code, r.body)
		}
	}
	t.Logf("%d GETs, %d hung on the killed instance, all answered 200", len(gets), a.hanging.Load())

	// Now a fresh a' that hangs, for POSTs: one that hangs on it gets 502.
	a2 := newBackend(t, "a2")
	a2.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "a2 passing", func() bool {
		entries, _, _ := h.client.Health().Service("gateway", "", true, nil)
		for _, e := range entries {
			if e.Service.ID == a2.id {
				return true
			}
		}
		return false
	})
	eventually(t, 5*time.Second, "a2 routable", func() bool { return a2.hits.Load() > 0 || func() bool { h.do(t, "GET", gw+"/x", ""); return false }() })
	a = a2
	posts := run("POST", 10)
	n502 := 0
	for _, r := range posts {
		switch r.code {
		case http.StatusOK:
		case http.StatusBadGateway:
			var eb service.ErrorBody
			if json.Unmarshal([]byte(r.body), &eb) != nil || eb.Error.Code != "upstream_failed" || eb.Error.RequestID == "" {
				t.Errorf("502 body not clear: %s", r.body)
			}
			n502++
		default:
			t.Errorf("POST: %d %s", r.code, r.body)
		}
	}
	if n502 == 0 {
		t.Errorf("no POST surfaced the killed instance as 502")
	}
	t.Logf("%d POSTs: %d answered 502 (in flight on the killed instance), the rest 200", len(posts), n502)
}

// TestConsulDown: with the agent stopped, routing continues on the last
// good set.
func TestConsulDown(t *testing.T) {
	h := startHarness(t, nil)
	a := newBackend(t, "a")
	a.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gw+"/x", ""); return code == 200 })
	h.agent.Stop()
	// The watcher's blocking query fails and it retries with backoff; the
	// routes stay for as long as the agent is away.
	start := time.Now()
	for i := range 100 {
		if code, e, raw := h.do(t, "GET", gw+"/x", ""); code != http.StatusOK || e.Backend != "a" {
			t.Fatalf("request %d with consul down: %d %s", i, code, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("100 requests over %s with the agent stopped, all routed", time.Since(start).Round(time.Millisecond))
}

// TestUpgradeAndStream: through the edge, a WebSocket echoes messages
// and a chunked response arrives chunk by chunk, to upstreams of each
// protocol (an h2c upstream takes the upgrade in HTTP/1.1).
func TestUpgradeAndStream(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "upstream-ca.pem")
	backends := map[string]*backend{}
	providers := map[string]string{
		ProtoHTTP1: "0x00000000000000000000000000000000000000b1",
		ProtoH2C:   "0x00000000000000000000000000000000000000b2",
		ProtoHTTPS: "0x00000000000000000000000000000000000000b3",
	}
	for proto := range providers {
		backends[proto] = newBackendProto(t, "up-"+proto, proto)
	}
	writeCAFile(t, caFile, backends[ProtoHTTPS])
	h := startHarness(t, func(c *Config) { c.UpstreamCAFile = caFile })
	for proto, b := range backends {
		b.register(t, h.client, providers[proto])
	}
	for _, proto := range []string{ProtoHTTP1, ProtoH2C, ProtoHTTPS} {
		t.Run(proto, func(t *testing.T) {
			gwp := "/gw/" + providers[proto]
			b := backends[proto]
			eventually(t, 15*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gwp+"/x", ""); return code == 200 })
			_, e, _ := h.do(t, "GET", gwp+"/x", "")
			want := map[string]string{ProtoHTTP1: "HTTP/1.1", ProtoH2C: "HTTP/2.0", ProtoHTTPS: "HTTP/2.0"}[proto]
			if e.Proto != want {
				t.Fatalf("upstream spoke %s, want %s", e.Proto, want)
			}
			wsEcho(t, "ws"+strings.TrimPrefix(h.base, "http")+gwp+"/ws", nil, "up-"+proto)

			resp, err := h.hc.Get(h.base + gwp + "/stream")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			sr := bufio.NewReader(resp.Body)
			for i := range 3 {
				// The upstream sends chunk i+1 only after we read chunk
				// i: a proxy that buffered would deadlock here.
				if got, want := readLine(sr), "chunk "+string(rune('0'+i))+"\n"; got != want {
					t.Fatalf("stream: got %q want %q", got, want)
				}
				if i < 2 {
					b.next <- struct{}{}
				}
			}
		})
	}
}

// wsEcho opens a WebSocket to url and checks that two messages come back
// from the backend named from.
func wsEcho(t *testing.T, url string, tlsConf *tls.Config, from string) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, TLSClientConfig: tlsConf}
	conn, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("websocket %s: %v (%v)", url, err, resp)
	}
	defer conn.Close()
	if resp.Header.Get(headerRequestID) == "" {
		t.Errorf("101 without a request id")
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for _, msg := range []string{"hello", "second frame"} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_, got, err := conn.ReadMessage()
		if err != nil || string(got) != from+": "+msg {
			t.Fatalf("echo: %q, %v; want %q", got, err, from+": "+msg)
		}
	}
}

// writeCAFile writes the certificate of a TLS backend (httptest's
// self-signed one) as the CA that verifies it.
func writeCAFile(t *testing.T, path string, b *backend) {
	t.Helper()
	der := b.srv.Certificate().Raw
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHTTP2Clients: on the TLS listener clients speak HTTP/2 (ALPN), for
// plain requests, streams and to an h2c upstream, and WebSocket (an
// HTTP/1.1 handshake) works alongside.
func TestHTTP2Clients(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	writeCert(t, certFile, keyFile, 1)
	h := startHarness(t, func(c *Config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	b := newBackendProto(t, "h2c", ProtoH2C)
	b.register(t, h.client, testProvider)

	tlsConf := &tls.Config{InsecureSkipVerify: true} // the test's self-signed certificate
	tr := &http.Transport{TLSClientConfig: tlsConf, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	var e echo
	eventually(t, 15*time.Second, "edge routes over HTTP/2", func() bool {
		resp, err := hc.Get(h.base + gw + "/h2")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Fatalf("client spoke %s to the edge, want HTTP/2", resp.Proto)
		}
		return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&e) == nil
	})
	if e.Proto != "HTTP/2.0" || e.Path != "/h2" || e.Headers["X-Forwarded-Proto"] != "https" {
		t.Fatalf("upstream saw %s %s, forwarded proto %q", e.Proto, e.Path, e.Headers["X-Forwarded-Proto"])
	}
	// A POST body over HTTP/2 both ways.
	resp, err := hc.Post(h.base+gw+"/post", "text/plain", strings.NewReader("body over h2"))
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.ProtoMajor != 2 || e.Body != "body over h2" || e.Method != "POST" {
		t.Fatalf("POST over h2: %s %+v", resp.Proto, e)
	}
	// A stream over HTTP/2.
	resp, err = hc.Get(h.base + gw + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sr := bufio.NewReader(resp.Body)
	for i := range 3 {
		if got, want := readLine(sr), "chunk "+string(rune('0'+i))+"\n"; got != want {
			t.Fatalf("h2 stream: got %q want %q", got, want)
		}
		if i < 2 {
			b.next <- struct{}{}
		}
	}
	// A fresh config: the HTTP/2 transport added "h2" to the shared one.
	wsEcho(t, "wss"+strings.TrimPrefix(h.base, "https")+gw+"/ws", &tls.Config{InsecureSkipVerify: true}, "h2c")
}

// TestRateLimit answers 429 with a JSON body past the burst.
func TestRateLimit(t *testing.T) {
	h := startHarness(t, func(c *Config) { c.RateLimit = 1; c.RateBurst = 3 })
	codes := map[int]int{}
	var last []byte
	for range 6 {
		code, _, raw := h.do(t, "GET", "/gw/"+testProvider+"/x", "")
		codes[code]++
		if code == http.StatusTooManyRequests {
			last = raw
		}
	}
	var eb service.ErrorBody
	if codes[http.StatusTooManyRequests] == 0 || json.Unmarshal(last, &eb) != nil || eb.Error.Code != "rate_limited" {
		t.Fatalf("codes %v, body %s: want 429 with a JSON error", codes, last)
	}
	t.Logf("6 requests at burst 3: %v", codes)
}

// TestH2CClients: the plain listener speaks HTTP/2 with prior knowledge
// (h2c) besides HTTP/1.1.
func TestH2CClients(t *testing.T) {
	h := startHarness(t, nil)
	b := newBackend(t, "a")
	b.register(t, h.client, testProvider)
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	var e echo
	eventually(t, 15*time.Second, "edge routes over h2c", func() bool {
		resp, err := hc.Get(h.base + gw + "/h2c")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Fatalf("client spoke %s to the edge, want HTTP/2", resp.Proto)
		}
		return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&e) == nil
	})
	if e.Path != "/h2c" || e.Proto != "HTTP/1.1" || e.Headers["X-Forwarded-Prefix"] != gw {
		t.Fatalf("upstream saw %+v", e)
	}
}

// syncBuffer is a bytes.Buffer safe for the access log's flusher.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAccessLog: with a format set, access log lines are buffered and
// reach the output within the flush interval, one JSON object per request
// with the request's id, route, status and upstream, and none of its
// headers.
func TestAccessLog(t *testing.T) {
	out := &syncBuffer{}
	accessLogOut = out
	t.Cleanup(func() { accessLogOut = os.Stderr })
	h := startHarness(t, func(c *Config) { c.AccessLogFormat = "json" })
	b := newBackend(t, "a")
	b.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gw+"/x", ""); return code == 200 })

	req, _ := http.NewRequest("GET", h.base+gw+"/logged?q=1", nil)
	req.Header.Set(headerRequestID, "req-logged-1")
	req.Header.Set("Authorization", "Bearer secret-token-value")
	resp, err := h.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var line map[string]any
	took := eventually(t, 10*time.Second, "the access log line", func() bool {
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, "req-logged-1") {
				return json.Unmarshal([]byte(l), &line) == nil
			}
		}
		return false
	})
	t.Logf("access log line out %s after the request (flush interval %s): %v", took.Round(time.Millisecond), accessLogFlush, line)
	if line["msg"] != "request" || line["route"] != "gw/"+testProvider || line["status"] != float64(200) ||
		line["path"] != gw+"/logged" || line["upstream"] == nil || line["role"] != "via" || line["logger"] != "edge" {
		t.Fatalf("access log line %v", line)
	}
	if strings.Contains(out.String(), "secret-token-value") {
		t.Fatal("the access log holds the Authorization header")
	}
}

// TestLimits: a body over the limit is 413 (announced or streamed), an
// upstream slower than the timeout is 504, headers over the limit are
// 431, and beyond max-conns a connection waits until another closes.
func TestLimits(t *testing.T) {
	h := startHarness(t, func(c *Config) {
		c.MaxBodyBytes, c.MaxHeaderBytes, c.MaxConns = 1024, 1024, 2
		c.UpstreamTimeout = 300 * time.Millisecond
	})
	b := newBackend(t, "a")
	b.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gw+"/x", ""); return code == 200 })
	h.hc.CloseIdleConnections()

	check := func(what string, resp *http.Response, err error, code int, errCode string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer resp.Body.Close()
		var eb service.ErrorBody
		if resp.StatusCode != code || (errCode != "" && (json.NewDecoder(resp.Body).Decode(&eb) != nil || eb.Error.Code != errCode)) {
			t.Fatalf("%s: %d %+v; want %d %s", what, resp.StatusCode, eb, code, errCode)
		}
		t.Logf("%s: %d %s", what, resp.StatusCode, eb.Error.Message)
	}
	// One connection per request, closed after it: the max-conns check
	// below starts from none.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	big := strings.Repeat("x", 2048)
	resp, err := hc.Post(h.base+gw+"/x", "text/plain", strings.NewReader(big))
	check("announced body over the limit", resp, err, http.StatusRequestEntityTooLarge, "body_too_large")
	// Unknown length (chunked): cut while streaming to the upstream.
	resp, err = hc.Post(h.base+gw+"/x", "text/plain", io.MultiReader(strings.NewReader(big)))
	check("streamed body over the limit", resp, err, http.StatusRequestEntityTooLarge, "body_too_large")
	resp, err = hc.Get(h.base + gw + "/slow")
	check("slow upstream", resp, err, http.StatusGatewayTimeout, "upstream_timeout")
	// net/http enforces the limit with slack (4 KiB, more on a reused
	// connection): far beyond it, on a new connection.
	req, _ := http.NewRequest("GET", h.base+gw+"/x", nil)
	req.Header.Set("X-Big", strings.Repeat("y", 16<<10))
	resp, err = hc.Do(req)
	check("headers over the limit", resp, err, http.StatusRequestHeaderFieldsTooLarge, "")
	h.hc.CloseIdleConnections()

	// Two connections held open: a third is accepted only once one closes.
	eventually(t, 10*time.Second, "client connections closed", func() bool { return h.edge.ln.open() == 0 })
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", h.edge.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	eventually(t, 5*time.Second, "two connections accepted", func() bool { return h.edge.ln.open() == 2 })
	third, err := net.Dial("tcp", h.edge.Addr().String()) // the kernel accepts; via does not yet
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	_, _ = third.Write([]byte("GET /healthz HTTP/1.1\r\nHost: via\r\n\r\n"))
	_ = third.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if n, err := third.Read(make([]byte, 1)); err == nil {
		t.Fatalf("a third connection was served (%d bytes) while max-conns 2 were open", n)
	}
	held[0].Close()
	_ = third.SetReadDeadline(time.Now().Add(10 * time.Second))
	r, err := http.ReadResponse(bufio.NewReader(third), nil)
	if err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("the waiting connection after one closed: %v, %v", r, err)
	}
}

// TestPassiveHealth: an instance that answers 5xx while its Consul check
// passes is ejected after eject-after consecutive failures; traffic then
// goes to the other.
func TestPassiveHealth(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := startHarnessReg(t, reg, func(c *Config) { c.EjectAfter, c.EjectFor = 3, time.Minute })
	a, b := newBackend(t, "a"), newBackend(t, "b")
	a.register(t, h.client, testProvider)
	b.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "both passing", func() bool { return passing(h.client, a.id, b.id) })
	eventually(t, 5*time.Second, "edge routes to both", func() bool {
		_, e, _ := h.do(t, "GET", gw+"/x", "")
		return e.Backend == "a"
	})
	a.failing.Store(true)
	codes := map[int]int{}
	for range 40 {
		code, _, _ := h.do(t, "GET", gw+"/x", "")
		codes[code]++
	}
	t.Logf("40 requests with a failing: %v", codes)
	if codes[http.StatusServiceUnavailable] > 3 {
		t.Fatalf("%d answers 503; the failing instance should be ejected after 3", codes[http.StatusServiceUnavailable])
	}
	hitsA := a.hits.Load()
	for range 20 {
		if code, e, _ := h.do(t, "GET", gw+"/x", ""); code != 200 || e.Backend != "b" {
			t.Fatalf("after the ejection: %d from %q", code, e.Backend)
		}
	}
	if a.hits.Load() != hitsA {
		t.Fatal("the ejected instance still gets requests")
	}
	if n := gathered(t, reg, "gridnode_via_upstream_ejections_total"); n != 1 {
		t.Fatalf("ejections counted %v, want 1", n)
	}
}

// gathered sums a family's counter samples.
func gathered(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}
