package p2p

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p/gossip"
	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// testChain is a devnet shared by the package's tests, started on first
// use and closed by TestMain.
var testChain struct {
	once   sync.Once
	err    error
	dn     *devchain.Devnet
	client *ethclient.Client
	info   devinfo.Info
	reader *chain.RegistryReader

	mu         sync.Mutex
	registered map[common.Address]bool
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testChain.dn != nil {
		testChain.client.Close()
		_ = testChain.dn.Close()
	}
	os.Exit(code)
}

func startChain(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	testChain.once.Do(func() {
		cfg := devchain.Defaults()
		cfg.HTTPAddr, cfg.WSAddr = "127.0.0.1:0", ""
		dn, err := devchain.New(cfg, zap.NewNop())
		if err != nil {
			testChain.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := dn.Start(ctx); err != nil {
			testChain.err = err
			return
		}
		testChain.dn, testChain.info = dn, dn.Info()
		if testChain.client, err = ethclient.Dial(testChain.info.RPC.HTTP); err != nil {
			testChain.err = err
			return
		}
		testChain.reader, testChain.err = chain.NewRegistryReader(testChain.client, testChain.info.Contracts.Registry)
		testChain.registered = map[common.Address]bool{}
	})
	if testChain.err != nil {
		t.Fatalf("devnet: %v", testChain.err)
	}
}

// chainRegistry is the devnet's Registry behind a cache, as the carrier
// uses it.
func chainRegistry(t testing.TB) listing.RegistryReader {
	startChain(t)
	return listing.NewCachedRegistry(testChain.reader, listing.CacheOptions{})
}

// register registers the providers in the devnet's Registry (the deployer
// owns them).
func register(t testing.TB, providers ...int) {
	t.Helper()
	startChain(t)
	testChain.mu.Lock()
	defer testChain.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	acc, _ := testChain.info.Account("deployer")
	k, err := acc.Key()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.NewRegistry(testChain.info.Contracts.Registry, testChain.client)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range providers {
		p := providerAddr(i)
		if testChain.registered[p] {
			continue
		}
		o, err := bind.NewKeyedTransactorWithChainID(k, new(big.Int).SetUint64(testChain.info.ChainID))
		if err != nil {
			t.Fatal(err)
		}
		o.Context, o.GasLimit = ctx, 1_000_000
		tx, err := reg.Register(o, p, fmt.Sprintf("https://via.example/gw/%d", i), "eu",
			registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 200 << 30},
			registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)},
			proofFor(t, providerKey(i), testChain.info.ChainID, testChain.info.Contracts.Registry, o.From))
		if err != nil {
			t.Fatalf("register provider %d: %v", i, err)
		}
		waitMined(t, ctx, tx)
		testChain.registered[p] = true
	}
}

func waitMined(t testing.TB, ctx context.Context, tx *types.Transaction) {
	t.Helper()
	for {
		r, err := testChain.client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatal("transaction reverted")
			}
			return
		}
		if !errors.Is(err, ethereum.NotFound) {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatal("transaction not mined")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// allowAll registers every provider, owned by the devnet's deployer (as
// register does): for tests of scale, where the devnet would only add its
// lookups (the registry path is tested on the devnet).
type allowAll struct{}

func (allowAll) OwnerOf(context.Context, common.Address) (common.Address, error) { return owner(), nil }

// owner is the owner of the test providers: the devnet's deployer, which
// registers them.
func owner() common.Address {
	acc, err := devchain.DevAccount(0)
	if err != nil {
		panic(err)
	}
	return acc.Address
}

var (
	keysMu sync.Mutex
	keys   = map[int]*ecdsa.PrivateKey{}
)

// providerKey is provider i's deterministic key.
func providerKey(i int) *ecdsa.PrivateKey {
	keysMu.Lock()
	defer keysMu.Unlock()
	if k, ok := keys[i]; ok {
		return k
	}
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("gridnode p2p test provider %d", i))))
	if err != nil {
		panic(err)
	}
	keys[i] = k
	return k
}

func providerAddr(i int) common.Address { return crypto.PubkeyToAddress(providerKey(i).PublicKey) }

// record is provider i's listing of org with seq, valid for an hour,
// modified by mutate and signed.
func record(t testing.TB, i int, org string, seq uint64, mutate func(*listing.Record)) (*listing.Record, []byte) {
	t.Helper()
	now := time.Now().Unix()
	r := &listing.Record{
		Version:    listing.Version2,
		Provider:   providerAddr(i),
		Owner:      owner(),
		Org:        org,
		GatewayURL: fmt.Sprintf("https://via.%s.example/gw/%d", org, i),
		Capacity: listing.Capacity{
			Total: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 200 << 30},
			Free:  market.Resources{CPUMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 100 << 30},
		},
		Prices:   market.Prices{CPUMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1)},
		Region:   "eu",
		Seq:      seq,
		IssuedAt: now,
		Expires:  now + 3600,
	}
	if mutate != nil {
		mutate(r)
	}
	if err := listing.Sign(r, providerKey(i)); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, raw
}

// testNode is a node on loopback with its own directory and registry.
type testNode struct {
	*Node
	t       testing.TB
	key     *ecdsa.PrivateKey
	dirPath string
	dir     *directory.Directory
	reg     *prometheus.Registry
	cancel  context.CancelFunc
	done    chan struct{}
}

type nodeOpts struct {
	org       string
	bootstrap []string
	registry  listing.RegistryReader
	dht       bool
	dirPath   string
	key       *ecdsa.PrivateKey
	listen    []string
	logger    *zap.Logger
	onStored  func(*listing.Record)
	// relays, forceRelay and denyCIDRs are Config's Relays, ForceRelay
	// and DenyCIDRs.
	relays     []string
	forceRelay bool
	denyCIDRs  []string
}

func startNode(t testing.TB, o nodeOpts) *testNode {
	t.Helper()
	if o.org == "" {
		o.org = "org-a"
	}
	if o.registry == nil {
		o.registry = allowAll{}
	}
	if o.dirPath == "" {
		o.dirPath = filepath.Join(t.TempDir(), "directory.db")
	}
	if o.key == nil {
		var err error
		if o.key, err = crypto.GenerateKey(); err != nil {
			t.Fatal(err)
		}
	}
	if o.listen == nil {
		o.listen = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	log := o.logger
	if log == nil {
		log = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	}
	reg := prometheus.NewRegistry()
	dir, err := directory.Open(o.dirPath, log.Named("directory"), directory.Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Key: o.key, Org: o.org, ListenAddrs: o.listen, Bootstrap: o.bootstrap,
		DisableDHT: !o.dht,
		Relays:     o.relays, ForceRelay: o.forceRelay, DenyCIDRs: o.denyCIDRs,
		ReconnectInterval: 200 * time.Millisecond,
		DiscoveryInterval: 200 * time.Millisecond,
		Sync:              syncOpts(),
		Gossip:            gossip.Options{ScoreInspectPeriod: 100 * time.Millisecond, OnStored: o.onStored},
	}
	cfg.Sync.OnStored = o.onStored
	n, err := New(cfg, dir, o.registry, log.Named("p2p"), reg)
	if err != nil {
		_ = dir.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tn := &testNode{Node: n, t: t, key: o.key, dirPath: o.dirPath, dir: dir, reg: reg, cancel: cancel, done: make(chan struct{})}
	go func() { defer close(tn.done); _ = n.Run(ctx) }()
	t.Cleanup(tn.stop)
	return tn
}

func syncOpts() listingsync.Options {
	return listingsync.Options{Interval: -1, MinGap: 50 * time.Millisecond}
}

// stop stops the node and closes its directory; idempotent.
func (n *testNode) stop() {
	if n.cancel == nil {
		return
	}
	n.cancel()
	<-n.done
	if err := n.Close(); err != nil {
		n.t.Errorf("closing node: %v", err)
	}
	if err := n.dir.Close(); err != nil {
		n.t.Errorf("closing directory: %v", err)
	}
	n.cancel = nil
}

// holds reports whether n holds provider i's record with seq at least seq.
func (n *testNode) holds(i int, seq uint64) bool {
	s, ok := n.dir.HeldSeq(providerAddr(i))
	return ok && s >= seq
}

// metric returns the sum of the counters or gauges with these labels.
func (n *testNode) metric(name string, labels map[string]string) float64 {
	fams, err := n.reg.Gather()
	if err != nil {
		n.t.Fatal(err)
	}
	sum := 0.0
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				sum += c.GetValue()
			} else {
				sum += m.GetGauge().GetValue()
			}
		}
	}
	return sum
}

// waitFor polls cond until it holds or timeout passes, and returns how
// long it took.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			if debugDump != nil {
				debugDump()
			}
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

var debugDump func()

// proofFor is the provider key's consent to owner, nonce 0 (each test
// provider registers once per chain), good for an hour.
func proofFor(t testing.TB, key *ecdsa.PrivateKey, chainID uint64, reg, owner common.Address) registry.RegistryProof {
	t.Helper()
	p, err := regproof.ProofForKey(key, new(big.Int).SetUint64(chainID), reg, owner, big.NewInt(0), uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
