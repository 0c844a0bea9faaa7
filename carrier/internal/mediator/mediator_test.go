package mediator

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// staticGateways is a fixed set of gateway instances.
type staticGateways []consul.Instance

func (g staticGateways) Subscribe() (<-chan []consul.Instance, func()) {
	ch := make(chan []consul.Instance, 1)
	ch <- g
	return ch, func() {}
}

type env struct {
	t      *testing.T
	ctx    context.Context
	info   devinfo.Info
	client *ethclient.Client
	market *marketbind.MarketCaller
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang guard, not a timing assertion
	t.Cleanup(cancel)
	cfg := devchain.Defaults()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Period = "127.0.0.1:0", "", time.Second
	d, err := devchain.New(cfg, zaptest.NewLogger(t).Named("chain"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Start(ctx); err != nil {
		t.Fatal(err)
	}
	info := d.Info()
	c, err := ethclient.DialContext(ctx, info.RPC.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	mc, err := marketbind.NewMarketCaller(info.Contracts.Market, c)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: ctx, info: info, client: c, market: mc}
}

func (e *env) key(name string) *ecdsa.PrivateKey {
	acc, ok := e.info.Account(name)
	if !ok {
		e.t.Fatalf("no dev account %s", name)
	}
	k, err := acc.Key()
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

// wallet imports dev account name into a keystore.
func (e *env) wallet(name string) *wallet.Wallet {
	e.t.Helper()
	dir := e.t.TempDir()
	acc, _ := e.info.Account(name)
	keyFile := filepath.Join(dir, "key.hex")
	passFile := filepath.Join(dir, "pass")
	if err := os.WriteFile(keyFile, []byte(acc.PrivateKey), 0o600); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(passFile, []byte("test passphrase"), 0o600); err != nil {
		e.t.Fatal(err)
	}
	w, err := wallet.Import(wallet.Options{KeystorePath: filepath.Join(dir, "org.json"), PassphraseFile: passFile, LightScrypt: true}, keyFile)
	if err != nil {
		e.t.Fatal(err)
	}
	return w
}

var testPrices = market.Prices{CPUMilli: big.NewInt(3), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(5), GPU: big.NewInt(0)}

var testCapacity = market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30}

// mediator starts a mediator for wallet w until the test ends.
func (e *env) mediator(w *wallet.Wallet, mod func(*Config, *Options)) *Mediator {
	e.t.Helper()
	dir := e.t.TempDir()
	cfg := Defaults()
	cfg.Org = "org-test"
	cfg.StatePath = filepath.Join(dir, "state.db")
	cfg.Tx.Path = filepath.Join(dir, "journal.db")
	cfg.Tx.Confirmations = 1
	cfg.Tx.PollInterval = 50 * time.Millisecond
	cfg.PollInterval = 100 * time.Millisecond
	cfg.SettleWindow = 500 * time.Millisecond
	cfg.ClockSlack = 2 * time.Second
	cfg.FromBlock = e.info.DeployBlock
	f, err := manifest.New(manifest.Options{MaxBytes: 4096, Timeout: 5 * time.Second, MaxRedirects: 2, AllowLoopback: true})
	if err != nil {
		e.t.Fatal(err)
	}
	opts := Options{Chain: e.client, Signer: w, Contracts: Contracts(e.info.Contracts), Manifests: f, Log: zaptest.NewLogger(e.t)}
	if mod != nil {
		mod(&cfg, &opts)
	}
	m, err := New(e.ctx, cfg, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
		_ = m.Close()
	})
	return m
}

// postProof hands m the proof of possession of key's provider naming
// owner (what the provider's gateway posts), with the current nonce.
func (e *env) postProof(m *Mediator, key *ecdsa.PrivateKey, owner common.Address) {
	e.t.Helper()
	provider := crypto.PubkeyToAddress(key.PublicKey)
	reg, err := registry.NewRegistryCaller(e.info.Contracts.Registry, e.client)
	if err != nil {
		e.t.Fatal(err)
	}
	n, err := reg.NonceOf(&bind.CallOpts{Context: e.ctx}, provider)
	if err != nil {
		e.t.Fatal(err)
	}
	id, err := e.client.ChainID(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := regproof.NewSigned(regproof.Registration{ChainID: id, Registry: e.info.Contracts.Registry, Provider: provider, Owner: owner,
		Nonce: n, Deadline: uint64(time.Now().Add(time.Hour).Unix())}, regproof.KeySigner{Key: key})
	if err != nil {
		e.t.Fatal(err)
	}
	raw, err := json.Marshal(s)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := m.PostProof(e.ctx, provider, raw); err != nil {
		e.t.Fatalf("posting the proof: %v", err)
	}
}

// eventually polls cond until it holds (a hang guard of a minute, not a
// timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signedListing is key's provider's listing at prices, naming owner.
func signedListing(t *testing.T, key *ecdsa.PrivateKey, owner common.Address, prices market.Prices) (*listing.Record, []byte) {
	t.Helper()
	now := time.Now().Unix()
	r := &listing.Record{
		Version: listing.Version2, Provider: crypto.PubkeyToAddress(key.PublicKey), Owner: owner, Org: "org-a",
		GatewayURL: "https://via.org-a.example/gw/x",
		Capacity:   listing.Capacity{Total: testCapacity, Free: testCapacity},
		Prices:     prices, Region: "eu", Labels: map[string]string{"tier": "gold"},
		Seq: 1, IssuedAt: now, Expires: now + 3600,
	}
	if err := listing.Sign(r, key); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, raw
}

func (e *env) credit(a common.Address) *big.Int {
	e.t.Helper()
	c, err := e.market.CreditOf(&bind.CallOpts{Context: e.ctx}, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// TestTwoOrgs: org A sells (registers its provider, settles), org B buys
// (deposits, matches, orders, cancels); balances to the base unit.
func TestTwoOrgs(t *testing.T) {
	e := newEnv(t)
	providerKey := e.key("provider-a")
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)

	walletA := e.wallet("provider-b")
	a := e.mediator(walletA, func(c *Config, o *Options) {
		c.Registration = Registration{GatewayBase: "https://via.org-a.example/", Region: "eu", Capacity: testCapacity, Prices: testPrices}
		o.Gateways = staticGateways{{ID: "gw-1", Meta: map[string]string{"org": "org-test", "provider": provider.Hex()}}}
	})
	e.postProof(a, providerKey, walletA.Address())
	eventually(t, "provider registered", func() bool {
		ps, err := a.Providers(e.ctx)
		return err == nil && len(ps) == 1 && ps[0].State == ProviderRegistered
	})
	ps, _ := a.Providers(e.ctx)
	if want := "https://via.org-a.example/gw/" + providerHex(provider); ps[0].URL != want || ps[0].OnChain.URL != want {
		t.Errorf("provider URL = %q on chain %q, want %q", ps[0].URL, ps[0].OnChain.URL, want)
	}

	dir, err := directory.Open(filepath.Join(t.TempDir(), "dir.db"), zaptest.NewLogger(t), directory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dir.Close() })
	rec, raw := signedListing(t, providerKey, walletA.Address(), testPrices)
	if _, err := dir.Put(rec, raw); err != nil {
		t.Fatal(err)
	}
	walletB := e.wallet("buyer-a")
	b := e.mediator(walletB, func(_ *Config, o *Options) { o.Scheduler = scheduler.New(dir) })

	manifestBody := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(manifestBody) }))
	t.Cleanup(srv.Close)

	// Deposit.
	deposit := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	creditB0, creditA0 := e.credit(walletB.Address()), e.credit(walletA.Address())
	op, err := b.Deposit(e.ctx, "dep-1", deposit)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range op.Intents {
		if _, err := b.Txs().Wait(e.ctx, st.Key, func(s txmgr.Status) { t.Log(s.String()) }); err != nil {
			t.Fatalf("%s: %v", st.Key, err)
		}
	}
	if got, want := e.credit(walletB.Address()), new(big.Int).Add(creditB0, deposit); got.Cmp(want) != 0 {
		t.Fatalf("credit after deposit = %s, want %s", got, want)
	}
	// The same operation id again sends nothing new.
	if again, err := b.Deposit(e.ctx, "dep-1", deposit); err != nil || len(again.Intents) != 2 || *again.Intents[0].Hash != *op.Intents[0].Hash {
		t.Fatalf("repeated deposit: %+v %v", again, err)
	}

	// Match and order, 4 s.
	res := market.Resources{CPUMillis: 1500, MemoryBytes: 3<<20 + 1, StorageBytes: 1 << 30}
	matched, err := b.Match(scheduler.Request{Resources: res, Duration: 4, Labels: map[string]string{"tier": "gold"}})
	if err != nil || len(matched.Candidates) != 1 || matched.Candidates[0].Provider != provider {
		t.Fatalf("match = %+v, %v", matched, err)
	}
	rate := big.NewInt(1500*3 + 4*2 + 1*5) // memory rounds up to 4 MiB
	if want := new(big.Int).Mul(rate, big.NewInt(4)); matched.Candidates[0].Cost.Cmp(want) != 0 {
		t.Errorf("match cost = %s, want %s", matched.Candidates[0].Cost, want)
	}
	pl, err := b.CreateOrder(e.ctx, OrderRequest{Op: "o-1", Resources: res, Duration: 4, ManifestURL: srv.URL + "/m.yaml", Labels: map[string]string{"tier": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Order == nil {
		t.Fatalf("order not mined: %+v", pl)
	}
	escrow := new(big.Int).Mul(rate, big.NewInt(4))
	if pl.Order.Escrow.Cmp(escrow) != 0 || pl.Order.ManifestHash != common.Hash(crypto.Keccak256(manifestBody)) {
		t.Errorf("order = %+v, want escrow %s and the manifest's hash", pl.Order, escrow)
	}
	id := pl.Order.ID.Uint64()

	// A settles it after its end: paid in full, nothing refunded.
	eventually(t, "order settled by A", func() bool {
		o, err := a.Order(id)
		return err == nil && o.State == carrierapi.OrderSettled
	})
	o, _ := a.Order(id)
	if o.Paid.Cmp(escrow) != 0 || o.Refund.Sign() != 0 {
		t.Errorf("settled: paid %s refund %s, want %s and 0", o.Paid, o.Refund, escrow)
	}
	if got, want := e.credit(walletA.Address()), new(big.Int).Add(creditA0, escrow); got.Cmp(want) != 0 {
		t.Errorf("A credit = %s, want %s", got, want)
	}
	creditB1 := new(big.Int).Sub(new(big.Int).Add(creditB0, deposit), escrow)
	if got := e.credit(walletB.Address()); got.Cmp(creditB1) != 0 {
		t.Errorf("B credit = %s, want %s", got, creditB1)
	}
	eventually(t, "B sees the order settled", func() bool {
		o, err := b.Order(id)
		return err == nil && o.State == carrierapi.OrderSettled && o.Role == "buyer"
	})

	// Cancel mid-way: A is paid for the seconds used, B refunded the rest.
	pl, err = b.CreateOrder(e.ctx, OrderRequest{Op: "o-2", Resources: res, Duration: 600, ManifestURL: srv.URL + "/m.yaml", Provider: &provider})
	if err != nil || pl.Order == nil {
		t.Fatalf("second order: %+v %v", pl, err)
	}
	id2, start := pl.Order.ID.Uint64(), uint64(pl.Order.Start.Unix())
	time.Sleep(2 * time.Second)
	st, err := b.CancelOrder(e.ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	st, err = b.Txs().Wait(e.ctx, st.Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := e.client.HeaderByNumber(e.ctx, new(big.Int).SetUint64(st.Block))
	if err != nil {
		t.Fatal(err)
	}
	escrow2 := new(big.Int).Mul(rate, big.NewInt(600))
	paid := new(big.Int).Mul(rate, new(big.Int).SetUint64(blk.Time-start))
	t.Logf("cancelled after %d s: paid %s of %s", blk.Time-start, paid, escrow2)
	eventually(t, "A sees the cancel", func() bool {
		o, err := a.Order(id2)
		return err == nil && o.State == carrierapi.OrderCancelled
	})
	o, _ = a.Order(id2)
	if o.Paid.Cmp(paid) != 0 || new(big.Int).Add(o.Paid, o.Refund).Cmp(escrow2) != 0 {
		t.Errorf("cancelled: paid %s refund %s, want paid %s of %s", o.Paid, o.Refund, paid, escrow2)
	}
	if got, want := e.credit(walletA.Address()), new(big.Int).Add(new(big.Int).Add(creditA0, escrow), paid); got.Cmp(want) != 0 {
		t.Errorf("A credit = %s, want %s", got, want)
	}
	if got, want := e.credit(walletB.Address()), new(big.Int).Sub(creditB1, paid); got.Cmp(want) != 0 {
		t.Errorf("B credit = %s, want %s", got, want)
	}
	s, err := a.Settlements(0)
	if err != nil || s.Earned.Big().Cmp(new(big.Int).Add(escrow, paid)) != 0 {
		t.Errorf("settlements = %+v, %v", s, err)
	}

	// Withdraw.
	wop, err := b.Withdraw(e.ctx, "w-1", big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Txs().Wait(e.ctx, wop.Intents[0].Key, nil); err != nil {
		t.Fatal(err)
	}

	// Bad input changes nothing; buyer C has no credit.
	walletC := e.wallet("buyer-b")
	c := e.mediator(walletC, func(_ *Config, o *Options) { o.Scheduler = scheduler.New(dir) })
	creditB, creditC := e.credit(walletB.Address()), e.credit(walletC.Address())
	for name, tc := range map[string]struct {
		req  OrderRequest
		want error
	}{
		"unknown provider":     {OrderRequest{Resources: res, Duration: 4, ManifestURL: srv.URL, Provider: &common.Address{1}}, ErrUnknownProvider},
		"insufficient credits": {OrderRequest{Resources: res, Duration: 4, ManifestURL: srv.URL}, ErrInsufficientCredits},
		"zero duration":        {OrderRequest{Resources: res, ManifestURL: srv.URL}, ErrBadInput},
		"zero price":           {OrderRequest{Resources: res, Duration: 4, MaxPrice: new(big.Int), ManifestURL: srv.URL}, ErrBadInput},
		"price below cost":     {OrderRequest{Resources: res, Duration: 4, MaxPrice: big.NewInt(1), ManifestURL: srv.URL}, ErrBadInput},
		"private manifest":     {OrderRequest{Resources: res, Duration: 4, ManifestURL: "http://10.0.0.1/m.yaml"}, ErrBadInput},
		"no manifest":          {OrderRequest{Resources: res, Duration: 4}, ErrBadInput},
	} {
		if _, err := c.CreateOrder(e.ctx, tc.req); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := b.Withdraw(e.ctx, "", new(big.Int).Add(creditB, big.NewInt(1))); !errors.Is(err, ErrInsufficientCredits) {
		t.Errorf("over-withdraw: %v", err)
	}
	if got := e.credit(walletB.Address()); got.Cmp(creditB) != 0 {
		t.Errorf("credit changed by bad input: %s, was %s", got, creditB)
	}
	if got := e.credit(walletC.Address()); got.Cmp(creditC) != 0 {
		t.Errorf("credit changed by bad input: %s, was %s", got, creditC)
	}
	if txs, err := c.Txs().List(txmgr.ListOptions{}); err != nil || len(txs) != 0 {
		t.Errorf("bad input journaled intents: %v %v", txs, err)
	}

	// Deregistration on request only.
	if _, err := a.Deregister(e.ctx, provider); err != nil {
		t.Fatal(err)
	}
	eventually(t, "provider deregistered", func() bool {
		ps, err := a.Providers(e.ctx)
		return err == nil && len(ps) == 1 && ps[0].State == ProviderDeregistered
	})
}

func providerHex(a common.Address) string { return string(toLower(a.Hex())) }

func toLower(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}
