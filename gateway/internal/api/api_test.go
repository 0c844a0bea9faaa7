package api_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/test/consultest"
)

// fakeDeployer records calls: the deployer's real behaviour is tested in
// its package and end to end; here the API's routing, checks and error
// mapping are.
type fakeDeployer struct {
	mu       sync.Mutex
	deployed map[string]string
	hashes   map[string][32]byte // order → the manifest hash of the order it was given
	apps     map[string]string   // order → upstream URL
}

var errNotDeployed = errors.New("not deployed")

func (f *fakeDeployer) Deploy(_ context.Context, o market.Order, u string) (*deploy.Deployment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deployed[o.ID.String()] = u
	if f.hashes != nil {
		f.hashes[o.ID.String()] = o.ManifestHash
	}
	return &deploy.Deployment{Order: o.ID.String(), Phase: deploy.PhasePending}, nil
}

func (f *fakeDeployer) Status(_ context.Context, o market.Order) (*deploy.Deployment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.deployed[o.ID.String()]; !ok {
		return nil, errNotDeployed
	}
	return &deploy.Deployment{Order: o.ID.String(), Phase: deploy.PhaseReady}, nil
}

func (f *fakeDeployer) Events(context.Context, market.Order) ([]deploy.Event, error) {
	return nil, nil
}

func (f *fakeDeployer) Logs(ctx context.Context, o market.Order, opts api.LogOptions, w io.Writer) error {
	if opts.Container == "missing" {
		return errNotDeployed
	}
	for i := range 3 {
		fmt.Fprintf(w, "line %d of %s\n", i, o.ID)
		w.(interface{ Flush() }).Flush()
	}
	return nil
}

func (f *fakeDeployer) Delete(_ context.Context, o market.Order) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.deployed, o.ID.String())
	return nil
}

func (f *fakeDeployer) Entrypoint(_ context.Context, o market.Order) (*url.URL, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, ok := f.apps[o.ID.String()]; ok {
		return url.Parse(u)
	}
	return nil, fmt.Errorf("%w: order %s", proxy.ErrNoEntrypoint, o.ID)
}

type env struct {
	t       *testing.T
	chain   *devchaintest.Chain
	orders  *switchOrders
	reader  *orders.MarketReader
	prov    common.Address
	reg     *prometheus.Registry
	srv     *httptest.Server
	buyer   *ecdsa.PrivateKey
	other   *ecdsa.PrivateKey
	deploy  *fakeDeployer
	orderA  *big.Int
	orderB  *big.Int
	appSeen chan *http.Request
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, chain: devchaintest.Start(t), deploy: &fakeDeployer{deployed: map[string]string{}, apps: map[string]string{},
		hashes: map[string][32]byte{}}, appSeen: make(chan *http.Request, 16), reg: prometheus.NewRegistry()}
	e.buyer, e.other = e.chain.Buyers[0], e.chain.Buyers[1]
	_, provider := e.chain.NewProvider()
	e.prov = provider
	e.orderA = e.chain.CreateOrder(e.buyer, provider, time.Hour, [32]byte{1})
	e.orderB = e.chain.CreateOrder(e.buyer, provider, time.Hour, [32]byte{2})

	client, err := ethclient.Dial(e.chain.RPC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	ch := orders.Chain{ID: e.chain.ID, Market: e.chain.Market}
	reader, _ := orders.NewMarketReader(client, ch)
	e.reader = reader
	e.orders = &switchOrders{}
	e.useChecker(orders.Options{CacheTTL: -1})
	checker := e.orders

	agent := consultest.Start(t)
	store, err := auth.NewConsulStore(agent.Client(), "org-a", provider)
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Options{Provider: provider}, checker, store, nil, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	for a.Ready(ctx) != nil {
		time.Sleep(10 * time.Millisecond)
	}

	for _, id := range []*big.Int{e.orderA, e.orderB} {
		name := id.String()
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			e.appSeen <- r.Clone(context.Background())
			fmt.Fprintf(w, "app of order %s: %s", name, r.URL.Path)
		}))
		t.Cleanup(up.Close)
		e.deploy.apps[name] = up.URL
	}
	p := proxy.New(proxy.Options{EntrypointTTL: time.Nanosecond}, e.deploy, nil, zaptest.NewLogger(t))
	s := api.New(api.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		DeployErrors: func(err error) *api.Error {
			if errors.Is(err, errNotDeployed) {
				return &api.Error{Status: 404, Code: "not_deployed", Message: err.Error()}
			}
			return nil
		}}, checker, a, e.deploy, p, e.reg, zaptest.NewLogger(t))
	// As the daemon mounts them: the app path raw (service.HandleRaw).
	apiH, appH := s.APIHandler(), s.AppHandler()
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, api.AppPrefix) {
			appH.ServeHTTP(w, r)
			return
		}
		apiH.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// switchOrders is the order check of the API and the authenticator, which
// a test can swap for one with other options (another --owner, a cache).
type switchOrders struct {
	cur atomic.Pointer[orders.Checker]
}

func (s *switchOrders) Check(ctx context.Context, id *big.Int) (market.Order, error) {
	return s.cur.Load().Check(ctx, id)
}

func (s *switchOrders) CheckFresh(ctx context.Context, id *big.Int) (market.Order, error) {
	return s.cur.Load().CheckFresh(ctx, id)
}

func (s *switchOrders) Chain() (orders.Chain, bool) { return s.cur.Load().Chain() }

// useChecker makes a checker of the env's provider with opts the API's.
func (e *env) useChecker(opts orders.Options) {
	opts.Provider = e.prov
	c := orders.NewChecker(opts)
	c.SetSource(e.reader, e.reader.Chain())
	e.orders.cur.Store(c)
}

type resp struct {
	code   int
	header http.Header
	body   []byte
}

func (r resp) errCode() string {
	var b struct {
		Error struct{ Code, Message, RequestID string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &b)
	return b.Error.Code
}

func (e *env) do(method, path string, body any, hdr map[string]string, cookies ...*http.Cookie) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, header: res.Header, body: b}
}

// login runs challenge → sign → login for order id and returns the
// session and the response.
func (e *env) login(id *big.Int, key *ecdsa.PrivateKey, hdr map[string]string) (api.SessionJSON, resp) {
	e.t.Helper()
	r := e.do("POST", "/v1/orders/"+id.String()+"/challenge", nil, hdr)
	if r.code != 200 {
		e.t.Fatalf("challenge: %d %s", r.code, r.body)
	}
	var ch gatewaylogin.ChallengeJSON
	if err := json.Unmarshal(r.body, &ch); err != nil {
		e.t.Fatal(err)
	}
	sig := e.sign(ch, key)
	r = e.do("POST", "/v1/orders/"+id.String()+"/login", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": sig}, hdr)
	var s api.SessionJSON
	_ = json.Unmarshal(r.body, &s)
	return s, r
}

func (e *env) sign(ch gatewaylogin.ChallengeJSON, key *ecdsa.PrivateKey) string {
	e.t.Helper()
	nonce, _ := hexutil.Decode(ch.Nonce)
	id, _ := new(big.Int).SetString(ch.OrderID, 10)
	c := gatewaylogin.Challenge{ChainID: e.chain.ID, Market: e.chain.Market, Gateway: addr(ch.TypedData.Message.Gateway),
		OrderID: id, Nonce: [32]byte(nonce), Expires: ch.Expires}
	d := c.Digest()
	sig, err := crypto.Sign(d[:], key)
	if err != nil {
		e.t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestLoginAndSessions(t *testing.T) {
	e := newEnv(t)
	a := e.orderA.String()
	via := map[string]string{"X-Forwarded-Prefix": "/gw/0xabc", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "via.example"}

	s, r := e.login(e.orderA, e.buyer, via)
	if r.code != 200 || s.Token == "" || s.OrderID != a || s.App != "/gw/0xabc/app/"+a+"/" {
		t.Fatalf("login: %d %s", r.code, r.body)
	}
	// The cookie: HttpOnly, Secure (https at via), SameSite=Lax, scoped to
	// via's prefix.
	setCookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"gridnode_session_" + a + "=", "Path=/gw/0xabc/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(setCookie, want) {
			t.Errorf("Set-Cookie %q lacks %q", setCookie, want)
		}
	}
	cookie := &http.Cookie{Name: "gridnode_session_" + a, Value: s.Token}

	// The order's routes with the bearer token and with the cookie.
	if r := e.do("GET", "/v1/orders/"+a, nil, bearer(s.Token)); r.code != 200 || !strings.Contains(string(r.body), `"status": "open"`) {
		t.Errorf("GET order with bearer: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/v1/orders/"+a, nil, nil, cookie); r.code != 200 {
		t.Errorf("GET order with cookie: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/v1/session", nil, nil, cookie); r.code != 200 || !strings.Contains(string(r.body), `"orderId": "`+a+`"`) {
		t.Errorf("GET session: %d %s", r.code, r.body)
	}

	// Refusals, each with its code.
	tampered := s.Token[:len(s.Token)-3] + flip(s.Token[len(s.Token)-3:])
	for _, tc := range []struct {
		name, method, path string
		hdr                map[string]string
		cookies            []*http.Cookie
		code               int
		errCode            string
	}{
		{"no session", "GET", "/v1/orders/" + a, nil, nil, 401, "session_required"},
		{"tampered bearer", "GET", "/v1/orders/" + a, bearer(tampered), nil, 401, "session_invalid"},
		{"tampered cookie", "GET", "/v1/orders/" + a, nil, []*http.Cookie{{Name: cookie.Name, Value: tampered}}, 401, "session_invalid"},
		{"other order's route", "GET", "/v1/orders/" + e.orderB.String(), bearer(s.Token), nil, 403, "session_other_order"},
		{"other order's app", "GET", "/app/" + e.orderB.String() + "/", bearer(s.Token), nil, 403, "session_other_order"},
		{"cookie of order A on B", "GET", "/v1/orders/" + e.orderB.String(), nil,
			[]*http.Cookie{{Name: "gridnode_session_" + e.orderB.String(), Value: s.Token}}, 403, "session_other_order"},
		{"cross-origin cookie write", "DELETE", "/v1/orders/" + a + "/deployment", map[string]string{"Origin": "https://evil.example"},
			[]*http.Cookie{cookie}, 403, "cross_origin"},
		{"bad order id", "GET", "/v1/orders/0x10", bearer(s.Token), nil, 400, "bad_request"},
		{"unknown route", "GET", "/v1/nope", nil, nil, 404, "not_found"},
		{"wrong method", "PATCH", "/v1/orders/" + a + "/deployment", nil, nil, 405, "not_found"},
		{"unknown order challenge", "POST", "/v1/orders/99999/challenge", nil, nil, 404, "order_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.path, nil, tc.hdr, tc.cookies...)
			if r.code != tc.code || r.errCode() != tc.errCode {
				t.Fatalf("%d %s, want %d %s", r.code, r.body, tc.code, tc.errCode)
			}
			if r.header.Get("X-Request-Id") == "" || !strings.Contains(string(r.body), `"request_id"`) {
				t.Errorf("no request id: %v %s", r.header, r.body)
			}
		})
	}

	// Login refusals through the API.
	r = e.do("POST", "/v1/orders/"+a+"/challenge", nil, nil)
	var ch gatewaylogin.ChallengeJSON
	_ = json.Unmarshal(r.body, &ch)
	good := e.sign(ch, e.buyer)
	for _, tc := range []struct {
		name    string
		body    any
		code    int
		errCode string
	}{
		{"wrong signer", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": e.sign(ch, e.other)}, 401, "wrong_signer"},
		{"malformed", `{"nonce":"0x12"}`, 400, "malformed"},
		{"ok", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": good}, 200, ""},
		{"replayed", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": good}, 401, "challenge_replayed"},
	} {
		r := e.do("POST", "/v1/orders/"+a+"/login", tc.body, nil)
		if r.code != tc.code || r.errCode() != tc.errCode {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.code, r.body, tc.code, tc.errCode)
		}
	}
	// A challenge of order A used at order B's login.
	r = e.do("POST", "/v1/orders/"+a+"/challenge", nil, nil)
	_ = json.Unmarshal(r.body, &ch)
	if r := e.do("POST", "/v1/orders/"+e.orderB.String()+"/login",
		map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": e.sign(ch, e.buyer)}, nil); r.code != 401 || r.errCode() != "challenge_other_order" {
		t.Errorf("other order's challenge: %d %s", r.code, r.body)
	}

	// Renew (cookie: a new cookie), then logout revokes.
	r = e.do("POST", "/v1/session/renew", nil, nil, cookie)
	if r.code != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "gridnode_session_"+a) {
		t.Fatalf("renew: %d %s %v", r.code, r.body, r.header)
	}
	var renewed api.SessionJSON
	_ = json.Unmarshal(r.body, &renewed)
	r = e.do("POST", "/v1/session/logout", nil, bearer(renewed.Token))
	if r.code != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/v1/orders/"+a, nil, bearer(renewed.Token)); r.code != 401 || r.errCode() != "session_revoked" {
		t.Errorf("after logout: %d %s", r.code, r.body)
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

func TestDeploymentRoutes(t *testing.T) {
	e := newEnv(t)
	a := e.orderA.String()
	s, _ := e.login(e.orderA, e.buyer, nil)
	h := bearer(s.Token)
	if r := e.do("GET", "/v1/orders/"+a+"/deployment", nil, h); r.code != 404 || r.errCode() != "not_deployed" {
		t.Errorf("status before deploy: %d %s", r.code, r.body)
	}
	for _, tc := range []struct {
		body    string
		code    int
		errCode string
	}{
		{`{"manifestUrl":"ftp://x/y"}`, 400, "bad_request"},
		{`{"manifestUrl":"https://x.example/m.yaml","extra":1}`, 400, "bad_request"},
		{`{"manifestUrl":"https://x.example/m.yaml"}`, 200, ""},
	} {
		r := e.do("PUT", "/v1/orders/"+a+"/deployment", tc.body, h)
		if r.code != tc.code || r.errCode() != tc.errCode {
			t.Errorf("deploy %s: %d %s", tc.body, r.code, r.body)
		}
	}
	if e.deploy.deployed[a] != "https://x.example/m.yaml" {
		t.Errorf("deployer got %v", e.deploy.deployed)
	}
	if r := e.do("GET", "/v1/orders/"+a+"/deployment", nil, h); r.code != 200 || !strings.Contains(string(r.body), "Ready") {
		t.Errorf("status: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/v1/orders/"+a+"/deployment/events", nil, h); r.code != 200 {
		t.Errorf("events: %d %s", r.code, r.body)
	}
	r := e.do("GET", "/v1/orders/"+a+"/deployment/logs?follow=1&tail=10", nil, h)
	if r.code != 200 || string(r.body) != "line 0 of "+a+"\nline 1 of "+a+"\nline 2 of "+a+"\n" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Errorf("logs: %d %q", r.code, r.body)
	}
	if r := e.do("GET", "/v1/orders/"+a+"/deployment/logs?container=missing", nil, h); r.code != 404 || r.errCode() != "not_deployed" {
		t.Errorf("logs error before any line: %d %s", r.code, r.body)
	}
	if r := e.do("GET", "/v1/orders/"+a+"/deployment/logs?tail=-1", nil, h); r.code != 400 {
		t.Errorf("bad tail: %d %s", r.code, r.body)
	}
	if r := e.do("DELETE", "/v1/orders/"+a+"/deployment", nil, h); r.code != 200 {
		t.Errorf("delete: %d %s", r.code, r.body)
	}
}

// TestApp: the app path reaches the session's order's app only, without
// the gateway's credentials, with via's prefix as X-Forwarded-Prefix.
func TestApp(t *testing.T) {
	e := newEnv(t)
	a := e.orderA.String()
	s, _ := e.login(e.orderA, e.buyer, nil)
	cookie := &http.Cookie{Name: "gridnode_session_" + a, Value: s.Token}
	via := map[string]string{"X-Forwarded-Prefix": "/gw/0xabc", "Authorization": "Basic YXBwOnVzZXI=", "Cookie": "theme=dark"}

	r := e.do("GET", "/app/"+a+"/some//path?x=1", nil, via, cookie, &http.Cookie{Name: "gridnode_session_999", Value: "x"})
	if r.code != 200 || string(r.body) != "app of order "+a+": /some//path" {
		t.Fatalf("app: %d %q", r.code, r.body)
	}
	seen := <-e.appSeen
	if c := seen.Header.Get("Cookie"); c != "theme=dark" {
		t.Errorf("the app got Cookie %q, want only its own", c)
	}
	if got := seen.Header.Get("Authorization"); got != "Basic YXBwOnVzZXI=" {
		t.Errorf("the app's own Authorization was changed: %q", got)
	}
	if p := seen.Header.Get("X-Forwarded-Prefix"); p != "/gw/0xabc/app/"+a {
		t.Errorf("X-Forwarded-Prefix %q", p)
	}

	// With the bearer token, the Authorization header is the gateway's and
	// is removed.
	r = e.do("GET", "/app/"+a+"/", nil, bearer(s.Token))
	if r.code != 200 {
		t.Fatalf("app with bearer: %d %s", r.code, r.body)
	}
	if got := (<-e.appSeen).Header.Get("Authorization"); got != "" {
		t.Errorf("the session token reached the app: %q", got)
	}

	// /app/<id> redirects to /app/<id>/ under via's prefix.
	r = e.do("GET", "/app/"+a+"?q=1", nil, via)
	if r.code != http.StatusPermanentRedirect || r.header.Get("Location") != "/gw/0xabc/app/"+a+"/?q=1" {
		t.Errorf("redirect: %d %v", r.code, r.header.Get("Location"))
	}
	if r := e.do("GET", "/app/"+a+"/", nil, nil); r.code != 401 || r.errCode() != "session_required" {
		t.Errorf("app without a session: %d %s", r.code, r.body)
	}
	e.deploy.mu.Lock()
	delete(e.deploy.apps, a)
	e.deploy.mu.Unlock()
	if r := e.do("GET", "/app/"+a+"/", nil, bearer(s.Token)); r.code != 502 || r.errCode() != "app_unavailable" {
		t.Errorf("no app: %d %s", r.code, r.body)
	}
}

func addr(s string) (a [20]byte) {
	b, _ := hexutil.Decode(s)
	copy(a[:], b)
	return a
}

// TestSessionCookie: a browser trades a token it got elsewhere (the admin
// console) for the order's session cookie with a form POST, and is sent
// on to the order's app path and nowhere else.
func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	a, b := e.orderA.String(), e.orderB.String()
	via := map[string]string{"X-Forwarded-Prefix": "/gw/0xabc", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "via.example"}
	s, r := e.login(e.orderA, e.buyer, via)
	if r.code != 200 {
		t.Fatalf("login: %d %s", r.code, r.body)
	}
	app := "/gw/0xabc/app/" + a + "/"
	form := func() map[string]string {
		h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		for k, x := range via {
			h[k] = x
		}
		return h
	}
	post := func(v url.Values, path string) resp {
		return e.do("POST", path, v.Encode(), form())
	}

	for _, next := range []string{"", app, app + "sub/page?x=1"} {
		r := post(url.Values{"token": {s.Token}, "next": {next}}, "/v1/session/cookie")
		want := next
		if want == "" {
			want = app
		}
		if r.code != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Fatalf("cookie with next %q: %d %s %v", next, r.code, r.body, r.header)
		}
		sc := r.header.Get("Set-Cookie")
		for _, w := range []string{"gridnode_session_" + a + "=" + s.Token, "Path=/gw/0xabc/", "HttpOnly", "Secure", "SameSite=Lax"} {
			if !strings.Contains(sc, w) {
				t.Errorf("Set-Cookie %q lacks %q", sc, w)
			}
		}
		if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("headers %v", r.header)
		}
	}
	// The cookie it set opens the app.
	if r := e.do("GET", "/app/"+a+"/", nil, via, &http.Cookie{Name: "gridnode_session_" + a, Value: s.Token}); r.code != 200 {
		t.Errorf("app with the cookie: %d %s", r.code, r.body)
	}

	tampered := s.Token[:len(s.Token)-3] + flip(s.Token[len(s.Token)-3:])
	for _, tc := range []struct {
		name    string
		form    url.Values
		path    string
		code    int
		errCode string
	}{
		{"other order's app", url.Values{"token": {s.Token}, "next": {"/gw/0xabc/app/" + b + "/"}}, "", 400, "bad_request"},
		{"absolute URL", url.Values{"token": {s.Token}, "next": {"https://evil.example" + app}}, "", 400, "bad_request"},
		{"scheme-relative", url.Values{"token": {s.Token}, "next": {"//evil.example" + app}}, "", 400, "bad_request"},
		{"the gateway's API", url.Values{"token": {s.Token}, "next": {"/gw/0xabc/v1/session"}}, "", 400, "bad_request"},
		{"dot segments", url.Values{"token": {s.Token}, "next": {app + "../../v1/session"}}, "", 400, "bad_request"},
		{"encoded dot segments", url.Values{"token": {s.Token}, "next": {app + "%2e%2e/%2e%2e/v1/session"}}, "", 400, "bad_request"},
		{"backslash", url.Values{"token": {s.Token}, "next": {app + "\\evil"}}, "", 400, "bad_request"},
		{"token in the URL", url.Values{"next": {app}}, "?token=" + s.Token, 400, "bad_request"},
		{"no token", url.Values{"next": {app}}, "", 401, "session_required"},
		{"tampered token", url.Values{"token": {tampered}}, "", 401, "session_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(tc.form, "/v1/session/cookie"+tc.path)
			if r.code != tc.code || r.errCode() != tc.errCode || r.header.Get("Set-Cookie") != "" || r.header.Get("Location") != "" {
				t.Fatalf("%d %s %v, want %d %s and no cookie", r.code, r.body, r.header, tc.code, tc.errCode)
			}
		})
	}
	// A JSON body is not a form.
	if r := e.do("POST", "/v1/session/cookie", map[string]string{"token": s.Token}, via); r.code != 415 || r.errCode() != "unsupported_media_type" {
		t.Errorf("JSON body: %d %s", r.code, r.body)
	}
	// A revoked session sets no cookie.
	if r := e.do("POST", "/v1/session/logout", nil, bearer(s.Token)); r.code != 200 {
		t.Fatalf("logout: %d %s", r.code, r.body)
	}
	if r := post(url.Values{"token": {s.Token}}, "/v1/session/cookie"); r.code != 401 || r.errCode() != "session_revoked" {
		t.Errorf("revoked token: %d %s", r.code, r.body)
	}
}
