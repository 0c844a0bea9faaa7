package scenario

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/test/kubenode"
)

// Market is the running two-organization market: org A sells the capacity
// of a local Kubernetes node through its gateway, org B buys.
type Market struct {
	Stack *Stack // owns every process; its Close stops the market
	Chain *Chain
	// Node is the local real Kubernetes node; nil when Options gave a
	// cluster (Kubeconfig).
	Node       *kubenode.Node
	Kubeconfig string // the cluster org A's gateway deploys into
	A, B       *Org

	Provider     common.Address
	ProviderKey  *ecdsa.PrivateKey
	Manifest     []byte
	ManifestURL  string
	ManifestHash common.Hash
}

// Options change what StartMarket brings up.
type Options struct {
	// Kubeconfig is a cluster for org A's gateway instead of the local real
	// node (hack/kube-node): a test's kubetest cluster with kwok nodes,
	// where Deployments become Ready but pods serve nothing. Run needs the
	// real node (it calls the app).
	Kubeconfig string
}

// StartMarket brings the market up on s, narrating: the devnet, the local
// Kubernetes node, org A (via, carrier, admin, gateway) and org B (via,
// carrier, admin), B's carrier bootstrapping to A's over libp2p. Whatever
// it started, also on error, s.Close stops.
func StartMarket(ctx context.Context, s *Stack, opts Options) (*Market, error) {
	m := &Market{Stack: s}
	n := s.r
	n.Step("starting the embedded devnet chain (devnet)")
	var err error
	if m.Chain, err = s.StartChain(); err != nil {
		return nil, fmt.Errorf("starting the devnet: %w", err)
	}
	head, err := m.Chain.Client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the devnet's head: %w", err)
	}
	n.OK("chain %d at %s, head block %d; Token %s, Registry %s, Market %s", m.Chain.Info.ChainID, m.Chain.Info.RPC.HTTP, head,
		m.Chain.Info.Contracts.Token.Hex(), m.Chain.Info.Contracts.Registry.Hex(), m.Chain.Info.Contracts.Market.Hex())

	if m.Kubeconfig = opts.Kubeconfig; m.Kubeconfig == "" {
		n.Step("starting a local Kubernetes node for org A (hack/kube-node: containerd, kubelet, kube-proxy)")
		if m.Node, err = s.StartNode(ctx); err != nil {
			return nil, fmt.Errorf("starting the local Kubernetes node: %w", err)
		}
		m.Kubeconfig = m.Node.Kubeconfig
		nodes, err := m.Node.Client.CoreV1().Nodes().List(ctx, metav1ListOptions())
		if err != nil || len(nodes.Items) == 0 {
			return nil, fmt.Errorf("listing the node: %v (%d nodes)", err, len(nodes.Items))
		}
		alloc := nodes.Items[0].Status.Allocatable
		n.OK("node %s Ready: %s CPU, %s memory allocatable; kubeconfig %s", nodes.Items[0].Name, alloc.Cpu(), alloc.Memory(), m.Node.Kubeconfig)
	}

	m.Manifest, err = os.ReadFile(filepath.Join(s.Env.Root, "hack", "demoapp", "manifest.yaml"))
	if err != nil {
		return nil, fmt.Errorf("reading the demo manifest: %w", err)
	}
	m.ManifestHash = crypto.Keccak256Hash(m.Manifest)
	if m.ManifestURL, err = s.serveManifest(m.Manifest); err != nil {
		return nil, fmt.Errorf("serving the demo manifest: %w", err)
	}
	n.OK("the demo app's manifest is served at %s (keccak256 %s)", m.ManifestURL, m.ManifestHash.Hex())

	n.Step("starting org A, the seller: Consul agent, via, carrier, admin and a gateway on the node")
	if err := m.startA(opts); err != nil {
		return nil, fmt.Errorf("starting org A: %w", err)
	}
	for _, p := range []*Proc{m.A.Via, m.A.Carrier, m.A.Admin, m.A.Gateway} {
		n.OK("%s ready at %s", p.Name, p.URL())
	}
	n.OK("org A's wallet %s; its provider %s; public entry (via) %s", m.A.Wallet.Hex(), m.Provider.Hex(), m.A.ViaURL)

	n.Step("starting org B, the buyer: Consul agent, via, carrier (bootstrapping to org A's over libp2p) and admin")
	if err := m.startB(); err != nil {
		return nil, fmt.Errorf("starting org B: %w", err)
	}
	for _, p := range []*Proc{m.B.Via, m.B.Carrier, m.B.Admin} {
		n.OK("%s ready at %s", p.Name, p.URL())
	}
	n.OK("org B's wallet %s; public entry (via) %s", m.B.Wallet.Hex(), m.B.ViaURL)
	return m, nil
}

// startA starts org A with its admin and the gateway of its provider.
func (m *Market) startA(opts Options) error {
	s := m.Stack
	wallet, err := m.Chain.Key("provider-b")
	if err != nil {
		return err
	}
	if m.A, err = s.StartOrg(m.Chain, OrgSpec{Name: "org-a", WalletKey: wallet, Seller: true}); err != nil {
		return err
	}
	if m.ProviderKey, err = m.Chain.Key("provider-a"); err != nil {
		return err
	}
	m.Provider = crypto.PubkeyToAddress(m.ProviderKey.PublicKey)
	if err := s.StartAdmin(m.A); err != nil {
		return err
	}
	var gwArgs []string
	if opts.Kubeconfig != "" {
		gwArgs = append(gwArgs, "--storage-capacity", "20Gi") // kwok nodes report no ephemeral storage
	}
	return s.StartGateway(m.A, m.ProviderKey, m.Kubeconfig, gwArgs...)
}

// startB starts org B with its admin, its carrier bootstrapping to A's.
func (m *Market) startB() error {
	s := m.Stack
	wallet, err := m.Chain.Key("buyer-a")
	if err != nil {
		return err
	}
	if m.B, err = s.StartOrg(m.Chain, OrgSpec{Name: "org-b", WalletKey: wallet, Bootstrap: []string{m.A.P2PAddr}}); err != nil {
		return err
	}
	return s.StartAdmin(m.B)
}

// Result is what Run measured.
type Result struct {
	OrderID    uint64
	Namespace  string
	Settlement Settlement
}

// Run walks seed 000's flow through the market, checking every step; the
// error says which step failed.
func (m *Market) Run(ctx context.Context) (Result, error) {
	a, b, err := m.clients()
	if err != nil {
		return Result{}, err
	}
	n := m.Stack.r
	o, err := m.Buy(ctx)
	if err != nil {
		return Result{}, err
	}
	gw, err := stepLogin(ctx, n, m.A.ViaURL, m.Provider, o.ID, m.B.WalletKey, m.Chain.Info.ChainID)
	if err != nil {
		return Result{}, fmt.Errorf("logging in at org A's gateway: %w", err)
	}
	ns, err := stepDeploy(ctx, n, gw, m.Node, o.ID, m.ManifestURL)
	if err != nil {
		return Result{}, fmt.Errorf("deploying the demo app: %w", err)
	}
	if err := stepApp(ctx, n, gw, o.ID); err != nil {
		return Result{}, fmt.Errorf("calling the app: %w", err)
	}
	s, err := stepCancel(ctx, n, m.Chain, a, b, o, m.A.Wallet, m.B.Wallet)
	if err != nil {
		return Result{}, fmt.Errorf("cancelling the order: %w", err)
	}
	if err := stepTeardown(ctx, n, m.Node, ns); err != nil {
		return Result{}, fmt.Errorf("tearing the deployment down: %w", err)
	}
	return Result{OrderID: o.ID, Namespace: ns, Settlement: s}, nil
}

// Buy walks the flow up to an order: the provider registered on chain, its
// listing in org B's directory, B's deposit, B's match and order of the
// demo manifest from org A's provider. It returns the order; the error
// says which step failed.
func (m *Market) Buy(ctx context.Context) (carrierapi.OrderInfo, error) {
	a, b, err := m.clients()
	if err != nil {
		return carrierapi.OrderInfo{}, err
	}
	n := m.Stack.r
	if err := stepRegistered(ctx, n, m.Chain, a, m.Provider); err != nil {
		return carrierapi.OrderInfo{}, fmt.Errorf("registering the provider: %w", err)
	}
	if err := stepListing(ctx, n, b, m.Provider); err != nil {
		return carrierapi.OrderInfo{}, fmt.Errorf("publishing the listing: %w", err)
	}
	if err := stepDeposit(ctx, n, m.Chain, b, m.B.Wallet); err != nil {
		return carrierapi.OrderInfo{}, fmt.Errorf("depositing: %w", err)
	}
	o, err := stepOrder(ctx, n, m.Chain, b, m.Provider, m.B.Wallet, m.ManifestURL, m.ManifestHash)
	if err != nil {
		return carrierapi.OrderInfo{}, fmt.Errorf("ordering: %w", err)
	}
	return o, nil
}

// clients are clients of org A's and org B's carrier APIs.
func (m *Market) clients() (a, b *carrierapi.Client, err error) {
	if a, err = CarrierClient(m.A); err != nil {
		return nil, nil, fmt.Errorf("client of org A's carrier: %w", err)
	}
	if b, err = CarrierClient(m.B); err != nil {
		return nil, nil, fmt.Errorf("client of org B's carrier: %w", err)
	}
	return a, b, nil
}

// PrintAccess writes the consoles' URLs and bootstrap logins.
func (m *Market) PrintAccess(w io.Writer) {
	fmt.Fprintf(w, "\nThe two organizations' consoles (the first login asks for a new password):\n")
	for _, o := range []*Org{m.A, m.B} {
		fmt.Fprintf(w, "  %s: %s/admin/  (through its via; directly: %s/)  user %q, password %q\n", o.Name, o.ViaURL, o.Admin.URL(), o.AdminUser, o.AdminPass)
	}
	fmt.Fprintf(w, "Logs and state of every process: %s\n", m.Stack.Env.Dir)
}

// serveManifest serves body on a loopback port until Close and returns its
// URL.
func (s *Stack) serveManifest(body []byte) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/demoapp.yaml" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/yaml")
			_, _ = w.Write(body)
		}),
	}
	go func() { _ = srv.Serve(l) }()
	s.onClose(func() { _ = srv.Close() })
	return "http://" + l.Addr().String() + "/demoapp.yaml", nil
}

// StartAdmin starts an org's admin console with a bootstrap password.
func (s *Stack) StartAdmin(o *Org) error {
	suffix, err := randomHex(6)
	if err != nil {
		return err
	}
	o.AdminUser, o.AdminPass = "admin", "demo-"+suffix
	pass := filepath.Join(o.Dir, "admin-bootstrap-password")
	if err := os.WriteFile(pass, []byte(o.AdminPass+"\n"), 0o600); err != nil {
		return err
	}
	o.Admin, err = s.StartProc(o.Name+"/admin", filepath.Join(o.Dir, "admin.log"), true, s.Env.bin("admin"),
		"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", o.Name, "--consul-addr", o.Agent.Addr(),
		"--carrier-token-file", o.TokenFile, "--bootstrap-user", o.AdminUser, "--bootstrap-password-file", pass,
		"--gateway-allow-loopback")
	return err
}

// StartGateway starts a gateway of org o for the provider key, deploying
// into the cluster of kubeconfig, with extra flags. It reads the chain
// settings from the org's Consul KV and, through the org's carrier,
// publishes its listing and hands over the proof of possession naming the
// org's wallet (--owner) that registering the provider takes.
func (s *Stack) StartGateway(o *Org, key *ecdsa.PrivateKey, kubeconfig string, extra ...string) error {
	ks, pass, err := Keystore(filepath.Join(o.Dir, "provider"), key)
	if err != nil {
		return err
	}
	args := append([]string{"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", o.Name, "--consul-addr", o.Agent.Addr(),
		"--keystore", ks, "--passphrase-file", pass, "--owner", o.Wallet.Hex(), "--carrier-token-file", o.TokenFile, "--public-url", o.ViaURL,
		"--kubeconfig", kubeconfig, "--manifest-allow", "127.0.0.1/32",
		"--reconcile-interval", "2s", "--reconcile-grace", "0s", "--listing-labels", "demo=true"}, extra...)
	if o.Gateway, err = s.StartProc(o.Name+"/gateway", filepath.Join(o.Dir, "gateway.log"), true, s.Env.bin("gateway"), args...); err != nil {
		return err
	}
	return waitHTTP(o.Gateway.URL()+"/readyz", 2*time.Minute)
}

// waitHTTP waits until url answers 200.
func waitHTTP(url string, limit time.Duration) error {
	hc := &http.Client{Timeout: 5 * time.Second}
	var last string
	return waitUntil(context.Background(), limit, url, func(context.Context) (bool, error) {
		resp, err := hc.Get(url)
		if err != nil {
			return false, err
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		last = strings.TrimSpace(string(body))
		return resp.StatusCode == http.StatusOK, fmt.Errorf("HTTP %d: %s", resp.StatusCode, last)
	})
}
