package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/regproof"
)

// The harness: a simulated chain with the three contracts deployed and a set
// of funded accounts with fixed keys.
//
// Time is deterministic: newEnv moves the chain ten years past the wall clock,
// so every Commit seals a block exactly one second after its parent (the
// simulated beacon uses max(now, parent+1)), and nextBlockAt sets the time of
// the next block exactly.

const (
	chainID   = 1337
	nAccounts = 40
	// Account roles by index.
	deployer = 0 // Token owner; deploys everything.
	orgA     = 1 // owner of providerA and providerA2
	orgB     = 2 // owner of providerB
	outsider = 3 // holds nothing, owns nothing
	buyer0   = 4 // first of the buyers; buyers are buyer0..nAccounts-1
)

// Enum Market.Status.
const (
	statusNone uint8 = iota
	statusOpen
	statusCancelled
	statusSettled
	statusClosed
)

var (
	mib = uint64(1) << 20
	gib = uint64(1) << 30
	// Default prices of the test providers, per second.
	defaultPrices = registry.RegistryPrices{
		CpuMilli:   big.NewInt(3),
		MemoryMiB:  big.NewInt(5),
		StorageGiB: big.NewInt(7),
		Gpu:        big.NewInt(1000),
	}
	testManifest = crypto.Keccak256Hash([]byte("manifest v1"))
)

func testKey(i int) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("gridnode contracts test key %d", i))))
	if err != nil {
		panic(err)
	}
	return k
}

// providerAddr is a provider (gateway) address; providers never send
// transactions here, only their owners do.
func providerAddr(i int) common.Address {
	k := testKey(1000 + i)
	a := crypto.PubkeyToAddress(k.PublicKey)
	providerKeys.Store(a, k)
	return a
}

// providerKeys maps each providerAddr address to its key.
var providerKeys sync.Map

// providerKey is the key of a providerAddr address, or nil.
func providerKey(a common.Address) *ecdsa.PrivateKey {
	if k, ok := providerKeys.Load(a); ok {
		return k.(*ecdsa.PrivateKey)
	}
	return nil
}

// noMax is createOrder's maxEscrow when a test does not test the guard.
var noMax = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

var (
	providerA  = providerAddr(1)
	providerA2 = providerAddr(2)
	providerB  = providerAddr(3)
)

// osakaRules runs the simulated chain on mainnet's current rules (Osaka).
// go-ethereum v1.17.8's dev-chain config also switches on the unreleased Bogota
// fork from genesis, which plugs Amsterdam's EIP-8037/8038 gas repricing into
// the EVM without the rest of Amsterdam: storage writes then cost several times
// what they cost on a real chain, and gas estimates can come out too low.
func osakaRules(_ *node.Config, c *ethconfig.Config) {
	cfg := *c.Genesis.Config
	cfg.AmsterdamTime = nil
	cfg.BogotaTime = nil
	c.Genesis.Config = &cfg
}

// nextBlockEstimates makes the bindings estimate gas (and so detect reverts)
// against the pending block, whose timestamp is the next block's, instead of
// the latest one: with time-dependent contracts an estimate made one second
// early can revert where the mined transaction would not, or be too low.
type nextBlockEstimates struct{ simulated.Client }

func (b nextBlockEstimates) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	return b.Client.(interface {
		EstimateGasAtBlock(context.Context, ethereum.CallMsg, *big.Int) (uint64, error)
	}).EstimateGasAtBlock(ctx, msg, big.NewInt(int64(rpc.PendingBlockNumber)))
}

type env struct {
	tb     testing.TB
	sim    *simulated.Backend
	client simulated.Client
	// backend is what the bindings send through: client with estimates made
	// against the next block.
	backend bind.ContractBackend
	keys    []*ecdsa.PrivateKey
	addrs   []common.Address

	tokenAddr, registryAddr, marketAddr common.Address

	token    *token.Token
	registry *registry.Registry
	market   *market.Market
}

// newEnv starts a chain, deploys Token, Registry and Market, and registers
// providerA and providerA2 (orgA) and providerB (orgB) at defaultPrices.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	e := &env{tb: tb}
	alloc := types.GenesisAlloc{}
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	for i := range nAccounts {
		k := testKey(i)
		e.keys = append(e.keys, k)
		e.addrs = append(e.addrs, crypto.PubkeyToAddress(k.PublicKey))
		alloc[e.addrs[i]] = types.Account{Balance: ether}
	}
	e.sim = simulated.NewBackend(alloc, osakaRules)
	tb.Cleanup(func() { _ = e.sim.Close() })
	e.client = e.sim.Client()
	e.backend = nextBlockEstimates{e.client}

	ahead := time.Now().Add(10*365*24*time.Hour).Unix() - int64(e.now())
	e.adjustTime(time.Duration(ahead) * time.Second)

	var err error
	var tx *types.Transaction
	e.tokenAddr, tx, e.token, err = token.DeployToken(e.opts(deployer), e.backend, "Grid Credit", "GRID", e.addrs[deployer])
	e.mine(tx, err)
	e.registryAddr, tx, e.registry, err = registry.DeployRegistry(e.opts(deployer), e.backend)
	e.mine(tx, err)
	e.marketAddr, tx, e.market, err = market.DeployMarket(e.opts(deployer), e.backend, e.tokenAddr, e.registryAddr)
	e.mine(tx, err)

	e.register(orgA, providerA, defaultPrices)
	e.register(orgA, providerA2, defaultPrices)
	e.register(orgB, providerB, defaultPrices)
	return e
}

// opts returns fresh transact options for account i.
func (e *env) opts(i int) *bind.TransactOpts {
	o, err := bind.NewKeyedTransactorWithChainID(e.keys[i], big.NewInt(chainID))
	if err != nil {
		e.tb.Fatalf("transactor: %v", err)
	}
	return o
}

// now is the time of the latest block.
func (e *env) now() uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		e.tb.Fatalf("head: %v", err)
	}
	return h.Time
}

// nextBlockAt makes the next committed block carry timestamp ts.
func (e *env) nextBlockAt(ts uint64) {
	e.tb.Helper()
	head := e.now()
	if ts <= head {
		e.tb.Fatalf("nextBlockAt(%d): head is already at %d", ts, head)
	}
	if ts > head+1 {
		e.adjustTime(time.Duration(ts-head-1) * time.Second)
	}
}

// adjustTime seals an empty block d after the latest one. The transaction
// pool drops the transactions of a new block asynchronously, and AdjustTime
// refuses to run while it still lists any, so this retries briefly.
func (e *env) adjustTime(d time.Duration) {
	e.tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := e.sim.AdjustTime(d)
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "non-empty block") || time.Now().After(deadline) {
			e.tb.Fatalf("adjust time: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
}

// mine commits the block holding tx and returns its receipt, failing the test
// if sending failed or the transaction reverted.
func (e *env) mine(tx *types.Transaction, err error) *types.Receipt {
	e.tb.Helper()
	if err != nil {
		e.tb.Fatalf("send: %v (revert: %s)", err, revertName(err))
	}
	e.sim.Commit()
	return e.receipt(tx)
}

func (e *env) receipt(tx *types.Transaction) *types.Receipt {
	e.tb.Helper()
	r, err := e.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		e.tb.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		e.tb.Fatalf("tx %s reverted (gas used %d)", tx.Hash(), r.GasUsed)
	}
	return r
}

// blockTime is the timestamp of the block that holds r.
func (e *env) blockTime(r *types.Receipt) uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), r.BlockNumber)
	if err != nil {
		e.tb.Fatalf("header %v: %v", r.BlockNumber, err)
	}
	return h.Time
}

func (e *env) register(owner int, provider common.Address, prices registry.RegistryPrices) *types.Receipt {
	e.tb.Helper()
	return e.mine(e.registry.Register(e.opts(owner), provider, "https://gw.example/"+provider.Hex()[:8], "eu-west",
		registry.RegistryCapacity{CpuMillis: 64000, MemoryBytes: 256 * gib, StorageBytes: 4096 * gib, Gpus: 4, GpuModel: "L4"},
		prices, e.proof(provider, e.addrs[owner])))
}

// proofDeadline is far enough ahead of the simulated clock for any test.
const proofDeadline = 1 << 40

// proof is provider's consent to owner with its current nonce, signed by
// its key (providerAddr's keys only).
func (e *env) proof(provider, owner common.Address) registry.RegistryProof {
	e.tb.Helper()
	n, err := e.registry.NonceOf(nil, provider)
	if err != nil {
		e.tb.Fatalf("nonceOf: %v", err)
	}
	return e.proofWith(provider, owner, n, proofDeadline)
}

// proofWith signs the registration exactly as given.
func (e *env) proofWith(provider, owner common.Address, nonce *big.Int, deadline uint64) registry.RegistryProof {
	e.tb.Helper()
	key := providerKey(provider)
	if key == nil { // an address no key is known for: a proof by another key
		key = testKey(999)
	}
	r := regproof.Registration{ChainID: big.NewInt(chainID), Registry: e.registryAddr, Provider: provider, Owner: owner,
		Nonce: nonce, Deadline: deadline}
	sig, err := r.Sign(regproof.KeySigner{Key: key})
	if err != nil {
		e.tb.Fatal(err)
	}
	return r.Proof(sig)
}

// fund mints amount to account i and deposits it into its Market credit.
func (e *env) fund(i int, amount *big.Int) {
	e.tb.Helper()
	e.mine(e.token.Mint(e.opts(deployer), e.addrs[i], amount))
	e.mine(e.token.Approve(e.opts(i), e.marketAddr, amount))
	e.mine(e.market.Deposit(e.opts(i), amount))
}

// createOrder creates an order from buyer i and returns its id and receipt.
func (e *env) createOrder(i int, provider common.Address, res market.MarketResources, duration uint64) (*big.Int, *types.Receipt) {
	e.tb.Helper()
	r := e.mine(e.market.CreateOrder(e.opts(i), provider, res, duration, testManifest, noMax))
	ev := e.orderCreated(r)
	return ev.Id, r
}

func (e *env) orderCreated(r *types.Receipt) *market.MarketOrderCreated {
	e.tb.Helper()
	for _, l := range r.Logs {
		if ev, err := e.market.ParseOrderCreated(*l); err == nil {
			return ev
		}
	}
	e.tb.Fatalf("no OrderCreated in tx %s", r.TxHash)
	return nil
}

func (e *env) credit(i int) *big.Int { return e.creditOf(e.addrs[i]) }

func (e *env) creditOf(a common.Address) *big.Int {
	e.tb.Helper()
	c, err := e.market.CreditOf(nil, a)
	if err != nil {
		e.tb.Fatalf("creditOf: %v", err)
	}
	return c
}

func (e *env) balance(a common.Address) *big.Int {
	e.tb.Helper()
	b, err := e.token.BalanceOf(nil, a)
	if err != nil {
		e.tb.Fatalf("balanceOf: %v", err)
	}
	return b
}

func (e *env) order(id *big.Int) market.MarketOrderView {
	e.tb.Helper()
	o, err := e.market.GetOrder(nil, id)
	if err != nil {
		e.tb.Fatalf("getOrder(%v): %v", id, err)
	}
	return o
}

// expectRevert fails the test unless err is a revert with the custom error
// called name, and returns the error's decoded arguments.
func (e *env) expectRevert(err error, name string) []any {
	e.tb.Helper()
	if err == nil {
		e.tb.Fatalf("expected revert %s, got success", name)
	}
	got, args := decodeRevert(err)
	if got != name {
		e.tb.Fatalf("expected revert %s, got %s (%v)", name, got, err)
	}
	return args
}

// knownErrors maps 4-byte selectors to the custom errors of all three ABIs.
var knownErrors = func() map[[4]byte]abi.Error {
	m := map[[4]byte]abi.Error{}
	for _, meta := range []*bind.MetaData{token.TokenMetaData, registry.RegistryMetaData, market.MarketMetaData} {
		parsed, err := meta.GetAbi()
		if err != nil {
			panic(err)
		}
		for _, e := range parsed.Errors {
			m[[4]byte(e.ID[:4])] = e
		}
	}
	return m
}()

// decodeRevert names the custom error in a failed call's revert data:
// "Panic(0x11)" for a panic, "Error(msg)" for a require string, "" if err
// carries no revert data.
func decodeRevert(err error) (string, []any) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return "", nil
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return "", nil
	}
	data, derr := hexutil.Decode(s)
	if derr != nil || len(data) < 4 {
		return "", nil
	}
	if reason, uerr := abi.UnpackRevert(data); uerr == nil {
		return "Error(" + reason + ")", nil
	}
	if e, ok := knownErrors[[4]byte(data[:4])]; ok {
		v, uerr := e.Unpack(data)
		if uerr != nil {
			return e.Name, nil
		}
		args, _ := v.([]any)
		return e.Name, args
	}
	return fmt.Sprintf("unknown(%x)", data[:4]), nil
}

func revertName(err error) string {
	name, args := decodeRevert(err)
	if name == "" {
		return "none"
	}
	return fmt.Sprintf("%s%v", name, args)
}

// rateOf is the reference price per second, computed independently of the
// contract with big integers.
func rateOf(res market.MarketResources, p registry.RegistryPrices) *big.Int {
	ceil := func(x, unit uint64) *big.Int {
		n := new(big.Int).SetUint64(x)
		n.Add(n, new(big.Int).SetUint64(unit-1))
		return n.Div(n, new(big.Int).SetUint64(unit))
	}
	r := new(big.Int).Mul(new(big.Int).SetUint64(res.CpuMillis), p.CpuMilli)
	r.Add(r, new(big.Int).Mul(ceil(res.MemoryBytes, mib), p.MemoryMiB))
	r.Add(r, new(big.Int).Mul(ceil(res.StorageBytes, gib), p.StorageGiB))
	r.Add(r, new(big.Int).Mul(new(big.Int).SetUint64(uint64(res.Gpus)), p.Gpu))
	return r
}

func escrowOf(res market.MarketResources, p registry.RegistryPrices, duration uint64) *big.Int {
	return new(big.Int).Mul(rateOf(res, p), new(big.Int).SetUint64(duration))
}

func bi(x int64) *big.Int { return big.NewInt(x) }

func mul(a *big.Int, b uint64) *big.Int { return new(big.Int).Mul(a, new(big.Int).SetUint64(b)) }

func sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }

func add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }

func eq(tb testing.TB, what string, got, want *big.Int) {
	tb.Helper()
	if got.Cmp(want) != 0 {
		tb.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// smallOrder is 1.5 cores, 1.5 GiB + 1 byte (1537 MiB billed), 10 GiB − 1 byte
// (10 GiB billed) and one GPU: 13255 base units per second at defaultPrices.
var smallOrder = market.MarketResources{CpuMillis: 1500, MemoryBytes: 1536*mib + 1, StorageBytes: 10*gib - 1, Gpus: 1}

func TestHarness(t *testing.T) {
	e := newEnv(t)
	if got := rateOf(smallOrder, defaultPrices); got.Cmp(bi(13255)) != 0 {
		t.Fatalf("reference rate = %v, want 13255", got)
	}
	// Each commit advances exactly one second; nextBlockAt is exact.
	t0 := e.now()
	e.sim.Commit()
	if got := e.now(); got != t0+1 {
		t.Fatalf("commit moved time %d → %d, want +1", t0, got)
	}
	e.nextBlockAt(t0 + 100)
	e.sim.Commit()
	if got := e.now(); got != t0+100 {
		t.Fatalf("nextBlockAt: block time %d, want %d", got, t0+100)
	}
	id, err := e.client.ChainID(context.Background())
	if err != nil || id.Int64() != chainID {
		t.Fatalf("chain id = %v, %v", id, err)
	}
}

var zeroAddr common.Address

// must unwraps a view call's result in tests where the call cannot fail.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// createAndCancelInOneBlock sends createOrder and cancel from buyer i and
// mines both in one block, so that the order is cancelled at its start time.
//
// The cancel (nonce n+1) is sent before the create (nonce n). Sent the
// other way round, the create is already pending when the cancel arrives,
// and if the pool reset that Commit forces runs before the cancel's own
// promotion, go-ethereum v1.17.8's legacypool promotes from the account's
// state nonce, finds nothing at n in its queue and leaves the cancel there
// until the next block (1 run in ~150 failed that way). With the cancel
// queued behind a gap, one promotion of either kind moves both.
func (e *env) createAndCancelInOneBlock(i int, provider common.Address, res market.MarketResources, duration uint64) (*big.Int, *types.Receipt) {
	e.tb.Helper()
	id := new(big.Int).Add(must(e.market.OrderCount(nil)), big.NewInt(1))
	nonce, err := e.client.PendingNonceAt(context.Background(), e.addrs[i])
	if err != nil {
		e.tb.Fatalf("nonce: %v", err)
	}
	// Fixed gas limits: estimating cancel against the latest block would fail,
	// the order does not exist there yet.
	o := e.opts(i)
	o.GasLimit = 300_000
	o.Nonce = new(big.Int).SetUint64(nonce + 1)
	cancelTx, err := e.market.Cancel(o, id)
	if err != nil {
		e.tb.Fatalf("cancel: %v", err)
	}
	o = e.opts(i)
	o.GasLimit = 1_000_000
	o.Nonce = new(big.Int).SetUint64(nonce)
	ctx, err := e.market.CreateOrder(o, provider, res, duration, testManifest, noMax)
	if err != nil {
		e.tb.Fatalf("createOrder: %v", err)
	}
	e.sim.Commit()
	cr, r := e.receipt(ctx), e.receipt(cancelTx)
	if cr.BlockNumber.Cmp(r.BlockNumber) != 0 {
		e.tb.Fatalf("create in block %v, cancel in %v", cr.BlockNumber, r.BlockNumber)
	}
	if ev := e.orderCreated(cr); ev.Id.Cmp(id) != 0 {
		e.tb.Fatalf("created order %v, cancelled %v", ev.Id, id)
	}
	return id, r
}

// registration is provider's consent to owner on this chain and Registry.
func (e *env) registration(provider, owner common.Address, nonce *big.Int, deadline uint64) regproof.Registration {
	return regproof.Registration{ChainID: big.NewInt(chainID), Registry: e.registryAddr, Provider: provider, Owner: owner,
		Nonce: nonce, Deadline: deadline}
}

// signWith signs r with key, whoever's key it is.
func (e *env) signWith(key *ecdsa.PrivateKey, r regproof.Registration) registry.RegistryProof {
	e.tb.Helper()
	sig, err := r.Sign(regproof.KeySigner{Key: key})
	if err != nil {
		e.tb.Fatal(err)
	}
	return r.Proof(sig)
}

// sendRegister sends register(provider) from account i with proof and
// testCapacity, defaultPrices.
func (e *env) sendRegister(i int, provider common.Address, proof registry.RegistryProof) (*types.Transaction, error) {
	return e.registry.Register(e.opts(i), provider, "https://gw.example/"+provider.Hex()[:8], "eu-west", testCapacity,
		defaultPrices, proof)
}

// keyOpts returns transact options for a raw key (a provider key, after
// sendEther).
func (e *env) keyOpts(k *ecdsa.PrivateKey) *bind.TransactOpts {
	o, err := bind.NewKeyedTransactorWithChainID(k, big.NewInt(chainID))
	if err != nil {
		e.tb.Fatalf("transactor: %v", err)
	}
	return o
}

// sendEther sends one ether from the deployer to a, for its gas.
func (e *env) sendEther(a common.Address) {
	e.tb.Helper()
	ctx := context.Background()
	nonce, err := e.client.PendingNonceAt(ctx, e.addrs[deployer])
	if err != nil {
		e.tb.Fatal(err)
	}
	head, err := e.client.HeaderByNumber(ctx, nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	tip := big.NewInt(1e9)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(chainID), Nonce: nonce, GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip), Gas: 21000, To: &a,
		Value: new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(chainID)), e.keys[deployer])
	if err != nil {
		e.tb.Fatal(err)
	}
	e.mine(signed, e.client.SendTransaction(ctx, signed))
}

// callAt runs tx's call as eth_call on the state after block n and returns
// the error: the revert a mined, failed transaction would have had if it
// had run at the end of that block.
func (e *env) callAt(tx *types.Transaction, from common.Address, n *big.Int) error {
	_, err := e.client.CallContract(context.Background(), ethereum.CallMsg{From: from, To: tx.To(), Data: tx.Data(),
		Gas: tx.Gas()}, n)
	return err
}

// failedReceipt returns tx's receipt and fails the test unless it reverted.
func (e *env) failedReceipt(tx *types.Transaction) *types.Receipt {
	e.tb.Helper()
	r, err := e.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		e.tb.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusFailed {
		e.tb.Fatalf("tx %s succeeded, want a revert", tx.Hash())
	}
	return r
}

// logOf returns the first log of r that parse accepts.
func logOf[T any](tb testing.TB, r *types.Receipt, parse func(types.Log) (*T, error)) *T {
	tb.Helper()
	for _, l := range r.Logs {
		if ev, err := parse(*l); err == nil {
			return ev
		}
	}
	tb.Fatalf("tx %s: no such event in its %d logs", r.TxHash, len(r.Logs))
	return nil
}
