package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
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

const proofTestToken = "proof-test-token-0123456789abcdef0123456789"

// proofEnv is a mediator on the dev chain with registration on, behind the
// chain subsystem's API routes.
type proofEnv struct {
	t      *testing.T
	ctx    context.Context
	chain  *devchaintest.Chain
	wallet *wallet.Wallet
	m      *mediator.Mediator
	api    *carrierapi.Client
	reg    *registry.RegistryCaller
}

func importWallet(t *testing.T, c *devchaintest.Chain, name string) *wallet.Wallet {
	t.Helper()
	acc, ok := c.Info.Account(name)
	if !ok {
		t.Fatalf("no dev account %s", name)
	}
	dir := t.TempDir()
	keyFile, passFile := filepath.Join(dir, "key.hex"), filepath.Join(dir, "pass")
	if err := os.WriteFile(keyFile, []byte(acc.PrivateKey), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(passFile, []byte("proof test passphrase"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Import(wallet.Options{KeystorePath: filepath.Join(dir, "org.json"), PassphraseFile: passFile, LightScrypt: true}, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newProofEnv(t *testing.T, providers ...common.Address) *proofEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang guard, not a timing assertion
	t.Cleanup(cancel)
	c := devchaintest.Start(t)
	w := importWallet(t, c, "provider-b")
	dir := t.TempDir()
	cfg := mediator.Defaults()
	cfg.Org = "org-proof"
	cfg.StatePath, cfg.Tx.Path = filepath.Join(dir, "state.db"), filepath.Join(dir, "journal.db")
	cfg.Tx.Confirmations, cfg.Tx.PollInterval = 1, 50*time.Millisecond
	cfg.PollInterval, cfg.ClockSlack = 100*time.Millisecond, 2*time.Second
	cfg.Registration = mediator.Registration{GatewayBase: "https://via.org-proof.example/", Region: "eu",
		Capacity: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30},
		Prices:   market.Prices{CPUMilli: big.NewInt(3), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(5), GPU: big.NewInt(0)}}
	var gws staticGateways
	for i, p := range providers {
		gws = append(gws, consul.Instance{ID: "gw-" + string(rune('a'+i)), Meta: map[string]string{"org": cfg.Org, "provider": p.Hex()}})
	}
	log := zaptest.NewLogger(t)
	m, err := mediator.New(ctx, cfg, mediator.Options{Chain: c.Client(), Signer: w, Contracts: mediator.Contracts(c.Info.Contracts),
		Gateways: gws, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("mediator Run: %v", err)
		}
		_ = m.Close()
	})
	cs := &Chain{log: log}
	cs.cur.Store(&running{m: m})
	mux := http.NewServeMux()
	cs.Register(mux, api.NewServer(proofTestToken, log))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	reg, err := registry.NewRegistryCaller(c.Reg, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	return &proofEnv{t: t, ctx: ctx, chain: c, wallet: w, m: m, api: &carrierapi.Client{BaseURL: srv.URL, Token: proofTestToken}, reg: reg}
}

// registration is the consent of key's provider to the env's wallet with
// its current nonce, good for an hour.
func (e *proofEnv) registration(key *ecdsa.PrivateKey) regproof.Registration {
	e.t.Helper()
	p := crypto.PubkeyToAddress(key.PublicKey)
	n, err := e.reg.NonceOf(&bind.CallOpts{Context: e.ctx}, p)
	if err != nil {
		e.t.Fatal(err)
	}
	return regproof.Registration{ChainID: e.chain.ID, Registry: e.chain.Reg, Provider: p, Owner: e.wallet.Address(), Nonce: n,
		Deadline: uint64(time.Now().Add(time.Hour).Unix())}
}

// signed is r signed with key, as JSON.
func (e *proofEnv) signed(r regproof.Registration, key *ecdsa.PrivateKey) []byte {
	e.t.Helper()
	s, err := regproof.NewSigned(r, regproof.KeySigner{Key: key})
	if err != nil {
		e.t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// post posts body to provider p's proof route and returns the status and
// the error code ("" for a 200).
func (e *proofEnv) post(p string, body []byte, token string) (int, string) {
	e.t.Helper()
	cl := *e.api
	cl.Token = token
	resp, err := cl.Raw(e.ctx, "POST", "providers/"+p+"/proof", nil, body, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if err := resp.Err(); err != nil {
		return resp.Status, err.(*carrierapi.Error).Code
	}
	return resp.Status, ""
}

func (e *proofEnv) provider(p common.Address) carrierapi.ProviderInfo {
	e.t.Helper()
	var ps []carrierapi.ProviderInfo
	if err := e.api.Do(e.ctx, "GET", "providers", nil, &ps); err != nil {
		e.t.Fatal(err)
	}
	for _, info := range ps {
		if info.Provider == p {
			return info
		}
	}
	return carrierapi.ProviderInfo{}
}

func (e *proofEnv) waitProvider(p common.Address, what string, ok func(carrierapi.ProviderInfo) bool) carrierapi.ProviderInfo {
	e.t.Helper()
	deadline := time.Now().Add(time.Minute) // a hang guard, not a timing assertion
	for {
		info := e.provider(p)
		if ok(info) {
			return info
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s: %+v", what, info)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestProviderProof: on the dev chain, a provider with a gateway but no
// proof waits (state unregistered, the Problem naming the wallet the
// gateway's --owner must be); every bad proof is refused with its code
// and changes nothing; a good one registers the provider to the wallet;
// posting it again is a refused replay.
func TestProviderProof(t *testing.T) {
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	provider, otherAddr := crypto.PubkeyToAddress(key.PublicKey), crypto.PubkeyToAddress(other.PublicKey)
	e := newProofEnv(t, provider, otherAddr)
	waiting := "waiting for the gateway's proof of possession (gateway --owner must be " + e.wallet.Address().Hex() + ")"
	for _, p := range []common.Address{provider, otherAddr} {
		e.waitProvider(p, "the waiting state", func(i carrierapi.ProviderInfo) bool {
			return i.State == mediator.ProviderUnregistered && i.Problem == waiting
		})
	}

	good := e.registration(key)
	mod := func(f func(*regproof.Registration)) regproof.Registration {
		r := good
		f(&r)
		return r
	}
	valid := e.signed(good, key)
	var asMap map[string]any
	if err := json.Unmarshal(valid, &asMap); err != nil {
		t.Fatal(err)
	}
	withField := func(k string, v any) []byte {
		m := map[string]any{}
		for kk, vv := range asMap {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return b
	}
	p := provider.Hex()
	for _, tc := range []struct {
		name   string
		path   string
		body   []byte
		token  string
		status int
		code   string
	}{
		{"no token", p, valid, "", 401, ""},
		{"wrong token", p, valid, strings.Repeat("x", len(proofTestToken)), 401, ""},
		{"bad path", "0x123", valid, proofTestToken, 400, "bad_request"},
		{"not JSON", p, []byte("{"), proofTestToken, 400, mediator.ProofMalformed},
		{"an array", p, []byte("[]"), proofTestToken, 400, mediator.ProofMalformed},
		{"no signature", p, withField("signature", nil), proofTestToken, 400, mediator.ProofMalformed},
		{"short signature", p, withField("signature", "0x1234"), proofTestToken, 400, mediator.ProofMalformed},
		{"no nonce", p, withField("nonce", nil), proofTestToken, 400, mediator.ProofMalformed},
		{"unknown field", p, withField("extra", 1), proofTestToken, 400, mediator.ProofMalformed},
		{"trailing data", p, append(append([]byte{}, valid...), []byte(" {}")...), proofTestToken, 400, mediator.ProofMalformed},
		{"oversized", p, append(append([]byte{}, valid...), bytes.Repeat([]byte(" "), regproof.MaxJSON)...), proofTestToken, 400, mediator.ProofTooLarge},
		{"another provider's path", otherAddr.Hex(), valid, proofTestToken, 400, mediator.ProofProviderMismatch},
		{"another owner", p, e.signed(mod(func(r *regproof.Registration) { r.Owner = otherAddr }), key), proofTestToken, 400, mediator.ProofOwnerMismatch},
		{"another chain", p, e.signed(mod(func(r *regproof.Registration) { r.ChainID = big.NewInt(1) }), key), proofTestToken, 400, mediator.ProofChainMismatch},
		{"another registry", p, e.signed(mod(func(r *regproof.Registration) { r.Registry = e.chain.Market }), key), proofTestToken, 400, mediator.ProofChainMismatch},
		{"expired", p, e.signed(mod(func(r *regproof.Registration) { r.Deadline = uint64(time.Now().Unix() - 1) }), key), proofTestToken, 400, mediator.ProofExpired},
		{"within the margin", p, e.signed(mod(func(r *regproof.Registration) {
			r.Deadline = uint64(time.Now().Add(mediator.ProofMargin / 2).Unix())
		}), key), proofTestToken, 400, mediator.ProofExpired},
		{"signed by another key", p, e.signed(good, other), proofTestToken, 400, mediator.ProofBadSignature},
		{"tampered deadline", p, withField("deadline", good.Deadline+1), proofTestToken, 400, mediator.ProofBadSignature},
		{"a future nonce", p, e.signed(mod(func(r *regproof.Registration) { r.Nonce = big.NewInt(1) }), key), proofTestToken, 400, mediator.ProofNonceAhead},
	} {
		if status, code := e.post(tc.path, tc.body, tc.token); status != tc.status || tc.code != "" && code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, status, code, tc.status, tc.code)
		}
	}
	if info := e.provider(provider); info.State != mediator.ProviderUnregistered || info.Problem != waiting {
		t.Fatalf("after refused proofs: %+v", info)
	}

	if status, code := e.post(p, valid, proofTestToken); status != 200 {
		t.Fatalf("good proof: %d %s", status, code)
	}
	info := e.waitProvider(provider, "registration", func(i carrierapi.ProviderInfo) bool { return i.State == mediator.ProviderRegistered })
	if info.Owner == nil || *info.Owner != e.wallet.Address() || info.Problem != "" {
		t.Fatalf("registered: %+v", info)
	}
	owner, err := e.reg.OwnerOf(&bind.CallOpts{Context: e.ctx}, provider)
	if err != nil || owner != e.wallet.Address() {
		t.Fatalf("Registry.ownerOf = %s, %v; want %s", owner.Hex(), err, e.wallet.Address().Hex())
	}
	// The proof is spent: the same again is a replay.
	if status, code := e.post(p, valid, proofTestToken); status != 400 || code != mediator.ProofNonceUsed {
		t.Fatalf("replayed proof: %d %s, want 400 %s", status, code, mediator.ProofNonceUsed)
	}
	// The provider without a proof still waits.
	if info := e.provider(otherAddr); info.State != mediator.ProviderUnregistered || info.Problem != waiting {
		t.Fatalf("provider without a proof: %+v", info)
	}
}

// TestProviderTransfer: a registered provider moves to another wallet with
// the provider key's proof naming it, once (the same request again shows
// the same intent); wrong requests are refused with clear codes.
func TestProviderTransfer(t *testing.T) {
	key, _ := crypto.GenerateKey()
	unreg, _ := crypto.GenerateKey()
	provider, unregAddr := crypto.PubkeyToAddress(key.PublicKey), crypto.PubkeyToAddress(unreg.PublicKey)
	e := newProofEnv(t, provider)
	if status, code := e.post(provider.Hex(), e.signed(e.registration(key), key), proofTestToken); status != 200 {
		t.Fatalf("proof: %d %s", status, code)
	}
	e.waitProvider(provider, "registration", func(i carrierapi.ProviderInfo) bool { return i.State == mediator.ProviderRegistered })

	newOwner := devchaintest.Address(e.chain.Buyers[0])
	forNew := func(k *ecdsa.PrivateKey, owner common.Address) json.RawMessage {
		r := e.registration(k)
		r.Owner = owner
		return e.signed(r, k)
	}
	transfer := func(p common.Address, req carrierapi.TransferRequest) (int, string, txmgr.Status) {
		t.Helper()
		body, _ := json.Marshal(req)
		resp, err := e.api.Raw(e.ctx, "POST", "providers/"+p.Hex()+"/transfer", nil, body, "")
		if err != nil {
			t.Fatal(err)
		}
		var st txmgr.Status
		if err := resp.Err(); err != nil {
			return resp.Status, err.(*carrierapi.Error).Code, st
		}
		if err := json.Unmarshal(resp.Body, &st); err != nil {
			t.Fatal(err)
		}
		return resp.Status, "", st
	}
	good := carrierapi.TransferRequest{To: newOwner, Proof: forNew(key, newOwner)}
	for _, tc := range []struct {
		name string
		p    common.Address
		req  carrierapi.TransferRequest
		code string
	}{
		{"to itself", provider, carrierapi.TransferRequest{To: e.wallet.Address(), Proof: forNew(key, e.wallet.Address())}, "bad_request"},
		{"no proof", provider, carrierapi.TransferRequest{To: newOwner}, "bad_request"},
		{"proof for another owner", provider, carrierapi.TransferRequest{To: newOwner, Proof: forNew(key, unregAddr)}, mediator.ProofOwnerMismatch},
		{"proof of another provider", provider, carrierapi.TransferRequest{To: newOwner, Proof: forNew(unreg, newOwner)}, mediator.ProofProviderMismatch},
		{"not registered", unregAddr, carrierapi.TransferRequest{To: newOwner, Proof: forNew(unreg, newOwner)}, "unknown_provider"},
		{"malformed proof", provider, carrierapi.TransferRequest{To: newOwner, Proof: json.RawMessage(`{"x":1}`)}, mediator.ProofMalformed},
	} {
		if status, code, _ := transfer(tc.p, tc.req); status != 400 || code != tc.code {
			t.Errorf("%s: %d %s, want 400 %s", tc.name, status, code, tc.code)
		}
	}

	status, code, st := transfer(provider, good)
	if status != 200 {
		t.Fatalf("transfer: %d %s", status, code)
	}
	final, err := e.m.Txs().Wait(e.ctx, st.Key, nil)
	if err != nil || final.State != txmgr.StateConfirmed {
		t.Fatalf("transfer intent %s: %+v %v", st.Key, final, err)
	}
	if owner, err := e.reg.OwnerOf(&bind.CallOpts{Context: e.ctx}, provider); err != nil || owner != newOwner {
		t.Fatalf("owner after transfer %s, %v; want %s", owner.Hex(), err, newOwner.Hex())
	}
	// The same request again: the same intent, nothing new sent.
	if status, _, again := transfer(provider, good); status != 200 || again.Key != st.Key || again.Hash == nil || *again.Hash != *final.Hash {
		t.Fatalf("repeated transfer: %d %+v, want intent %s", status, again, st.Key)
	}
	info := e.waitProvider(provider, "taken", func(i carrierapi.ProviderInfo) bool { return i.State == mediator.ProviderTaken })
	if info.Owner == nil || *info.Owner != newOwner {
		t.Fatalf("after transfer: %+v", info)
	}
}
