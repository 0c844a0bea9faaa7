package mediator

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// TestPayeeCheck: on the devnet, a buyer orders from a provider whose
// listing names its owner; once the provider is transferred to another
// owner, an order is refused before anything is sent (the listing names a
// payee the chain no longer pays), /v1/match leaves the provider out with
// the reason, and a listing naming the new owner is ordered from again. A
// listing naming a squatter is refused the same way.
func TestPayeeCheck(t *testing.T) {
	e := newEnv(t)
	providerKey := e.key("provider-a")
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	ownerA, ownerB := e.key("provider-b"), e.key("buyer-b")
	addrA, addrB := crypto.PubkeyToAddress(ownerA.PublicKey), crypto.PubkeyToAddress(ownerB.PublicKey)
	reg, err := registry.NewRegistry(e.info.Contracts.Registry, e.client)
	if err != nil {
		t.Fatal(err)
	}
	chainID := new(big.Int).SetUint64(e.info.ChainID)
	send := func(what string, from *ecdsa.PrivateKey, call func(*bind.TransactOpts) (*types.Transaction, error)) {
		t.Helper()
		opts, err := bind.NewKeyedTransactorWithChainID(from, chainID)
		if err != nil {
			t.Fatal(err)
		}
		opts.Context, opts.GasLimit = e.ctx, 1_000_000
		tx, err := call(opts)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		r, err := bind.WaitMined(e.ctx, e.client, tx)
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("%s: %+v, %v", what, r, err)
		}
	}
	proof := func(owner common.Address, nonce int64) registry.RegistryProof {
		p, err := regproof.ProofForKey(providerKey, chainID, e.info.Contracts.Registry, owner, big.NewInt(nonce), uint64(time.Now().Add(time.Hour).Unix()))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	send("register", ownerA, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return reg.Register(o, provider, "https://via.org-a.example/gw/x", "eu",
			registry.RegistryCapacity{CpuMillis: testCapacity.CPUMillis, MemoryBytes: testCapacity.MemoryBytes, StorageBytes: testCapacity.StorageBytes},
			registry.RegistryPrices{CpuMilli: testPrices.CPUMilli, MemoryMiB: testPrices.MemoryMiB, StorageGiB: testPrices.StorageGiB, Gpu: testPrices.GPU},
			proof(addrA, 0))
	})

	dir, err := directory.Open(filepath.Join(t.TempDir(), "dir.db"), zaptest.NewLogger(t), directory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dir.Close() })
	put := func(owner common.Address, seq uint64) {
		t.Helper()
		r, _ := signedListing(t, providerKey, owner, testPrices)
		r.Seq = seq
		if err := listing.Sign(r, providerKey); err != nil {
			t.Fatal(err)
		}
		raw, err := listing.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if changed, err := dir.Put(r, raw); err != nil || !changed {
			t.Fatalf("Put: %v, %v", changed, err)
		}
	}
	put(addrA, 1)
	buyer := e.wallet("buyer-a")
	b := e.mediator(buyer, func(_ *Config, o *Options) { o.Scheduler = scheduler.New(dir) })
	op, err := b.Deposit(e.ctx, "dep", new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18)))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range op.Intents {
		if _, err := b.Txs().Wait(e.ctx, st.Key, nil); err != nil {
			t.Fatalf("%s: %v", st.Key, err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n"))
	}))
	t.Cleanup(srv.Close)
	res := market.Resources{CPUMillis: 500, MemoryBytes: 1 << 20}
	order := func(op string, chosen *common.Address) (Placement, error) {
		return b.CreateOrder(e.ctx, OrderRequest{Op: op, Resources: res, Duration: 60, ManifestURL: srv.URL + "/m.yaml", Provider: chosen})
	}

	// The listing names the owner: the order is placed, paying it.
	pl, err := order("o-1", &provider)
	if err != nil || pl.Order == nil || pl.Order.Payee != addrA {
		t.Fatalf("order with the listing naming the owner: %+v, %v", pl, err)
	}

	// The provider moves to owner B; the directory still holds the listing
	// naming A (signed before the transfer).
	send("transfer", ownerA, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return reg.Transfer(o, provider, addrB, proof(addrB, 1))
	})
	credit := e.credit(buyer.Address())
	journaled := func() int {
		txs, err := b.Txs().List(txmgr.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(txs)
	}
	before := journaled()
	_, err = order("o-2", &provider)
	want := "provider " + provider.Hex() + " is now owned by " + addrB.Hex() + ", its listing says " + addrA.Hex() +
		": refusing to pay a payee the listing does not name"
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), want) {
		t.Fatalf("order after the transfer = %v, want ErrBadInput: %s", err, want)
	}
	m, err := b.Match(scheduler.Request{Resources: res, Duration: 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Candidates) != 0 || m.Matched != 0 || m.ExcludedByReason[scheduler.ReasonOwnerMismatch] != 1 ||
		len(m.Excluded) != 1 || m.Excluded[0].Provider != provider || m.Excluded[0].Reasons[0] != scheduler.ReasonOwnerMismatch {
		t.Errorf("match after the transfer = %+v, want the provider excluded for owner_mismatch", m)
	}
	// Without a chosen provider, nothing fits.
	if _, err := order("o-3", nil); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), scheduler.ReasonOwnerMismatch) {
		t.Errorf("order of the best candidate after the transfer = %v, want ErrBadInput naming owner_mismatch", err)
	}
	// A listing naming a squatter (a directory fed without verification:
	// the scheduler listings file) is refused the same way.
	squatter := common.HexToAddress("0x000000000000000000000000000000000000bad0")
	put(squatter, 2)
	if _, err := order("o-4", &provider); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "its listing says "+squatter.Hex()) {
		t.Errorf("order of a listing naming a squatter = %v, want ErrBadInput", err)
	}
	if got := e.credit(buyer.Address()); got.Cmp(credit) != 0 {
		t.Errorf("credit changed by refused orders: %s, was %s", got, credit)
	}
	if n := journaled(); n != before {
		t.Errorf("refused orders journaled %d intents", n-before)
	}

	// The provider's listing names the new owner: ordered from again,
	// paying B, and matched again.
	put(addrB, 3)
	pl, err = order("o-5", &provider)
	if err != nil || pl.Order == nil || pl.Order.Payee != addrB {
		t.Fatalf("order with the listing naming the new owner: %+v, %v", pl, err)
	}
	if m, err := b.Match(scheduler.Request{Resources: res, Duration: 60}); err != nil || len(m.Candidates) != 1 || m.Candidates[0].Owner != addrB {
		t.Errorf("match with the listing naming the new owner = %+v, %v", m, err)
	}
}
