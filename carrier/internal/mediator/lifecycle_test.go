package mediator

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

func (e *env) opts(k *ecdsa.PrivateKey) *bind.TransactOpts {
	e.t.Helper()
	o, err := bind.NewKeyedTransactorWithChainID(k, new(big.Int).SetUint64(e.info.ChainID))
	if err != nil {
		e.t.Fatal(err)
	}
	o.Context = e.ctx
	return o
}

// mined waits for tx, sent with err, and fails the test unless it
// succeeded.
func (e *env) mined(what string, tx *types.Transaction, err error) *types.Receipt {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
	var r *types.Receipt
	eventually(e.t, what+" mined", func() bool {
		r, err = e.client.TransactionReceipt(e.ctx, tx.Hash())
		return err == nil
	})
	if r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("%s: reverted", what)
	}
	return r
}

func (e *env) registry() *registry.Registry {
	e.t.Helper()
	r, err := registry.NewRegistry(e.info.Contracts.Registry, e.client)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// registerProvider registers the provider of providerKey with owner as its
// owner (the caller, with the provider key's proof) at prices.
func (e *env) registerProvider(owner, providerKey *ecdsa.PrivateKey, prices market.Prices) common.Address {
	e.t.Helper()
	reg := e.registry()
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	n, err := reg.NonceOf(&bind.CallOpts{Context: e.ctx}, provider)
	if err != nil {
		e.t.Fatal(err)
	}
	r := regproof.Registration{ChainID: new(big.Int).SetUint64(e.info.ChainID), Registry: e.info.Contracts.Registry, Provider: provider,
		Owner: crypto.PubkeyToAddress(owner.PublicKey), Nonce: n, Deadline: uint64(time.Now().Add(time.Hour).Unix())}
	sig, err := r.Sign(regproof.KeySigner{Key: providerKey})
	if err != nil {
		e.t.Fatal(err)
	}
	tx, err := reg.Register(e.opts(owner), provider, "https://via.example/gw/"+provider.Hex(), "eu", testCapacity.Registry(), prices.Registry(), r.Proof(sig))
	e.mined("register provider", tx, err)
	return provider
}

func (e *env) setPrices(owner *ecdsa.PrivateKey, provider common.Address, prices market.Prices) {
	e.t.Helper()
	tx, err := e.registry().Update(e.opts(owner), provider, "https://via.example/gw/"+provider.Hex(), "eu", testCapacity.Registry(), prices.Registry())
	e.mined("update prices", tx, err)
}

func (e *env) onChain(id uint64) marketbind.MarketOrderView {
	e.t.Helper()
	v, err := e.market.GetOrder(&bind.CallOpts{Context: e.ctx}, new(big.Int).SetUint64(id))
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) blockTime(n uint64) uint64 {
	e.t.Helper()
	h, err := e.client.HeaderByNumber(e.ctx, new(big.Int).SetUint64(n))
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

// deposit deposits amount for m and waits for it.
func deposit(t *testing.T, ctx context.Context, m *Mediator, amount *big.Int) {
	t.Helper()
	op, err := m.Deposit(ctx, "", amount)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range op.Intents {
		if _, err := m.Txs().Wait(ctx, st.Key, nil); err != nil {
			t.Fatalf("%s: %v", st.Key, err)
		}
	}
}

// hookChain is the real chain client with a hook run once before the
// first createOrder estimate or send passes through: the test changes the
// chain there (the provider's prices rise between the carrier's read and
// the block).
type hookChain struct {
	*ethclient.Client
	selector []byte
	mu       sync.Mutex
	onCall   func() // before the first createOrder EstimateGas
	onSend   func() // before the first createOrder SendTransaction
}

func (h *hookChain) set(f *func(), g func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	*f = g
}

func (h *hookChain) take(f *func()) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := *f
	*f = nil
	return g
}

func (h *hookChain) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	if len(msg.Data) >= 4 && string(msg.Data[:4]) == string(h.selector) {
		if f := h.take(&h.onCall); f != nil {
			f()
		}
	}
	return h.Client.EstimateGas(ctx, msg)
}

func (h *hookChain) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if d := tx.Data(); len(d) >= 4 && string(d[:4]) == string(h.selector) {
		if f := h.take(&h.onSend); f != nil {
			f()
		}
	}
	return h.Client.SendTransaction(ctx, tx)
}

func hasBatchWith(batches []*Batch, id uint64) bool {
	for _, b := range batches {
		for _, x := range b.IDs {
			if x == id {
				return true
			}
		}
	}
	return false
}

// TestOrderLife: org B buys from org A's provider and extends the order,
// updates its manifest, and org A closes it, each through the journal on
// the dev chain; both orgs' views, credits and earnings follow to the
// base unit. Every refusal sends nothing; the same operation id never
// sends twice; after the close nothing more is sent for the order. A
// closed order is never settled; an order whose end passed is refused;
// the provider's price rising between the carrier's read and the block
// refuses the order with both amounts named.
func TestOrderLife(t *testing.T) {
	e := newEnv(t)
	sellerKey, providerKey, ownerKey := e.key("provider-b"), e.key("provider-a"), e.key("deployer")
	provider := e.registerProvider(sellerKey, providerKey, testPrices) // owned by org A's wallet
	otherKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	other := e.registerProvider(ownerKey, otherKey, testPrices) // owned by an account no carrier runs

	dir, err := directory.Open(filepath.Join(t.TempDir(), "dir.db"), zaptest.NewLogger(t), directory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dir.Close() })
	owners := map[*ecdsa.PrivateKey]common.Address{providerKey: crypto.PubkeyToAddress(sellerKey.PublicKey), otherKey: crypto.PubkeyToAddress(ownerKey.PublicKey)}
	for _, k := range []*ecdsa.PrivateKey{providerKey, otherKey} {
		rec, raw := signedListing(t, k, owners[k], testPrices)
		if _, err := dir.Put(rec, raw); err != nil {
			t.Fatal(err)
		}
	}
	marketABI, err := marketbind.MarketMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	hook := &hookChain{Client: e.client, selector: marketABI.Methods["createOrder"].ID}

	walletA, walletB, walletC := e.wallet("provider-b"), e.wallet("buyer-a"), e.wallet("buyer-b")
	a := e.mediator(walletA, nil)
	b := e.mediator(walletB, func(_ *Config, o *Options) { o.Scheduler = scheduler.New(dir) })
	c := e.mediator(walletC, func(_ *Config, o *Options) { o.Scheduler = scheduler.New(dir); o.Chain = hook })

	bodies := map[string][]byte{
		"/m1.yaml": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n"),
		"/m2.yaml": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\ndata: {v: \"2\"}\n"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(bodies[r.URL.Path]) }))
	t.Cleanup(srv.Close)

	const credit = 100_000_000 // base units: covers the orders, not a 300-day extension
	deposit(t, e.ctx, b, big.NewInt(credit))
	deposit(t, e.ctx, c, big.NewInt(credit))

	res := market.Resources{CPUMillis: 1500, MemoryBytes: 3<<20 + 1, StorageBytes: 1 << 30}
	rate := big.NewInt(1500*3 + 4*2 + 1*5)
	mul := func(x *big.Int, n uint64) *big.Int { return new(big.Int).Mul(x, new(big.Int).SetUint64(n)) }

	pl, err := b.CreateOrder(e.ctx, OrderRequest{Op: "life-1", Resources: res, Duration: 600, ManifestURL: srv.URL + "/m1.yaml", Provider: &provider})
	if err != nil || pl.Order == nil {
		t.Fatalf("order: %+v %v", pl, err)
	}
	id, start, end0 := pl.Order.ID.Uint64(), pl.Order.Start, pl.Order.end()
	escrow0 := mul(rate, 600)
	if pl.MaxEscrow.Big().Cmp(escrow0) != 0 || pl.Order.MaxEscrow.Cmp(escrow0) != 0 {
		t.Errorf("max escrow %v / %v, want the cost read, %s", pl.MaxEscrow, pl.Order.MaxEscrow, escrow0)
	}
	if o, err := b.Order(id); err != nil || o.MaxEscrow.Cmp(escrow0) != 0 {
		t.Errorf("held order max escrow: %+v %v", o, err)
	}

	// journaled counts m's intents that were signed (a pre-flight revert
	// is journaled as failed, with no nonce: nothing was sent).
	journaled := func(m *Mediator) int {
		t.Helper()
		txs, err := m.Txs().List(txmgr.ListOptions{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, st := range txs {
			if st.Nonce != nil {
				n++
			}
		}
		return n
	}
	// refused runs a call that must be refused with want and send nothing.
	refused := func(name string, m *Mediator, want error, call func() error) {
		t.Helper()
		before := journaled(m)
		err := call()
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
			return
		}
		t.Logf("%s: %v", name, err)
		if after := journaled(m); after != before {
			t.Errorf("%s journaled %d intents", name, after-before)
		}
	}

	// Extend by 300 s: the added escrow is rate × 300 from B's credit.
	creditB := e.credit(walletB.Address())
	ch, err := b.ExtendOrder(e.ctx, id, "ext-1", 300)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Intent.Hash == nil || ch.End != end0+300 || ch.AddedEscrow.Big().Cmp(mul(rate, 300)) != 0 || ch.Order == nil ||
		ch.Order.end() != end0+300 || ch.Order.Escrow.Cmp(mul(rate, 900)) != 0 {
		t.Fatalf("extend = %+v (order %+v)", ch, ch.Order)
	}
	if got, want := e.credit(walletB.Address()), new(big.Int).Sub(creditB, mul(rate, 300)); got.Cmp(want) != 0 {
		t.Errorf("B credit after extend = %s, want %s", got, want)
	}
	if v := e.onChain(id); v.End != end0+300 || v.Escrow.Cmp(mul(rate, 900)) != 0 {
		t.Errorf("on chain: end %d escrow %s", v.End, v.Escrow)
	}
	// The same operation: the same transaction, nothing new.
	n := journaled(b)
	again, err := b.ExtendOrder(e.ctx, id, "ext-1", 300)
	if err != nil || again.Intent.Hash == nil || *again.Intent.Hash != *ch.Intent.Hash || journaled(b) != n || e.onChain(id).End != end0+300 {
		t.Errorf("repeated extend: %+v %v", again, err)
	}
	refused("same operation, another duration", b, ErrBadInput, func() error { _, err := b.ExtendOrder(e.ctx, id, "ext-1", 60); return err })
	refused("extend another org's order", c, ErrNotBuyer, func() error { _, err := c.ExtendOrder(e.ctx, id, "", 60); return err })
	refused("the seller extends", a, ErrNotBuyer, func() error { _, err := a.ExtendOrder(e.ctx, id, "", 60); return err })
	refused("extend an unknown order", b, ErrNotFound, func() error { _, err := b.ExtendOrder(e.ctx, 999, "", 60); return err })
	refused("extend by nothing", b, ErrBadInput, func() error { _, err := b.ExtendOrder(e.ctx, id, "", 0); return err })
	refused("extend past a year", b, ErrBadInput, func() error { _, err := b.ExtendOrder(e.ctx, id, "", MaxDuration); return err })
	refused("extend beyond the credit", b, ErrInsufficientCredits, func() error { _, err := b.ExtendOrder(e.ctx, id, "", 300*24*3600); return err })
	refused("bad operation id", b, ErrBadInput, func() error { _, err := b.ExtendOrder(e.ctx, id, "no spaces", 60); return err })
	eventually(t, "A sees the extension", func() bool {
		o, err := a.Order(id)
		return err == nil && o.end() == end0+300 && o.Escrow.Cmp(mul(rate, 900)) == 0 && o.Extensions == 1 && o.MaxEscrow == nil
	})

	// Update the manifest.
	hash2 := common.Hash(crypto.Keccak256(bodies["/m2.yaml"]))
	refused("the same manifest", b, ErrSameManifest, func() error { _, err := b.UpdateManifest(e.ctx, id, "", srv.URL+"/m1.yaml"); return err })
	refused("update another org's order", c, ErrNotBuyer, func() error { _, err := c.UpdateManifest(e.ctx, id, "", srv.URL+"/m2.yaml"); return err })
	refused("the seller updates", a, ErrNotBuyer, func() error { _, err := a.UpdateManifest(e.ctx, id, "", srv.URL+"/m2.yaml"); return err })
	refused("a private manifest", b, ErrBadInput, func() error { _, err := b.UpdateManifest(e.ctx, id, "", "http://10.1.2.3/m.yaml"); return err })
	refused("no manifest", b, ErrBadInput, func() error { _, err := b.UpdateManifest(e.ctx, id, "", " "); return err })
	ch, err = b.UpdateManifest(e.ctx, id, "man-1", srv.URL+"/m2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Intent.Hash == nil || ch.Manifest == nil || ch.Manifest.Hash != hash2 || ch.Order == nil || ch.Order.ManifestHash != hash2 {
		t.Fatalf("update = %+v", ch)
	}
	if v := e.onChain(id); common.Hash(v.ManifestHash) != hash2 {
		t.Errorf("on chain manifest hash %x, want %s", v.ManifestHash, hash2)
	}
	n = journaled(b)
	if again, err := b.UpdateManifest(e.ctx, id, "man-1", srv.URL+"/m2.yaml"); err != nil || *again.Intent.Hash != *ch.Intent.Hash || journaled(b) != n {
		t.Errorf("repeated update: %+v %v", again, err)
	}
	refused("same operation, another manifest", b, ErrBadInput, func() error { _, err := b.UpdateManifest(e.ctx, id, "man-1", srv.URL+"/m1.yaml"); return err })
	eventually(t, "A sees the new manifest", func() bool {
		o, err := a.Order(id)
		return err == nil && o.ManifestHash == hash2 && o.ManifestUpdates == 1
	})

	// Close, by the seller only.
	refused("the buyer closes", b, ErrNotPayee, func() error { _, err := b.CloseOrder(e.ctx, id); return err })
	refused("another org closes", c, ErrNotPayee, func() error { _, err := c.CloseOrder(e.ctx, id); return err })
	refused("close an unknown order", a, ErrNotFound, func() error { _, err := a.CloseOrder(e.ctx, 999); return err })
	creditA, creditB := e.credit(walletA.Address()), e.credit(walletB.Address())
	earned0, err := a.Settlements(0)
	if err != nil {
		t.Fatal(err)
	}
	ch, err = a.CloseOrder(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Intent.Hash == nil || ch.Paid == nil || ch.Refund == nil {
		t.Fatalf("close = %+v", ch)
	}
	served := e.blockTime(ch.Intent.Block) - uint64(start.Unix())
	paid, escrow := mul(rate, served), mul(rate, 900)
	refund := new(big.Int).Sub(escrow, paid)
	t.Logf("closed after %d s of 900: paid %s, refunded %s", served, paid, refund)
	if ch.Paid.Big().Cmp(paid) != 0 || ch.Refund.Big().Cmp(refund) != 0 || ch.Order == nil || ch.Order.State != carrierapi.OrderClosed {
		t.Errorf("close = %+v (order %+v), want paid %s refund %s", ch, ch.Order, paid, refund)
	}
	if got, want := e.credit(walletA.Address()), new(big.Int).Add(creditA, paid); got.Cmp(want) != 0 {
		t.Errorf("A credit = %s, want %s", got, want)
	}
	if got, want := e.credit(walletB.Address()), new(big.Int).Add(creditB, refund); got.Cmp(want) != 0 {
		t.Errorf("B credit = %s, want %s", got, want)
	}
	n = journaled(a)
	if again, err := a.CloseOrder(e.ctx, id); err != nil || *again.Intent.Hash != *ch.Intent.Hash || journaled(a) != n {
		t.Errorf("repeated close: %+v %v", again, err)
	}
	eventually(t, "both see the close", func() bool {
		oa, err := a.Order(id)
		if err != nil || oa.State != carrierapi.OrderClosed || oa.Paid.Cmp(paid) != 0 || oa.ClosedTx != *ch.Intent.Hash {
			return false
		}
		ob, err := b.Order(id)
		return err == nil && ob.State == carrierapi.OrderClosed && ob.Refund.Cmp(refund) == 0 && ob.Role == carrierapi.RoleBuyer
	})
	s, err := a.Settlements(0)
	if err != nil || s.Earned.Big().Cmp(new(big.Int).Add(earned0.Earned.Big(), paid)) != 0 || s.Orders[carrierapi.OrderClosed] != 1 {
		t.Errorf("settlements after the close = %+v, %v (earned before %s)", s, err, earned0.Earned)
	}
	if bal, err := a.Balance(e.ctx); err != nil || bal.Earned.Big().Cmp(paid) != 0 {
		t.Errorf("A balance = %+v, %v; want earned %s", bal, err, paid)
	}
	if list, err := b.Orders(OrderFilter{State: carrierapi.OrderClosed}); err != nil || len(list) != 1 || list[0].id() != id {
		t.Errorf("B's closed orders = %v, %v", list, err)
	}
	// After the close, with new operation ids: refused, nothing sent.
	refused("extend after the close", b, ErrOrderClosed, func() error { _, err := b.ExtendOrder(e.ctx, id, "ext-2", 60); return err })
	refused("update after the close", b, ErrOrderClosed, func() error { _, err := b.UpdateManifest(e.ctx, id, "man-2", srv.URL+"/m1.yaml"); return err })
	refused("cancel after the close", b, ErrBadInput, func() error { _, err := b.CancelOrder(e.ctx, id); return err })

	// A closed order is never settled: order 2 is closed and ends before
	// order 3, which A settles; no batch holds order 2.
	pl2, err := b.CreateOrder(e.ctx, OrderRequest{Op: "life-2", Resources: res, Duration: 3, ManifestURL: srv.URL + "/m1.yaml", Provider: &provider})
	if err != nil || pl2.Order == nil {
		t.Fatalf("order 2: %+v %v", pl2, err)
	}
	id2 := pl2.Order.ID.Uint64()
	if _, err := a.CloseOrder(e.ctx, id2); err != nil {
		t.Fatalf("closing order 2: %v", err)
	}
	pl3, err := b.CreateOrder(e.ctx, OrderRequest{Op: "life-3", Resources: res, Duration: 4, ManifestURL: srv.URL + "/m1.yaml", Provider: &provider})
	if err != nil || pl3.Order == nil {
		t.Fatalf("order 3: %+v %v", pl3, err)
	}
	id3 := pl3.Order.ID.Uint64()
	eventually(t, "A settles order 3", func() bool {
		o, err := a.Order(id3)
		return err == nil && o.State == carrierapi.OrderSettled
	})
	s, err = a.Settlements(100)
	if err != nil || hasBatchWith(s.Batches, id2) || !hasBatchWith(s.Batches, id3) || len(s.Due) != 0 {
		t.Errorf("settlements = %+v, %v: order 2 (closed) must be in no batch, order 3 in one", s, err)
	}
	if o, err := a.Order(id2); err != nil || o.State != carrierapi.OrderClosed {
		t.Errorf("order 2 = %+v, %v", o, err)
	}
	refused("extend a settled order", b, ErrOrderClosed, func() error { _, err := b.ExtendOrder(e.ctx, id3, "", 60); return err })
	refused("close a settled order", a, ErrOrderClosed, func() error { _, err := a.CloseOrder(e.ctx, id3); return err })

	// An order past its end that nobody settled (its payee runs no
	// carrier) is refused as ended.
	pl4, err := b.CreateOrder(e.ctx, OrderRequest{Op: "life-4", Resources: res, Duration: 2, ManifestURL: srv.URL + "/m1.yaml", Provider: &other})
	if err != nil || pl4.Order == nil {
		t.Fatalf("order 4: %+v %v", pl4, err)
	}
	id4, end4 := pl4.Order.ID.Uint64(), pl4.Order.end()
	eventually(t, "order 4 ended on chain", func() bool {
		h, err := e.client.HeaderByNumber(e.ctx, nil)
		return err == nil && h.Time > end4
	})
	refused("extend an ended order", b, ErrOrderEnded, func() error { _, err := b.ExtendOrder(e.ctx, id4, "", 60); return err })
	refused("update an ended order", b, ErrOrderEnded, func() error { _, err := b.UpdateManifest(e.ctx, id4, "", srv.URL+"/m2.yaml"); return err })

	// The provider's prices double after the carrier read them: first
	// before the pre-flight (nothing sent), then before the send (the
	// transaction reverts on chain); both name the cost and the maximum.
	doubled := market.Prices{CPUMilli: big.NewInt(6), MemoryMiB: big.NewInt(4), StorageGiB: big.NewInt(10), GPU: big.NewInt(0)}
	hook.set(&hook.onCall, func() { e.setPrices(ownerKey, other, doubled) })
	creditC := e.credit(walletC.Address())
	cost, newCost := mul(rate, 10), mul(rate, 20)
	refused("price rise before the pre-flight", c, ErrPriceAboveMaximum, func() error {
		_, err := c.CreateOrder(e.ctx, OrderRequest{Resources: res, Duration: 10, ManifestURL: srv.URL + "/m1.yaml", Provider: &other})
		if want := "the provider's price rose: the order would cost " + newCost.String() + ", above your maximum " + cost.String(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
		return err
	})
	e.setPrices(ownerKey, other, testPrices)
	maxPrice := new(big.Int).Add(cost, big.NewInt(7))
	hook.set(&hook.onSend, func() { e.setPrices(ownerKey, other, doubled) })
	_, err = c.CreateOrder(e.ctx, OrderRequest{Op: "rise-2", Resources: res, Duration: 10, MaxPrice: maxPrice, ManifestURL: srv.URL + "/m1.yaml", Provider: &other})
	want := "the provider's price rose: the order would cost " + newCost.String() + ", above your maximum " + maxPrice.String() + " (the transaction reverted on chain)"
	if !errors.Is(err, ErrPriceAboveMaximum) || !strings.Contains(err.Error(), want) {
		t.Errorf("price rise before the send: %v, want %q", err, want)
	}
	if got := e.credit(walletC.Address()); got.Cmp(creditC) != 0 {
		t.Errorf("C credit = %s after refused orders, want %s", got, creditC)
	}
}
