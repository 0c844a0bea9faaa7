package txmgr

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// env is a devnet, a client counting what it sends, and the org wallet
// (dev account buyer-a imported into a keystore).
type env struct {
	t      *testing.T
	ctx    context.Context
	info   devinfo.Info
	client *countingClient
	wallet *wallet.Wallet
	dir    string
	market *abi.ABI
	token  *abi.ABI
}

func newEnv(t *testing.T, period time.Duration) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang guard, not a timing assertion
	t.Cleanup(cancel)
	cfg := devchain.Defaults()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Period = "127.0.0.1:0", "", period
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

	dir := t.TempDir()
	acc, _ := info.Account("buyer-a")
	keyFile := filepath.Join(dir, "key.hex")
	if err := os.WriteFile(keyFile, []byte(acc.PrivateKey), 0o600); err != nil {
		t.Fatal(err)
	}
	passFile := filepath.Join(dir, "pass")
	if err := os.WriteFile(passFile, []byte("test passphrase"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Import(wallet.Options{KeystorePath: filepath.Join(dir, "org.json"), PassphraseFile: passFile, LightScrypt: true}, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	mabi, err := market.MarketMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	tabi, err := token.TokenMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: ctx, info: info, client: &countingClient{Client: c}, wallet: w, dir: dir, market: mabi, token: tabi}
}

func (e *env) config() Config {
	cfg := Defaults()
	cfg.Path = filepath.Join(e.dir, "journal.db")
	cfg.Confirmations = 1
	cfg.PollInterval = 20 * time.Millisecond
	cfg.BumpAfter = time.Hour
	cfg.RebroadcastInterval = time.Hour
	return cfg
}

// start opens a manager and runs it until the test ends.
func (e *env) start(cfg Config, reg prometheus.Registerer, h hooks) *Manager {
	e.t.Helper()
	m := e.open(cfg, reg, h)
	e.run(m)
	return m
}

func (e *env) open(cfg Config, reg prometheus.Registerer, h hooks) *Manager {
	e.t.Helper()
	m, err := New(e.ctx, cfg, e.client, e.wallet, Options{Log: zaptest.NewLogger(e.t), Registerer: reg})
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	m.hooks = h
	e.t.Cleanup(func() { _ = m.Close() })
	return m
}

func (e *env) run(m *Manager) {
	done := make(chan error, 1)
	go func() { done <- m.Run(e.ctx) }()
	e.t.Cleanup(func() {
		_ = m.Close()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	})
}

func (e *env) pack(a *abi.ABI, method string, args ...any) []byte {
	e.t.Helper()
	b, err := a.Pack(method, args...)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// approve is an intent that always succeeds.
func (e *env) approve(key string, amount int64) Intent {
	return Intent{Key: key, To: e.info.Contracts.Token, Data: e.pack(e.token, "approve", e.info.Contracts.Market, big.NewInt(amount))}
}

func (e *env) pendingNonce() uint64 {
	e.t.Helper()
	n, err := e.client.PendingNonceAt(e.ctx, e.wallet.Address())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) wait(m *Manager, key string) (Status, []Status) {
	e.t.Helper()
	var seen []Status
	st, err := m.Wait(e.ctx, key, func(s Status) { seen = append(seen, s) })
	if err != nil {
		e.t.Fatalf("Wait(%q): %v (status %s)", key, err, st)
	}
	return st, seen
}

// countingClient is the real client, counting sends, and able to hide a
// receipt as a reorg would.
type countingClient struct {
	*ethclient.Client
	sends atomic.Int64
	hide  atomic.Pointer[common.Hash]
}

func (c *countingClient) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	c.sends.Add(1)
	return c.Client.SendTransaction(ctx, tx)
}

func (c *countingClient) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	if p := c.hide.Load(); p != nil && *p == h {
		return nil, ethereum.NotFound
	}
	return c.Client.TransactionReceipt(ctx, h)
}

func TestSubmitConfirmsOnceByKey(t *testing.T) {
	e := newEnv(t, 0)
	reg := prometheus.NewRegistry()
	m := e.start(e.config(), reg, hooks{})
	nonce := e.pendingNonce()

	st, err := m.Submit(e.ctx, e.approve("approve market 1", 1))
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if st.State != StatePending && st.State != StateMined && st.State != StateConfirmed || st.Nonce == nil || *st.Nonce != nonce {
		t.Fatalf("after Submit: %+v, want pending with nonce %d", st, nonce)
	}
	st, seen := e.wait(m, "approve market 1")
	if st.State != StateConfirmed || st.Block == 0 || st.GasUsed == 0 || st.Hash == nil || st.Confirmations < 1 {
		t.Fatalf("final status %+v", st)
	}
	if seen[len(seen)-1].State != StateConfirmed {
		t.Errorf("progress did not report the confirmation: %v", seen)
	}
	r, err := e.client.TransactionReceipt(e.ctx, *st.Hash)
	if err != nil || r.Status != types.ReceiptStatusSuccessful || r.BlockNumber.Uint64() != st.Block {
		t.Fatalf("receipt %+v, %v", r, err)
	}

	// The same key again sends nothing, whatever the state.
	sends, next := e.client.sends.Load(), e.pendingNonce()
	again, err := m.Submit(e.ctx, e.approve("approve market 1", 1))
	if err != nil || again.State != StateConfirmed || *again.Hash != *st.Hash {
		t.Fatalf("resubmit: %+v, %v", again, err)
	}
	if e.client.sends.Load() != sends || e.pendingNonce() != next || next != nonce+1 {
		t.Fatalf("resubmit sent something: sends %d→%d, nonce %d→%d", sends, e.client.sends.Load(), next, e.pendingNonce())
	}
	// The same key for another call is refused.
	if _, err := m.Submit(e.ctx, e.approve("approve market 1", 2)); !errors.Is(err, ErrIntentMismatch) {
		t.Fatalf("resubmit with other data: %v, want ErrIntentMismatch", err)
	}

	list, err := m.List(ListOptions{Prefix: "approve ", States: []State{StateConfirmed}})
	if err != nil || len(list) != 1 || list[0].Key != "approve market 1" {
		t.Fatalf("List = %v, %v", list, err)
	}
	if _, err := m.Get("no such intent"); !errors.Is(err, ErrUnknownIntent) {
		t.Fatalf("Get unknown: %v", err)
	}
	if got := metricValue(t, reg, "gridnode_txmgr_intents", "confirmed"); got != 1 {
		t.Errorf("confirmed intents gauge %v, want 1", got)
	}
	if got := metricValue(t, reg, "gridnode_txmgr_confirmation_seconds", ""); got != 1 {
		t.Errorf("confirmation histogram count %v, want 1", got)
	}
	fi, err := os.Stat(e.config().Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestConcurrentSubmits(t *testing.T) {
	e := newEnv(t, 0)
	m := e.start(e.config(), nil, hooks{})
	first := e.pendingNonce()
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("approve %d", i)
			if _, err := m.Submit(e.ctx, e.approve(key, int64(i+1))); err != nil {
				errs <- err
				return
			}
			if st, err := m.Wait(e.ctx, key, nil); err != nil || st.State != StateConfirmed {
				errs <- fmt.Errorf("%s: %v, %v", key, st, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := m.List(ListOptions{Limit: 100})
	if err != nil || len(list) != n {
		t.Fatalf("List: %d intents, %v", len(list), err)
	}
	var nonces []uint64
	for _, st := range list {
		nonces = append(nonces, *st.Nonce)
	}
	slices.Sort(nonces)
	for i, nonce := range nonces {
		if nonce != first+uint64(i) {
			t.Fatalf("nonces %v: want %d consecutive from %d", nonces, n, first)
		}
	}
	if got := e.client.sends.Load(); got != n {
		t.Errorf("%d sends for %d intents", got, n)
	}
	// Paging by ID gives the same intents.
	page1, _ := m.List(ListOptions{Limit: 7})
	page2, _ := m.List(ListOptions{Limit: 100, Before: page1[len(page1)-1].ID})
	if len(page1)+len(page2) != n || page2[0].ID >= page1[len(page1)-1].ID {
		t.Errorf("pages of %d and %d", len(page1), len(page2))
	}
}

func TestPreflightRevertSendsNothing(t *testing.T) {
	e := newEnv(t, 0)
	m := e.start(e.config(), nil, hooks{})
	mk := e.info.Contracts.Market
	for _, tc := range []struct {
		name   string
		in     Intent
		reason string
	}{
		{"settle an unknown order", Intent{Key: "settle order 999", To: mk, Data: e.pack(e.market, "settle", big.NewInt(999))}, "UnknownOrder(999)"},
		{"over-withdraw", Intent{Key: "withdraw 1000", To: mk, Data: e.pack(e.market, "withdraw", big.NewInt(1000))}, "InsufficientCredit(0, 1000)"},
		{"withdraw nothing", Intent{Key: "withdraw 0", To: mk, Data: e.pack(e.market, "withdraw", big.NewInt(0))}, "ZeroAmount()"},
		{"with a gas limit (eth_call)", Intent{Key: "settle order 998", To: mk, Data: e.pack(e.market, "settle", big.NewInt(998)), GasLimit: 200_000}, "UnknownOrder(998)"},
		{"deposit without allowance", Intent{Key: "deposit 5", To: mk, Data: e.pack(e.market, "deposit", big.NewInt(5))},
			"ERC20InsufficientAllowance(" + mk.Hex() + ", 0, 5)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sends, nonce := e.client.sends.Load(), e.pendingNonce()
			for range 2 { // and again: a pre-flight failure is re-run, and fails again
				st, err := m.Submit(e.ctx, tc.in)
				var re *RevertError
				if !errors.Is(err, ErrReverted) || !errors.Is(err, ErrFailed) || !errors.As(err, &re) {
					t.Fatalf("Submit: %v, want a revert", err)
				}
				if re.Reason != tc.reason || !re.Preflight || !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("revert %+v (%v), want reason %q in pre-flight", re, err, tc.reason)
				}
				if st.State != StateFailed || st.Reason != tc.reason || !st.Preflight || st.Nonce != nil || len(st.Hashes) != 0 {
					t.Errorf("status %+v", st)
				}
			}
			if e.client.sends.Load() != sends || e.pendingNonce() != nonce {
				t.Fatal("a reverting intent was sent")
			}
			if st, err := m.Get(tc.in.Key); err != nil || st.State != StateFailed {
				t.Fatalf("journaled: %+v, %v", st, err)
			}
		})
	}
}

// TestRevertOnChainDecoded sends a reverting call (no pre-flight) and reads
// its reason by replaying it at its block.
func TestRevertOnChainDecoded(t *testing.T) {
	e := newEnv(t, 0)
	m := e.start(e.config(), nil, hooks{})
	in := Intent{Key: "settle order 77", To: e.info.Contracts.Market, Data: e.pack(e.market, "settle", big.NewInt(77)),
		GasLimit: 200_000, SkipPreflight: true}
	nonce := e.pendingNonce()
	if _, err := m.Submit(e.ctx, in); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	st, err := m.Wait(e.ctx, in.Key, nil)
	var re *RevertError
	if !errors.As(err, &re) || re.Preflight || re.Reason != "UnknownOrder(77)" {
		t.Fatalf("Wait: %v, want an on-chain revert UnknownOrder(77)", err)
	}
	if st.State != StateFailed || st.Block == 0 || e.pendingNonce() != nonce+1 {
		t.Fatalf("status %+v, nonce %d→%d", st, nonce, e.pendingNonce())
	}
}

var errCrash = errors.New("simulated crash")

// TestRestartResumesUnsent crashes between the journal write and the send,
// restarts on the journal, and checks the intent is sent once and confirmed.
func TestRestartResumesUnsent(t *testing.T) {
	e := newEnv(t, 0)
	cfg := e.config()
	nonce := e.pendingNonce()
	m1 := e.open(cfg, nil, hooks{afterJournal: func(string) error { return errCrash }})
	if _, err := m1.Submit(e.ctx, e.approve("approve after crash", 3)); !errors.Is(err, errCrash) {
		t.Fatalf("Submit: %v, want the simulated crash", err)
	}
	journaled, err := m1.Get("approve after crash")
	if err != nil || journaled.State != StatePending || len(journaled.Hashes) != 1 {
		t.Fatalf("journaled before the crash: %+v, %v", journaled, err)
	}
	if err := m1.Close(); err != nil {
		t.Fatal(err)
	}
	if e.client.sends.Load() != 0 || e.pendingNonce() != nonce {
		t.Fatal("sent before the crash")
	}

	m2 := e.start(cfg, prometheus.NewRegistry(), hooks{})
	// Resubmitting after the restart sends nothing new either.
	if st, err := m2.Submit(e.ctx, e.approve("approve after crash", 3)); err != nil || st.Hashes[0] != journaled.Hashes[0] {
		t.Fatalf("resubmit after restart: %+v, %v", st, err)
	}
	st, _ := e.wait(m2, "approve after crash")
	if st.State != StateConfirmed || *st.Hash != journaled.Hashes[0] || len(st.Hashes) != 1 {
		t.Fatalf("after restart: %+v; want the journaled tx %s confirmed", st, journaled.Hashes[0])
	}
	if got := e.client.sends.Load(); got != 1 {
		t.Errorf("%d sends, want 1", got)
	}
	// The next intent takes the next nonce.
	if _, err := m2.Submit(e.ctx, e.approve("approve next", 4)); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.wait(m2, "approve next"); *st.Nonce != nonce+1 {
		t.Errorf("next intent nonce %d, want %d", *st.Nonce, nonce+1)
	}
}

// TestFeeBump loses the first broadcast, as a node dropping the
// transaction would, and checks a replacement with higher fees is mined.
func TestFeeBump(t *testing.T) {
	e := newEnv(t, 0)
	cfg := e.config()
	cfg.BumpAfter = 50 * time.Millisecond
	// The node never gets the first transaction, however often it is
	// rebroadcast.
	var lost atomic.Pointer[common.Hash]
	drop := func(tx *types.Transaction) bool {
		h := tx.Hash()
		lost.CompareAndSwap(nil, &h)
		return *lost.Load() == h
	}
	reg := prometheus.NewRegistry()
	m := e.start(cfg, reg, hooks{dropSend: drop})
	nonce := e.pendingNonce()
	first, err := m.Submit(e.ctx, e.approve("approve bumped", 5))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.wait(m, "approve bumped")
	if st.State != StateConfirmed || len(st.Hashes) < 2 || !slices.Contains(st.Hashes, *st.Hash) || *st.Hash == first.Hashes[0] {
		t.Fatalf("status %+v; want a replacement of %s confirmed", st, first.Hashes[0])
	}
	tx, _, err := e.client.TransactionByHash(e.ctx, *st.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Nonce() != nonce || tx.GasTipCap().Cmp(raise(first.TipCap, 10)) < 0 || tx.GasFeeCap().Cmp(raise(first.FeeCap, 10)) < 0 {
		t.Errorf("replacement nonce %d tip %s cap %s; first nonce %d tip %s cap %s",
			tx.Nonce(), tx.GasTipCap(), tx.GasFeeCap(), nonce, first.TipCap, first.FeeCap)
	}
	if got := metricValue(t, reg, "gridnode_txmgr_fee_bumps_total", ""); got < 1 {
		t.Errorf("bumps counter %v", got)
	}
}

// filler sends self-transfers from another dev account, each after the
// previous is mined, until stop is closed: blocks for confirmations on a
// devnet that seals a block per transaction.
func (e *env) filler(stop <-chan struct{}) {
	acc, _ := e.info.Account("buyer-b")
	key, err := acc.Key()
	if err != nil {
		e.t.Error(err)
		return
	}
	signer := types.LatestSignerForChainID(big.NewInt(int64(e.info.ChainID)))
	for {
		select {
		case <-stop:
			return
		default:
		}
		nonce, err := e.client.Client.PendingNonceAt(e.ctx, acc.Address)
		if err != nil {
			return
		}
		tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: signer.ChainID(), Nonce: nonce,
			GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(1e10), Gas: 21000, To: &acc.Address})
		if err := e.client.Client.SendTransaction(e.ctx, tx); err != nil {
			return
		}
		for {
			if _, err := e.client.Client.TransactionReceipt(e.ctx, tx.Hash()); err == nil || e.ctx.Err() != nil {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func TestConfirmationDepth(t *testing.T) {
	e := newEnv(t, 0)
	cfg := e.config()
	cfg.Confirmations = 3
	m := e.start(cfg, nil, hooks{})
	if _, err := m.Submit(e.ctx, e.approve("approve deep", 6)); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var once sync.Once
	done := make(chan struct{})
	st, err := m.Wait(e.ctx, "approve deep", func(s Status) {
		if s.State == StateMined {
			once.Do(func() {
				go func() { defer close(done); e.filler(stop) }()
			})
		}
	})
	close(stop)
	<-done
	if err != nil || st.State != StateConfirmed || st.Confirmations < 3 || st.Required != 3 {
		t.Fatalf("Wait: %+v, %v", st, err)
	}
	head, err := e.client.HeaderByNumber(e.ctx, nil)
	if err != nil || head.Number.Uint64()-st.Block+1 < 3 {
		t.Fatalf("confirmed at block %d with head %v", st.Block, head.Number)
	}
}

// TestReorgBackToPending hides the receipt of a mined transaction, as a
// reorg that drops its block does, and checks the intent goes back to
// pending, is found mined again and then confirms.
func TestReorgBackToPending(t *testing.T) {
	e := newEnv(t, 0)
	cfg := e.config()
	cfg.Confirmations = 2
	reg := prometheus.NewRegistry()
	m := e.start(cfg, reg, hooks{})
	if _, err := m.Submit(e.ctx, e.approve("approve reorged", 7)); err != nil {
		t.Fatal(err)
	}
	var states []State
	minedTimes := 0
	stop, done := make(chan struct{}), make(chan struct{})
	st, err := m.Wait(e.ctx, "approve reorged", func(s Status) {
		if len(states) == 0 || states[len(states)-1] != s.State {
			states = append(states, s.State)
		}
		switch {
		case s.State == StateMined && minedTimes == 0:
			minedTimes++
			h := *s.Hash
			e.client.hide.Store(&h) // the block is gone
		case s.State == StatePending && minedTimes == 1:
			e.client.hide.Store(nil) // and the transaction is back in one
			minedTimes++
		case s.State == StateMined && minedTimes == 2:
			minedTimes++
			go func() { defer close(done); e.filler(stop) }()
		}
	})
	close(stop)
	if minedTimes == 3 {
		<-done
	}
	if err != nil || st.State != StateConfirmed {
		t.Fatalf("Wait: %+v, %v", st, err)
	}
	want := []State{StatePending, StateMined, StatePending, StateMined, StateConfirmed}
	if !slices.Equal(states, want) {
		t.Fatalf("states %v, want %v", states, want)
	}
	if got := metricValue(t, reg, "gridnode_txmgr_reorgs_total", ""); got != 1 {
		t.Errorf("reorgs counter %v, want 1", got)
	}
}

func TestJournalBelongsToOneAccount(t *testing.T) {
	e := newEnv(t, 0)
	cfg := e.config()
	m := e.open(cfg, nil, hooks{})
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	other := keySigner{key}
	if _, err := New(e.ctx, cfg, e.client, other, Options{}); !errors.Is(err, ErrJournalMismatch) {
		t.Fatalf("New with another account: %v, want ErrJournalMismatch", err)
	}
}

type keySigner struct{ key *ecdsa.PrivateKey }

func (k keySigner) Address() common.Address { return crypto.PubkeyToAddress(k.key.PublicKey) }

func (k keySigner) SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.key)
}

func TestInvalidIntents(t *testing.T) {
	e := newEnv(t, 0)
	m := e.start(e.config(), nil, hooks{})
	mk := e.info.Contracts.Market
	for _, tc := range []struct {
		name string
		in   Intent
	}{
		{"no key", Intent{To: mk}},
		{"long key", Intent{Key: strings.Repeat("k", MaxKeyLen+1), To: mk}},
		{"no destination", Intent{Key: "x"}},
		{"negative value", Intent{Key: "x", To: mk, Value: big.NewInt(-1)}},
		{"skip pre-flight without gas", Intent{Key: "x", To: mk, SkipPreflight: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := m.Submit(e.ctx, tc.in); !errors.Is(err, ErrInvalidIntent) {
				t.Fatalf("Submit: %v, want ErrInvalidIntent", err)
			}
		})
	}
	if e.client.sends.Load() != 0 {
		t.Fatal("sent an invalid intent")
	}
}

// metricValue reads a gauge or counter (the series whose first label is
// label, or the only one) or a histogram's count from reg.
func metricValue(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if label != "" && (len(m.GetLabel()) == 0 || m.GetLabel()[0].GetValue() != label) {
				continue
			}
			switch {
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s{%s}", name, label)
	return 0
}
