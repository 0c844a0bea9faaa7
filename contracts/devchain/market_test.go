package devchain

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/regproof"
)

// TestMarketFlowOverRPC runs seed 000's flow on the devnet through its
// JSON-RPC endpoint with gas estimated by the node, as the carrier will:
// register a provider, approve and deposit credits, create an order, cancel
// it. It also guards the chain rules: on go-ethereum's dev config (Bogota
// on) a first createOrder costs ~700k gas and estimates fall short.
func TestMarketFlowOverRPC(t *testing.T) {
	d := startDevnet(t, testConfig(t))
	info := d.Info()
	client := dial(t, info.RPC.HTTP)
	ctx := testContext(t)

	transactor := func(name string) *bind.TransactOpts {
		t.Helper()
		acc, ok := info.Account(name)
		if !ok {
			t.Fatalf("no dev account %q", name)
		}
		key, err := acc.Key()
		if err != nil {
			t.Fatal(err)
		}
		opts, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(ChainID))
		if err != nil {
			t.Fatal(err)
		}
		opts.Context = ctx
		return opts
	}
	mined := func(what string, tx *types.Transaction, err error) *types.Receipt {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		r := waitMined(t, client, tx)
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("%s: transaction %s reverted", what, tx.Hash())
		}
		t.Logf("%s: %d gas", what, r.GasUsed)
		return r
	}

	reg, err := registry.NewRegistry(info.Contracts.Registry, client)
	if err != nil {
		t.Fatal(err)
	}
	mkt, err := market.NewMarket(info.Contracts.Market, client)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := token.NewToken(info.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}

	owner := transactor("deployer") // the seller org's wallet in this test
	providerKey, _ := crypto.GenerateKey()
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	prices := registry.RegistryPrices{CpuMilli: big.NewInt(3), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)}
	consent := regproof.Registration{ChainID: new(big.Int).SetUint64(info.ChainID), Registry: info.Contracts.Registry,
		Provider: provider, Owner: owner.From, Nonce: big.NewInt(0), Deadline: uint64(time.Now().Add(time.Hour).Unix())}
	sig, err := consent.Sign(regproof.KeySigner{Key: providerKey})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := reg.Register(owner, provider, "https://via.org-a.example/gw/"+provider.Hex(), "local",
		registry.RegistryCapacity{CpuMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 100 << 30}, prices, consent.Proof(sig))
	mined("register provider", tx, err)
	if ok, err := reg.IsRegistered(&bind.CallOpts{Context: ctx}, provider); err != nil || !ok {
		t.Fatalf("provider not registered after register: %v", err)
	}

	buyer := transactor("buyer-b")
	const credit = 10_000_000
	tx, err = tok.Approve(buyer, info.Contracts.Market, big.NewInt(credit))
	mined("approve", tx, err)
	tx, err = mkt.Deposit(buyer, big.NewInt(credit))
	mined("deposit", tx, err)

	res := market.MarketResources{CpuMillis: 500, MemoryBytes: 256 << 20, StorageBytes: 1 << 30}
	rate := int64(500*3 + 256*2 + 1*1)
	const duration = 3600
	tx, err = mkt.CreateOrder(buyer, provider, res, duration, [32]byte{1}, big.NewInt(duration*rate))
	r := mined("createOrder", tx, err)
	if r.GasUsed > 300_000 {
		t.Errorf("createOrder used %d gas: the devnet is not on mainnet rules", r.GasUsed)
	}
	var id *big.Int
	for _, l := range r.Logs {
		if ev, err := mkt.ParseOrderCreated(*l); err == nil {
			id = ev.Id
		}
	}
	if id == nil {
		t.Fatal("no OrderCreated event")
	}
	view, err := mkt.GetOrder(&bind.CallOpts{Context: ctx}, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(rate * duration); view.Escrow.Cmp(want) != 0 || view.Buyer != buyer.From || view.Provider != provider {
		t.Errorf("order = %+v, want escrow %s from %s to %s", view, want, buyer.From, provider)
	}
	if active, err := mkt.IsActive(&bind.CallOpts{Context: ctx}, id); err != nil || !active {
		t.Errorf("new order active = %v (%v), want true", active, err)
	}

	// eth_estimateGas runs on the latest block, but the cancel is mined a
	// second later, when it pays the payee's empty credit account for the
	// first time (a zero-to-non-zero store the estimate did not see). The
	// carrier's transaction manager adds a margin; so does this test.
	buyer.GasLimit = 150_000
	tx, err = mkt.Cancel(buyer, id)
	r = mined("cancel", tx, err)
	head, err := client.HeaderByHash(ctx, r.BlockHash)
	if err != nil {
		t.Fatal(err)
	}
	served := int64(head.Time - view.Start)
	if served < 0 || served > duration {
		t.Fatalf("cancel mined at %d, order started at %d", head.Time, view.Start)
	}
	paid, err := mkt.CreditOf(&bind.CallOpts{Context: ctx}, owner.From)
	if err != nil {
		t.Fatal(err)
	}
	left, err := mkt.CreditOf(&bind.CallOpts{Context: ctx}, buyer.From)
	if err != nil {
		t.Fatal(err)
	}
	if paid.Int64() != rate*served || left.Int64() != credit-rate*served {
		t.Errorf("after cancel at %ds: owner credit %s buyer credit %s, want %d and %d",
			served, paid, left, rate*served, credit-rate*served)
	}
	if active, err := mkt.IsActive(&bind.CallOpts{Context: ctx}, id); err != nil || active {
		t.Errorf("cancelled order active = %v (%v), want false", active, err)
	}
}

// waitMined polls for a receipt every 20 ms (bind.WaitMined polls once a
// second).
func waitMined(t *testing.T, client *ethclient.Client, tx *types.Transaction) *types.Receipt {
	t.Helper()
	ctx := testContext(t)
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			return r
		}
		if !errors.Is(err, ethereum.NotFound) {
			t.Fatalf("receipt of %s: %v", tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("transaction %s not mined: %v", tx.Hash(), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
