// Package chaintest gives the gateway's tests a real go-ethereum chain with
// the gridnode contracts deployed: a dev-mode node (as go-ethereum's
// simulated backend builds it, blocks sealed on Commit) serving HTTP
// JSON-RPC on loopback, so that the code under test dials it exactly as it
// dials a devnet or a public chain. (The devnet itself lives in
// carrier/internal and cannot be imported here; the end-to-end tests run
// `carrier devnet`.)
package chaintest

import (
	"context"
	"crypto/ecdsa"
	"maps"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
)

// Chain is a running simulated chain with Token, Registry and Market
// deployed and funded accounts.
type Chain struct {
	t       testing.TB
	beacon  *catalyst.SimulatedBeacon
	client  *ethclient.Client
	node    *node.Node
	ID      *big.Int
	RPC     string
	Token   common.Address
	Reg     common.Address
	Market  common.Address
	Owner   *ecdsa.PrivateKey
	Buyers  []*ecdsa.PrivateKey
	market  *market.Market
	reg     *registry.Registry
	tok     *token.Token
	credits map[common.Address]bool

	closeOnce sync.Once
}

// Start runs a chain for the rest of the test with n buyer accounts (ether
// and tokens funded).
func Start(t testing.TB, buyers int) *Chain {
	t.Helper()
	owner := mustKey(t)
	keys := make([]*ecdsa.PrivateKey, buyers)
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(owner.PublicKey): {Balance: ether(1000)}}
	for i := range keys {
		keys[i] = mustKey(t)
		alloc[crypto.PubkeyToAddress(keys[i].PublicKey)] = types.Account{Balance: ether(1000)}
	}
	c := &Chain{t: t, Owner: owner, Buyers: keys, credits: map[common.Address]bool{}}
	c.startNode(alloc)
	ctx := context.Background()
	id, err := c.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.ID = id
	c.RPC = c.node.HTTPEndpoint()

	o := c.opts(owner)
	var tx *types.Transaction
	c.Token, tx, c.tok, err = token.DeployToken(o, c.client, "Grid", "GRID", crypto.PubkeyToAddress(owner.PublicKey))
	c.mine("deploy token", tx, err)
	c.Reg, tx, c.reg, err = registry.DeployRegistry(o, c.client)
	c.mine("deploy registry", tx, err)
	c.Market, tx, c.market, err = market.DeployMarket(o, c.client, c.Token, c.Reg)
	c.mine("deploy market", tx, err)
	for _, k := range keys {
		tx, err = c.tok.Mint(o, crypto.PubkeyToAddress(k.PublicKey), ether(1_000_000))
		c.mine("mint", tx, err)
	}
	return c
}

// startNode assembles the node as go-ethereum's simulated backend does,
// with HTTP JSON-RPC on a free loopback port.
func (c *Chain) startNode(alloc types.GenesisAlloc) {
	t := c.t
	nc := node.DefaultConfig
	nc.DataDir = ""
	nc.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""}
	nc.HTTPHost = "127.0.0.1"
	nc.HTTPPort = 0
	nc.HTTPModules = []string{"eth", "net", "web3"}
	nc.HTTPVirtualHosts = []string{"*"}
	nc.AuthPort = 0
	nc.WSHost = ""
	genesisAlloc := core.SystemContractAllocs()
	maps.Copy(genesisAlloc, alloc)
	ec := ethconfig.Defaults
	ec.Genesis = &core.Genesis{Config: params.AllDevChainProtocolChanges, GasLimit: ethconfig.Defaults.Miner.GasCeil, Alloc: genesisAlloc}
	ec.SyncMode = ethconfig.FullSync
	ec.TxPool.NoLocals = true
	stack, err := node.New(&nc)
	if err != nil {
		t.Fatal(err)
	}
	backend, err := eth.New(stack, &ec)
	if err != nil {
		_ = stack.Close()
		t.Fatal(err)
	}
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{}))}})
	if err := stack.Start(); err != nil {
		_ = stack.Close()
		t.Fatal(err)
	}
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		_ = stack.Close()
		t.Fatal(err)
	}
	if err := beacon.Fork(backend.BlockChain().GetCanonicalHash(0)); err != nil {
		_ = stack.Close()
		t.Fatal(err)
	}
	c.node, c.beacon = stack, beacon
	c.client = ethclient.NewClient(stack.Attach())
	t.Cleanup(c.Close)
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// Client is an in-process client of the chain (for the test's own
// transactions; code under test dials RPC).
func (c *Chain) Client() *ethclient.Client { return c.client }

// Commit seals a block.
func (c *Chain) Commit() { c.beacon.Commit() }

// Close stops the chain; a test may call it early (an RPC outage).
func (c *Chain) Close() {
	c.closeOnce.Do(func() {
		c.client.Close()
		_ = c.beacon.Stop()
		_ = c.node.Close()
	})
}

func (c *Chain) opts(k *ecdsa.PrivateKey) *bind.TransactOpts {
	c.t.Helper()
	o, err := bind.NewKeyedTransactorWithChainID(k, c.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	o.GasLimit = 5_000_000
	return o
}

func (c *Chain) mine(what string, tx *types.Transaction, err error) *types.Receipt {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	c.beacon.Commit()
	r, err := c.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		c.t.Fatalf("%s: receipt: %v", what, err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("%s: transaction reverted", what)
	}
	return r
}

// RegisterProvider registers provider (owned by the chain's owner) with
// small non-zero prices.
func (c *Chain) RegisterProvider(provider common.Address) {
	c.t.Helper()
	tx, err := c.reg.Register(c.opts(c.Owner), provider, "https://via.example/gw/"+provider.Hex(), "local",
		registry.RegistryCapacity{CpuMillis: 64000, MemoryBytes: 256 << 30, StorageBytes: 1 << 40},
		registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)})
	c.mine("register provider", tx, err)
}

// Address is the address of key.
func Address(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// CreateOrder has buyer order 500 millicores and 256 MiB from provider for
// duration, with manifestHash, and returns the order id.
func (c *Chain) CreateOrder(buyer *ecdsa.PrivateKey, provider common.Address, duration time.Duration, manifestHash [32]byte) *big.Int {
	c.t.Helper()
	o := c.opts(buyer)
	if !c.credits[o.From] {
		tx, err := c.tok.Approve(o, c.Market, ether(1_000_000))
		c.mine("approve", tx, err)
		tx, err = c.market.Deposit(o, ether(1_000_000))
		c.mine("deposit", tx, err)
		c.credits[o.From] = true
	}
	tx, err := c.market.CreateOrder(o, provider, market.MarketResources{CpuMillis: 500, MemoryBytes: 256 << 20},
		uint64(duration/time.Second), manifestHash)
	r := c.mine("create order", tx, err)
	for _, l := range r.Logs {
		if ev, err := c.market.ParseOrderCreated(*l); err == nil {
			return ev.Id
		}
	}
	c.t.Fatal("create order: no OrderCreated event")
	return nil
}

// Cancel cancels the order as its buyer.
func (c *Chain) Cancel(buyer *ecdsa.PrivateKey, id *big.Int) {
	c.t.Helper()
	tx, err := c.market.Cancel(c.opts(buyer), id)
	c.mine("cancel", tx, err)
}
