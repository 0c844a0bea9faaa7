package devchaintest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
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
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/contracts/regproof"
)

// Bounds of the harness; generous because CI machines are small and busy.
const (
	startTimeout = 2 * time.Minute
	mineTimeout  = 30 * time.Second
	receiptPoll  = 10 * time.Millisecond
)

// Chain is a running devnet with Token, Registry and Market deployed, and
// its dev accounts' keys.
type Chain struct {
	t      testing.TB
	dev    *devchain.Devnet
	client *ethclient.Client

	// Info is the devnet's info (endpoints, contracts, dev accounts).
	Info devinfo.Info
	// ID is the chain id; RPC the HTTP JSON-RPC endpoint code under test
	// dials.
	ID  *big.Int
	RPC string
	// Token, Reg and Market are the contract addresses.
	Token  common.Address
	Reg    common.Address
	Market common.Address
	// Owner is the deployer, owner of the Token and the Registry.
	Owner *ecdsa.PrivateKey
	// Buyers are buyer-a and buyer-b, funded with ether and tokens.
	Buyers []*ecdsa.PrivateKey

	market  *market.Market
	reg     *registry.Registry
	tok     *token.Token
	credits map[common.Address]bool

	closeOnce sync.Once
}

// Start runs a devnet for the rest of the test: in memory, HTTP JSON-RPC on
// a free loopback port, a block per transaction, the default dev accounts.
func Start(t testing.TB) *Chain {
	t.Helper()
	cfg := devchain.Defaults()
	cfg.HTTPAddr, cfg.WSAddr = "127.0.0.1:0", ""
	d, err := devchain.New(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	if err := d.Start(ctx); err != nil {
		t.Fatalf("starting the devnet: %v", err)
	}
	c := &Chain{t: t, dev: d, Info: d.Info(), ID: big.NewInt(devchain.ChainID), credits: map[common.Address]bool{}}
	t.Cleanup(c.Close)
	c.RPC = c.Info.RPC.HTTP
	c.Token, c.Reg, c.Market = c.Info.Contracts.Token, c.Info.Contracts.Registry, c.Info.Contracts.Market
	c.Owner = c.key("deployer")
	c.Buyers = []*ecdsa.PrivateKey{c.key("buyer-a"), c.key("buyer-b")}
	if c.client, err = ethclient.Dial(c.RPC); err != nil {
		t.Fatalf("dialling the devnet: %v", err)
	}
	if c.market, err = market.NewMarket(c.Market, c.client); err != nil {
		t.Fatal(err)
	}
	if c.reg, err = registry.NewRegistry(c.Reg, c.client); err != nil {
		t.Fatal(err)
	}
	if c.tok, err = token.NewToken(c.Token, c.client); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *Chain) key(name string) *ecdsa.PrivateKey {
	c.t.Helper()
	a, ok := c.Info.Account(name)
	if !ok {
		c.t.Fatalf("the devnet has no account %s", name)
	}
	k, err := a.Key()
	if err != nil {
		c.t.Fatal(err)
	}
	return k
}

// Client is a client of the chain over RPC, for the test's own calls.
func (c *Chain) Client() *ethclient.Client { return c.client }

// Close stops the chain; a test may call it early (an RPC outage).
func (c *Chain) Close() {
	c.closeOnce.Do(func() {
		if c.client != nil {
			c.client.Close()
		}
		_ = c.dev.Close()
	})
}

// Address is the address of key.
func Address(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func (c *Chain) opts(k *ecdsa.PrivateKey) *bind.TransactOpts {
	c.t.Helper()
	o, err := bind.NewKeyedTransactorWithChainID(k, c.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	o.GasLimit = 5_000_000
	return o
}

// mine waits for tx, sent with err, to be mined, and fails the test unless
// it succeeded.
func (c *Chain) mine(what string, tx *types.Transaction, err error) *types.Receipt {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), mineTimeout)
	defer cancel()
	for {
		r, err := c.client.TransactionReceipt(ctx, tx.Hash())
		switch {
		case err == nil && r.Status != types.ReceiptStatusSuccessful:
			c.t.Fatalf("%s: transaction reverted", what)
		case err == nil:
			// A receipt can be readable a moment before the node's head
			// (what calls on "latest" read) reaches its block: wait for the
			// head, so that the caller's next read sees the transaction.
			head, herr := c.client.BlockNumber(ctx)
			if herr != nil {
				c.t.Fatalf("%s: head: %v", what, herr)
			}
			if head >= r.BlockNumber.Uint64() {
				return r
			}
		case errors.Is(err, ethereum.NotFound), strings.Contains(err.Error(), "indexing is in progress"):
			// not mined (or not indexed) yet
		default:
			c.t.Fatalf("%s: receipt: %v", what, err)
		}
		select {
		case <-ctx.Done():
			c.t.Fatalf("%s: not mined within %s", what, mineTimeout)
		case <-time.After(receiptPoll):
		}
	}
}

// RegisterProvider registers the provider whose key is key (owned by the
// chain's owner, with the key's proof of possession) with small non-zero
// prices, and returns its address.
func (c *Chain) RegisterProvider(key *ecdsa.PrivateKey) common.Address {
	c.t.Helper()
	provider := crypto.PubkeyToAddress(key.PublicKey)
	tx, err := c.reg.Register(c.opts(c.Owner), provider, "https://via.example/gw/"+provider.Hex(), "local",
		registry.RegistryCapacity{CpuMillis: 64000, MemoryBytes: 256 << 30, StorageBytes: 1 << 40},
		registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)},
		c.Proof(key, Address(c.Owner)))
	c.mine("register provider", tx, err)
	return provider
}

// NewProvider generates a provider key and registers it (RegisterProvider).
func (c *Chain) NewProvider() (*ecdsa.PrivateKey, common.Address) {
	c.t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		c.t.Fatal(err)
	}
	return k, c.RegisterProvider(k)
}

// Proof is the provider key's consent to owner with the provider's next
// nonce, good for an hour.
func (c *Chain) Proof(key *ecdsa.PrivateKey, owner common.Address) registry.RegistryProof {
	c.t.Helper()
	provider := crypto.PubkeyToAddress(key.PublicKey)
	n, err := c.reg.NonceOf(&bind.CallOpts{}, provider)
	if err != nil {
		c.t.Fatalf("nonceOf: %v", err)
	}
	r := regproof.Registration{ChainID: c.ID, Registry: c.Reg, Provider: provider, Owner: owner, Nonce: n,
		Deadline: uint64(time.Now().Add(time.Hour).Unix())}
	sig, err := r.Sign(regproof.KeySigner{Key: key})
	if err != nil {
		c.t.Fatal(err)
	}
	return r.Proof(sig)
}

// NoMax is a createOrder maxEscrow that never stops an order.
var NoMax = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// CreateOrder has buyer order 500 millicores and 256 MiB from provider for
// duration, with manifestHash, and returns the order id. A buyer's first
// order deposits all its tokens in the Market.
func (c *Chain) CreateOrder(buyer *ecdsa.PrivateKey, provider common.Address, duration time.Duration, manifestHash [32]byte) *big.Int {
	c.t.Helper()
	o := c.opts(buyer)
	if !c.credits[o.From] {
		tx, err := c.tok.Approve(o, c.Market, devchain.DefaultTokenMint)
		c.mine("approve", tx, err)
		tx, err = c.market.Deposit(o, devchain.DefaultTokenMint)
		c.mine("deposit", tx, err)
		c.credits[o.From] = true
	}
	tx, err := c.market.CreateOrder(o, provider, market.MarketResources{CpuMillis: 500, MemoryBytes: 256 << 20},
		uint64(duration/time.Second), manifestHash, NoMax)
	r := c.mine("create order", tx, err)
	for _, l := range r.Logs {
		if ev, err := c.market.ParseOrderCreated(*l); err == nil {
			return ev.Id
		}
	}
	c.t.Fatal("create order: no OrderCreated event")
	return nil
}

// Extend adds duration to the order as its buyer.
func (c *Chain) Extend(buyer *ecdsa.PrivateKey, id *big.Int, duration time.Duration) {
	c.t.Helper()
	tx, err := c.market.Extend(c.opts(buyer), id, uint64(duration/time.Second))
	c.mine("extend", tx, err)
}

// CloseOrder closes the order as its payee (the chain's owner, who
// registers every provider here).
func (c *Chain) CloseOrder(id *big.Int) {
	c.t.Helper()
	tx, err := c.market.Close(c.opts(c.Owner), id)
	c.mine("close", tx, err)
}

// UpdateManifest sets the order's manifest hash as its buyer.
func (c *Chain) UpdateManifest(buyer *ecdsa.PrivateKey, id *big.Int, hash [32]byte) {
	c.t.Helper()
	tx, err := c.market.UpdateManifest(c.opts(buyer), id, hash)
	c.mine("update manifest", tx, err)
}

// Cancel cancels the order as its buyer.
func (c *Chain) Cancel(buyer *ecdsa.PrivateKey, id *big.Int) {
	c.t.Helper()
	tx, err := c.market.Cancel(c.opts(buyer), id)
	c.mine("cancel", tx, err)
}
