package edge

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
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
		var eb errorBody
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
			var eb errorBody
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
	for i := range 30 {
		if code, _, raw := h.do(t, "GET", gw+"/x", ""); code != http.StatusOK {
			t.Fatalf("request %d with consul down: %d %s", i, code, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestUpgradeAndStream: a WebSocket-style Upgrade echoes bytes both ways
// and a chunked response arrives chunk by chunk.
func TestUpgradeAndStream(t *testing.T) {
	h := startHarness(t, nil)
	a := newBackend(t, "a")
	a.register(t, h.client, testProvider)
	eventually(t, 15*time.Second, "edge routes", func() bool { code, _, _ := h.do(t, "GET", gw+"/x", ""); return code == 200 })

	conn, err := net.Dial("tcp", h.edge.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = conn.Write([]byte("GET " + gw + "/ws HTTP/1.1\r\nHost: via\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	for _, msg := range []string{"hello\n", "second frame\n"} {
		_, _ = conn.Write([]byte(msg))
		if got := readLine(br); got != msg {
			t.Fatalf("echo: got %q want %q", got, msg)
		}
	}

	resp2, err := h.hc.Get(h.base + gw + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	sr := bufio.NewReader(resp2.Body)
	for i := range 3 {
		// The upstream sends chunk i+1 only after we read chunk i: a
		// proxy that buffered would deadlock here.
		if got, want := readLine(sr), "chunk "+string(rune('0'+i))+"\n"; got != want {
			t.Fatalf("stream: got %q want %q", got, want)
		}
		if i < 2 {
			a.next <- struct{}{}
		}
	}
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
	var eb errorBody
	if codes[http.StatusTooManyRequests] == 0 || json.Unmarshal(last, &eb) != nil || eb.Error.Code != "rate_limited" {
		t.Fatalf("codes %v, body %s: want 429 with a JSON error", codes, last)
	}
	t.Logf("6 requests at burst 3: %v", codes)
}
