package e2e

import (
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	consulapi "github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/test/consultest"
)

// orderChange is the part of the carrier's answer to extend, close and
// manifest the test reads.
type orderChange struct {
	Kind        string    `json:"kind"`
	OrderID     uint64    `json:"orderId"`
	Operation   string    `json:"operation"`
	Intent      apiIntent `json:"intent"`
	AddedEscrow amount    `json:"addedEscrow"`
	End         uint64    `json:"end"`
	Paid        amount    `json:"paid"`
	Refund      amount    `json:"refund"`
	Manifest    *struct {
		Hash common.Hash `json:"hash"`
	} `json:"manifest"`
	Rollout *struct {
		GatewayBase, Phase, Error string
	} `json:"rollout"`
	Order *struct {
		apiOrder
		MaxEscrow       amount      `json:"maxEscrow"`
		ManifestHash    common.Hash `json:"manifestHash"`
		Extensions      int         `json:"extensions"`
		ManifestUpdates int         `json:"manifestUpdates"`
	} `json:"order"`
}

// TestChainOrderLife runs two carrier processes and a real gateway of the
// seller's provider on the devnet: org B buys from org A's provider, then
// with the CLI extends the order (again with the same operation: nothing
// sent), updates its manifest (mined; the carrier logs the org wallet in
// at the real gateway and sends the deploy, which this gateway without a
// cluster refuses: the CLI says the update is on chain but not rolled
// out), and org A closes it; both carriers show the closed order with its
// split, and the credits move to the base unit. Every refusal has its code
// and sends nothing.
func TestChainOrderLife(t *testing.T) {
	e := startDevnet(t)
	agent := consultest.Start(t)
	providerKey, sellerKey := e.key("provider-a"), e.key("provider-b")
	provider, walletA, walletB := crypto.PubkeyToAddress(providerKey.PublicKey), crypto.PubkeyToAddress(sellerKey.PublicKey), crypto.PubkeyToAddress(e.key("buyer-a").PublicKey)

	// Org A's gateway for the provider (no cluster: deployments answer 503).
	kv := agent.Client().KV()
	for k, v := range map[string]string{"chain-rpc": e.info.RPC.HTTP, "contracts/market": e.info.Contracts.Market.Hex()} {
		if _, err := kv.Put(&consulapi.KVPair{Key: "gridnode/org-a/settings/" + k, Value: []byte(v)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	gw := startDaemon(t, "gateway", append(daemonArgs("gateway", agent, "org-a"), append(gatewayKeystore(t, providerKey), "--owner", walletA.Hex())...)...) // the orders pay org A
	waitReady(t, gw)

	// Org A's wallet registers the provider (its owner: the orders' payee)
	// at the gateway's URL, with the provider key's proof.
	reg, err := registry.NewRegistry(e.info.Contracts.Registry, e.client)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(sellerKey, new(big.Int).SetUint64(e.info.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	opts.Context, opts.GasLimit = e.ctx, 1_000_000
	tx, err := reg.Register(opts, provider, gw.url(), "eu",
		registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30},
		testListingPrices.Registry(), providerProof(t, e, reg, providerKey, walletA))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Minute, "registration mined", func() bool {
		r, err := e.client.TransactionReceipt(e.ctx, tx.Hash())
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			t.Fatal(err)
		}
		if err == nil && r.Status != types.ReceiptStatusSuccessful {
			t.Fatal("registration reverted")
		}
		return err == nil
	})

	tokA, tokB := writeToken(t, 0o600), writeToken(t, 0o600)
	ksA, passA := e.keystoreOf("provider-b")
	ksB, passB := e.keystoreOf("buyer-a")
	a := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-a", append(append(
		[]string{"--api-token-file", tokA}, chainArgs(e, t.TempDir(), ksA, passA)...), staticChainArgs(e)...)...)...)
	b := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-b", append(append(
		[]string{"--api-token-file", tokB, "--manifest-allow-loopback", "--gateway-allow-loopback",
			"--scheduler-listings-file", e.signedListings("provider-a", walletA, testListingPrices)},
		chainArgs(e, t.TempDir(), ksB, passB)...), staticChainArgs(e)...)...)...)
	ca, cb := newAPIClient(t, a, tokA), newAPIClient(t, b, tokB)
	for _, c := range []*apiClient{ca, cb} {
		waitFor(t, time.Minute, "the carriers' mediators", func() bool {
			var s struct{ Running bool }
			c.must("GET", "chain", nil, &s)
			return s.Running
		})
	}
	// cli runs `carrier orders <verb> <flags> … <args>`.
	cli := func(d *daemon, tok, verb string, args ...string) (stdout, stderr string, err error) {
		cmd := exec.Command(bin("carrier"), append([]string{"orders", verb, "--carrier-url", d.url(), "--api-token-file", tok}, args...)...)
		var so, se strings.Builder
		cmd.Stdout, cmd.Stderr = &so, &se
		err = cmd.Run()
		return so.String(), se.String(), err
	}

	manifests := map[string][]byte{
		"/m1.yaml": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n"),
		"/m2.yaml": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\ndata: {v: \"2\"}\n"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(manifests[r.URL.Path]) }))
	t.Cleanup(srv.Close)

	// B deposits and orders 600 s.
	var op struct{ Intents []apiIntent }
	cb.must("POST", "credits/deposit", map[string]any{"amount": "100000000", "operation": "dep"}, &op)
	waitFor(t, time.Minute, "the deposit", func() bool {
		var st apiIntent
		cb.must("GET", "txs/"+op.Intents[1].Key, nil, &st)
		return st.State == "confirmed"
	})
	res := map[string]any{"cpuMillis": 1500, "memoryBytes": 3<<20 + 1, "storageBytes": 1 << 30}
	rate := big.NewInt(1500*3 + 4*2 + 1*5)
	mul := func(n uint64) *big.Int { return new(big.Int).Mul(rate, new(big.Int).SetUint64(n)) }
	var placed struct {
		MaxEscrow amount
		Order     *apiOrder
	}
	cb.must("POST", "orders", map[string]any{"resources": res, "duration": 600, "manifestUrl": srv.URL + "/m1.yaml", "provider": provider, "operation": "life"}, &placed)
	if placed.Order == nil || placed.MaxEscrow.big(t).Cmp(mul(600)) != 0 {
		t.Fatalf("order: %+v", placed)
	}
	id, start, end0 := placed.Order.ID, placed.Order.Start, placed.Order.End
	ids := strconv.FormatUint(id, 10)
	creditA0, creditB0 := e.credit(walletA), e.credit(walletB)

	// Extend by 5 minutes with the CLI, twice under one operation id.
	out, stderr, err := cli(b, tokB, "extend", "--wait", "--duration", "5m", "--operation", "ext-1", ids)
	if err != nil {
		t.Fatalf("carrier orders extend: %v\n%s\n%s", err, out, stderr)
	}
	var ext orderChange
	if err := json.Unmarshal([]byte(out), &ext); err != nil || ext.Intent.State != "confirmed" || ext.End != end0+300 ||
		ext.AddedEscrow.big(t).Cmp(mul(300)) != 0 || ext.Order == nil || ext.Order.Escrow.big(t).Cmp(mul(900)) != 0 || ext.Order.Extensions != 1 {
		t.Fatalf("extend answer %s: %v", out, err)
	}
	out, _, err = cli(b, tokB, "extend", "--duration", "5m", "--operation", "ext-1", ids)
	var again orderChange
	if err != nil || json.Unmarshal([]byte(out), &again) != nil || again.Intent.Hash == nil || *again.Intent.Hash != *ext.Intent.Hash {
		t.Fatalf("extend again: %v\n%s", err, out)
	}
	if v, err := e.market.GetOrder(&bind.CallOpts{Context: e.ctx}, new(big.Int).SetUint64(id)); err != nil || v.End != end0+300 || v.Escrow.Cmp(mul(900)) != 0 {
		t.Fatalf("on chain after two extend calls of one operation: %+v %v", v, err)
	}
	if got, want := e.credit(walletB), new(big.Int).Sub(creditB0, mul(300)); got.Cmp(want) != 0 {
		t.Errorf("B credit = %s, want %s", got, want)
	}

	// Update the manifest with the CLI: on chain, then to the gateway.
	hash2 := common.Hash(crypto.Keccak256(manifests["/m2.yaml"]))
	out, stderr, err = cli(b, tokB, "update-manifest", "--wait", "--manifest-url", srv.URL+"/m2.yaml", "--operation", "man-1", ids)
	var upd orderChange
	if jerr := json.Unmarshal([]byte(out), &upd); jerr != nil || upd.Manifest == nil || upd.Manifest.Hash != hash2 || upd.Order == nil ||
		upd.Order.ManifestHash != hash2 || upd.Rollout == nil {
		t.Fatalf("update answer %s (%v)", out, jerr)
	}
	if err == nil || !strings.Contains(stderr, "the manifest is updated on chain, but not rolled out to the gateway") ||
		!strings.Contains(upd.Rollout.Error, "deploy_unavailable") {
		t.Errorf("update-manifest at a gateway without a cluster: %v, rollout %+v\n%s", err, upd.Rollout, stderr)
	}
	t.Logf("update-manifest: %s", strings.TrimSpace(stderr))
	if v, err := e.market.GetOrder(&bind.CallOpts{Context: e.ctx}, new(big.Int).SetUint64(id)); err != nil || common.Hash(v.ManifestHash) != hash2 {
		t.Fatalf("on chain manifest: %+v %v", v, err)
	}
	if !strings.Contains(b.log(), "rolling the updated manifest out failed") || strings.Contains(b.log(), `"token"`) {
		t.Errorf("carrier B's log lacks the rollout failure, or has a token")
	}

	// Refusals, each with its code; nothing sent.
	var before []apiIntent
	cb.must("GET", "txs?limit=1000", nil, &before)
	var beforeA []apiIntent
	ca.must("GET", "txs?limit=1000", nil, &beforeA)
	for _, tc := range []struct {
		name   string
		c      *apiClient
		path   string
		body   any
		status int
		code   string
	}{
		{"buyer closes", cb, "orders/" + ids + "/close", nil, 400, "not_payee"},
		{"seller extends", ca, "orders/" + ids + "/extend", map[string]any{"duration": 60}, 400, "not_buyer"},
		{"seller updates", ca, "orders/" + ids + "/manifest", map[string]any{"manifestUrl": srv.URL + "/m1.yaml"}, 400, "not_buyer"},
		{"same manifest", cb, "orders/" + ids + "/manifest", map[string]any{"manifestUrl": srv.URL + "/m2.yaml"}, 400, "same_manifest"},
		{"private manifest", cb, "orders/" + ids + "/manifest", map[string]any{"manifestUrl": "http://192.168.10.10/m.yaml"}, 400, "bad_request"},
		{"no manifest", cb, "orders/" + ids + "/manifest", map[string]any{}, 400, "bad_request"},
		{"extend by nothing", cb, "orders/" + ids + "/extend", map[string]any{"duration": 0}, 400, "bad_request"},
		{"extend beyond the credit", cb, "orders/" + ids + "/extend", map[string]any{"duration": 300 * 24 * 3600}, 400, "insufficient_credits"},
		{"extend, other duration, same operation", cb, "orders/" + ids + "/extend", map[string]any{"duration": 60, "operation": "ext-1"}, 400, "bad_request"},
		{"extend unknown order", cb, "orders/999999/extend", map[string]any{"duration": 60}, 404, "not_found"},
		{"close unknown order", ca, "orders/999999/close", nil, 404, "not_found"},
		{"extend bad id", cb, "orders/x/extend", map[string]any{"duration": 60}, 400, "bad_request"},
		{"extend unknown field", cb, "orders/" + ids + "/extend", map[string]any{"duration": 60, "colour": "red"}, 400, "bad_request"},
		{"extend not json", cb, "orders/" + ids + "/extend", "{", 400, "bad_request"},
		{"extend oversized", cb, "orders/" + ids + "/extend", map[string]any{"duration": 60, "operation": strings.Repeat("x", 2<<20)}, 413, "too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, ecode := tc.c.do("POST", tc.path, tc.body, nil)
			if code != tc.status || ecode != tc.code {
				t.Errorf("POST %s = %d %s, want %d %s", tc.path, code, ecode, tc.status, tc.code)
			}
		})
	}

	// A closes it with the CLI: paid for the seconds served.
	out, stderr, err = cli(a, tokA, "close", "--wait", ids)
	if err != nil {
		t.Fatalf("carrier orders close: %v\n%s\n%s", err, out, stderr)
	}
	var cl orderChange
	if err := json.Unmarshal([]byte(out), &cl); err != nil || cl.Intent.Block == 0 || cl.Order == nil || cl.Order.State != "closed" {
		t.Fatalf("close answer %s: %v", out, err)
	}
	head, err := e.client.HeaderByNumber(e.ctx, new(big.Int).SetUint64(cl.Intent.Block))
	if err != nil {
		t.Fatal(err)
	}
	paid := mul(head.Time - start)
	refund := new(big.Int).Sub(mul(900), paid)
	t.Logf("closed after %d s of 900: paid %s, refunded %s", head.Time-start, paid, refund)
	if cl.Paid.big(t).Cmp(paid) != 0 || cl.Refund.big(t).Cmp(refund) != 0 {
		t.Errorf("close split %s / %s, want %s / %s", cl.Paid, cl.Refund, paid, refund)
	}
	if got, want := e.credit(walletA), new(big.Int).Add(creditA0, paid); got.Cmp(want) != 0 {
		t.Errorf("A credit = %s, want %s", got, want)
	}
	if got, want := e.credit(walletB), new(big.Int).Add(new(big.Int).Sub(creditB0, mul(300)), refund); got.Cmp(want) != 0 {
		t.Errorf("B credit = %s, want %s", got, want)
	}
	for name, c := range map[string]*apiClient{"A": ca, "B": cb} {
		var o struct {
			apiOrder
			MaxEscrow       *string     `json:"maxEscrow"`
			ManifestHash    common.Hash `json:"manifestHash"`
			Extensions      int         `json:"extensions"`
			ManifestUpdates int         `json:"manifestUpdates"`
			Closed          string      `json:"closed"`
		}
		waitFor(t, time.Minute, name+" sees the close", func() bool {
			code, _ := c.do("GET", "orders/"+ids, nil, &o)
			return code == http.StatusOK && o.State == "closed"
		})
		if o.Closed != "closed" || o.Paid.big(t).Cmp(paid) != 0 || o.Refund.big(t).Cmp(refund) != 0 || o.End != end0+300 ||
			o.Escrow.big(t).Cmp(mul(900)) != 0 || o.ManifestHash != hash2 || o.Extensions != 1 || o.ManifestUpdates != 1 {
			t.Errorf("%s's order = %+v", name, o)
		}
		if (name == "B") != (o.MaxEscrow != nil) {
			t.Errorf("%s's order max escrow %v: only the buyer's carrier knows it", name, o.MaxEscrow)
		}
	}
	var s struct {
		Earned amount
		Due    []uint64
		Orders map[string]int
	}
	ca.must("GET", "settlements", nil, &s)
	if s.Earned.big(t).Cmp(paid) != 0 || len(s.Due) != 0 || s.Orders["closed"] != 1 {
		t.Errorf("A settlements = %+v", s)
	}

	// After the close: refused with order_closed, by the CLI too.
	for _, tc := range []struct{ path, code string }{{"extend", "order_closed"}, {"manifest", "order_closed"}, {"close", ""}} {
		var body any
		switch tc.path {
		case "extend":
			body = map[string]any{"duration": 60, "operation": "ext-2"}
		case "manifest":
			body = map[string]any{"manifestUrl": srv.URL + "/m1.yaml", "operation": "man-2"}
		}
		c := cb
		if tc.path == "close" {
			c = ca // the same close again: its intent, nothing new
		}
		code, ecode := c.do("POST", "orders/"+ids+"/"+tc.path, body, nil)
		if (tc.code == "" && code != 200) || (tc.code != "" && (code != 409 || ecode != tc.code)) {
			t.Errorf("%s after the close: %d %s, want %s", tc.path, code, ecode, tc.code)
		}
	}
	if out, stderr, err := cli(b, tokB, "extend", "--duration", "1m", ids); err == nil || !strings.Contains(stderr, "order "+ids+" is closed") {
		t.Errorf("CLI extend after the close: %v\n%s%s", err, out, stderr)
	}
	var after []apiIntent
	cb.must("GET", "txs?limit=1000", nil, &after)
	var afterA []apiIntent
	ca.must("GET", "txs?limit=1000", nil, &afterA)
	if len(after) != len(before) || len(afterA) != len(beforeA)+1 { // A: the close only
		t.Errorf("refusals journaled intents: B %d → %d, A %d → %d", len(before), len(after), len(beforeA), len(afterA))
	}
}
