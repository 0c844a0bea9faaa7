package scenario

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
	"sync"
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
	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/kubenode"
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

// Stack owns everything started for a scenario in its Env: processes,
// Consul agents, the Kubernetes node, reserved ports, servers and clients.
// Close undoes it all, last started first.
type Stack struct {
	Env Env
	r   Reporter

	mu      sync.Mutex
	procs   []*Proc
	undo    []func()
	reports []func() string // what a failed run reports besides the processes
	closed  bool
}

// NewStack is an empty stack in env that narrates and logs to r.
func NewStack(env Env, r Reporter) *Stack { return &Stack{Env: env, r: r} }

// Reporter is where the stack narrates and logs.
func (s *Stack) Reporter() Reporter { return s.r }

// onClose adds f to what Close runs (last added, first run).
func (s *Stack) onClose(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.undo = append(s.undo, f)
}

// Close undoes everything the stack started, last started first: each
// process is stopped (SIGTERM, then SIGKILL after 15 s), each agent and the
// node taken down. If the run failed, it then reports through the Reporter
// every process it started (how it ended: "running", "exited by itself
// …", "stopped by the test …", and the last 60 lines of its log), and the
// logs of the Consul agents and the node. Closing twice does nothing.
func (s *Stack) Close(failed bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	undo, procs, reports := s.undo, s.procs, s.reports
	s.mu.Unlock()
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
	if !failed {
		return
	}
	if len(procs) > 0 {
		s.r.Logf("%s", Report(procs, ProcTailLines))
	}
	for _, f := range reports {
		if r := f(); r != "" {
			s.r.Logf("%s", r)
		}
	}
}

// StartProc runs path with args, logging to logPath, and waits until the
// daemon logs its HTTP listen address (wait=true) or at once. Close stops
// it.
func (s *Stack) StartProc(name, logPath string, wait bool, path string, args ...string) (*Proc, error) {
	p, err := launchProc(name, logPath, path, args...)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	s.onClose(func() { p.Stop(stopGrace) })
	if wait {
		if err := p.waitListening(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// FreePort reserves a TCP port on 127.0.0.1 until Close (package testport):
// for listeners whose address must be known before the process starts. No
// test process and no port the kernel picks can take it before the daemon
// binds it.
func (s *Stack) FreePort() (int, error) {
	l, err := testport.Reserve(1, testport.TCP)
	if err != nil {
		return 0, err
	}
	s.onClose(l.Release)
	return l.Ports[0], nil
}

// StartConsul runs a Consul dev agent with its files in dir until Close.
func (s *Stack) StartConsul(dir string, opts ...consultest.Option) (*consultest.Agent, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	a, err := consultest.Launch(dir, append([]consultest.Option{consultest.WithLogf(s.r.Logf)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s.onClose(a.Close)
	s.mu.Lock()
	s.reports = append(s.reports, a.Report)
	s.mu.Unlock()
	return a, nil
}

// StartNode brings the local Kubernetes node up with its state under
// Env.Dir/kube-node until Close.
func (s *Stack) StartNode(ctx context.Context) (*kubenode.Node, error) {
	dir := s.Env.path("kube-node")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	n, err := kubenode.Start(ctx, dir, s.r.Logf)
	if err != nil {
		return nil, err
	}
	s.onClose(func() {
		if err := n.Close(); err != nil {
			s.r.Logf("kubenode: %v", err)
		}
	})
	s.mu.Lock()
	s.reports = append(s.reports, n.Report)
	s.mu.Unlock()
	return n, nil
}

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
func (s *Stack) StartChain() (*Chain, error) {
	file := s.Env.path("devnet.json")
	p, err := s.StartProc("devnet", s.Env.path("devnet.log"), false, s.Env.bin("devnet"),
		"--log-format", "json", "--http-addr", "127.0.0.1:0", "--ws-addr", "", "--period", "1s", "--out", file)
	if err != nil {
		return nil, err
	}
	c := &Chain{Proc: p, File: file}
	deadline := time.Now().Add(90 * time.Second)
	for {
		b, err := os.ReadFile(file)
		if err == nil && json.Unmarshal(b, &c.Info) == nil && c.Info.RPC.HTTP != "" {
			break
		}
		if !p.Running() {
			return nil, fmt.Errorf("devnet exited:\n%s", Tail(p.LogPath, 40))
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("devnet did not write %s:\n%s", file, Tail(p.LogPath, 40))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c.Client, err = ethclient.Dial(c.Info.RPC.HTTP); err != nil {
		return nil, fmt.Errorf("dialling the devnet: %w", err)
	}
	s.onClose(c.Client.Close)
	if c.Market, err = market.NewMarket(c.Info.Contracts.Market, c.Client); err != nil {
		return nil, err
	}
	if c.Token, err = token.NewToken(c.Info.Contracts.Token, c.Client); err != nil {
		return nil, err
	}
	return c, nil
}

// Key is a dev account's private key (DEVNET ONLY keys, printed by the
// devnet into its info file).
func (c *Chain) Key(name string) (*ecdsa.PrivateKey, error) {
	for _, a := range c.Info.Accounts {
		if a.Name == name {
			b, err := hex.DecodeString(strings.TrimPrefix(a.PrivateKey, "0x"))
			if err != nil {
				return nil, fmt.Errorf("dev account %q: %w", name, err)
			}
			k, err := crypto.ToECDSA(b)
			if err != nil {
				return nil, fmt.Errorf("dev account %q: %w", name, err)
			}
			return k, nil
		}
	}
	return nil, fmt.Errorf("no dev account %q", name)
}

// Credit is an account's Market credit in base units.
func (c *Chain) Credit(ctx context.Context, a common.Address) (*big.Int, error) {
	return c.Market.CreditOf(&bind.CallOpts{Context: ctx}, a)
}

// Keystore writes key into a keystore file (light scrypt: fast to unlock)
// with a passphrase file, both mode 0600, and returns their paths.
func Keystore(dir string, key *ecdsa.PrivateKey) (ks, passFile string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	pass, err := randomHex(16)
	if err != nil {
		return "", "", err
	}
	store := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	acc, err := store.ImportECDSA(key, pass)
	if err != nil {
		return "", "", fmt.Errorf("importing a key: %w", err)
	}
	passFile = filepath.Join(dir, "passphrase")
	if err := os.WriteFile(passFile, []byte(pass+"\n"), 0o600); err != nil {
		return "", "", err
	}
	return acc.URL.Path, passFile, nil
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
func (s *Stack) StartOrg(chain *Chain, spec OrgSpec) (*Org, error) {
	o := &Org{Name: spec.Name, Dir: s.Env.path(spec.Name), WalletKey: spec.WalletKey,
		Wallet: crypto.PubkeyToAddress(spec.WalletKey.PublicKey)}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	var err error
	if o.Agent, err = s.StartConsul(filepath.Join(o.Dir, "consul"), consultest.WithNode(spec.Name)); err != nil {
		return nil, err
	}
	if out, err := exec.Command(s.Env.bin("carrier"), "settings", "set", "--org", spec.Name,
		"--consul-addr", o.Agent.Addr(), "--devnet-info", chain.File).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("carrier settings set: %w\n%s", err, out)
	}
	o.TokenFile = filepath.Join(o.Dir, "carrier-api-token")
	token, err := randomHex(32)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(o.TokenFile, []byte(token+"\n"), 0o600); err != nil {
		return nil, err
	}
	member := func(extra ...string) []string {
		return append([]string{"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", spec.Name,
			"--consul-addr", o.Agent.Addr()}, extra...)
	}

	// The carrier's libp2p identity first: the org's via admits it to its
	// relay (and any peer holding a registered listing).
	p2pKey, id, err := P2PKeyFile(filepath.Join(o.Dir, "carrier-p2p.key"))
	if err != nil {
		return nil, err
	}
	o.PeerID = id
	ports, err := s.freePorts(3)
	if err != nil {
		return nil, err
	}
	viaPort, relayPort, port := ports[0], ports[1], ports[2]
	o.ViaURL = fmt.Sprintf("http://127.0.0.1:%d", viaPort)
	if o.Via, err = s.StartProc(spec.Name+"/via", filepath.Join(o.Dir, "via.log"), true, s.Env.bin("via"), member(
		"--public-addr", fmt.Sprintf("127.0.0.1:%d", viaPort), "--public-url", o.ViaURL, "--admin-route",
		"--relay-listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", relayPort), "--relay-key-file", filepath.Join(o.Dir, "via-relay.key"),
		"--relay-allow-peer", id.String(), "--relay-allow-listed", "--carrier-api-token-file", o.TokenFile)...); err != nil {
		return nil, err
	}

	ks, pass, err := Keystore(filepath.Join(o.Dir, "wallet"), spec.WalletKey)
	if err != nil {
		return nil, err
	}
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
	if o.Carrier, err = s.StartProc(spec.Name+"/carrier", filepath.Join(o.Dir, "carrier.log"), true, s.Env.bin("carrier"), args...); err != nil {
		return nil, err
	}
	return o, nil
}

// freePorts reserves n ports with FreePort.
func (s *Stack) freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		p, err := s.FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	return ports, nil
}

// P2PKeyFile writes a fresh secp256k1 key as hex (mode 0600) and returns
// its path and libp2p peer id.
func P2PKeyFile(path string) (string, peer.ID, error) {
	k, err := crypto.GenerateKey()
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(crypto.FromECDSA(k))+"\n"), 0o600); err != nil {
		return "", "", err
	}
	lk, err := libp2pcrypto.UnmarshalSecp256k1PrivateKey(crypto.FromECDSA(k))
	if err != nil {
		return "", "", err
	}
	id, err := peer.IDFromPrivateKey(lk)
	if err != nil {
		return "", "", err
	}
	return path, id, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
