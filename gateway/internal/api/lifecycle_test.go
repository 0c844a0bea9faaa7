package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
)

// TestWrongPayee: a gateway whose organization (--owner) is not the
// order's payee refuses it at the challenge, the login, the order's routes,
// the deploy and the app path, with order_wrong_payee, and counts it; the
// payee's gateway serves it.
func TestWrongPayee(t *testing.T) {
	e := newEnv(t)
	a := e.orderA.String()
	payee := devchaintest.Address(e.chain.Owner)
	e.useChecker(orders.Options{CacheTTL: -1, Owner: payee})
	s, r := e.login(e.orderA, e.buyer, nil)
	if r.code != 200 {
		t.Fatalf("login at the payee's gateway: %d %s", r.code, r.body)
	}
	h := bearer(s.Token)
	if r := e.do("GET", "/v1/orders/"+a, nil, h); r.code != 200 || !strings.Contains(string(r.body), `"payee": "`+payee.Hex()+`"`) {
		t.Fatalf("order at the payee's gateway: %d %s", r.code, r.body)
	}
	// A challenge issued now, signed, presented once the gateway serves
	// another organization.
	ch := e.do("POST", "/v1/orders/"+a+"/challenge", nil, nil)
	if ch.code != 200 {
		t.Fatalf("challenge: %d %s", ch.code, ch.body)
	}

	other := common.HexToAddress("0x00000000000000000000000000000000000000cc")
	e.useChecker(orders.Options{CacheTTL: -1, Owner: other})
	loginBody := signedLogin(e, ch.body)
	deploy := `{"manifestUrl":"https://x.example/m.yaml"}`
	for _, tc := range []struct {
		name, method, path string
		body               any
		hdr                map[string]string
	}{
		{"challenge", "POST", "/v1/orders/" + a + "/challenge", nil, nil},
		{"login", "POST", "/v1/orders/" + a + "/login", loginBody, nil},
		{"order", "GET", "/v1/orders/" + a, nil, h},
		{"deploy", "PUT", "/v1/orders/" + a + "/deployment", deploy, h},
		{"status", "GET", "/v1/orders/" + a + "/deployment", nil, h},
		{"renew", "POST", "/v1/session/renew", nil, h},
		{"app", "GET", "/app/" + a + "/", nil, h},
	} {
		r := e.do(tc.method, tc.path, tc.body, tc.hdr)
		if r.code != 403 || r.errCode() != "order_wrong_payee" || !strings.Contains(string(r.body), "pays "+payee.Hex()) ||
			!strings.Contains(string(r.body), "organization is "+other.Hex()) {
			t.Errorf("%s at another organization's gateway: %d %s, want 403 order_wrong_payee naming both", tc.name, r.code, r.body)
		}
	}
	if _, ok := e.deploy.deployed[a]; ok {
		t.Error("the deployer was called for an order that pays another organization")
	}
	for route, want := range map[string]float64{"api": 6, "app": 1} {
		if got := counter(t, e, "gridnode_gateway_order_refusals_total", route, "order_wrong_payee"); got != want {
			t.Errorf("order_refusals_total{route=%s,reason=order_wrong_payee} = %v, want %v", route, got, want)
		}
	}

	// Back at the payee's gateway, the same signed challenge logs in: the
	// refusal spent nothing.
	e.useChecker(orders.Options{CacheTTL: -1, Owner: payee})
	if r := e.do("POST", "/v1/orders/"+a+"/login", loginBody, nil); r.code != 200 {
		t.Fatalf("login at the payee's gateway after the refusal: %d %s", r.code, r.body)
	}
	if r := e.do("PUT", "/v1/orders/"+a+"/deployment", deploy, h); r.code != 200 {
		t.Fatalf("deploy at the payee's gateway: %d %s", r.code, r.body)
	}
}

// TestClosedOrder: an order its provider's owner closed is refused like a
// cancelled one, with order_closed.
func TestClosedOrder(t *testing.T) {
	e := newEnv(t)
	b := e.orderB.String()
	s, r := e.login(e.orderB, e.buyer, nil)
	if r.code != 200 {
		t.Fatalf("login: %d %s", r.code, r.body)
	}
	e.chain.CloseOrder(e.orderB)
	h := bearer(s.Token)
	for _, tc := range []struct{ method, path string }{
		{"POST", "/v1/orders/" + b + "/challenge"},
		{"GET", "/v1/orders/" + b},
		{"PUT", "/v1/orders/" + b + "/deployment"},
		{"POST", "/v1/session/renew"},
		{"GET", "/app/" + b + "/"},
	} {
		var body any
		if tc.method == "PUT" {
			body = `{"manifestUrl":"https://x.example/m.yaml"}`
		}
		if r := e.do(tc.method, tc.path, body, h); r.code != 403 || r.errCode() != "order_closed" {
			t.Errorf("%s %s on a closed order: %d %s", tc.method, tc.path, r.code, r.body)
		}
	}
}

// TestManifestUpdateDeploy: after the buyer sets a new manifest hash on
// chain, the deploy route hands the deployer the order with the new hash
// at once, even while the order cache holds the old one; a session of
// another order, a malformed or oversized body are refused before any
// fetch.
func TestManifestUpdateDeploy(t *testing.T) {
	e := newEnv(t)
	e.useChecker(orders.Options{CacheTTL: time.Hour})
	a := e.orderA.String()
	s, _ := e.login(e.orderA, e.buyer, nil)
	h := bearer(s.Token)
	if r := e.do("GET", "/v1/orders/"+a, nil, h); r.code != 200 || !strings.Contains(string(r.body), "0x01000000") {
		t.Fatalf("order: %d %s", r.code, r.body) // cached with manifest hash 0x01…
	}
	e.chain.UpdateManifest(e.buyer, e.orderA, [32]byte{7})
	if r := e.do("PUT", "/v1/orders/"+a+"/deployment", `{"manifestUrl":"https://x.example/v2.yaml"}`, h); r.code != 200 {
		t.Fatalf("deploy after the update: %d %s", r.code, r.body)
	}
	if got := e.deploy.hashes[a]; got != [32]byte{7} {
		t.Errorf("the deployer got the order with manifest hash %x, want the updated 07…", got)
	}
	if r := e.do("GET", "/v1/orders/"+a, nil, h); !strings.Contains(string(r.body), "0x07000000") {
		t.Errorf("the cache was not refreshed by the deploy's read: %s", r.body)
	}

	// Another buyer cannot log in to the order to deploy it.
	if _, r := e.login(e.orderA, e.other, nil); r.code != 401 || r.errCode() != "wrong_signer" {
		t.Errorf("another buyer's login: %d %s", r.code, r.body)
	}
	sb, _ := e.login(e.orderB, e.buyer, nil)
	for _, tc := range []struct {
		name    string
		body    string
		hdr     map[string]string
		code    int
		errCode string
	}{
		{"another order's session", `{"manifestUrl":"https://x.example/v2.yaml"}`, bearer(sb.Token), 403, "session_other_order"},
		{"no session", `{"manifestUrl":"https://x.example/v2.yaml"}`, nil, 401, "session_required"},
		{"malformed", `{"manifestUrl":`, h, 400, "bad_request"},
		{"not a URL", `{"manifestUrl":"javascript:alert(1)"}`, h, 400, "bad_request"},
		{"URL too long", `{"manifestUrl":"https://x.example/` + strings.Repeat("a", 3000) + `"}`, h, 400, "bad_request"},
		{"body too large", `{"manifestUrl":"https://x.example/` + strings.Repeat("a", 70<<10) + `"}`, h, 413, "too_large"},
	} {
		delete(e.deploy.deployed, a)
		if r := e.do("PUT", "/v1/orders/"+a+"/deployment", tc.body, tc.hdr); r.code != tc.code || r.errCode() != tc.errCode {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.code, r.body, tc.code, tc.errCode)
		}
		if _, ok := e.deploy.deployed[a]; ok {
			t.Errorf("%s reached the deployer", tc.name)
		}
	}
}

// signedLogin is the login body for a challenge answer, signed by the
// env's buyer.
func signedLogin(e *env, challenge []byte) map[string]any {
	e.t.Helper()
	var ch gatewaylogin.ChallengeJSON
	if err := json.Unmarshal(challenge, &ch); err != nil {
		e.t.Fatal(err)
	}
	return map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": e.sign(ch, e.buyer)}
}

// counter is the value of the counter name with labels route and reason.
func counter(t *testing.T, e *env, name, route, reason string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			if l["route"] == route && l["reason"] == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
