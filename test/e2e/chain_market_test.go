package e2e

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	consulapi "github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

// registerGateway registers a gateway of provider in org's Consul, as a
// gateway daemon would (no check: passing).
func registerGateway(t *testing.T, agent *consultest.Agent, id, org string, provider common.Address) {
	t.Helper()
	meta := map[string]string{"provider": provider.Hex()}
	if org != "" {
		meta["org"] = org
	}
	err := agent.Client().Agent().ServiceRegister(&consulapi.AgentServiceRegistration{
		ID: id, Name: "gateway", Address: "127.0.0.1", Port: 1, Meta: meta,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestChainMarket runs two carrier processes on the devnet over JSON-RPC:
// org A sells (its provider is registered from Consul, it settles), org B
// buys (deposit, match, order, cancel). Balances are checked to the base
// unit; bad input through the API changes nothing.
func TestChainMarket(t *testing.T) {
	e := startDevnet(t)
	agent := consultest.Start(t)
	provider := crypto.PubkeyToAddress(e.key("provider-a").PublicKey)
	registerGateway(t, agent, "gateway-a-1", "org-a", provider)

	// Org A reads the chain settings from Consul KV, written by the CLI.
	out, err := exec.Command(bin("carrier"), "settings", "set", "--org", "org-a", "--consul-addr", agent.Addr(), "--devnet-info", e.file).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	tokA, tokB := writeToken(t, 0o600), writeToken(t, 0o600)
	ksA, passA := e.keystoreOf("provider-b")
	ksB, passB := e.keystoreOf("buyer-a")
	walletA, walletB := crypto.PubkeyToAddress(e.key("provider-b").PublicKey), crypto.PubkeyToAddress(e.key("buyer-a").PublicKey)
	a := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-a", append(append(
		[]string{"--api-token-file", tokA}, chainArgs(e, t.TempDir(), ksA, passA)...), sellerArgs()...)...)...)
	b := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-b", append(append(
		[]string{"--api-token-file", tokB, "--manifest-allow-loopback", "--manifest-max-bytes", "4096",
			"--scheduler-listings-file", e.signedListings("provider-a", walletA, testListingPrices)},
		chainArgs(e, t.TempDir(), ksB, passB)...), staticChainArgs(e)...)...)...)
	ca, cb := newAPIClient(t, a, tokA), newAPIClient(t, b, tokB)

	// A registers its provider once it holds the provider key's proof of
	// possession (a gateway daemon posts it; here it is handed by hand).
	handProof(t, e, ca, tokA, "provider-a", walletA)
	waitFor(t, time.Minute, "provider registered", func() bool {
		var ps []struct {
			Provider   common.Address
			State, URL string
		}
		code, _ := ca.do("GET", "providers", nil, &ps)
		return code == http.StatusOK && len(ps) == 1 && ps[0].State == "registered" && ps[0].Provider == provider
	})

	// B deposits 10^8 base units with the CLI, following the progress.
	const deposit = 100_000_000
	creditA0, creditB0 := e.credit(walletA), e.credit(walletB)
	waitFor(t, time.Minute, "carrier B's mediator", func() bool {
		var s struct{ Running bool }
		cb.must("GET", "chain", nil, &s)
		return s.Running
	})
	cmd := exec.Command(bin("carrier"), "credits", "deposit", "--wait", "--operation", "first-deposit",
		"--carrier-url", b.url(), "--api-token-file", tokB, strconv.Itoa(deposit))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("carrier credits deposit: %v\n%s\n%s", err, out, stderr.String())
	}
	t.Logf("progress lines:\n%s", stderr.String())
	if !strings.Contains(stderr.String(), "deposit first-deposit deposit: confirmed") {
		t.Errorf("no confirmed progress line:\n%s", stderr.String())
	}
	if got, want := e.credit(walletB), new(big.Int).Add(creditB0, big.NewInt(deposit)); got.Cmp(want) != 0 {
		t.Fatalf("B credit = %s, want %s", got, want)
	}

	manifest := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n")
	mux := http.NewServeMux()
	mux.HandleFunc("/m.yaml", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(manifest) })
	mux.HandleFunc("/big.yaml", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(make([]byte, 8192)) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// Match, then order for 4 s.
	res := map[string]any{"cpuMillis": 1500, "memoryBytes": 3<<20 + 1, "storageBytes": 1 << 30}
	rate := big.NewInt(1500*3 + 4*2 + 1*5) // memory billed as 4 MiB
	var match struct {
		Candidates []struct {
			Provider common.Address
			Cost     *big.Int
		}
	}
	cb.must("POST", "match", map[string]any{"resources": res, "duration": 4, "labels": map[string]string{"tier": "gold"}}, &match)
	if len(match.Candidates) != 1 || match.Candidates[0].Provider != provider || match.Candidates[0].Cost.Cmp(new(big.Int).Mul(rate, big.NewInt(4))) != 0 {
		t.Fatalf("match = %+v", match)
	}
	var placed struct {
		Order  *apiOrder
		Intent apiIntent
	}
	cb.must("POST", "orders", map[string]any{"resources": res, "duration": 4, "manifestUrl": srv.URL + "/m.yaml", "operation": "order-1"}, &placed)
	if placed.Order == nil {
		t.Fatalf("order not mined: %+v", placed)
	}
	escrow := new(big.Int).Mul(rate, big.NewInt(4))
	if placed.Order.Escrow.big(t).Cmp(escrow) != 0 || placed.Order.Provider != provider {
		t.Fatalf("order = %+v, want escrow %s", placed.Order, escrow)
	}
	id := placed.Order.ID

	// The order ends; A settles it: A paid in full, nothing refunded.
	var o apiOrder
	waitFor(t, time.Minute, "A settles the order", func() bool {
		code, _ := ca.do("GET", "orders/"+strconv.FormatUint(id, 10), nil, &o)
		return code == http.StatusOK && o.State == "settled"
	})
	if o.Paid.big(t).Cmp(escrow) != 0 || o.Refund.big(t).Sign() != 0 || o.Role != "seller" {
		t.Errorf("settled order = %+v", o)
	}
	creditA1 := new(big.Int).Add(creditA0, escrow)
	creditB1 := new(big.Int).Sub(new(big.Int).Add(creditB0, big.NewInt(deposit)), escrow)
	if got := e.credit(walletA); got.Cmp(creditA1) != 0 {
		t.Errorf("A credit = %s, want %s", got, creditA1)
	}
	if got := e.credit(walletB); got.Cmp(creditB1) != 0 {
		t.Errorf("B credit = %s, want %s", got, creditB1)
	}
	var credits struct{ Credit, Earned amount }
	ca.must("GET", "credits", nil, &credits)
	if credits.Credit.big(t).Cmp(creditA1) != 0 || credits.Earned.big(t).Cmp(escrow) != 0 {
		t.Errorf("A GET /v1/credits = %+v", credits)
	}

	// Cancel mid-way, with the CLI: A paid for the seconds used.
	cb.must("POST", "orders", map[string]any{"resources": res, "duration": 600, "manifestUrl": srv.URL + "/m.yaml", "provider": provider}, &placed)
	if placed.Order == nil {
		t.Fatalf("second order not mined: %+v", placed)
	}
	id2, start := placed.Order.ID, placed.Order.Start
	escrow2 := new(big.Int).Mul(rate, big.NewInt(600))
	time.Sleep(2 * time.Second)
	out, err = exec.Command(bin("carrier"), "orders", "cancel", "--wait",
		"--carrier-url", b.url(), "--api-token-file", tokB, strconv.FormatUint(id2, 10)).Output()
	if err != nil {
		t.Fatalf("carrier orders cancel: %v\n%s", err, out)
	}
	var cancelled apiIntent
	if err := json.Unmarshal(out, &cancelled); err != nil || cancelled.Block == 0 {
		t.Fatalf("cancel answer %s: %v", out, err)
	}
	head, err := e.client.HeaderByNumber(e.ctx, new(big.Int).SetUint64(cancelled.Block))
	if err != nil {
		t.Fatal(err)
	}
	paid := new(big.Int).Mul(rate, new(big.Int).SetUint64(head.Time-start))
	t.Logf("cancelled after %d s of 600: paid %s, refunded %s", head.Time-start, paid, new(big.Int).Sub(escrow2, paid))
	waitFor(t, time.Minute, "A sees the cancel", func() bool {
		code, _ := ca.do("GET", "orders/"+strconv.FormatUint(id2, 10), nil, &o)
		return code == http.StatusOK && o.State == "cancelled"
	})
	if o.Paid.big(t).Cmp(paid) != 0 || new(big.Int).Add(o.Paid.big(t), o.Refund.big(t)).Cmp(escrow2) != 0 {
		t.Errorf("cancelled order = %+v, want paid %s of %s", o, paid, escrow2)
	}
	if got, want := e.credit(walletA), new(big.Int).Add(creditA1, paid); got.Cmp(want) != 0 {
		t.Errorf("A credit = %s, want %s", got, want)
	}
	if got, want := e.credit(walletB), new(big.Int).Sub(creditB1, paid); got.Cmp(want) != 0 {
		t.Errorf("B credit = %s, want %s", got, want)
	}

	// Bad input: a clear error, and nothing changes.
	creditB := e.credit(walletB)
	var before []apiIntent
	cb.must("GET", "txs?limit=1000", nil, &before)
	good := func(mod func(map[string]any)) map[string]any {
		m := map[string]any{"resources": res, "duration": 4, "manifestUrl": srv.URL + "/m.yaml"}
		mod(m)
		return m
	}
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"unknown provider", "POST", "orders", good(func(m map[string]any) { m["provider"] = "0x00000000000000000000000000000000000000b2" }), 400, "unknown_provider"},
		{"insufficient credits", "POST", "orders", good(func(m map[string]any) { m["duration"] = 30 * 24 * 3600 }), 400, "insufficient_credits"},
		{"manifest too big", "POST", "orders", good(func(m map[string]any) { m["manifestUrl"] = srv.URL + "/big.yaml" }), 400, "bad_request"},
		{"manifest unreachable", "POST", "orders", good(func(m map[string]any) { m["manifestUrl"] = "http://127.0.0.1:1/m.yaml" }), 400, "bad_request"},
		{"manifest private", "POST", "orders", good(func(m map[string]any) { m["manifestUrl"] = "http://192.168.10.10/m.yaml" }), 400, "bad_request"},
		{"manifest metadata", "POST", "orders", good(func(m map[string]any) { m["manifestUrl"] = "http://169.254.169.254/latest/" }), 400, "bad_request"},
		{"manifest not http", "POST", "orders", good(func(m map[string]any) { m["manifestUrl"] = "file:///etc/passwd" }), 400, "bad_request"},
		{"zero duration", "POST", "orders", good(func(m map[string]any) { m["duration"] = 0 }), 400, "bad_request"},
		{"zero max price", "POST", "orders", good(func(m map[string]any) { m["maxPrice"] = "0" }), 400, "bad_request"},
		{"max price below cost", "POST", "orders", good(func(m map[string]any) { m["maxPrice"] = "1" }), 400, "bad_request"},
		{"no resources", "POST", "orders", good(func(m map[string]any) { m["resources"] = map[string]any{} }), 400, "bad_request"},
		{"negative amount", "POST", "orders", good(func(m map[string]any) { m["maxPrice"] = "-5" }), 400, "bad_request"},
		{"unknown field", "POST", "orders", good(func(m map[string]any) { m["colour"] = "red" }), 400, "bad_request"},
		{"not json", "POST", "orders", "{", 400, "bad_request"},
		{"match zero duration", "POST", "match", map[string]any{"resources": res}, 400, "bad_request"},
		{"deposit zero", "POST", "credits/deposit", map[string]any{"amount": "0"}, 400, "bad_request"},
		{"deposit more than tokens", "POST", "credits/deposit", map[string]any{"amount": "1" + strings.Repeat("0", 40)}, 400, "bad_request"},
		{"withdraw more than credit", "POST", "credits/withdraw", map[string]any{"amount": creditB.String() + "0"}, 400, "insufficient_credits"},
		{"cancel unknown order", "POST", "orders/999999/cancel", nil, 404, "not_found"},
		{"cancel settled order", "POST", "orders/" + strconv.FormatUint(id, 10) + "/cancel", nil, 400, "bad_request"},
		{"cancel bad id", "POST", "orders/abc/cancel", nil, 400, "bad_request"},
		{"deregister not ours", "POST", "providers/" + provider.Hex() + "/deregister", nil, 400, "bad_request"},
		{"unknown tx", "GET", "txs/nothing", nil, 404, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, ecode := cb.do(tc.method, tc.path, tc.body, nil)
			if code != tc.status || ecode != tc.code {
				t.Errorf("%s %s = %d %s, want %d %s", tc.method, tc.path, code, ecode, tc.status, tc.code)
			}
		})
	}
	var after []apiIntent
	cb.must("GET", "txs?limit=1000", nil, &after)
	if len(after) != len(before) {
		t.Errorf("bad input journaled intents: %d before, %d after", len(before), len(after))
	}
	if got := e.credit(walletB); got.Cmp(creditB) != 0 {
		t.Errorf("bad input changed B's credit: %s, was %s", got, creditB)
	}

	// A wrong passphrase stops a carrier at start with a clear error.
	bad := filepath.Join(t.TempDir(), "wrong")
	if err := os.WriteFile(bad, []byte("not the passphrase"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin("carrier"), append(daemonArgs("carrier", agent, "org-c",
		"--log-format", "console", "--data-dir", t.TempDir(), "--keystore", ksB, "--passphrase-file", bad), staticChainArgs(e)...)...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "wrong passphrase") || strings.Contains(string(out), "not the passphrase") {
		t.Errorf("carrier with a wrong passphrase: %v\n%s", err, out)
	}

	// The CLI's read commands work against the running carriers.
	for _, args := range [][]string{{"settlements"}, {"orders", "list", "--role", "seller"}, {"providers"}, {"txs", "--prefix", "settle"}, {"chain"}} {
		out, err := exec.Command(bin("carrier"), append(args, "--carrier-url", a.url(), "--api-token-file", tokA)...).CombinedOutput()
		if err != nil || !json.Valid(out) {
			t.Errorf("carrier %v: %v\n%s", args, err, out)
		}
	}
	var settlements struct {
		Earned  amount
		Batches []struct{ Settled int }
	}
	ca.must("GET", "settlements", nil, &settlements)
	if settlements.Earned.big(t).Cmp(new(big.Int).Add(escrow, paid)) != 0 || len(settlements.Batches) != 1 || settlements.Batches[0].Settled != 1 {
		t.Errorf("settlements = %+v", settlements)
	}
}
