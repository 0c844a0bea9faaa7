package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/deploy"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/test/testport"
)

// run runs the carrier binary's app in-process, as main does.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code = service.RunApp(ctx, app(), append([]string{"carrier"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// deployer is a keystore (light scrypt) and its passphrase file, both mode
// 0600, and the key for the test's own checks.
type deployer struct {
	ks, pass string
	key      *ecdsa.PrivateKey
	addr     common.Address
}

func newDeployer(t *testing.T) deployer {
	t.Helper()
	dir := t.TempDir()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	b, err := keystore.EncryptKey(k, "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "deployer.json")
	if err := os.WriteFile(ks, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return deployer{ks: ks, pass: pass, key: key, addr: k.Address}
}

func (d deployer) args(rpc string, extra ...string) []string {
	return append([]string{"contracts", "deploy", "--rpc", rpc, "--keystore", d.ks, "--passphrase-file", d.pass}, extra...)
}

// fund sends wei from the devnet's buyer-b to the deployer.
func fund(t *testing.T, c *devchaintest.Chain, to common.Address, wei *big.Int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	auth, err := bind.NewKeyedTransactorWithChainID(c.Buyers[1], c.ID)
	if err != nil {
		t.Fatal(err)
	}
	s, err := deploy.NewSender(ctx, c.Client(), auth, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fees()
	tx, err := auth.Signer(auth.From, types.NewTx(&types.DynamicFeeTx{ChainID: c.ID, Nonce: s.Nonce(),
		GasTipCap: f.TipCap, GasFeeCap: f.FeeCap, Gas: params.TxGas, To: &to, Value: wei}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Client().SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := deploy.WaitMined(ctx, c.Client(), []deploy.Step{{Name: "fund", Tx: tx}}, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// TestContractsDeploy runs `carrier contracts deploy` against a devnet over
// JSON-RPC: the addresses file (mode 0644, no key), the contracts' code and
// wiring, the progress lines, --force, and an existing --token.
func TestContractsDeploy(t *testing.T) {
	c := devchaintest.Start(t)
	d := newDeployer(t)
	fund(t, c, d.addr, new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether)))
	out := filepath.Join(t.TempDir(), "contracts.json")

	code, stdout, stderr := run(t, d.args(c.RPC, "--out", out, "--token-name", "Test Credit", "--token-symbol", "TC")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	t.Logf("progress:\n%s", stderr)
	f, err := deploy.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := deploy.Contracts{Token: crypto.CreateAddress(d.addr, 0), Registry: crypto.CreateAddress(d.addr, 1), Market: crypto.CreateAddress(d.addr, 2)}
	if f.ChainID != c.ID.Uint64() || f.RPC != c.RPC || f.Contracts != want || f.Deployer != d.addr || f.DeployBlock == 0 {
		t.Fatalf("file %+v, want contracts %+v on %s", f, want, c.RPC)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("file mode %v, %v; want 0644", fi.Mode(), err)
	}
	raw, _ := os.ReadFile(out)
	if strings.TrimSpace(stdout) != strings.TrimSpace(string(raw)) {
		t.Errorf("stdout is not the file:\n%s\n%s", stdout, raw)
	}
	var keys map[string]any
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatal(err)
	}
	for k := range keys {
		if k != "chainId" && k != "rpc" && k != "contracts" && k != "deployBlock" && k != "deployer" {
			t.Errorf("unexpected key %q in the addresses file", k)
		}
	}
	secretHex := hex.EncodeToString(crypto.FromECDSA(d.key))
	for _, s := range []string{stdout, stderr, string(raw)} {
		if strings.Contains(s, secretHex) || strings.Contains(s, "correct horse") {
			t.Fatal("the private key or the passphrase appears in the output")
		}
	}
	for _, line := range []string{"chain 1337 at " + c.RPC, "deployer " + d.addr.Hex() + " on chain 1337", "token: sent transaction",
		"confirmations: 1/1", "market at " + want.Market.Hex() + ": code verified", "addresses written to " + out} {
		if !strings.Contains(stderr, line) {
			t.Errorf("progress has no %q", line)
		}
	}
	m, err := market.NewMarket(want.Market, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := m.Token(&bind.CallOpts{}); err != nil || tok != want.Token {
		t.Errorf("market.token() = %s, %v", tok, err)
	}

	// The file is not overwritten without --force, and nothing is sent.
	code, _, stderr = run(t, d.args(c.RPC, "--out", out)...)
	if code == 0 || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "--force") {
		t.Fatalf("second deploy to the same file: exit %d\n%s", code, stderr)
	}
	if n, err := c.Client().PendingNonceAt(context.Background(), d.addr); err != nil || n != 3 {
		t.Fatalf("deployer nonce %d, %v after the refused run; want 3", n, err)
	}

	// --force with --token: a new Registry and Market on the same Token.
	code, _, stderr = run(t, d.args(c.RPC, "--out", out, "--force", "--token", want.Token.Hex(), "--confirmations", "1")...)
	if code != 0 {
		t.Fatalf("deploy with --token --force: exit %d\n%s", code, stderr)
	}
	f2, err := deploy.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if f2.Contracts.Token != want.Token || f2.Contracts.Registry != crypto.CreateAddress(d.addr, 3) || f2.Contracts.Market != crypto.CreateAddress(d.addr, 4) {
		t.Fatalf("file after --token: %+v", f2)
	}
	if !strings.Contains(stderr, "using the existing ERC-20 at "+want.Token.Hex()) || strings.Contains(stderr, "token: sent") {
		t.Errorf("progress with --token:\n%s", stderr)
	}
}

// TestContractsDeployRefusals: bad input gets a clear error and spends
// nothing; secrets in the RPC URL and the passphrase never show.
func TestContractsDeployRefusals(t *testing.T) {
	c := devchaintest.Start(t)
	d := newDeployer(t)
	dir := t.TempDir()
	wrong := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrong, []byte("battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "existing.json")
	if err := os.WriteFile(existing, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	closed := testport.Get(t) // reserved: nothing listens there
	eoa := crypto.PubkeyToAddress(c.Buyers[0].PublicKey)
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		want    []string
		mustNot []string
	}{
		{"token not an address", d.args(c.RPC, "--token", "0x1234"), 2, []string{"--token", "40 hex digits"}, nil},
		{"token zero", d.args(c.RPC, "--token", common.Address{}.Hex()), 2, []string{"zero address"}, nil},
		{"rpc not a URL", d.args("ftp://example.com/key-abc"), 2, []string{"--rpc", "http(s)"}, []string{"key-abc"}},
		{"too many confirmations", d.args(c.RPC, "--confirmations", "100000"), 2, []string{"at most 1000"}, nil},
		{"out exists", d.args(c.RPC, "--out", existing), 1, []string{existing, "already exists"}, nil},
		{"out dir missing", d.args(c.RPC, "--out", filepath.Join(dir, "no", "such.json")), 1, []string{"does not exist"}, nil},
		{"wrong passphrase", []string{"contracts", "deploy", "--rpc", c.RPC, "--keystore", d.ks, "--passphrase-file", wrong}, 1,
			[]string{"wrong passphrase", d.ks}, []string{"battery staple", "correct horse"}},
		{"unreachable rpc", d.args(fmt.Sprintf("http://user:pw@127.0.0.1:%d/v3/key-abc?apikey=key-def", closed)), 1,
			[]string{fmt.Sprintf("127.0.0.1:%d", closed)}, []string{"key-abc", "key-def", "user:pw"}},
		{"empty balance", d.args(c.RPC), 1, []string{d.addr.Hex(), "holds 0 wei"}, nil},
		{"token is an account", d.args(c.RPC, "--token", eoa.Hex()), 1, []string{eoa.Hex(), "no contract code"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			t.Logf("exit %d: %s", code, stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			for _, w := range tc.mustNot {
				if strings.Contains(stdout+stderr, w) {
					t.Errorf("output shows %q:\n%s", w, stderr)
				}
			}
		})
	}
	if n, err := c.Client().PendingNonceAt(context.Background(), d.addr); err != nil || n != 0 {
		t.Fatalf("deployer nonce %d, %v: something was sent", n, err)
	}
	if _, err := os.ReadFile(existing); err != nil {
		t.Fatal(err)
	}
}

// TestContractsDeployRPCWithPath: an RPC URL with a path (where providers
// put API keys) is not written to the world-readable addresses file.
func TestContractsDeployRPCWithPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{"https://rpc.example/", "https://rpc.example/"},
		{"https://mainnet.example/v3/0123abcd", ""},
		{"https://rpc.example?key=1", ""},
		{"https://user:secret@rpc.example", ""},
		{"wss://rpc.example#frag", ""},
	} {
		if got := fileRPC(tc.in); got != tc.want {
			t.Errorf("fileRPC(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDefaultConfirmations(t *testing.T) {
	for id, want := range map[int64]uint64{1337: 1, 31337: 1, 1: 3, 11155111: 3, 8453: 3} {
		if got := defaultConfirmations(big.NewInt(id)); got != want {
			t.Errorf("chain %d: %d confirmations, want %d", id, got, want)
		}
	}
	if got := defaultConfirmations(new(big.Int).Lsh(big.NewInt(1), 70)); got != 3 {
		t.Errorf("chain 2^70: %d confirmations, want 3", got)
	}
}
