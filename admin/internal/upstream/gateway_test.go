package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/test/consultest"
)

// TestGateways: sessions come from the carrier found in a real Consul
// agent (a stand-in carrier and gateway answer; the real ones are in
// test/e2e's TestConsoleDeploy), are kept per order, replaced once when
// the gateway refuses them, and carrier and gateway refusals come back
// with their codes.
func TestGateways(t *testing.T) {
	var logins, refuseNext, carrierCalls atomic.Int32
	var gw *httptest.Server
	gw = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuseNext.Load() > 0 && r.Header.Get("Authorization") == "Bearer token-1" {
			refuseNext.Add(-1)
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":{"code":"session_revoked","message":"revoked"}}`))
			return
		}
		switch r.URL.Path {
		case "/gw/0xabc/v1/orders/7/deployment":
			_, _ = w.Write([]byte(`{"phase":"Ready","auth":"` + r.Header.Get("Authorization") + `"}`))
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":{"code":"not_deployed","message":"nothing deployed"}}`))
		}
	}))
	t.Cleanup(gw.Close)
	carrier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer carrier-token" {
			w.WriteHeader(401)
			return
		}
		switch r.URL.Path {
		case "/v1/orders/7/gateway-session":
			n := logins.Add(1)
			_ = json.NewEncoder(w).Encode(GatewaySession{OrderID: "7", Token: "token-" + strconv.Itoa(int(n)), Expires: time.Now().Add(15 * time.Minute),
				GatewayBase: gw.URL + "/gw/0xabc", App: gw.URL + "/gw/0xabc/app/7/", CookieURL: gw.URL + "/gw/0xabc/v1/session/cookie"})
		default:
			carrierCalls.Add(1)
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"error":{"code":"not_buyer","message":"order 8 was placed by another"}}`))
		}
	}))
	t.Cleanup(carrier.Close)

	agent := consultest.Start(t)
	c := agent.Client()
	host, port, _ := net.SplitHostPort(carrier.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	if err := c.Agent().ServiceRegister(&api.AgentServiceRegistration{ID: "carrier-1", Name: "carrier", Address: host, Port: p,
		Meta: map[string]string{"org": "org-a"}}); err != nil {
		t.Fatal(err)
	}
	w, err := consul.NewWatcher(c, consul.ServiceCarrier, consul.WatchOptions{}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = w.Run(ctx) }()
	for set, _ := w.Snapshot(); len(set) != 1; set, _ = w.Snapshot() {
		time.Sleep(20 * time.Millisecond)
	}
	car, err := NewCarrier(w, c, "org-a", "carrier-token")
	if err != nil {
		t.Fatal(err)
	}

	// Loopback gateways are refused unless allowed.
	strict, _ := NewGateways(car, GatewayOptions{})
	var re *RemoteError
	if _, err := strict.Do(ctx, 7, "", "GET", "deployment", nil, nil); !errors.As(err, &re) || re.Code != "gateway_address_forbidden" {
		t.Fatalf("loopback without the flag: %v", err)
	}
	logins.Store(0)

	g, err := NewGateways(car, GatewayOptions{AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		body, err := g.Do(ctx, 7, "req-1", "GET", "deployment", nil, nil)
		if err != nil || string(body) != `{"phase":"Ready","auth":"Bearer token-1"}` {
			t.Fatalf("deployment: %s, %v", body, err)
		}
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins for three calls, want one (the session is kept)", n)
	}
	// The gateway refuses the session: one new login, and the call goes on.
	refuseNext.Store(1)
	body, err := g.Do(ctx, 7, "", "GET", "deployment", nil, nil)
	if err != nil || string(body) != `{"phase":"Ready","auth":"Bearer token-2"}` || logins.Load() != 2 {
		t.Errorf("after a refused session: %s, %v (%d logins)", body, err, logins.Load())
	}
	// The gateway's and the carrier's refusals keep their codes.
	if _, err := g.Do(ctx, 7, "", "GET", "deployment/events", nil, nil); !errors.As(err, &re) || re.From != "gateway" || re.Code != "not_deployed" || re.Status != 404 {
		t.Errorf("gateway refusal: %v", err)
	}
	for range 2 {
		if _, err := g.Do(ctx, 8, "", "GET", "deployment", nil, nil); !errors.As(err, &re) || re.From != "carrier" || re.Code != "not_buyer" || re.Status != 400 {
			t.Errorf("carrier refusal: %v", err)
		}
	}
	if calls := carrierCalls.Load(); calls != 1 {
		t.Errorf("the carrier was asked %d times for a refused order within %s, want once", calls, failureTTL)
	}
	// Expired sessions are dropped.
	g.now = func() time.Time { return time.Now().Add(time.Hour) }
	if _, ok := g.cached(7); ok {
		t.Error("a session past its expiry is still used")
	}
}
