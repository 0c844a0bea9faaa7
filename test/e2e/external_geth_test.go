package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/deploy"
	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/testport"
	"github.com/gridnode/gridnode/test/toolcache"
)

// gethNode is a `geth --dev` process of the test and a client of it.
type gethNode struct {
	t      *testing.T
	ctx    context.Context
	rpc    string
	client *ethclient.Client
	dev    common.Address // geth's unlocked, pre-funded dev account
	proc   *scenario.Proc
}

// Genesis choices for startGeth.
const (
	// gethDevGenesis is the genesis `geth --dev` makes itself. go-ethereum
	// v1.17.8's switches on the unreleased Bogota fork from block 0
	// (Amsterdam's storage gas repricing without the rest of Amsterdam).
	gethDevGenesis = iota
	// osakaGenesis is the same dev genesis on mainnet's current rules
	// (Osaka), as the embedded devnet and the contract tests run; written
	// with `geth init` before `geth --dev` starts on it.
	osakaGenesis
)

// startGeth runs the geth binary of `hack/setup geth` in dev mode as its
// own process: its own data dir, HTTP JSON-RPC on a reserved loopback port,
// a block a second (time passes without transactions, as on a real chain).
// It is stopped at cleanup (SIGTERM, then SIGKILL), also when the test
// fails, and it dies with the test binary. A missing binary fails the test.
//
// With osakaGenesis, the test's own dev account (its key in the data dir's
// keystore, which geth --dev unlocks) is funded in a genesis written with
// `geth init`; otherwise geth creates its usual dev account.
func startGeth(t *testing.T, ctx context.Context, genesis int) *gethNode {
	t.Helper()
	path, err := toolcache.Geth()
	if err != nil {
		t.Fatalf("the external-chain test needs geth: %v", err)
	}
	ports := testport.GetN(t, 2, testport.TCP)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	args := []string{"--dev", "--dev.period", "1", "--datadir", data,
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(ports[0]), "--http.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(ports[1]),
		"--ipcdisable", "--nodiscover", "--maxpeers", "0", "--cache", "128", "--verbosity", "3"}
	if genesis == osakaGenesis {
		args = append(args, "--password", initOsakaGenesis(t, path, dir, data))
	}
	p := startProc(t, "geth", filepath.Join(dir, "geth.log"), false, path, args...)
	g := &gethNode{t: t, ctx: ctx, rpc: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), proc: p}
	if g.client, err = ethclient.Dial(g.rpc); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.client.Close)
	waitFor(t, time.Minute, "geth to answer JSON-RPC", func() bool {
		select {
		case <-p.Done():
			t.Fatalf("geth exited: %s\n%s", p.State(), scenario.Tail(p.LogPath, 40))
		default:
		}
		var accounts []common.Address
		err := g.client.Client().CallContext(ctx, &accounts, "eth_accounts")
		if err != nil || len(accounts) == 0 {
			return false
		}
		g.dev = accounts[0]
		return true
	})
	return g
}

// initOsakaGenesis writes a dev account's keystore into data's keystore
// and `geth init`s data with go-ethereum's dev genesis funding it, with the
// Bogota and Amsterdam forks off; it returns the keystore's password file.
func initOsakaGenesis(t *testing.T, gethPath, dir, data string) string {
	t.Helper()
	key := newKey(t)
	dev := crypto.PubkeyToAddress(key.PublicKey)
	pass := filepath.Join(dir, "dev.pass")
	if err := os.WriteFile(pass, []byte("geth dev account\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	enc, err := keystore.EncryptKey(&keystore.Key{Address: dev, PrivateKey: key}, "geth dev account", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(data, "keystore"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "keystore", "dev.json"), enc, 0o600); err != nil {
		t.Fatal(err)
	}
	g := core.DeveloperGenesisBlock(30_000_000, &dev)
	rules := *g.Config
	rules.BogotaTime, rules.AmsterdamTime = nil, nil
	g.Config = &rules
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "genesis.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gethPath, "init", "--datadir", data, file).CombinedOutput(); err != nil {
		t.Fatalf("geth init: %v\n%s", err, out)
	}
	return pass
}

// fund sends wei from geth's dev account with eth_sendTransaction (the
// node signs: the account is unlocked in dev mode) and waits for it.
func (g *gethNode) fund(to common.Address, wei *big.Int) {
	g.t.Helper()
	var hash common.Hash
	err := g.client.Client().CallContext(g.ctx, &hash, "eth_sendTransaction", map[string]any{
		"from": g.dev, "to": to, "value": (*hexutil.Big)(wei),
	})
	if err != nil {
		g.t.Fatalf("eth_sendTransaction from the dev account: %v", err)
	}
	g.receipt("fund "+to.Hex(), hash)
}

// receipt waits for the receipt of hash and fails unless it succeeded.
func (g *gethNode) receipt(what string, hash common.Hash) *types.Receipt {
	g.t.Helper()
	var r *types.Receipt
	waitFor(g.t, time.Minute, what, func() bool {
		var err error
		r, err = g.client.TransactionReceipt(g.ctx, hash)
		if err != nil && err != ethereum.NotFound && !strings.Contains(err.Error(), "indexing is in progress") {
			g.t.Fatalf("%s: receipt: %v", what, err)
		}
		return err == nil
	})
	if r.Status != types.ReceiptStatusSuccessful {
		g.t.Fatalf("%s: transaction %s reverted (gas used %d)", what, hash, r.GasUsed)
	}
	return r
}

// carrierCmd runs the carrier binary and returns its exit error, stdout
// and stderr.
func carrierCmd(args ...string) (error, string, string) {
	cmd := exec.Command(bin("carrier"), args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return err, out.String(), errOut.String()
}

// TestExternalGeth deploys the contracts with `carrier contracts deploy`
// to a stand-alone `geth --dev` node (its own process, not the embedded
// devnet), checks the addresses file and the code, then runs an order to
// its settlement there: two carrier processes that read the chain settings
// written from the addresses file into Consul KV, the seller registering
// its provider (with the proof `gateway keys prove` signs against geth) and
// settling, the buyer depositing and ordering through its API. Balances are
// checked on chain to the base unit.
func TestExternalGeth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a hang guard
	t.Cleanup(cancel)

	// The deployer's keystore, made with the carrier's own command.
	dir := t.TempDir()
	pass := filepath.Join(dir, "deployer.pass")
	if err := os.WriteFile(pass, []byte("deployer passphrase for the test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "deployer.json")
	err, stdout, stderr := carrierCmd("keys", "new", "--keystore", ks, "--passphrase-file", pass)
	if err != nil {
		t.Fatalf("carrier keys new: %v\n%s%s", err, stdout, stderr)
	}
	m := regexp.MustCompile(`address\s+(0x[0-9a-fA-F]{40})`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("carrier keys new printed no address:\n%s", stdout)
	}
	deployer := common.HexToAddress(m[1])

	// geth --dev as it comes (the Bogota fork on): the deployment and its
	// verification work there too. The node is stopped after.
	stock := startGeth(t, ctx, gethDevGenesis)
	stock.fund(deployer, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)))
	err, _, stderr = carrierCmd("contracts", "deploy", "--rpc", stock.rpc, "--keystore", ks, "--passphrase-file", pass)
	t.Logf("carrier contracts deploy on geth --dev's own genesis:\n%s", stderr)
	if err != nil || strings.Count(stderr, ": code verified") != 3 {
		t.Fatalf("deploy on geth --dev's own genesis: %v", err)
	}
	stock.proc.Stop(15 * time.Second)

	// The rest on a geth --dev with Osaka rules.
	g := startGeth(t, ctx, osakaGenesis)
	chainID, err := g.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := g.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("geth --dev on Osaka rules: chain %s, dev account %s, base fee %s", chainID, g.dev, head.BaseFee)
	out := filepath.Join(dir, "contracts.json")
	deployArgs := func(extra ...string) []string {
		return append([]string{"contracts", "deploy", "--rpc", g.rpc, "--keystore", ks, "--passphrase-file", pass}, extra...)
	}

	// Refusals, before and without spending anything.
	wrong := filepath.Join(dir, "wrong.pass")
	if err := os.WriteFile(wrong, []byte("not the passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	closed := testport.Get(t)
	for _, tc := range []struct {
		name    string
		args    []string
		want    []string
		mustNot []string
	}{
		{"empty balance", deployArgs("--out", out), []string{deployer.Hex(), "holds 0 wei"}, nil},
		{"wrong passphrase", []string{"contracts", "deploy", "--rpc", g.rpc, "--keystore", ks, "--passphrase-file", wrong, "--out", out},
			[]string{"wrong passphrase"}, []string{"not the passphrase"}},
		{"unreachable rpc", deployArgs("--rpc", fmt.Sprintf("http://127.0.0.1:%d/v3/secret-api-key", closed), "--out", out),
			[]string{fmt.Sprintf("127.0.0.1:%d", closed)}, []string{"secret-api-key"}},
	} {
		err, stdout, stderr := carrierCmd(tc.args...)
		t.Logf("%s: %v: %s", tc.name, err, stderr)
		if err == nil {
			t.Fatalf("%s: the deploy succeeded:\n%s", tc.name, stdout)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, w, stderr)
			}
		}
		for _, w := range tc.mustNot {
			if strings.Contains(stdout+stderr, w) {
				t.Errorf("%s: the output shows %q", tc.name, w)
			}
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused deploy left %s: %v", out, err)
	}

	g.fund(deployer, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)))
	err, _, stderr = carrierCmd(deployArgs("--out", out, "--token", g.dev.Hex())...)
	if err == nil || !strings.Contains(stderr, "no contract code") || !strings.Contains(stderr, g.dev.Hex()) {
		t.Fatalf("deploy with an account as --token: %v\n%s", err, stderr)
	}
	if n, err := g.client.PendingNonceAt(ctx, deployer); err != nil || n != 0 {
		t.Fatalf("deployer nonce %d, %v after the refusals: something was sent", n, err)
	}

	// The deployment, two blocks deep.
	err, stdout, stderr = carrierCmd(deployArgs("--out", out, "--confirmations", "2")...)
	t.Logf("carrier contracts deploy:\n%s", stderr)
	if err != nil {
		t.Fatalf("carrier contracts deploy: %v\n%s", err, stdout)
	}
	f, err := deploy.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := deploy.Contracts{Token: crypto.CreateAddress(deployer, 0), Registry: crypto.CreateAddress(deployer, 1), Market: crypto.CreateAddress(deployer, 2)}
	if f.ChainID != chainID.Uint64() || f.RPC != g.rpc || f.Contracts != want || f.Deployer != deployer || f.DeployBlock == 0 {
		t.Fatalf("addresses file %+v, want chain %s, rpc %s, contracts %+v", f, chainID, g.rpc, want)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("addresses file mode %v, %v; want 0644", fi.Mode(), err)
	}
	if n := strings.Count(stderr, ": sent transaction 0x"); n != 3 {
		t.Errorf("%d transactions sent, want 3", n)
	}
	for _, line := range []string{"confirmations: 2/2", "token at " + want.Token.Hex() + ": code verified",
		"registry at " + want.Registry.Hex() + ": code verified", "market at " + want.Market.Hex() + ": code verified"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("progress lacks %q", line)
		}
	}
	// Independently of the command's own check: the Token's runtime code
	// is embedded verbatim in its creation code (it has no immutables);
	// the Registry's EIP-712 domain (immutables: chain id, its address)
	// names this chain and its address; the Market is wired to both.
	code, err := g.client.CodeAt(ctx, want.Token, nil)
	if err != nil || len(code) == 0 || !bytes.Contains(common.FromHex(token.TokenMetaData.Bin), code) {
		t.Errorf("token: %d bytes of code at %s (%v), not the binding's runtime code", len(code), want.Token, err)
	}
	reg, err := registry.NewRegistry(want.Registry, g.client)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := reg.Eip712Domain(&bind.CallOpts{Context: ctx}); err != nil || d.ChainId.Cmp(chainID) != 0 || d.VerifyingContract != want.Registry {
		t.Errorf("registry.eip712Domain() = %+v, %v", d, err)
	}
	mk, err := marketbind.NewMarket(want.Market, g.client)
	if err != nil {
		t.Fatal(err)
	}
	call := &bind.CallOpts{Context: ctx}
	if a, err := mk.Token(call); err != nil || a != want.Token {
		t.Fatalf("market.token() = %s, %v", a, err)
	}
	if a, err := mk.Registry(call); err != nil || a != want.Registry {
		t.Fatalf("market.registry() = %s, %v", a, err)
	}
	err, _, stderr = carrierCmd(deployArgs("--out", out)...)
	if err == nil || !strings.Contains(stderr, "already exists") {
		t.Fatalf("a second deploy to the same file: %v\n%s", err, stderr)
	}

	runOrderOnGeth(t, g, out, f, ks, pass)
}

// runOrderOnGeth runs two carriers on the geth chain, configured from the
// addresses file through Consul KV, and walks an order to its settlement.
func runOrderOnGeth(t *testing.T, g *gethNode, contractsFile string, f deploy.File, deployerKS, deployerPass string) {
	ctx := g.ctx
	agent := consultest.Start(t)
	for _, org := range []string{"org-a", "org-b"} {
		err, stdout, stderr := carrierCmd("settings", "set", "--org", org, "--consul-addr", agent.Addr(), "--contracts-file", contractsFile)
		if err != nil {
			t.Fatalf("carrier settings set --contracts-file: %v\n%s", err, stderr)
		}
		var s consul.Settings
		if err := json.Unmarshal([]byte(stdout), &s); err != nil {
			t.Fatalf("settings: %v\n%s", err, stdout)
		}
		if s.ChainRPC != g.rpc || !strings.EqualFold(s.Contracts.Market, f.Contracts.Market.Hex()) || !strings.EqualFold(s.Contracts.Token, f.Contracts.Token.Hex()) {
			t.Fatalf("settings of %s: %s", org, stdout)
		}
	}

	// The org wallets get ether from geth's dev account; the buyer gets
	// tokens from the Token's owner, the deployer.
	keyA, keyB, provKey := newKey(t), newKey(t), newKey(t)
	walletA, walletB := crypto.PubkeyToAddress(keyA.PublicKey), crypto.PubkeyToAddress(keyB.PublicKey)
	provider := crypto.PubkeyToAddress(provKey.PublicKey)
	for _, a := range []common.Address{walletA, walletB} {
		g.fund(a, new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether)))
	}
	raw, err := os.ReadFile(deployerKS)
	if err != nil {
		t.Fatal(err)
	}
	passB, err := os.ReadFile(deployerPass)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := keystore.DecryptKey(raw, strings.TrimSpace(string(passB)))
	if err != nil {
		t.Fatal(err)
	}
	owner, err := bind.NewKeyedTransactorWithChainID(dk.PrivateKey, new(big.Int).SetUint64(f.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	owner.Context = ctx
	tok, err := token.NewToken(f.Contracts.Token, g.client)
	if err != nil {
		t.Fatal(err)
	}
	const minted = 1_000_000_000
	tx, err := tok.Mint(owner, walletB, big.NewInt(minted))
	if err != nil {
		t.Fatalf("mint: %v", err)
	}
	g.receipt("mint to the buyer", tx.Hash())

	// Org A sells: its provider's gateway is in Consul; org B buys from
	// the provider's signed listing, which names A's wallet as the owner.
	registerGateway(t, agent, "gateway-a-1", "org-a", provider)
	listings := writeListing(t, provKey, walletA)
	ksA, passA, err := scenario.Keystore(t.TempDir(), keyA)
	if err != nil {
		t.Fatal(err)
	}
	ksB, passBFile, err := scenario.Keystore(t.TempDir(), keyB)
	if err != nil {
		t.Fatal(err)
	}
	chain := func(ks, pass string) []string {
		return []string{"--data-dir", t.TempDir(), "--keystore", ks, "--passphrase-file", pass,
			"--confirmations", "1", "--chain-poll-interval", "200ms", "--settle-window", "300ms",
			"--chain-from-block", strconv.FormatUint(f.DeployBlock, 10)}
	}
	tokA, tokB := writeToken(t, 0o600), writeToken(t, 0o600)
	a := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-a",
		append(append([]string{"--api-token-file", tokA}, chain(ksA, passA)...), sellerArgs()...)...)...)
	b := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-b",
		append([]string{"--api-token-file", tokB, "--manifest-allow-loopback", "--scheduler-listings-file", listings},
			chain(ksB, passBFile)...)...)...)
	ca, cb := newAPIClient(t, a, tokA), newAPIClient(t, b, tokB)

	// The carriers follow the settings in Consul: both report the chain.
	for _, c := range []*apiClient{ca, cb} {
		waitFor(t, time.Minute, "the carrier's chain mediator on geth", func() bool {
			var s carrierapi.ChainStatus
			code, _ := c.do("GET", "chain", nil, &s)
			return code == http.StatusOK && s.Running && s.ChainID == strconv.FormatUint(f.ChainID, 10) &&
				s.Contracts != nil && s.Contracts.Market == f.Contracts.Market
		})
	}

	// A registers the provider on geth once it holds the provider key's
	// proof of possession, signed by `gateway keys prove` against geth (a
	// gateway daemon would post it; here it is handed over with the CLI).
	waitFor(t, time.Minute, "org A waits for the provider's proof", func() bool {
		var ps []struct {
			Provider       common.Address
			State, Problem string
		}
		code, _ := ca.do("GET", "providers", nil, &ps)
		return code == http.StatusOK && len(ps) == 1 && ps[0].Provider == provider && ps[0].State == "unregistered" &&
			strings.Contains(ps[0].Problem, "proof of possession")
	})
	provKS, provPass, err := scenario.Keystore(t.TempDir(), provKey)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := exec.Command(bin("gateway"), "keys", "prove", "--keystore", provKS, "--passphrase-file", provPass,
		"--owner", walletA.Hex(), "--registry", f.Contracts.Registry.Hex(), "--chain-rpc", g.rpc).Output()
	if err != nil {
		t.Fatalf("gateway keys prove against geth: %v\n%s", err, proof)
	}
	proofFile := filepath.Join(t.TempDir(), "proof.json")
	if err := os.WriteFile(proofFile, proof, 0o600); err != nil {
		t.Fatal(err)
	}
	err, stdout, stderr := carrierCmd("providers", "register", "--proof", proofFile, "--carrier-url", a.url(), "--api-token-file", tokA, provider.Hex())
	if err != nil {
		t.Fatalf("carrier providers register --proof: %v\n%s%s", err, stdout, stderr)
	}
	waitFor(t, 2*time.Minute, "org A registers its provider on geth", func() bool {
		var ps []struct {
			Provider common.Address
			State    string
		}
		code, _ := ca.do("GET", "providers", nil, &ps)
		return code == http.StatusOK && len(ps) == 1 && ps[0].State == "registered" && ps[0].Provider == provider
	})
	reg, err := registry.NewRegistry(f.Contracts.Registry, g.client)
	if err != nil {
		t.Fatal(err)
	}
	if owner, err := reg.OwnerOf(&bind.CallOpts{Context: ctx}, provider); err != nil || owner != walletA {
		t.Fatalf("registry.ownerOf(provider) = %s, %v; want org A's wallet %s", owner, err, walletA)
	}

	mk, err := marketbind.NewMarket(f.Contracts.Market, g.client)
	if err != nil {
		t.Fatal(err)
	}
	credit := func(a common.Address) *big.Int {
		t.Helper()
		c, err := mk.CreditOf(&bind.CallOpts{Context: ctx}, a)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	const deposit = 100_000_000
	var op struct{ Intents []apiIntent }
	cb.must("POST", "credits/deposit", map[string]any{"amount": strconv.Itoa(deposit), "operation": "geth-deposit"}, &op)
	if len(op.Intents) != 2 {
		t.Fatalf("deposit intents %+v, want approve and deposit", op.Intents)
	}
	for _, it := range op.Intents {
		waitFor(t, 2*time.Minute, "org B's "+it.Key, func() bool {
			var st apiIntent
			cb.must("GET", "txs/"+url.PathEscape(it.Key), nil, &st)
			if st.State == "failed" {
				t.Fatalf("%s failed on geth: %s", it.Key, st.Reason)
			}
			return st.State == "confirmed"
		})
	}
	if got := credit(walletB); got.Cmp(big.NewInt(deposit)) != 0 {
		t.Fatalf("B's credit after the deposit = %s, want %d", got, deposit)
	}

	manifest := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: geth}\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(manifest) }))
	t.Cleanup(srv.Close)
	res := map[string]any{"cpuMillis": 1000, "memoryBytes": 1 << 20}
	rate := big.NewInt(1000*3 + 1*2) // 3 per millicore, 2 per MiB, per second
	var placed struct {
		Order  *apiOrder
		Intent apiIntent
	}
	cb.must("POST", "orders", map[string]any{"resources": res, "duration": 4, "manifestUrl": srv.URL + "/m.yaml",
		"provider": provider, "operation": "geth-order"}, &placed)
	if placed.Order == nil {
		t.Fatalf("order not mined: %+v", placed)
	}
	escrow := new(big.Int).Mul(rate, big.NewInt(4))
	if placed.Order.Escrow.big(t).Cmp(escrow) != 0 || placed.Order.Provider != provider {
		t.Fatalf("order %+v, want escrow %s from %s", placed.Order, escrow, provider)
	}
	if got, want := credit(walletB), new(big.Int).Sub(big.NewInt(deposit), escrow); got.Cmp(want) != 0 {
		t.Fatalf("B's credit after the order = %s, want %s", got, want)
	}

	// The order ends; org A's settler settles it: the escrow moves to A.
	var o apiOrder
	waitFor(t, 2*time.Minute, "org A settles the order on geth", func() bool {
		code, _ := ca.do("GET", "orders/"+strconv.FormatUint(placed.Order.ID, 10), nil, &o)
		return code == http.StatusOK && o.State == "settled"
	})
	if o.Paid.big(t).Cmp(escrow) != 0 || o.Refund.big(t).Sign() != 0 || o.Role != "seller" {
		t.Errorf("settled order %+v, want paid %s", o, escrow)
	}
	if got := credit(walletA); got.Cmp(escrow) != 0 {
		t.Errorf("A's credit = %s, want the escrow %s", got, escrow)
	}
	if got, want := credit(walletB), new(big.Int).Sub(big.NewInt(deposit), escrow); got.Cmp(want) != 0 {
		t.Errorf("B's credit = %s, want %s", got, want)
	}
	// The batch's count is recorded once its transaction is confirmed,
	// which may be a settler pass after the order's event is applied.
	waitFor(t, time.Minute, "org A's settlement batch confirmed", func() bool {
		var settled struct{ Batches []struct{ Settled int } }
		ca.must("GET", "settlements", nil, &settled)
		if len(settled.Batches) != 1 {
			t.Fatalf("settlements %+v, want one batch", settled)
		}
		return settled.Batches[0].Settled == 1
	})
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// writeListing writes the provider's signed listing naming owner (as its
// gateway would sign it, at the prices of sellerArgs) to a scheduler
// listings file.
func writeListing(t *testing.T, k *ecdsa.PrivateKey, owner common.Address) string {
	t.Helper()
	now := time.Now().Unix()
	free := market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30}
	provider := crypto.PubkeyToAddress(k.PublicKey)
	r := &listing.Record{
		Version: listing.Version2, Provider: provider, Owner: owner, Org: "org-a",
		GatewayURL: "https://via.org-a.example/gw/" + strings.ToLower(provider.Hex()),
		Capacity:   listing.Capacity{Total: free, Free: free}, Prices: testListingPrices, Region: "eu",
		Labels: map[string]string{"tier": "gold"}, Seq: 1, IssuedAt: now, Expires: now + 3600,
	}
	if err := listing.Sign(r, k); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "listings.txt")
	if err := os.WriteFile(p, []byte(hex.EncodeToString(raw)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
