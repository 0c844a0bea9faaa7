package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// chainEnv is a devnet (hack/scenario's, as the demo runs it) and the
// test's context.
type chainEnv struct {
	t      *testing.T
	ctx    context.Context
	info   scenario.DevnetInfo
	file   string
	client *ethclient.Client
	market *marketbind.Market
	token  *token.Token
	chain  *scenario.Chain
}

// startDevnet runs the devnet binary with a block a second (time moves
// without transactions, as on a real chain) and waits for its info file.
func startDevnet(t *testing.T) *chainEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // a hang guard
	t.Cleanup(cancel)
	c, err := newStack(t).StartChain()
	if err != nil {
		t.Fatal(err)
	}
	return &chainEnv{t: t, ctx: ctx, info: c.Info, file: c.File, client: c.Client, market: c.Market, token: c.Token, chain: c}
}

func (e *chainEnv) key(name string) *ecdsa.PrivateKey {
	e.t.Helper()
	k, err := e.chain.Key(name)
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

// keystoreOf writes account name's key as a keystore with light scrypt
// (fast to unlock) and a passphrase file; it returns both paths.
func (e *chainEnv) keystoreOf(name string) (ks, passFile string) {
	e.t.Helper()
	ks, passFile, err := scenario.Keystore(e.t.TempDir(), e.key(name))
	if err != nil {
		e.t.Fatal(err)
	}
	return ks, passFile
}

func (e *chainEnv) credit(a common.Address) *big.Int {
	e.t.Helper()
	c, err := e.market.CreditOf(&bind.CallOpts{Context: e.ctx}, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *chainEnv) transactor(name string) *bind.TransactOpts {
	e.t.Helper()
	opts, err := bind.NewKeyedTransactorWithChainID(e.key(name), new(big.Int).SetUint64(e.info.ChainID))
	if err != nil {
		e.t.Fatal(err)
	}
	opts.Context = e.ctx
	return opts
}

// signedListings writes provider's signed listing (as a gateway would
// sign it, naming owner) to a scheduler listings file.
func (e *chainEnv) signedListings(providerKey string, owner common.Address, prices market.Prices) string {
	e.t.Helper()
	k := e.key(providerKey)
	now := time.Now().Unix()
	free := market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30}
	r := &listing.Record{
		Version: listing.Version2, Provider: crypto.PubkeyToAddress(k.PublicKey), Owner: owner, Org: "org-a",
		GatewayURL: "https://via.org-a.example/gw/" + strings.ToLower(crypto.PubkeyToAddress(k.PublicKey).Hex()),
		Capacity:   listing.Capacity{Total: free, Free: free}, Prices: prices, Region: "eu",
		Labels: map[string]string{"tier": "gold"}, Seq: 1, IssuedAt: now, Expires: now + 3600,
	}
	if err := listing.Sign(r, k); err != nil {
		e.t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(e.t.TempDir(), "listings.txt")
	if err := os.WriteFile(p, []byte("# provider-a\n"+hex.EncodeToString(raw)+"\n"), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// apiClient calls a carrier's API.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func newAPIClient(t *testing.T, d *daemon, tokenFile string) *apiClient {
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, base: d.url(), token: strings.TrimSpace(string(b))}
}

// do sends body (if not nil) and decodes a 200 answer into out; it returns
// the status and the error code of any other answer.
func (c *apiClient) do(method, path string, body, out any) (int, string) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			r = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				c.t.Fatal(err)
			}
			r = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, c.base+"/v1/"+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	hc := &http.Client{Timeout: time.Minute}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		c.t.Logf("%s %s -> %d %s: %s", method, path, resp.StatusCode, e.Error.Code, e.Error.Message)
		return resp.StatusCode, e.Error.Code
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, ""
}

// must is do that fails the test unless the answer is 200.
func (c *apiClient) must(method, path string, body, out any) {
	c.t.Helper()
	if code, ecode := c.do(method, path, body, out); code != http.StatusOK {
		c.t.Fatalf("%s %s = %d %s", method, path, code, ecode)
	}
}

// waitFor polls cond until it holds (a hang guard, not a timing
// assertion).
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// amount decodes the API's decimal-string amounts.
type amount string

func (a amount) big(t *testing.T) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(string(a), 10)
	if !ok {
		t.Fatalf("amount %q", a)
	}
	return v
}

// apiOrder is the part of an order the tests read.
type apiOrder struct {
	ID       uint64         `json:"id"`
	Provider common.Address `json:"provider"`
	Escrow   amount         `json:"escrow"`
	Paid     amount         `json:"paid"`
	Refund   amount         `json:"refund"`
	Start    uint64         `json:"start"`
	End      uint64         `json:"end"`
	State    string         `json:"state"`
	Role     string         `json:"role"`
	Batch    uint64         `json:"batch"`
}

type apiIntent struct {
	Key       string       `json:"key"`
	State     string       `json:"state"`
	Hash      *common.Hash `json:"hash"`
	BlockHash *common.Hash `json:"blockHash"`
	Block     uint64       `json:"block"`
	GasUsed   uint64       `json:"gasUsed"`
	Reason    string       `json:"reason"`
}

// chainArgs are the chain flags common to the tests' carriers.
func chainArgs(e *chainEnv, dataDir, ks, pass string) []string {
	return []string{
		"--data-dir", dataDir, "--keystore", ks, "--passphrase-file", pass,
		"--confirmations", "1", "--chain-poll-interval", "200ms", "--settle-window", "300ms",
		"--chain-from-block", strconv.FormatUint(e.info.DeployBlock, 10),
	}
}

func staticChainArgs(e *chainEnv) []string {
	return []string{
		"--chain-rpc", e.info.RPC.HTTP, "--token-address", e.info.Contracts.Token.Hex(),
		"--registry-address", e.info.Contracts.Registry.Hex(), "--market-address", e.info.Contracts.Market.Hex(),
	}
}

// sellerArgs register the org's providers at 3/2/5/0 per second.
func sellerArgs() []string {
	return []string{
		"--provider-url-base", "https://via.org-a.example", "--provider-region", "eu",
		"--provider-cpu-millis", "8000", "--provider-memory", "16Gi", "--provider-storage", "100Gi",
		"--price-cpu-milli", "3", "--price-memory-mib", "2", "--price-storage-gib", "5",
	}
}

var testListingPrices = market.Prices{CPUMilli: big.NewInt(3), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(5), GPU: big.NewInt(0)}

func fmtGas(n uint64) string { return fmt.Sprintf("%d", n) }

// handProof does by hand what a gateway with a carrier token does by
// itself: `gateway keys prove` (the binary, reading the chain id and the
// nonce from the devnet) signs the proof of possession of dev account
// providerName's key naming owner, and `carrier providers register
// --proof` hands it to the carrier behind c (its token in tokenFile),
// once its chain mediator runs. The provider is waiting for it before.
func handProof(t *testing.T, e *chainEnv, c *apiClient, tokenFile, providerName string, owner common.Address) {
	t.Helper()
	provider := crypto.PubkeyToAddress(e.key(providerName).PublicKey)
	waitFor(t, time.Minute, "the carrier waits for the provider's proof", func() bool {
		var ps []struct {
			Provider       common.Address
			State, Problem string
		}
		if code, _ := c.do("GET", "providers", nil, &ps); code != http.StatusOK {
			return false
		}
		for _, p := range ps {
			if p.Provider == provider && p.State == "unregistered" &&
				p.Problem == "waiting for the gateway's proof of possession (gateway --owner must be "+owner.Hex()+")" {
				return true
			}
		}
		return false
	})
	ks, pass := e.keystoreOf(providerName)
	out, err := exec.Command(bin("gateway"), "keys", "prove", "--keystore", ks, "--passphrase-file", pass, "--owner", owner.Hex(),
		"--registry", e.info.Contracts.Registry.Hex(), "--chain-rpc", e.info.RPC.HTTP).Output()
	if err != nil {
		t.Fatalf("gateway keys prove: %v\n%s", err, out)
	}
	proof := filepath.Join(t.TempDir(), "proof.json")
	if err := os.WriteFile(proof, out, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin("carrier"), "providers", "register", "--proof", proof, "--carrier-url", c.base,
		"--api-token-file", tokenFile, provider.Hex()).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier providers register --proof: %v\n%s", err, out)
	}
}
