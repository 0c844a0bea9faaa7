package e2e

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"
	"gopkg.in/yaml.v3"

	"github.com/gridnode/gridnode/test/consultest"
)

// documentedRoutes reads the routes of docs/admin-api.yaml, with their
// path parameters filled in.
func documentedRoutes(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/admin-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{provider}", testProvider, "{id}", "1", "{key}", "deposit%20x%20approve", "{name}", "someone")
	var out []string
	for p, ops := range doc.Paths {
		for m := range ops {
			out = append(out, strings.ToUpper(m)+" "+fill.Replace(p))
		}
	}
	if len(out) < 30 {
		t.Fatalf("only %d routes in docs/admin-api.yaml", len(out))
	}
	return out
}

// TestAdminAPI runs two admin replicas against a real stack: the devnet,
// a Consul agent and a carrier with the chain subsystem. It checks that no
// route but the sign-in ones works without a session, the bootstrap
// admin's forced password change, sessions shared by the replicas and
// revoked by logout, CSRF refusals, the viewer role, lockout and the
// per-address login limit, wallet sign-in, a deposit followed to its
// confirmation through the console, and the audit entries of all of it.
func TestAdminAPI(t *testing.T) {
	e := startDevnet(t)
	agent := consultest.Start(t)
	if out, err := exec.Command(bin("carrier"), "settings", "set", "--org", "org-a", "--consul-addr", agent.Addr(),
		"--devnet-info", e.file).CombinedOutput(); err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	tok := writeToken(t, 0o600)
	ks, pass := e.keystoreOf("buyer-a")
	startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-a", append([]string{"--api-token-file", tok},
		chainArgs(e, t.TempDir(), ks, pass)...)...)...)
	owner := e.key("buyer-b")
	ownerAddr := crypto.PubkeyToAddress(owner.PublicKey)

	const bootPW = "the bootstrap password"
	a1 := startAdmin(t, agent, "org-a", tok, bootPW, "--login-max-failures", "3", "--login-lockout", "3s",
		"--login-rate", "1000", "--owner-address", ownerAddr.Hex())
	a2 := startAdmin(t, agent, "org-a", tok, bootPW, "--login-rate", "3", "--owner-address", ownerAddr.Hex())
	waitReady(t, a1)
	waitReady(t, a2)

	// Health and the app need no session; no API route but the sign-in
	// ones works without one.
	anon := newConsole(t, a1.url())
	for _, path := range []string{"/healthz", "/", "/api/login"} {
		anon.must("GET", path, nil, nil)
	}
	public := map[string]bool{"GET /api/login": true, "POST /api/login": true, "POST /api/login/wallet/challenge": true, "POST /api/login/wallet": true}
	for _, r := range documentedRoutes(t) {
		if public[r] {
			continue
		}
		method, path, _ := strings.Cut(r, " ")
		res := anon.call(method, path, nil)
		if res.status != http.StatusUnauthorized || res.code != "unauthorized" {
			t.Errorf("%s without a session = %d %s, want 401 unauthorized", r, res.status, res.code)
		}
	}
	anon.expect(http.StatusNotFound, "not_found", "GET", "/api/nothing", nil)

	// The app is served under the base path a trusted proxy gives.
	req, _ := http.NewRequest("GET", a1.url()+"/", nil)
	req.Header.Set("X-Forwarded-Prefix", "/admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	index := make([]byte, 4096)
	n, _ := resp.Body.Read(index)
	resp.Body.Close()
	if !strings.Contains(string(index[:n]), `<base href="/admin/">`) || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("index under /admin: %s\n%v", index[:n], resp.Header)
	}

	// The bootstrap admin signs in and must change the password first.
	anon.expect(http.StatusUnauthorized, "bad_credentials", "POST", "/api/login", map[string]string{"username": "admin", "password": "not the password"})
	adm := newConsole(t, a1.url())
	if s := adm.login("admin", bootPW); !s.MustChange || s.Role != "admin" {
		t.Fatalf("bootstrap session = %+v", s)
	}
	adm.expect(http.StatusForbidden, "password_change_required", "GET", "/api/overview", nil)
	wrongCSRF := *adm
	wrongCSRF.csrf = "not-the-token"
	wrongCSRF.expect(http.StatusForbidden, "csrf", "POST", "/api/password", map[string]string{"current": bootPW, "new": "the admin's own password"})
	adm.expect(http.StatusBadRequest, "bad_request", "POST", "/api/password", map[string]string{"current": bootPW, "new": "short"})
	var s consoleSession
	adm.must("POST", "/api/password", map[string]string{"current": bootPW, "new": "the admin's own password"}, &s)
	if s.MustChange {
		t.Fatal("still must change")
	}

	// The overview: Consul's view of the org, the carrier, the chain.
	var ov struct {
		Services []struct {
			Name    string
			Passing int
		}
		Head struct {
			Data struct{ Number, ChainID uint64 }
		}
		Chain struct {
			Data struct{ Running bool }
		}
		Status struct {
			Data struct{ State string }
		}
	}
	waitFor(t, time.Minute, "the overview to show the carrier active, two admins and the chain", func() bool {
		adm.must("GET", "/api/overview", nil, &ov)
		passing := map[string]int{}
		for _, s := range ov.Services {
			passing[s.Name] = s.Passing
		}
		return passing["carrier"] == 1 && passing["admin"] == 2 && ov.Head.Data.Number > 0 && ov.Head.Data.ChainID == e.info.ChainID &&
			ov.Chain.Data.Running && ov.Status.Data.State == "active"
	})

	// The session works on the other replica.
	adm.on(a2.url()).must("GET", "/api/session", nil, nil)

	// CSRF: a wrong token, a foreign Origin, a form body.
	deposit := map[string]string{"amount": "1000000", "operation": "console-dep-1"}
	wrongCSRF.expect(http.StatusForbidden, "csrf", "POST", "/api/credits/deposit", deposit)
	evil := *adm
	evil.header = map[string]string{"Origin": "http://evil.example"}
	evil.expect(http.StatusForbidden, "csrf", "POST", "/api/credits/deposit", deposit)
	form := *adm
	form.header = map[string]string{"Content-Type": "text/plain"}
	form.expect(http.StatusUnsupportedMediaType, "unsupported_media_type", "POST", "/api/credits/deposit", deposit)

	// A deposit through the console, followed to its confirmation with the
	// transaction long poll, as the Credits page does.
	wallet := crypto.PubkeyToAddress(e.key("buyer-a").PublicKey)
	before := e.credit(wallet)
	var op struct {
		ID      string
		Intents []struct{ Key, State string }
	}
	adm.must("POST", "/api/credits/deposit", deposit, &op)
	if op.ID != "console-dep-1" || len(op.Intents) != 2 {
		t.Fatalf("deposit = %+v", op)
	}
	for _, in := range op.Intents {
		var st struct {
			State                                string
			Confirmations, RequiredConfirmations int
			Updated                              string
		}
		since := ""
		waitFor(t, time.Minute, in.Key+" confirmed", func() bool {
			q := url.Values{"wait": {"15s"}}
			if since != "" {
				q.Set("since", since)
			}
			adm.must("GET", "/api/txs/"+url.PathEscape(in.Key)+"?"+q.Encode(), nil, &st)
			since = st.Updated
			t.Logf("%s: %s, %d/%d confirmations", in.Key, st.State, st.Confirmations, st.RequiredConfirmations)
			if st.State == "failed" {
				t.Fatalf("%s failed", in.Key)
			}
			return st.State == "confirmed"
		})
	}
	if got, want := e.credit(wallet), new(big.Int).Add(before, big.NewInt(1000000)); got.Cmp(want) != 0 {
		t.Fatalf("credit = %s, want %s", got, want)
	}
	// The carrier's refusals come through with their code.
	adm.expect(http.StatusBadRequest, "bad_request", "POST", "/api/credits/deposit", map[string]string{"amount": "0"})

	// A viewer sees, but changes nothing.
	adm.expect(http.StatusBadRequest, "bad_request", "POST", "/api/accounts", map[string]string{"name": "viewer", "role": "viewer", "password": "short"})
	adm.must("POST", "/api/accounts", map[string]string{"name": "viewer", "role": "viewer", "password": "a temporary password"}, nil)
	adm.expect(http.StatusConflict, "conflict", "POST", "/api/accounts", map[string]string{"name": "viewer", "role": "viewer", "password": "a temporary password"})
	vw := newConsole(t, a2.url())
	if s := vw.login("viewer", "a temporary password"); !s.MustChange || s.Role != "viewer" {
		t.Fatalf("viewer session = %+v", s)
	}
	vw.expect(http.StatusForbidden, "password_change_required", "GET", "/api/credits", nil)
	vw.must("POST", "/api/password", map[string]string{"current": "a temporary password", "new": "the viewer's own password"}, nil)
	for _, path := range []string{"/api/credits", "/api/overview", "/api/orders", "/api/txs", "/api/settings", "/api/providers", "/api/earnings"} {
		vw.must("GET", path, nil, nil)
	}
	for _, r := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/credits/deposit", deposit},
		{"POST", "/api/credits/withdraw", deposit},
		{"POST", "/api/orders", map[string]any{"manifestUrl": "http://x"}},
		{"POST", "/api/orders/1/cancel", nil},
		{"PUT", "/api/orders/1/deployment", map[string]string{"manifestUrl": "https://example.org/app.yaml"}},
		{"DELETE", "/api/orders/1/deployment", nil},
		{"POST", "/api/orders/1/open-app", nil},
		{"POST", "/api/providers/" + testProvider + "/deregister", nil},
		{"PUT", "/api/settings", map[string]string{"orgName": "taken over"}},
		{"POST", "/api/accounts", map[string]string{"name": "x", "role": "admin", "password": "a temporary password"}},
		{"GET", "/api/accounts", nil},
		{"GET", "/api/audit", nil},
	} {
		vw.expect(http.StatusForbidden, "forbidden", r.method, r.path, r.body)
	}
	// A match changes nothing: a viewer may run one (the carrier has no
	// directory here, so it answers 503).
	if res := vw.call("POST", "/api/match", map[string]any{"resources": map[string]int{"cpuMillis": 100}, "duration": 60}); res.status == http.StatusForbidden {
		t.Errorf("viewer match = %d %s", res.status, res.code)
	}

	// An admin edits the org settings; the viewer sees the chain RPC
	// redacted.
	var set struct {
		Settings struct {
			OrgName, ChainRPC string
		}
	}
	adm.must("GET", "/api/settings", nil, &set)
	adm.expect(http.StatusBadRequest, "bad_request", "PUT", "/api/settings", map[string]any{"orgName": "Org A", "chainRpc": "ftp://x"})
	adm.must("PUT", "/api/settings", map[string]any{"orgName": "Org A", "chainRpc": set.Settings.ChainRPC, "contracts": map[string]string{
		"token": e.info.Contracts.Token.Hex(), "registry": e.info.Contracts.Registry.Hex(), "market": e.info.Contracts.Market.Hex()}}, nil)
	vw.must("GET", "/api/settings", nil, &set)
	if set.Settings.OrgName != "Org A" || set.Settings.ChainRPC != strings.TrimSuffix(e.info.RPC.HTTP, "/")+"/…" {
		t.Errorf("viewer's settings = %+v", set.Settings)
	}

	// Lockout: three wrong passwords lock the account on every replica,
	// the right password included, until the lockout ends.
	lock := newConsole(t, a1.url())
	for i := range 2 {
		lock.expect(http.StatusUnauthorized, "bad_credentials", "POST", "/api/login", map[string]string{"username": "viewer", "password": "guess " + string(rune('a'+i))})
	}
	lock.expect(http.StatusTooManyRequests, "locked", "POST", "/api/login", map[string]string{"username": "viewer", "password": "guess c"})
	lock.expect(http.StatusTooManyRequests, "locked", "POST", "/api/login", map[string]string{"username": "viewer", "password": "the viewer's own password"})
	lock.on(a2.url()).expect(http.StatusTooManyRequests, "locked", "POST", "/api/login", map[string]string{"username": "viewer", "password": "the viewer's own password"})
	lockedAt := time.Now()
	waitFor(t, 10*time.Second, "the lockout to end", func() bool {
		return lock.call("POST", "/api/login", map[string]string{"username": "viewer", "password": "the viewer's own password"}).status == http.StatusOK
	})
	t.Logf("unlocked %s after the last refusal", time.Since(lockedAt).Round(100*time.Millisecond))

	// The per-address limit of replica 2 (3 a minute; one used above).
	limited := false
	for range 4 {
		res := newConsole(t, a2.url()).call("POST", "/api/login", map[string]string{"username": "nobody", "password": "nothing at all"})
		if res.status == http.StatusTooManyRequests && res.code == "rate_limited" {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("replica 2 never limited the sign-in attempts")
	}

	// Wallet sign-in for the owner, on either replica; the nonce is used
	// once.
	var ch struct{ Message string }
	anon.expect(http.StatusUnauthorized, "bad_credentials", "POST", "/api/login/wallet/challenge", map[string]string{"address": wallet.Hex()})
	anon.must("POST", "/api/login/wallet/challenge", map[string]string{"address": ownerAddr.Hex()}, &ch)
	if !strings.Contains(ch.Message, "wants you to sign in with your Ethereum account:\n"+ownerAddr.Hex()) ||
		!regexp.MustCompile(`\nChain ID: 1337\n`).MatchString(ch.Message) {
		t.Errorf("challenge message:\n%s", ch.Message)
	}
	sig, err := crypto.Sign(accounts.TextHash([]byte(ch.Message)), owner)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	signed := map[string]string{"message": ch.Message, "signature": "0x" + hex.EncodeToString(sig)}
	wl := newConsole(t, a1.url()) // replica 2 is rate limited by now
	var ws consoleSession
	wl.must("POST", "/api/login/wallet", signed, &ws)
	if ws.Role != "admin" || ws.Kind != "wallet" || ws.MustChange || wl.cookie == "" {
		t.Fatalf("wallet session = %+v", ws)
	}
	wl.csrf = ws.CSRF
	wl.on(a2.url()).must("GET", "/api/accounts", nil, nil)
	newConsole(t, a1.url()).expect(http.StatusUnauthorized, "bad_credentials", "POST", "/api/login/wallet", signed)

	// Logout on one replica revokes the session on the other.
	vw.must("POST", "/api/logout", nil, nil)
	vw.on(a1.url()).expect(http.StatusUnauthorized, "unauthorized", "GET", "/api/session", nil)

	// The audit log has all of it, from both replicas, and no secret.
	res := adm.call("GET", "/api/audit?limit=1000", nil)
	if res.status != http.StatusOK {
		t.Fatalf("audit: %d %s", res.status, res.code)
	}
	for _, secret := range []string{bootPW, "the admin's own password", "a temporary password", "the viewer's own password", adm.cookie, adm.csrf, signed["signature"][2:]} {
		if strings.Contains(string(res.body), secret) {
			t.Errorf("the audit log holds a secret: %q", secret)
		}
	}
	var page struct {
		Entries []struct {
			Seq                          uint64
			Actor, Role, Action, Target  string
			Result, Message, IP, Session string
			Status                       int
			Detail                       map[string]string
		}
	}
	if err := json.Unmarshal(res.body, &page); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		actor, action, result string
		status                int
		check                 func(detail map[string]string, target, msg string) bool
	}{
		{"admin", "POST /api/login", "ok", 200, nil},
		{"admin", "POST /api/login", "denied", 401, nil},
		{"admin", "POST /api/password", "ok", 200, nil},
		{"admin", "POST /api/password", "denied", 403, func(_ map[string]string, _, msg string) bool { return strings.HasPrefix(msg, "csrf:") }},
		{"admin", "POST /api/credits/deposit", "ok", 200, func(d map[string]string, _, _ string) bool {
			return d["amount"] == "1000000" && d["operation"] == "console-dep-1"
		}},
		{"admin", "POST /api/credits/deposit", "denied", 415, nil},
		{"admin", "POST /api/credits/deposit", "failed", 400, nil},
		{"admin", "POST /api/accounts", "ok", 200, func(d map[string]string, target, _ string) bool { return target == "viewer" && d["role"] == "viewer" }},
		{"admin", "PUT /api/settings", "ok", 200, func(d map[string]string, _, _ string) bool { return d["orgName"] == "Org A" }},
		{"viewer", "POST /api/credits/deposit", "denied", 403, nil},
		{"viewer", "PUT /api/settings", "denied", 403, nil},
		{"viewer", "POST /api/login", "denied", 429, func(_ map[string]string, _, msg string) bool { return strings.HasPrefix(msg, "locked:") }},
		{"viewer", "POST /api/logout", "ok", 200, nil},
		{"wallet:" + ownerAddr.Hex(), "POST /api/login/wallet", "ok", 200, nil},
		{"(anonymous)", "POST /api/credits/deposit", "denied", 401, nil},
	}
	seqs := map[uint64]bool{}
	for _, en := range page.Entries {
		if seqs[en.Seq] {
			t.Errorf("audit sequence %d twice", en.Seq)
		}
		seqs[en.Seq] = true
	}
	for _, w := range want {
		found := false
		for _, en := range page.Entries {
			if en.Actor == w.actor && en.Action == w.action && en.Result == w.result && en.Status == w.status && en.IP == "127.0.0.1" &&
				(w.check == nil || w.check(en.Detail, en.Target, en.Message)) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no audit entry %s %s %s %d", w.actor, w.action, w.result, w.status)
		}
	}
	if t.Failed() {
		t.Logf("audit log:\n%s", res.body)
	}
}
