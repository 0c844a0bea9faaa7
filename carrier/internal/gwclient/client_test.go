package gwclient_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gridnode/gridnode/carrier/internal/gwclient"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// fakeGateway answers challenge and login as the gateway does (the real
// gateway is what test/e2e's TestConsoleDeploy logs in at); mutate
// changes the challenge it hands out, to see what the client refuses.
type fakeGateway struct {
	t        *testing.T
	srv      *httptest.Server
	order    market.Order
	mutate   func(ch map[string]any)
	logins   atomic.Int32
	nonce    string
	expires  int64
	loginErr string // answer the login with this error code
}

func newFake(t *testing.T, o market.Order) *fakeGateway {
	f := &fakeGateway{t: t, order: o}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /gw/{provider}/v1/orders/{id}/challenge", f.challenge)
	mux.HandleFunc("POST /gw/{provider}/v1/orders/{id}/login", f.login)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGateway) base() string { return f.srv.URL + "/gw/" + f.order.Provider.Hex() }

func (f *fakeGateway) typedData() apitypes.TypedData {
	n, _ := hexutil.Decode(f.nonce)
	o := f.order
	return gatewaylogin.Challenge{ChainID: o.ChainID, Market: o.Market, Gateway: o.Provider, OrderID: o.ID, Nonce: [32]byte(n), Expires: uint64(f.expires)}.TypedData()
}

func (f *fakeGateway) challenge(w http.ResponseWriter, r *http.Request) {
	var n [32]byte
	_, _ = rand.Read(n[:])
	f.nonce, f.expires = hexutil.Encode(n[:]), time.Now().Add(5*time.Minute).Unix()
	// As gateway/internal/auth writes it: chainId and expires as numbers.
	ch := map[string]any{
		"typedData": map[string]any{
			"types": map[string]any{
				"EIP712Domain": []map[string]string{{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
					{"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}},
				"GatewayLogin": []map[string]string{{"name": "gateway", "type": "address"}, {"name": "orderId", "type": "uint256"},
					{"name": "nonce", "type": "bytes32"}, {"name": "expires", "type": "uint64"}},
			},
			"primaryType": "GatewayLogin",
			"domain": map[string]any{"name": "gridnode gateway", "version": "1", "chainId": json.Number(f.order.ChainID.String()),
				"verifyingContract": f.order.Market.Hex()},
			"message": map[string]any{"gateway": f.order.Provider.Hex(), "orderId": r.PathValue("id"), "nonce": f.nonce, "expires": f.expires},
		},
		"orderId": r.PathValue("id"), "nonce": f.nonce, "expires": f.expires,
	}
	if f.mutate != nil {
		f.mutate(ch)
	}
	writeJSON(w, 200, ch)
}

func (f *fakeGateway) login(w http.ResponseWriter, r *http.Request) {
	f.logins.Add(1)
	if f.loginErr != "" {
		writeJSON(w, 401, map[string]any{"error": map[string]string{"code": f.loginErr, "message": "refused by the fake"}})
		return
	}
	var req struct {
		Nonce     string `json:"nonce"`
		Expires   int64  `json:"expires"`
		Signature string `json:"signature"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Nonce != f.nonce || req.Expires != f.expires {
		writeJSON(w, 400, map[string]any{"error": map[string]string{"code": "malformed", "message": fmt.Sprint(err)}})
		return
	}
	digest, _, err := apitypes.TypedDataAndHash(f.typedData())
	if err != nil {
		f.t.Error(err)
	}
	sig, _ := hexutil.Decode(req.Signature)
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		writeJSON(w, 400, map[string]any{"error": map[string]string{"code": "malformed", "message": "signature"}})
		return
	}
	sig[64] -= 27
	pub, err := crypto.SigToPub(digest, sig)
	if err != nil {
		writeJSON(w, 401, map[string]any{"error": map[string]string{"code": "wrong_signer", "message": err.Error()}})
		return
	}
	writeJSON(w, 200, map[string]any{"token": "tok.en.value", "tokenType": "Bearer", "expires": time.Now().Add(15 * time.Minute),
		"orderId": r.PathValue("id"), "buyer": strings.ToLower(crypto.PubkeyToAddress(*pub).Hex()), "app": "/gw/x/app/" + r.PathValue("id") + "/"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func testWallet(t *testing.T) *wallet.Wallet {
	t.Helper()
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("test passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.New(wallet.Options{KeystorePath: filepath.Join(dir, "ks.json"), PassphraseFile: pass, LightScrypt: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func testOrder() market.Order {
	return market.Order{ID: big.NewInt(42), ChainID: big.NewInt(1337),
		Market:   common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
		Provider: common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")}
}

func loopbackClient(t *testing.T) *gwclient.Client {
	t.Helper()
	c, err := gwclient.New(gwclient.Options{AllowLoopback: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLogin(t *testing.T) {
	o := testOrder()
	f := newFake(t, o)
	w := testWallet(t)
	s, err := loopbackClient(t).Login(context.Background(), f.base()+"/", o, w)
	if err != nil {
		t.Fatal(err)
	}
	if s.Token != "tok.en.value" || s.OrderID != "42" || s.Buyer != w.Address() || s.GatewayBase != f.base() ||
		s.App != f.base()+"/app/42/" || s.CookieURL != f.base()+"/v1/session/cookie" || !s.Expires.After(time.Now()) {
		t.Errorf("session %+v", s)
	}
}

// TestRefusedChallenges: a challenge that is not a login for exactly the
// order is never signed (the login route is not called).
func TestRefusedChallenges(t *testing.T) {
	o := testOrder()
	td := func(ch map[string]any) map[string]any { return ch["typedData"].(map[string]any) }
	domain := func(ch map[string]any) map[string]any { return td(ch)["domain"].(map[string]any) }
	msg := func(ch map[string]any) map[string]any { return td(ch)["message"].(map[string]any) }
	other := "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
	for _, tc := range []struct {
		name, want string
		mutate     func(ch map[string]any)
	}{
		{"other chain", "chain 999, not this carrier's chain 1337", func(ch map[string]any) { domain(ch)["chainId"] = 999 }},
		{"other market", "Market " + other, func(ch map[string]any) { domain(ch)["verifyingContract"] = other }},
		{"other gateway", "names gateway " + other, func(ch map[string]any) { msg(ch)["gateway"] = other }},
		{"other order", "for order 43, not order 42", func(ch map[string]any) { msg(ch)["orderId"] = "43" }},
		{"other answer order", "orderId", func(ch map[string]any) { ch["orderId"] = "43" }},
		{"other primary type", `primaryType "Mail"`, func(ch map[string]any) { td(ch)["primaryType"] = "Mail" }},
		{"other domain name", "domain name", func(ch map[string]any) { domain(ch)["name"] = "evil dapp" }},
		{"other version", "domain version", func(ch map[string]any) { domain(ch)["version"] = "2" }},
		{"domain salt", "unexpected fields [salt]", func(ch map[string]any) { domain(ch)["salt"] = "0x" + strings.Repeat("00", 32) }},
		{"extra message field", "unexpected fields [amount]", func(ch map[string]any) { msg(ch)["amount"] = "1" }},
		{"missing message field", "message has no nonce", func(ch map[string]any) { delete(msg(ch), "nonce") }},
		{"extra type", `the type "Transfer"`, func(ch map[string]any) {
			td(ch)["types"].(map[string]any)["Transfer"] = []map[string]string{{"name": "to", "type": "address"}}
		}},
		{"changed field type", "type GatewayLogin is", func(ch map[string]any) {
			td(ch)["types"].(map[string]any)["GatewayLogin"] = []map[string]string{{"name": "gateway", "type": "address"}, {"name": "orderId", "type": "uint256"},
				{"name": "nonce", "type": "bytes32"}, {"name": "expires", "type": "uint256"}}
		}},
		{"unknown typedData key", "unknown field", func(ch map[string]any) { td(ch)["extra"] = true }},
		{"expired", "expired", func(ch map[string]any) {
			e := time.Now().Add(-time.Minute).Unix()
			msg(ch)["expires"], ch["expires"] = e, e
		}},
		{"expiry too far", "more than 1h0m0s from now", func(ch map[string]any) {
			e := time.Now().Add(2 * time.Hour).Unix()
			msg(ch)["expires"], ch["expires"] = e, e
		}},
		{"answer nonce differs", "nonce", func(ch map[string]any) { ch["nonce"] = "0x" + strings.Repeat("ab", 32) }},
		{"answer expires differs", "expires", func(ch map[string]any) { ch["expires"] = 1 }},
		{"short nonce", "message nonce", func(ch map[string]any) { msg(ch)["nonce"] = "0x1234" }},
		{"negative chain", "chainId", func(ch map[string]any) { domain(ch)["chainId"] = -1337 }},
		{"fractional order", "orderId", func(ch map[string]any) { msg(ch)["orderId"] = 42.5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, o)
			f.mutate = tc.mutate
			_, err := loopbackClient(t).Login(context.Background(), f.base(), o, testWallet(t))
			if !errors.Is(err, gwclient.ErrChallengeRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrChallengeRefused mentioning %q", err, tc.want)
			}
			if n := f.logins.Load(); n != 0 {
				t.Errorf("the client logged in %d times with a refused challenge", n)
			}
		})
	}
}

func TestGatewayAndTransportErrors(t *testing.T) {
	o := testOrder()
	w := testWallet(t)
	ctx := context.Background()

	// The gateway's own refusal comes back with its code.
	f := newFake(t, o)
	f.loginErr = "wrong_signer"
	_, err := loopbackClient(t).Login(ctx, f.base(), o, w)
	var ge *gwclient.GatewayError
	if !errors.As(err, &ge) || ge.Code != "wrong_signer" || ge.Status != 401 {
		t.Errorf("login refused: %v", err)
	}

	// Loopback is refused unless allowed.
	strict, err := gwclient.New(gwclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Login(ctx, f.base(), o, w); !errors.Is(err, gwclient.ErrForbiddenAddress) {
		t.Errorf("loopback without the flag: %v", err)
	}
	for _, u := range []string{"http://169.254.169.254/gw/x", "http://10.1.2.3/gw/x", "http://[::1]:1/gw/x"} {
		if _, err := strict.Login(ctx, u, o, w); !errors.Is(err, gwclient.ErrForbiddenAddress) {
			t.Errorf("%s: %v", u, err)
		}
	}

	// Redirects are followed up to the limit, each re-checked.
	hops := 0
	var redir *httptest.Server
	redir = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hops++
		if strings.HasPrefix(r.URL.Path, "/loop") {
			http.Redirect(w, r, redir.URL+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		http.Redirect(w, r, f.srv.URL+r.URL.Path, http.StatusTemporaryRedirect) // to the gateway, method and body kept
	}))
	t.Cleanup(redir.Close)
	f.loginErr = ""
	c := loopbackClient(t)
	if s, err := c.Login(ctx, redir.URL+"/gw/"+o.Provider.Hex(), o, w); err != nil || s.Token == "" {
		t.Errorf("login through a redirect: %v", err)
	}
	hops = 0
	if _, err := c.Login(ctx, redir.URL+"/loop", o, w); !errors.Is(err, gwclient.ErrUnreachable) || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	if hops > 4 {
		t.Errorf("followed %d redirects, limit 3", hops-1)
	}
	// A redirect into the metadata range is refused at connect time.
	meta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(meta.Close)
	if _, err := c.Login(ctx, meta.URL+"/gw/x", o, w); !errors.Is(err, gwclient.ErrForbiddenAddress) {
		t.Errorf("redirect to metadata: %v", err)
	}

	// Oversized answers are cut off.
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"typedData":"`+strings.Repeat("x", gwclient.MaxAnswer)+`"}`)
	}))
	t.Cleanup(big.Close)
	if _, err := c.Login(ctx, big.URL, o, w); !errors.Is(err, gwclient.ErrBadAnswer) {
		t.Errorf("oversized answer: %v", err)
	}
}

func TestBase(t *testing.T) {
	for in, want := range map[string]string{
		"https://via.example/gw/0xAbc/":  "https://via.example/gw/0xAbc",
		"http://127.0.0.1:7403":          "http://127.0.0.1:7403",
		"https://via.example:8443/gw/x/": "https://via.example:8443/gw/x",
	} {
		if got, err := gwclient.Base(in); err != nil || got != want {
			t.Errorf("Base(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ftp://x/y", "https://", "https://user:pw@via.example/gw/x", "https://via.example/gw/x?a=1",
		"https://via.example/gw/x#f", "/gw/x", "https://" + strings.Repeat("a", 3000)} {
		if _, err := gwclient.Base(in); !errors.Is(err, gwclient.ErrInvalidURL) {
			t.Errorf("Base(%q): %v, want ErrInvalidURL", in, err)
		}
	}
}

// TestDeploy: the deploy carries the session's token and the manifest URL
// to the order's deployment route and reads the gateway's view back; the
// gateway's refusal keeps its code; an oversized answer is refused. (The
// real gateway's route is what test/e2e's TestChainOrderLife reaches.)
func TestDeploy(t *testing.T) {
	o := testOrder()
	f := newFake(t, o)
	var gotAuth, gotURL, gotMethod string
	refuse := ""
	big := false
	mux := f.srv.Config.Handler.(*http.ServeMux)
	mux.HandleFunc("PUT /gw/{provider}/v1/orders/{id}/deployment", func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotMethod = r.Header.Get("Authorization"), r.Method
		var req struct {
			ManifestURL string `json:"manifestUrl"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		gotURL = req.ManifestURL
		switch {
		case refuse != "":
			writeJSON(w, 409, map[string]any{"error": map[string]string{"code": refuse, "message": "the manifest's hash is not the order's"}})
		case big:
			writeJSON(w, 200, map[string]any{"namespace": strings.Repeat("n", gwclient.MaxAnswer)})
		default:
			writeJSON(w, 200, map[string]any{"namespace": "order-42", "manifest": "0xab", "phase": "Applied", "message": "2 objects"})
		}
	})
	c := loopbackClient(t)
	s, err := c.Login(context.Background(), f.base(), o, testWallet(t))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Deploy(context.Background(), s, "https://example.org/app-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d.Namespace != "order-42" || d.Phase != "Applied" || gotAuth != "Bearer tok.en.value" || gotURL != "https://example.org/app-v2.yaml" || gotMethod != "PUT" {
		t.Errorf("deploy = %+v; the gateway saw %s %q %q", d, gotMethod, gotAuth, gotURL)
	}
	refuse = "manifest_hash_mismatch"
	var ge *gwclient.GatewayError
	if _, err := c.Deploy(context.Background(), s, "https://example.org/app-v2.yaml"); !errors.As(err, &ge) || ge.Code != refuse || ge.Status != 409 {
		t.Errorf("refused deploy: %v", err)
	}
	refuse, big = "", true
	if _, err := c.Deploy(context.Background(), s, "https://example.org/app-v2.yaml"); !errors.Is(err, gwclient.ErrBadAnswer) {
		t.Errorf("oversized answer: %v", err)
	}
	s.GatewayBase = "ftp://example.org"
	if _, err := c.Deploy(context.Background(), s, "https://example.org/app-v2.yaml"); !errors.Is(err, gwclient.ErrInvalidURL) {
		t.Errorf("bad gateway base: %v", err)
	}
}
