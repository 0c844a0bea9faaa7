package devchain

import (
	"context"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

// testConfig is a devnet on free loopback ports writing its info file to
// a temporary directory.
func testConfig(t *testing.T) Config {
	t.Helper()
	cfg := Defaults()
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.WSAddr = "127.0.0.1:0"
	cfg.OutFile = filepath.Join(t.TempDir(), "devnet.json")
	return cfg
}

// startDevnet starts a devnet and stops it when the test ends.
func startDevnet(t *testing.T, cfg Config) *Devnet {
	t.Helper()
	d, err := New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := d.Start(testContext(t)); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return d
}

// testContext bounds what a test waits for; it is a deadline against
// hangs, not a timing assertion.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func dial(t *testing.T, url string) *ethclient.Client {
	t.Helper()
	c, err := ethclient.Dial(url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestDevnet(t *testing.T) {
	cfg := testConfig(t)
	d := startDevnet(t, cfg)
	ctx := testContext(t)

	info, err := devinfo.Read(cfg.OutFile)
	if err != nil {
		t.Fatalf("devinfo.Read: %v", err)
	}
	if !reflect.DeepEqual(info, d.Info()) {
		t.Fatalf("info file %+v differs from Info() %+v", info, d.Info())
	}
	st, err := os.Stat(cfg.OutFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("info file mode %v, want 0600", st.Mode().Perm())
	}
	if info.ChainID != ChainID || info.Warning != devinfo.Warning || !strings.HasPrefix(info.Warning, "DEVNET ONLY") {
		t.Errorf("chainId %d, warning %q", info.ChainID, info.Warning)
	}
	if !strings.HasPrefix(info.RPC.HTTP, "http://127.0.0.1:") || strings.HasSuffix(info.RPC.HTTP, ":0") ||
		!strings.HasPrefix(info.RPC.WS, "ws://127.0.0.1:") || strings.HasSuffix(info.RPC.WS, ":0") {
		t.Errorf("rpc endpoints %+v, want bound loopback ports", info.RPC)
	}
	var names []string
	for _, a := range info.Accounts {
		names = append(names, a.Name)
		key, err := a.Key()
		if err != nil {
			t.Errorf("account %s: %v", a.Name, err)
			continue
		}
		want, _ := DevAccount(len(names) - 1)
		if want.Address != a.Address || !want.Key.Equal(key) {
			t.Errorf("account %s is not dev account %d", a.Name, len(names)-1)
		}
	}
	if want := []string{"deployer", "provider-a", "provider-b", "buyer-a", "buyer-b"}; !reflect.DeepEqual(names, want) {
		t.Errorf("account names %v, want %v", names, want)
	}

	client := dial(t, info.RPC.HTTP)
	if id, err := client.ChainID(ctx); err != nil || id.Uint64() != ChainID {
		t.Fatalf("eth_chainId = %v, %v; want %d", id, err, ChainID)
	}
	if n, err := client.BlockNumber(ctx); err != nil || n < 1 || info.DeployBlock < 1 || info.DeployBlock > n {
		t.Errorf("block number %d (%v), deploy block %d", n, err, info.DeployBlock)
	}
	for name, addr := range map[string]common.Address{
		"token": info.Contracts.Token, "registry": info.Contracts.Registry, "market": info.Contracts.Market,
	} {
		if code, err := client.CodeAt(ctx, addr, nil); err != nil || len(code) == 0 {
			t.Errorf("%s at %s: code %d bytes, %v", name, addr, len(code), err)
		}
	}

	call := &bind.CallOpts{Context: ctx}
	tok, err := token.NewToken(info.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := tok.Name(call); err != nil || n != TokenName {
		t.Errorf("token name %q, %v", n, err)
	}
	if s, err := tok.Symbol(call); err != nil || s != TokenSymbol {
		t.Errorf("token symbol %q, %v", s, err)
	}
	if o, err := tok.Owner(call); err != nil || o != info.Accounts[0].Address {
		t.Errorf("token owner %s, %v; want the deployer", o, err)
	}
	for _, a := range info.Accounts {
		if b, err := tok.BalanceOf(call, a.Address); err != nil || b.Cmp(DefaultTokenMint) != 0 {
			t.Errorf("%s token balance %v, %v; want %v", a.Name, b, err, DefaultTokenMint)
		}
		if b, err := client.BalanceAt(ctx, a.Address, nil); err != nil || b.Sign() <= 0 {
			t.Errorf("%s ether balance %v, %v", a.Name, b, err)
		}
	}

	mkt, err := market.NewMarket(info.Contracts.Market, client)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := mkt.Token(call); err != nil || a != info.Contracts.Token {
		t.Errorf("market.token() = %s, %v", a, err)
	}
	if a, err := mkt.Registry(call); err != nil || a != info.Contracts.Registry {
		t.Errorf("market.registry() = %s, %v", a, err)
	}

	// eth_getLogs (the filter API) over HTTP: one Transfer per mint.
	it, err := tok.FilterTransfer(&bind.FilterOpts{Start: info.DeployBlock, Context: ctx}, nil, nil)
	if err != nil {
		t.Fatalf("FilterTransfer: %v", err)
	}
	mints := 0
	for it.Next() {
		mints++
	}
	if err := it.Error(); err != nil || mints != len(info.Accounts) {
		t.Errorf("%d Transfer logs (%v), want %d", mints, err, len(info.Accounts))
	}
	_ = it.Close()

	// A WebSocket subscriber sees the head of the block that a transaction
	// sent over HTTP lands in: period 0 seals it without further ado.
	wsClient := dial(t, info.RPC.WS)
	heads := make(chan *types.Header, 16)
	sub, err := wsClient.SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Fatalf("SubscribeNewHead: %v", err)
	}
	defer sub.Unsubscribe()
	from, _ := info.Account("buyer-a")
	to, _ := info.Account("buyer-b")
	receipt := sendEther(t, client, from, to.Address, big.NewInt(1))
	for {
		select {
		case h := <-heads:
			if h.Number.Cmp(receipt.BlockNumber) >= 0 {
				goto gotHead
			}
		case err := <-sub.Err():
			t.Fatalf("subscription: %v", err)
		case <-ctx.Done():
			t.Fatalf("no head for block %d: %v", receipt.BlockNumber, ctx.Err())
		}
	}
gotHead:

	// Close is idempotent and frees the port: a new devnet binds it.
	addr := strings.TrimPrefix(info.RPC.HTTP, "http://")
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := d.Start(ctx); !errors.Is(err, ErrStarted) {
		t.Errorf("Start after Close = %v, want ErrStarted", err)
	}
	cfg2 := testConfig(t)
	cfg2.HTTPAddr, cfg2.WSAddr = addr, addr
	d2 := startDevnet(t, cfg2)
	if got := d2.Info().RPC.HTTP; got != info.RPC.HTTP {
		t.Errorf("second devnet on %s, want %s", got, info.RPC.HTTP)
	}
}

// sendEther sends value from one dev account to an address over client
// and waits for the receipt.
func sendEther(t *testing.T, client *ethclient.Client, from devinfo.AccountInfo, to common.Address, value *big.Int) *types.Receipt {
	t.Helper()
	ctx := testContext(t)
	key, err := from.Key()
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := client.PendingNonceAt(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(big.NewInt(ChainID)), &types.DynamicFeeTx{
		ChainID:   big.NewInt(ChainID),
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       21_000,
		To:        &to,
		Value:     value,
	})
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send: %v", err)
	}
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transaction %s failed", tx.Hash())
			}
			return r
		}
		if !errors.Is(err, ethereum.NotFound) {
			t.Fatalf("receipt: %v", err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("transaction %s not mined: %v", tx.Hash(), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	cfg := testConfig(t)
	cfg.WSAddr = ""
	cfg.OutFile = ""
	d, err := New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	deadline := testContext(t)
	for d.Info().RPC.HTTP == "" {
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-deadline.Done():
			t.Fatal("devnet did not start")
		case <-time.After(20 * time.Millisecond):
		}
	}
	info := d.Info()
	if info.RPC.WS != "" {
		t.Errorf("ws endpoint %q with WS disabled", info.RPC.WS)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-deadline.Done():
		t.Fatal("Run did not return after cancel")
	}
	// The port is free again.
	l, err := net.Listen("tcp", strings.TrimPrefix(info.RPC.HTTP, "http://"))
	if err != nil {
		t.Fatalf("port still bound after Run: %v", err)
	}
	_ = l.Close()
}

func TestDataDirRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t)
	cfg.DataDir = dir
	cfg.Accounts = 2
	d := startDevnet(t, cfg)
	first := d.Info()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	cfg.Accounts = 3
	d = startDevnet(t, cfg)
	second := d.Info()
	if second.Contracts != first.Contracts || second.DeployBlock != first.DeployBlock {
		t.Fatalf("restart redeployed: %+v block %d, was %+v block %d",
			second.Contracts, second.DeployBlock, first.Contracts, first.DeployBlock)
	}
	ctx := testContext(t)
	client := dial(t, second.RPC.HTTP)
	tok, err := token.NewToken(second.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range second.Accounts { // each minted once, the new one too
		if b, err := tok.BalanceOf(&bind.CallOpts{Context: ctx}, a.Address); err != nil || b.Cmp(DefaultTokenMint) != 0 {
			t.Errorf("%s token balance %v, %v; want %v", a.Name, b, err, DefaultTokenMint)
		}
	}
}

func TestPeriod(t *testing.T) {
	cfg := testConfig(t)
	cfg.Period = time.Second
	d := startDevnet(t, cfg)
	ctx := testContext(t)
	client := dial(t, d.Info().RPC.HTTP)
	start, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Blocks keep coming without transactions.
	for {
		n, err := client.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > start {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no block after %d: %v", start, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := testConfig(t)
	cfg.HTTPAddr = l.Addr().String()
	d, err := New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	err = d.Start(testContext(t))
	if err == nil || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("Start on a busy port = %v, want a not-available error", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close after failed Start: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		errHas string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"port 0", func(c *Config) { c.HTTPAddr, c.WSAddr = "127.0.0.1:0", "127.0.0.1:0" }, ""},
		{"localhost and ipv6", func(c *Config) { c.HTTPAddr, c.WSAddr = "localhost:8545", "[::1]:8546" }, ""},
		{"ws disabled", func(c *Config) { c.WSAddr = "" }, ""},
		{"period in seconds", func(c *Config) { c.Period = 2 * time.Second }, ""},
		{"max accounts", func(c *Config) { c.Accounts = MaxAccounts }, ""},
		{"zero mint", func(c *Config) { c.TokenMint = new(big.Int) }, ""},
		{"non-loopback allowed", func(c *Config) { c.HTTPAddr, c.AllowNonLoopback = "0.0.0.0:8545", true }, ""},
		{"all interfaces", func(c *Config) { c.HTTPAddr = "0.0.0.0:8545" }, "not loopback"},
		{"empty host", func(c *Config) { c.HTTPAddr = ":8545" }, "not loopback"},
		{"lan address", func(c *Config) { c.HTTPAddr = "192.168.1.10:8545" }, "not loopback"},
		{"hostname", func(c *Config) { c.WSAddr = "example.com:8546" }, "ws-addr"},
		{"no http", func(c *Config) { c.HTTPAddr = "" }, "http-addr"},
		{"no port", func(c *Config) { c.HTTPAddr = "127.0.0.1" }, "http-addr"},
		{"bad port", func(c *Config) { c.HTTPAddr = "127.0.0.1:http" }, "port"},
		{"port too big", func(c *Config) { c.WSAddr = "127.0.0.1:65536" }, "port"},
		{"negative period", func(c *Config) { c.Period = -time.Second }, "period"},
		{"fractional period", func(c *Config) { c.Period = 1500 * time.Millisecond }, "whole number of seconds"},
		{"no accounts", func(c *Config) { c.Accounts = 0 }, "accounts"},
		{"too many accounts", func(c *Config) { c.Accounts = MaxAccounts + 1 }, "accounts"},
		{"no mint", func(c *Config) { c.TokenMint = nil }, "token-mint"},
		{"negative mint", func(c *Config) { c.TokenMint = big.NewInt(-1) }, "token-mint"},
		{"huge mint", func(c *Config) { c.TokenMint = new(big.Int).Lsh(big.NewInt(1), 256) }, "token-mint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults()
			tt.change(&cfg)
			err := cfg.Validate()
			if tt.errHas == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("Validate = %v, want an error about %q", err, tt.errHas)
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("%v does not wrap ErrInvalidConfig", err)
			}
			if _, err := New(cfg, zaptest.NewLogger(t)); err == nil {
				t.Error("New accepted an invalid config")
			}
		})
	}
}

func TestDevAccounts(t *testing.T) {
	accounts, err := DevAccounts(MaxAccounts)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[common.Address]bool{}
	for i, a := range accounts {
		if seen[a.Address] {
			t.Errorf("account %d: duplicate address %s", i, a.Address)
		}
		seen[a.Address] = true
		again, err := DevAccount(i)
		if err != nil || again.Address != a.Address || again.Name != a.Name {
			t.Errorf("account %d is not deterministic", i)
		}
	}
	if accounts[0].Name != "deployer" || accounts[5].Name != "account-5" {
		t.Errorf("names %q, %q", accounts[0].Name, accounts[5].Name)
	}
	// Pinned: the derivation is part of the devnet's interface.
	if got, want := accounts[0].Address, common.HexToAddress("0xE48F7ae4095c741BdC6aa552DF060c2290b4979c"); got != want {
		t.Errorf("deployer %s, want %s", got, want)
	}
}

// TestMaxAccounts mints to MaxAccounts accounts: more transactions from one
// sender than the pool's per-account slots.
func TestMaxAccounts(t *testing.T) {
	cfg := testConfig(t)
	cfg.Accounts = MaxAccounts
	cfg.WSAddr = ""
	d := startDevnet(t, cfg)
	info := d.Info()
	ctx := testContext(t)
	client := dial(t, info.RPC.HTTP)
	tok, err := token.NewToken(info.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}
	supply, err := tok.TotalSupply(&bind.CallOpts{Context: ctx})
	want := new(big.Int).Mul(DefaultTokenMint, big.NewInt(MaxAccounts))
	if err != nil || supply.Cmp(want) != 0 {
		t.Errorf("total supply %v, %v; want %v", supply, err, want)
	}
	last := info.Accounts[MaxAccounts-1]
	if b, err := tok.BalanceOf(&bind.CallOpts{Context: ctx}, last.Address); err != nil || b.Cmp(DefaultTokenMint) != 0 {
		t.Errorf("%s token balance %v, %v", last.Name, b, err)
	}
}

// TestOnDemandSealing sends bursts of back-to-back transactions, several
// from one sender without waiting, right after the devnet starts: every one
// is sealed. A transaction no block can take (fee cap below the base fee)
// neither blocks the others nor makes the sealer seal empty blocks while
// nothing else arrives (each would move the chain's clock a second on).
func TestOnDemandSealing(t *testing.T) {
	d := startDevnet(t, testConfig(t))
	info := d.Info()
	client := dial(t, info.RPC.HTTP)
	ctx := testContext(t)
	signer := types.LatestSignerForChainID(big.NewInt(ChainID))
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Mul(head.BaseFee, big.NewInt(4))
	to := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	transfer := func(from devinfo.AccountInfo, nonce uint64, feeCap *big.Int) *types.Transaction {
		key, err := from.Key()
		if err != nil {
			t.Fatal(err)
		}
		tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: feeCap,
			Gas: 21_000, To: &to, Value: big.NewInt(1),
		})
		if err := client.SendTransaction(ctx, tx); err != nil {
			t.Fatalf("send nonce %d from %s: %v", nonce, from.Name, err)
		}
		return tx
	}

	// The last account sends one transaction that cannot be mined.
	stuckFrom := info.Accounts[len(info.Accounts)-1]
	stuckNonce, err := client.PendingNonceAt(ctx, stuckFrom.Address)
	if err != nil {
		t.Fatal(err)
	}
	transfer(stuckFrom, stuckNonce, big.NewInt(1))

	const perSender = 15
	var sent []*types.Transaction
	// Nonces are counted here: the node's pending nonce can lag while the
	// pool resets after a block, and hand out one already used.
	senders := info.Accounts[:len(info.Accounts)-1]
	nonces := make([]uint64, len(senders))
	for i, from := range senders {
		if nonces[i], err = client.PendingNonceAt(ctx, from.Address); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 3 {
		for s, from := range senders {
			for range perSender / 3 {
				sent = append(sent, transfer(from, nonces[s], feeCap))
				nonces[s]++
			}
		}
		if round == 1 {
			time.Sleep(2 * onDemandPoll)
		}
	}
	first := uint64(0)
	for _, tx := range sent {
		r := waitMined(t, client, tx)
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction %s failed", tx.Hash())
		}
		if first == 0 || r.BlockNumber.Uint64() < first {
			first = r.BlockNumber.Uint64()
		}
	}

	// With every other transaction mined, the stuck one may cost one empty
	// block (the round already running), no more.
	start, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	end, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if grown := end - start; grown > 1 {
		t.Errorf("%d blocks sealed in 1 s with only an unminable transaction pending, want at most 1", grown)
	}
	if n, err := client.NonceAt(ctx, stuckFrom.Address, nil); err != nil || n != stuckNonce {
		t.Errorf("the fee-capped transaction was mined (nonce %d, %v)", n, err)
	}
	t.Logf("%d transactions from %d senders sealed from block %d; %d blocks in the idle second", len(sent), len(info.Accounts)-1, first, end-start)
}
