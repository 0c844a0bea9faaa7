package deploy_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/deploy"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
)

// testContext bounds what a test waits for; a hang guard, not a timing
// assertion.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// newDeployer is a fresh key holding wei, sent from the devnet's buyer-b.
func newDeployer(t *testing.T, c *devchaintest.Chain, wei *big.Int) (*ecdsa.PrivateKey, *bind.TransactOpts) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if wei.Sign() > 0 {
		transfer(t, c.Client(), c.ID, c.Buyers[1], crypto.PubkeyToAddress(key.PublicKey), wei)
	}
	auth, err := bind.NewKeyedTransactorWithChainID(key, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return key, auth
}

// transfer sends wei from key to `to` and waits for it.
func transfer(t *testing.T, client *ethclient.Client, chainID *big.Int, key *ecdsa.PrivateKey, to common.Address, wei *big.Int) {
	t.Helper()
	ctx := testContext(t)
	auth, err := bind.NewKeyedTransactorWithChainID(key, chainID)
	if err != nil {
		t.Fatal(err)
	}
	s, err := deploy.NewSender(ctx, client, auth, chainID)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fees()
	tx, err := auth.Signer(auth.From, types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: s.Nonce(),
		GasTipCap: f.TipCap, GasFeeCap: f.FeeCap, Gas: params.TxGas, To: &to, Value: wei}))
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := deploy.WaitMined(ctx, client, []deploy.Step{{Name: "transfer", Tx: tx}}, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// TestDeploy deploys the three contracts from a fresh account on a devnet
// over JSON-RPC and checks what is on chain: the wiring, the Token's
// owner and name, the addresses (the deployer's nonces), the deploy block
// and the progress lines.
func TestDeploy(t *testing.T) {
	c := devchaintest.Start(t)
	ctx := testContext(t)
	key, auth := newDeployer(t, c, ether(10))
	from := crypto.PubkeyToAddress(key.PublicKey)
	var out bytes.Buffer
	res, err := deploy.Deploy(ctx, c.Client(), auth, deploy.Options{TokenName: "Test Credit", TokenSymbol: "TC",
		Confirmations: 1, PollInterval: 10 * time.Millisecond, Progress: &out})
	if err != nil {
		t.Fatalf("Deploy: %v\n%s", err, out.String())
	}
	t.Logf("progress:\n%s", out.String())
	want := deploy.Contracts{Token: crypto.CreateAddress(from, 0), Registry: crypto.CreateAddress(from, 1), Market: crypto.CreateAddress(from, 2)}
	if res.Contracts != want || !res.TokenDeployed || res.Deployer != from || res.ChainID != devchain.ChainID {
		t.Fatalf("result %+v, want contracts %+v from %s", res, want, from)
	}
	if len(res.Receipts) != 3 || res.DeployBlock != res.Receipts[0].BlockNumber.Uint64() {
		t.Fatalf("deploy block %d, receipts %d", res.DeployBlock, len(res.Receipts))
	}
	call := &bind.CallOpts{Context: ctx}
	m, err := market.NewMarket(res.Contracts.Market, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := m.Token(call); err != nil || got != want.Token {
		t.Errorf("market.token() = %s, %v; want %s", got, err, want.Token)
	}
	if got, err := m.Registry(call); err != nil || got != want.Registry {
		t.Errorf("market.registry() = %s, %v; want %s", got, err, want.Registry)
	}
	tok, err := token.NewToken(res.Contracts.Token, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if owner, err := tok.Owner(call); err != nil || owner != from {
		t.Errorf("token.owner() = %s, %v; want the deployer %s", owner, err, from)
	}
	if name, err := tok.Name(call); err != nil || name != "Test Credit" {
		t.Errorf("token.name() = %q, %v", name, err)
	}
	reg, err := registry.NewRegistry(res.Contracts.Registry, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := reg.ProviderCount(call); err != nil || n.Sign() != 0 {
		t.Errorf("registry.providerCount() = %v, %v", n, err)
	}
	for i, r := range res.Receipts {
		if !strings.Contains(out.String(), r.TxHash.Hex()) {
			t.Errorf("progress does not name transaction %d %s", i, r.TxHash)
		}
	}
	for _, line := range []string{"token: sent transaction", "market: transaction", "confirmations: 1/1",
		"token at " + want.Token.Hex() + ": code verified", "market at " + want.Market.Hex() + ": code verified"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("progress has no %q", line)
		}
	}
}

// TestDeployExistingToken wires a new Registry and Market to the devnet's
// Token; only two transactions are sent.
func TestDeployExistingToken(t *testing.T) {
	c := devchaintest.Start(t)
	ctx := testContext(t)
	key, auth := newDeployer(t, c, ether(10))
	from := crypto.PubkeyToAddress(key.PublicKey)
	res, err := deploy.Deploy(ctx, c.Client(), auth, deploy.Options{Token: c.Token, PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	want := deploy.Contracts{Token: c.Token, Registry: crypto.CreateAddress(from, 0), Market: crypto.CreateAddress(from, 1)}
	if res.Contracts != want || res.TokenDeployed || len(res.Receipts) != 2 {
		t.Fatalf("result %+v, want %+v and two receipts", res, want)
	}
	m, err := market.NewMarket(res.Contracts.Market, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := m.Token(&bind.CallOpts{Context: ctx}); err != nil || got != c.Token {
		t.Errorf("market.token() = %s, %v; want %s", got, err, c.Token)
	}
}

// TestDeployRefusals: bad input fails before anything is sent (the
// deployer's nonce does not move), with a message naming what is wrong.
func TestDeployRefusals(t *testing.T) {
	c := devchaintest.Start(t)
	ctx := testContext(t)
	_, poor := newDeployer(t, c, big.NewInt(0))
	_, rich := newDeployer(t, c, ether(10))
	_, little := newDeployer(t, c, big.NewInt(1_000_000))
	eoa := crypto.PubkeyToAddress(c.Buyers[0].PublicKey)
	for _, tc := range []struct {
		name string
		auth *bind.TransactOpts
		opts deploy.Options
		is   error
		want []string
	}{
		{"empty balance", poor, deploy.Options{}, deploy.ErrInsufficientFunds, []string{poor.From.Hex(), "holds 0 wei"}},
		{"balance too small", little, deploy.Options{}, deploy.ErrInsufficientFunds, []string{little.From.Hex(), "holds 1000000 wei"}},
		{"token is an account", rich, deploy.Options{Token: eoa}, deploy.ErrNotERC20, []string{eoa.Hex(), "no contract code"}},
		{"token is not an ERC-20", rich, deploy.Options{Token: c.Reg}, deploy.ErrNotERC20, []string{c.Reg.Hex(), "decimals()"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := deploy.Deploy(ctx, c.Client(), tc.auth, tc.opts)
			if !errors.Is(err, tc.is) {
				t.Fatalf("Deploy = %v, want %v", err, tc.is)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if n, err := c.Client().PendingNonceAt(ctx, tc.auth.From); err != nil || n != 0 {
				t.Errorf("deployer nonce %d, %v: something was sent", n, err)
			}
		})
	}
}

// TestRuntimeCode: the code RuntimeCode computes is the code the devnet's
// own deployment (the deployer's nonces 0 to 2) left on chain, byte for
// byte, Market's immutables included; and Verify notices code that is not
// what the bindings produce.
func TestRuntimeCode(t *testing.T) {
	c := devchaintest.Start(t)
	ctx := testContext(t)
	deployer := crypto.PubkeyToAddress(c.Owner.PublicKey)
	input := func(meta *bind.MetaData, args ...any) []byte {
		parsed, err := meta.GetAbi()
		if err != nil {
			t.Fatal(err)
		}
		packed, err := parsed.Pack("", args...)
		if err != nil {
			t.Fatal(err)
		}
		return append(common.FromHex(meta.Bin), packed...)
	}
	creations := []deploy.Creation{
		{Name: "token", From: deployer, Nonce: 0, Input: input(token.TokenMetaData, devchain.TokenName, devchain.TokenSymbol, deployer)},
		{Name: "registry", From: deployer, Nonce: 1, Input: input(registry.RegistryMetaData)},
		{Name: "market", From: deployer, Nonce: 2, Input: input(market.MarketMetaData, c.Token, c.Reg)},
	}
	for i, addr := range []common.Address{c.Token, c.Reg, c.Market} {
		cr := creations[i]
		if cr.Address() != addr {
			t.Fatalf("%s: address %s, the devnet's is %s", cr.Name, cr.Address(), addr)
		}
		want, err := deploy.RuntimeCode(c.ID, cr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Client().CodeAt(ctx, addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Fatalf("%s: RuntimeCode gives %d bytes, the chain holds %d", cr.Name, len(want), len(got))
		}
		if _, err := deploy.Verify(ctx, c.Client(), c.ID, cr); err != nil {
			t.Fatalf("Verify(%s) = %v", cr.Name, err)
		}
	}
	if !bytes.Contains(mustCode(t, c, c.Market), c.Token.Bytes()) {
		t.Error("the Market's code does not embed its token address")
	}

	// The Market with other immutables, the Registry's code expected at
	// the Token's address, and a creation at an address without code.
	other := creations[2]
	other.Input = input(market.MarketMetaData, c.Reg, c.Token)
	wrongPlace := creations[1]
	wrongPlace.Nonce = 0
	nothing := creations[1]
	nothing.Nonce = 99
	for _, cr := range []deploy.Creation{other, wrongPlace, nothing} {
		if _, err := deploy.Verify(ctx, c.Client(), c.ID, cr); !errors.Is(err, deploy.ErrCodeMismatch) {
			t.Errorf("Verify(%s at nonce %d) = %v, want ErrCodeMismatch", cr.Name, cr.Nonce, err)
		}
	}
	// The Registry embeds its EIP-712 domain (the chain id and its own
	// address) as immutables: on another chain id the same creation gives
	// other code, so RuntimeCode must run with the chain's id.
	if got, err := deploy.RuntimeCode(big.NewInt(1), creations[1]); err != nil || bytes.Equal(got, mustCode(t, c, c.Reg)) {
		t.Errorf("the Registry's RuntimeCode on chain 1 equals the code on chain %s (%v)", c.ID, err)
	}
	if !bytes.Contains(mustCode(t, c, c.Reg), c.Reg.Bytes()) {
		t.Error("the Registry's code does not embed its own address")
	}
}

func mustCode(t *testing.T, c *devchaintest.Chain, addr common.Address) []byte {
	t.Helper()
	code, err := c.Client().CodeAt(testContext(t), addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestDeployConfirmations: with N confirmations, Deploy returns only once
// the chain (a block a second) is N blocks past the last deployment.
func TestDeployConfirmations(t *testing.T) {
	cfg := devchain.Defaults()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Period = "127.0.0.1:0", "", time.Second
	d, err := devchain.New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	ctx := testContext(t)
	if err := d.Start(ctx); err != nil {
		t.Fatal(err)
	}
	info := d.Info()
	client, err := ethclient.Dial(info.RPC.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	a, _ := info.Account("provider-b")
	key, err := a.Key()
	if err != nil {
		t.Fatal(err)
	}
	auth, err := bind.NewKeyedTransactorWithChainID(key, big.NewInt(devchain.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := deploy.Deploy(ctx, client, auth, deploy.Options{Confirmations: 3, PollInterval: 50 * time.Millisecond, Progress: &out})
	if err != nil {
		t.Fatalf("Deploy: %v\n%s", err, out.String())
	}
	head, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Receipts[len(res.Receipts)-1].BlockNumber.Uint64()
	if head < last+2 {
		t.Fatalf("Deploy returned at head %d; the last deployment is in block %d, 3 confirmations need %d", head, last, last+2)
	}
	if !strings.Contains(out.String(), "confirmations: 3/3") || !strings.Contains(out.String(), "confirmations: 1/3") {
		t.Errorf("progress lacks the confirmation count:\n%s", out.String())
	}
}

// fakeLegacy is a chain without a base fee (before London), for the fee
// logic only: the real chains the tests run have one.
type fakeLegacy struct {
	deploy.Backend
	sent *types.Transaction
}

func (fakeLegacy) HeaderByNumber(context.Context, *big.Int) (*types.Header, error) {
	return &types.Header{Number: big.NewInt(7)}, nil
}
func (fakeLegacy) SuggestGasPrice(context.Context) (*big.Int, error) { return big.NewInt(5e9), nil }
func (fakeLegacy) PendingNonceAt(context.Context, common.Address) (uint64, error) {
	return 4, nil
}
func (f *fakeLegacy) SendTransaction(_ context.Context, tx *types.Transaction) error {
	f.sent = tx
	return nil
}

// TestLegacyFees: without a base fee, the sender offers the suggested gas
// price in a legacy (EIP-155) transaction.
func TestLegacyFees(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	chainID := big.NewInt(99)
	auth, err := bind.NewKeyedTransactorWithChainID(key, chainID)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeLegacy{}
	s, err := deploy.NewSender(context.Background(), f, auth, chainID)
	if err != nil {
		t.Fatal(err)
	}
	if fees := s.Fees(); fees.GasPrice == nil || fees.GasPrice.Int64() != 5e9 || fees.FeeCap != nil || fees.Max().Int64() != 5e9 {
		t.Fatalf("fees %+v", fees)
	}
	tx, err := s.Create(context.Background(), []byte{0x60, 0x00}, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Type() != types.LegacyTxType || tx.GasPrice().Int64() != 5e9 || tx.Nonce() != 4 || tx.ChainId().Cmp(chainID) != 0 || f.sent != tx {
		t.Fatalf("sent type %d price %s nonce %d chain %s", tx.Type(), tx.GasPrice(), tx.Nonce(), tx.ChainId())
	}
	if from, err := types.Sender(types.LatestSignerForChainID(chainID), tx); err != nil || from != auth.From {
		t.Fatalf("signed by %s, %v", from, err)
	}
	if s.Nonce() != 5 {
		t.Errorf("next nonce %d, want 5", s.Nonce())
	}
}

// TestDeployRefusesPreCancunChain: on a chain without Cancun (go-ethereum's
// simulated chain on Shanghai rules) the contracts could be created but the
// Market's calls would fail; Deploy refuses before sending anything.
func TestDeployRefusesPreCancunChain(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	shanghai := *params.MergedTestChainConfig
	shanghai.ChainID = big.NewInt(1337)
	shanghai.CancunTime, shanghai.PragueTime, shanghai.OsakaTime, shanghai.BlobScheduleConfig = nil, nil, nil, nil
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: ether(10)}}, func(_ *node.Config, c *ethconfig.Config) {
		c.Genesis.Config = &shanghai
	})
	t.Cleanup(func() { _ = sim.Close() })
	auth, err := bind.NewKeyedTransactorWithChainID(key, shanghai.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = deploy.Deploy(testContext(t), sim.Client(), auth, deploy.Options{})
	if !errors.Is(err, deploy.ErrUnsupportedEVM) || !strings.Contains(err.Error(), "TLOAD") {
		t.Fatalf("Deploy on a Shanghai chain = %v, want ErrUnsupportedEVM", err)
	}
	if n, err := sim.Client().PendingNonceAt(testContext(t), from); err != nil || n != 0 {
		t.Fatalf("nonce %d, %v: something was sent", n, err)
	}
}
