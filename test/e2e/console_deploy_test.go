package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/test/kubetest"
)

// gatewaySession is the carrier's answer to POST
// /v1/orders/{id}/gateway-session.
type gatewaySession struct {
	OrderID     string    `json:"orderId"`
	Token       string    `json:"token"`
	Expires     time.Time `json:"expires"`
	Buyer       string    `json:"buyer"`
	GatewayBase string    `json:"gatewayBase"`
	App         string    `json:"app"`
	CookieURL   string    `json:"cookieUrl"`
	Provider    string    `json:"provider"`
	Source      string    `json:"source"`
}

// noRedirect is an HTTP client that shows redirects instead of following
// them.
var noRedirect = &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// postForm posts a form and returns the answer, body read.
func postForm(t *testing.T, u string, form url.Values, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

// startKwokMarket starts hack/scenario's two organizations with org A's
// gateway on a real API server with controllers and a kwok node, and
// walks the flow up to org B's order.
func startKwokMarket(ctx context.Context, t *testing.T) (*scenario.Market, carrierapi.OrderInfo) {
	t.Helper()
	cluster := kubetest.Start(t, kubetest.Options{Controllers: true, NodeCPU: "8", NodeMemory: "16Gi"})
	m := startMarket(ctx, t, scenario.Options{Kubeconfig: cluster.Kubeconfig})
	return m, buy(ctx, t, m)
}

// TestConsoleDeploy runs the two-org market of hack/scenario (devnet, two
// Consul agents, the four daemons of the seller and three of the buyer,
// org A's gateway on a real API server with controllers and a kwok node)
// and uses the order org B bought at org A's gateway without any key
// outside the carrier:
//
//   - org B's carrier opens a session at the real gateway, through org A's
//     via, by signing the gateway's challenge with the org wallet; the
//     token deploys the manifest and the deployment becomes Ready; the CLI
//     does the same; the seller's carrier and an unknown order are refused;
//   - the gateway's cookie hand-off sets the order's cookie and redirects
//     only to the order's app;
//   - org B's console deploys, shows status and events, passes the
//     gateway's refusals and the logs' error on, opens the app with a page
//     whose form posts the token to the gateway, and deletes; a viewer
//     changes nothing; the audit has every action and no token;
//   - org A's console shows the sold order as the buyer's to deploy.
//
// kwok's pods serve nothing and have no logs: the app's answer and the log
// text are TestMarket's part (a real node).
func TestConsoleDeploy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a hang guard
	defer cancel()
	m, o := startKwokMarket(ctx, t)
	n := m.Stack.Reporter()
	id := strconv.FormatUint(o.ID, 10)
	var err error
	a, err := scenario.CarrierClient(m.A)
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenario.CarrierClient(m.B)
	if err != nil {
		t.Fatal(err)
	}
	provider := strings.ToLower(m.Provider.Hex())
	wantBase := m.A.ViaURL + "/gw/" + provider

	// 1. Org B's carrier logs in at the real gateway with the org wallet.
	var s gatewaySession
	if err := b.Do(ctx, "POST", "/orders/"+id+"/gateway-session", nil, &s); err != nil {
		t.Fatal(err)
	}
	if s.GatewayBase != wantBase || s.Source != "directory" || s.App != wantBase+"/app/"+id+"/" || s.CookieURL != wantBase+"/v1/session/cookie" ||
		!strings.EqualFold(s.Buyer, m.B.Wallet.Hex()) || s.OrderID != id || s.Token == "" || !s.Expires.After(time.Now()) {
		t.Fatalf("gateway session %+v (token set: %t)", s, s.Token != "")
	}
	gw := &scenario.Client{Base: s.GatewayBase + "/v1", Token: s.Token, HTTP: &http.Client{Timeout: time.Minute}}
	var who struct{ OrderID, Buyer string }
	if err := gw.Do(ctx, "GET", "/session", nil, &who); err != nil || who.OrderID != id || !strings.EqualFold(who.Buyer, m.B.Wallet.Hex()) {
		t.Fatalf("the gateway's view of the session: %+v, %v", who, err)
	}
	var dep scenario.Deployment
	if err := gw.Do(ctx, "PUT", "/orders/"+id+"/deployment", map[string]string{"manifestUrl": m.ManifestURL}, &dep); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Minute, "the deployment Ready (with the carrier's session)", func() bool {
		return gw.Do(ctx, "GET", "/orders/"+id+"/deployment", nil, &dep) == nil && dep.Phase == "Ready"
	})
	n.OK("org B's carrier signed the login: the real gateway deployed %s into %s, Ready", m.ManifestURL, dep.Namespace)

	// The CLI prints such a session.
	out, err := exec.Command(bin("carrier"), "orders", "gateway-session", "--carrier-url", m.B.Carrier.URL(), "--api-token-file", m.B.TokenFile, id).Output()
	if err != nil {
		t.Fatalf("carrier orders gateway-session: %v", err)
	}
	var cli gatewaySession
	if err := json.Unmarshal(out, &cli); err != nil || cli.Token == "" || cli.Token == s.Token {
		t.Fatalf("the CLI printed %d bytes (%v), want a new session", len(out), err)
	}
	if err := (&scenario.Client{Base: cli.GatewayBase + "/v1", Token: cli.Token, HTTP: gw.HTTP}).Do(ctx, "GET", "/orders/"+id+"/deployment", nil, nil); err != nil {
		t.Errorf("the CLI's session at the gateway: %v", err)
	}
	// The seller's carrier is not the buyer; an unknown order is not found.
	var ae *carrierapi.Error
	if err := a.Do(ctx, "POST", "/orders/"+id+"/gateway-session", nil, nil); !errors.As(err, &ae) || ae.Code != "not_buyer" {
		t.Errorf("the seller's carrier: %v, want not_buyer", err)
	}
	if err := b.Do(ctx, "POST", "/orders/999999/gateway-session", nil, nil); !errors.As(err, &ae) || ae.Code != "not_found" {
		t.Errorf("an unknown order: %v, want not_found", err)
	}

	// 2. The cookie hand-off at the real gateway, through org A's via.
	appPath := "/gw/" + provider + "/app/" + id + "/"
	resp, body := postForm(t, s.CookieURL, url.Values{"token": {s.Token}, "next": {appPath}}, nil)
	sc := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != appPath {
		t.Fatalf("cookie hand-off: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	for _, want := range []string{"gridnode_session_" + id + "=", "Path=/gw/" + provider + "/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %q", sc, want)
		}
	}
	cookie := resp.Cookies()[0]
	appReq := func(withCookie bool) int {
		req, _ := http.NewRequest("GET", m.A.ViaURL+appPath, nil)
		if withCookie {
			req.AddCookie(cookie)
		}
		r, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	// With the cookie the gateway lets the request through to the app (on
	// kwok nothing answers behind the entrypoint: a 502 of the proxy, not
	// a 401); without it, 401.
	if code := appReq(true); code == http.StatusUnauthorized || code == http.StatusForbidden {
		t.Errorf("the app with the cookie: %d", code)
	}
	if code := appReq(false); code != http.StatusUnauthorized {
		t.Errorf("the app without the cookie: %d, want 401", code)
	}
	for _, next := range []string{"/gw/" + provider + "/v1/session", "https://evil.example" + appPath, "//evil.example" + appPath, appPath + "../../v1/session"} {
		if resp, body := postForm(t, s.CookieURL, url.Values{"token": {s.Token}, "next": {next}}, nil); resp.StatusCode != http.StatusBadRequest ||
			resp.Header.Get("Location") != "" || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("next %q: %d %s", next, resp.StatusCode, body)
		}
	}
	n.OK("the cookie hand-off redirects to %s and nowhere else", appPath)

	// 3. Org B's console: an admin and a viewer.
	adm := newConsole(t, m.B.Admin.URL())
	adm.login(m.B.AdminUser, m.B.AdminPass)
	adm.must("POST", "/api/password", map[string]string{"current": m.B.AdminPass, "new": "org b admin's own password"}, nil)
	adm.must("POST", "/api/accounts", map[string]string{"name": "viewer", "role": "viewer", "password": "a temporary password"}, nil)
	vw := newConsole(t, m.B.Admin.URL())
	vw.login("viewer", "a temporary password")
	vw.must("POST", "/api/password", map[string]string{"current": "a temporary password", "new": "the viewer's own password"}, nil)

	type consoleDeployment struct {
		Side, State, Reason, ReasonCode string
		Available, Deployed             bool
		AppURL                          string
		Gateway                         struct {
			URL, Source string
			Instances   int
		}
		Status struct{ Phase, Namespace, Entrypoint string }
	}
	var cd consoleDeployment
	vw.must("GET", "/api/orders/"+id+"/deployment", nil, &cd)
	if cd.Side != "buyer" || !cd.Available || !cd.Deployed || cd.Status.Phase != "Ready" || cd.Gateway.URL != wantBase || cd.AppURL != wantBase+"/app/"+id+"/" {
		t.Fatalf("console deployment: %+v", cd)
	}
	var raw apiResult
	for _, path := range []string{"/api/orders/" + id + "/deployment", "/api/orders/" + id + "/deployment/events"} {
		raw = vw.call("GET", path, nil)
		if raw.status != http.StatusOK || strings.Contains(string(raw.body), s.Token) {
			t.Errorf("GET %s: %d (token in the answer: %t)", path, raw.status, strings.Contains(string(raw.body), s.Token))
		}
	}
	var events struct {
		Events []struct{ Reason, Object string }
	}
	vw.must("GET", "/api/orders/"+id+"/deployment/events", nil, &events)
	if len(events.Events) == 0 {
		t.Errorf("no events of the deployment through the console")
	}
	// The viewer changes nothing.
	vw.expect(http.StatusForbidden, "forbidden", "PUT", "/api/orders/"+id+"/deployment", map[string]string{"manifestUrl": m.ManifestURL})
	vw.expect(http.StatusForbidden, "forbidden", "DELETE", "/api/orders/"+id+"/deployment", nil)
	if resp, body := postForm(t, m.B.Admin.URL()+"/api/orders/"+id+"/open-app", url.Values{"csrf": {vw.csrf}},
		map[string]string{"Cookie": "gridnode_admin_session=" + vw.cookie}); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "token") {
		t.Errorf("viewer open-app: %d %s", resp.StatusCode, body)
	}

	// The admin deploys again (an update in place) and sees the
	// gateway's refusals with their codes.
	adm.must("PUT", "/api/orders/"+id+"/deployment", map[string]string{"manifestUrl": m.ManifestURL}, nil)
	res := adm.call("PUT", "/api/orders/"+id+"/deployment", map[string]string{"manifestUrl": m.ManifestURL + ".missing"})
	if res.status == http.StatusOK || res.code != "manifest_unreachable" || !strings.HasPrefix(res.msg, "gateway: ") {
		t.Errorf("deploying a missing manifest: %d %s %s", res.status, res.code, res.msg)
	}
	adm.expect(http.StatusBadRequest, "bad_request", "PUT", "/api/orders/"+id+"/deployment", map[string]string{"manifestUrl": "ftp://x"})
	adm.expect(http.StatusNotFound, "not_found", "PUT", "/api/orders/999999/deployment", map[string]string{"manifestUrl": m.ManifestURL})
	waitFor(t, 2*time.Minute, "Ready again after the update", func() bool {
		adm.must("GET", "/api/orders/"+id+"/deployment", nil, &cd)
		return cd.Deployed && cd.Status.Phase == "Ready"
	})
	// Logs: kwok's pods have none; the gateway's error comes through as a
	// JSON error with its code (a real node's log text is TestMarket's).
	res = adm.call("GET", "/api/orders/"+id+"/deployment/logs?tail=10", nil)
	if res.status == http.StatusOK {
		t.Logf("logs on kwok: %q", res.body)
	} else if res.code != "log_unavailable" || !strings.HasPrefix(res.msg, "gateway: ") {
		t.Errorf("logs: %d %s %s", res.status, res.code, res.msg)
	} else {
		n.OK("logs through the console on kwok: %d %s (%s)", res.status, res.code, res.msg)
	}
	adm.expect(http.StatusBadRequest, "bad_request", "GET", "/api/orders/"+id+"/deployment/logs?tail=-1", nil)

	// Open app: a page whose form posts the session's token to the
	// gateway at once; the token it carries works there.
	resp, page := postForm(t, m.B.Admin.URL()+"/api/orders/"+id+"/open-app", url.Values{"csrf": {adm.csrf}},
		map[string]string{"Cookie": "gridnode_admin_session=" + adm.cookie, "Accept": "text/html"})
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "form-action "+m.A.ViaURL) || !strings.Contains(csp, "script-src 'nonce-") ||
		resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("open-app page: %d %v", resp.StatusCode, resp.Header)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the open-app page has no %s field:\n%s", name, page)
		}
		return html.UnescapeString(m[1])
	}
	if !strings.Contains(page, `action="`+s.CookieURL+`"`) || field("next") != appPath {
		t.Fatalf("the open-app page posts elsewhere:\n%s", page)
	}
	pageToken := field("token")
	if resp, body := postForm(t, s.CookieURL, url.Values{"token": {pageToken}, "next": {field("next")}}, nil); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != appPath {
		t.Errorf("the page's form at the gateway: %d %s", resp.StatusCode, body)
	}
	if resp, body := postForm(t, m.B.Admin.URL()+"/api/orders/"+id+"/open-app", url.Values{"csrf": {"wrong"}},
		map[string]string{"Cookie": "gridnode_admin_session=" + adm.cookie, "Accept": "text/html"}); resp.StatusCode != http.StatusForbidden ||
		strings.Contains(body, pageToken) || !strings.Contains(body, "csrf") {
		t.Errorf("open-app with a wrong CSRF token: %d %s", resp.StatusCode, body)
	}
	n.OK("the console's open-app page posts the token to %s only (CSP %q)", s.CookieURL, csp)

	// Delete, through the console.
	adm.must("DELETE", "/api/orders/"+id+"/deployment", nil, nil)
	waitFor(t, 2*time.Minute, "the deployment gone", func() bool {
		adm.must("GET", "/api/orders/"+id+"/deployment", nil, &cd)
		return cd.Available && !cd.Deployed
	})

	// The audit: every action, who, the result; never a token.
	var audit struct {
		Entries []struct {
			Actor, Action, Target, Result, Message string
			Detail                                 map[string]string
		}
	}
	adm.must("GET", "/api/audit?limit=200", nil, &audit)
	seen := map[string]bool{}
	for _, e := range audit.Entries {
		if e.Target == id || e.Target == "999999" {
			seen[e.Actor+" "+e.Action+" "+e.Result] = true
		}
	}
	for _, want := range []string{
		"admin PUT /api/orders/{id}/deployment ok", "admin PUT /api/orders/{id}/deployment failed",
		"viewer PUT /api/orders/{id}/deployment denied", "viewer DELETE /api/orders/{id}/deployment denied",
		"viewer POST /api/orders/{id}/open-app denied", "admin POST /api/orders/{id}/open-app ok",
		"admin POST /api/orders/{id}/open-app denied", "admin DELETE /api/orders/{id}/deployment ok",
	} {
		if !seen[want] {
			t.Errorf("no audit entry %q; have %v", want, seen)
		}
	}
	rawAudit := adm.call("GET", "/api/audit?limit=200", nil)
	for _, tok := range []string{s.Token, pageToken, cli.Token} {
		if strings.Contains(string(rawAudit.body), tok) {
			t.Error("a gateway session token is in the audit log")
		}
	}
	if !strings.Contains(string(rawAudit.body), m.ManifestURL) {
		t.Error("the audit has no manifest URL of the deploys")
	}
	for _, p := range []*scenario.Proc{m.B.Carrier, m.B.Admin, m.A.Gateway} {
		if log := scenario.Tail(p.LogPath, 100000); strings.Contains(log, s.Token) || strings.Contains(log, pageToken) {
			t.Errorf("%s logged a gateway session token", p.Name)
		}
	}

	// 4. Org A's console: the order it sold is the buyer's to deploy.
	sell := newConsole(t, m.A.Admin.URL())
	sell.login(m.A.AdminUser, m.A.AdminPass)
	sell.must("POST", "/api/password", map[string]string{"current": m.A.AdminPass, "new": "org a admin's own password"}, nil)
	waitFor(t, 2*time.Minute, "org A's carrier to see the order", func() bool {
		return sell.call("GET", "/api/orders/"+id, nil).status == http.StatusOK
	})
	sell.must("GET", "/api/orders/"+id+"/deployment", nil, &cd)
	if cd.Side != "seller" || cd.Available || cd.Gateway.Instances != 1 || !strings.Contains(cd.Reason, "the buyer deploys") {
		t.Errorf("the sold order at org A's console: %+v", cd)
	}
}

// TestConsoleDeployNode is the console's path on the local real Kubernetes
// node (hack/kube-node, as TestMarket), where the app answers: org B's
// console deploys the demo app, its followed log streams the app's lines
// through admin as they come, and the token of the Open app page, traded
// for the cookie at org A's gateway, reaches the app.
func TestConsoleDeployNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute) // a hang guard
	defer cancel()
	m := startMarket(ctx, t, scenario.Options{})
	o := buy(ctx, t, m)
	n := m.Stack.Reporter()
	id := strconv.FormatUint(o.ID, 10)

	adm := newConsole(t, m.B.Admin.URL())
	adm.login(m.B.AdminUser, m.B.AdminPass)
	adm.must("POST", "/api/password", map[string]string{"current": m.B.AdminPass, "new": "org b admin's own password"}, nil)
	adm.must("PUT", "/api/orders/"+id+"/deployment", map[string]string{"manifestUrl": m.ManifestURL}, nil)
	var cd struct {
		Deployed bool
		Status   struct{ Phase string }
	}
	waitFor(t, 3*time.Minute, "the demo app Ready on the node", func() bool {
		adm.must("GET", "/api/orders/"+id+"/deployment", nil, &cd)
		return cd.Deployed && cd.Status.Phase == "Ready"
	})

	// Follow the log through admin.
	req, _ := http.NewRequestWithContext(ctx, "GET", m.B.Admin.URL()+"/api/orders/"+id+"/deployment/logs?follow=1&tail=50", nil)
	req.Header.Set("Cookie", "gridnode_admin_session="+adm.cookie)
	logResp, err := (&http.Client{}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer logResp.Body.Close()
	if logResp.StatusCode != http.StatusOK || !strings.HasPrefix(logResp.Header.Get("Content-Type"), "text/plain") {
		b, _ := io.ReadAll(io.LimitReader(logResp.Body, 4096))
		t.Fatalf("logs: %d %s", logResp.StatusCode, b)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(logResp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waitLine := func(what string, match func(string) bool) {
		t.Helper()
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the log stream ended before %s", what)
				}
				if match(l) {
					n.OK("log line through admin: %s", l)
					return
				}
			case <-deadline:
				t.Fatalf("no log line with %s", what)
			}
		}
	}
	waitLine("the app's start", func(l string) bool { return strings.Contains(l, "listening on") })

	// Open app: the page's token, traded for the cookie, reaches the app.
	resp, page := postForm(t, m.B.Admin.URL()+"/api/orders/"+id+"/open-app", url.Values{"csrf": {adm.csrf}},
		map[string]string{"Cookie": "gridnode_admin_session=" + adm.cookie, "Accept": "text/html"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("open-app: %d %s", resp.StatusCode, page)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the open-app page has no %s field", name)
		}
		return html.UnescapeString(m[1])
	}
	action := regexp.MustCompile(`action="([^"]*)"`).FindStringSubmatch(page)
	if action == nil {
		t.Fatal("the open-app page has no form action")
	}
	resp, body := postForm(t, html.UnescapeString(action[1]), url.Values{"token": {field("token")}, "next": {field("next")}}, nil)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("cookie hand-off: %d %s", resp.StatusCode, body)
	}
	appURL := m.A.ViaURL + resp.Header.Get("Location")
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var hostname string
	var last string // why the last try failed, for the timeout's message
	deadline := time.Now().Add(time.Minute)
	for hostname == "" { // kube-proxy writes its rules a moment after Ready
		if time.Now().After(deadline) {
			t.Fatalf("timed out after 1m waiting for the app's answer with the cookie; last try: %s\norg A's gateway log:\n%s\norg A's via log:\n%s",
				last, scenario.Tail(m.A.Gateway.LogPath, 40), scenario.Tail(m.A.Via.LogPath, 20))
		}
		req, _ := http.NewRequest("GET", appURL, nil)
		req.AddCookie(resp.Cookies()[0])
		r, err := hc.Do(req)
		if err != nil {
			last = err.Error()
			time.Sleep(200 * time.Millisecond)
			continue
		}
		data, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		r.Body.Close()
		var v struct{ Hostname string }
		if r.StatusCode != http.StatusOK || json.Unmarshal(data, &v) != nil || v.Hostname == "" {
			last = fmt.Sprintf("HTTP %d: %.300s", r.StatusCode, data)
			time.Sleep(200 * time.Millisecond)
			continue
		}
		hostname = v.Hostname
	}
	n.OK("GET %s with the cookie of the open-app hand-off → pod %s", appURL, hostname)
	waitLine("the app's request", func(l string) bool { return strings.Contains(l, "GET / from") })
}
