package market

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/pkg/consul/consultest"
	"github.com/gridnode/gridnode/test/testport"
)

// Env is where the stack runs: the daemon binaries and a state directory
// that holds every log, key and config file.
type Env struct {
	Root string // the gridnode repository (hack/demoapp/manifest.yaml)
	Bin  string // directory with carrier, admin, gateway, via and devnet
	Dir  string
}

func (e Env) bin(role string) string { return filepath.Join(e.Bin, role) }

func (e Env) path(parts ...string) string { return filepath.Join(append([]string{e.Dir}, parts...)...) }

// DevnetInfo is the part of `devnet --out` the stack reads.
type DevnetInfo struct {
	ChainID uint64 `json:"chainId"`
	RPC     struct {
		HTTP string `json:"http"`
	} `json:"rpc"`
	Contracts struct {
		Token    common.Address `json:"token"`
		Registry common.Address `json:"registry"`
		Market   common.Address `json:"market"`
	} `json:"contracts"`
	DeployBlock uint64 `json:"deployBlock"`
	Accounts    []struct {
		Name       string         `json:"name"`
		Address    common.Address `json:"address"`
		PrivateKey string         `json:"privateKey"`
	} `json:"accounts"`
}

// Chain is the devnet process and clients of it.
type Chain struct {
	Proc   *Proc
	File   string
	Info   DevnetInfo
	Client *ethclient.Client
	Market *market.Market
	Token  *token.Token
}

// StartChain runs the devnet binary with a block a second (time passes
// without transactions, as on a real chain).
func StartChain(t testing.TB, env Env) *Chain {
	t.Helper()
	file := env.path("devnet.json")
	p := StartProc(t, "devnet", env.path("devnet.log"), false, env.bin("devnet"),
		"--log-format", "json", "--http-addr", "127.0.0.1:0", "--ws-addr", "", "--period", "1s", "--out", file)
	c := &Chain{Proc: p, File: file}
	deadline := time.Now().Add(90 * time.Second)
	for {
		b, err := os.ReadFile(file)
		if err == nil && json.Unmarshal(b, &c.Info) == nil && c.Info.RPC.HTTP != "" {
			break
		}
		if !p.Running() {
			t.Fatalf("devnet exited:\n%s", Tail(p.LogPath, 40))
		}
		if time.Now().After(deadline) {
			t.Fatalf("devnet did not write %s:\n%s", file, Tail(p.LogPath, 40))
		}
		time.Sleep(50 * time.Millisecond)
	}
	var err error
	if c.Client, err = ethclient.Dial(c.Info.RPC.HTTP); err != nil {
		t.Fatalf("dialling the devnet: %v", err)
	}
	t.Cleanup(c.Client.Close)
	if c.Market, err = market.NewMarket(c.Info.Contracts.Market, c.Client); err != nil {
		t.Fatal(err)
	}
	if c.Token, err = token.NewToken(c.Info.Contracts.Token, c.Client); err != nil {
		t.Fatal(err)
	}
	return c
}

// Key is a dev account's private key (DEVNET ONLY keys, printed by the
// devnet into its info file).
func (c *Chain) Key(t testing.TB, name string) *ecdsa.PrivateKey {
	t.Helper()
	for _, a := range c.Info.Accounts {
		if a.Name == name {
			b, err := hex.DecodeString(strings.TrimPrefix(a.PrivateKey, "0x"))
			if err != nil {
				t.Fatal(err)
			}
			k, err := crypto.ToECDSA(b)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
	}
	t.Fatalf("no dev account %q", name)
	return nil
}

// Credit is an account's Market credit in base units.
func (c *Chain) Credit(ctx context.Context, a common.Address) (*big.Int, error) {
	return c.Market.CreditOf(&bind.CallOpts{Context: ctx}, a)
}

// Keystore writes key into a keystore file (light scrypt: fast to unlock)
// with a passphrase file, both mode 0600, and returns their paths.
func Keystore(t testing.TB, dir string, key *ecdsa.PrivateKey) (ks, passFile string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	pass := randomHex(t, 16)
	store := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	acc, err := store.ImportECDSA(key, pass)
	if err != nil {
		t.Fatalf("importing a key: %v", err)
	}
	passFile = filepath.Join(dir, "passphrase")
	if err := os.WriteFile(passFile, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return acc.URL.Path, passFile
}

// Org is one organization: a Consul agent and its daemons.
type Org struct {
	Name    string
	Dir     string
	Agent   *consultest.Agent
	Carrier *Proc
	Admin   *Proc
	Via     *Proc
	Gateway *Proc

	TokenFile string // the carrier API token
	Wallet    common.Address
	WalletKey *ecdsa.PrivateKey
	PeerID    peer.ID
	P2PAddr   string // /ip4/127.0.0.1/tcp/N/p2p/ID
	ViaURL    string // the via's public base URL
	AdminUser string
	AdminPass string
}

// OrgSpec says what to start for an organization.
type OrgSpec struct {
	Name      string
	WalletKey *ecdsa.PrivateKey
	Bootstrap []string // carrier p2p bootstrap multiaddrs
	Seller    bool     // registers its providers on chain
}

// StartOrg starts an organization's Consul agent, writes the chain settings
// into its KV, and starts its via, carrier and admin. Gateways are added
// with StartGateway.
func StartOrg(t testing.TB, env Env, chain *Chain, spec OrgSpec) *Org {
	t.Helper()
	o := &Org{Name: spec.Name, Dir: env.path(spec.Name), WalletKey: spec.WalletKey,
		Wallet: crypto.PubkeyToAddress(spec.WalletKey.PublicKey)}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	o.Agent = consultest.Start(t, consultest.WithNode(spec.Name))
	if out, err := exec.Command(env.bin("carrier"), "settings", "set", "--org", spec.Name,
		"--consul-addr", o.Agent.Addr(), "--devnet-info", chain.File).CombinedOutput(); err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	o.TokenFile = filepath.Join(o.Dir, "carrier-api-token")
	if err := os.WriteFile(o.TokenFile, []byte(randomHex(t, 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	member := func(extra ...string) []string {
		return append([]string{"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", spec.Name,
			"--consul-addr", o.Agent.Addr()}, extra...)
	}

	// The carrier's libp2p identity first: the org's via admits it to its
	// relay (and any peer holding a registered listing).
	p2pKey, id := P2PKeyFile(t, filepath.Join(o.Dir, "carrier-p2p.key"))
	o.PeerID = id
	viaPort, relayPort := FreePort(t), FreePort(t)
	o.ViaURL = fmt.Sprintf("http://127.0.0.1:%d", viaPort)
	o.Via = StartProc(t, spec.Name+"/via", filepath.Join(o.Dir, "via.log"), true, env.bin("via"), member(
		"--public-addr", fmt.Sprintf("127.0.0.1:%d", viaPort), "--public-url", o.ViaURL, "--admin-route",
		"--relay-listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", relayPort), "--relay-key-file", filepath.Join(o.Dir, "via-relay.key"),
		"--relay-allow-peer", id.String(), "--relay-allow-listed", "--carrier-api-token-file", o.TokenFile)...)

	ks, pass := Keystore(t, filepath.Join(o.Dir, "wallet"), spec.WalletKey)
	port := FreePort(t)
	o.P2PAddr = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", port, id)
	args := member("--api-token-file", o.TokenFile, "--data-dir", filepath.Join(o.Dir, "carrier-data"),
		"--keystore", ks, "--passphrase-file", pass,
		"--confirmations", "1", "--chain-poll-interval", "250ms", "--settle-window", "500ms",
		"--chain-from-block", strconv.FormatUint(chain.Info.DeployBlock, 10),
		"--p2p-listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port), "--p2p-key-file", p2pKey,
		"--manifest-allow-loopback", "--gateway-allow-loopback")
	for _, b := range spec.Bootstrap {
		args = append(args, "--p2p-bootstrap", b)
	}
	if spec.Seller {
		args = append(args, "--provider-url-base", o.ViaURL, "--provider-region", "local",
			"--provider-cpu-millis", "1500", "--provider-memory", "4Gi", "--provider-storage", "20Gi",
			"--price-cpu-milli", "3", "--price-memory-mib", "2", "--price-storage-gib", "5")
	}
	o.Carrier = StartProc(t, spec.Name+"/carrier", filepath.Join(o.Dir, "carrier.log"), true, env.bin("carrier"), args...)
	return o
}

// FreePort reserves a TCP port on 127.0.0.1 for the rest of the test
// (package testport): for listeners whose address must be known before the
// process starts. No other test process and no port the kernel picks can
// take it before the daemon binds it.
func FreePort(t testing.TB) int {
	t.Helper()
	return testport.Get(t)
}

// P2PKeyFile writes a fresh secp256k1 key as hex (mode 0600) and returns
// its path and libp2p peer id.
func P2PKeyFile(t testing.TB, path string) (string, peer.ID) {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(crypto.FromECDSA(k))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lk, err := libp2pcrypto.UnmarshalSecp256k1PrivateKey(crypto.FromECDSA(k))
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(lk)
	if err != nil {
		t.Fatal(err)
	}
	return path, id
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
