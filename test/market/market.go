package market

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
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/test/kubenode"
)

// Market is the running two-organization market: org A sells the capacity
// of a local Kubernetes node through its gateway, org B buys.
type Market struct {
	Env   Env
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

// Options change what StartWith brings up.
type Options struct {
	// Kubeconfig is a cluster for org A's gateway instead of the local real
	// node (hack/kube-node): a test's kubetest cluster with kwok nodes,
	// where Deployments become Ready but pods serve nothing. Run needs the
	// real node (it calls the app).
	Kubeconfig string
}

// Start brings the market up, narrating: the devnet, the local Kubernetes
// node, org A (via, carrier, admin, gateway) and org B (via, carrier,
// admin), B's carrier bootstrapping to A's over libp2p.
func Start(ctx context.Context, t testing.TB, env Env, n Narrator) *Market {
	t.Helper()
	return StartWith(ctx, t, env, n, Options{})
}

// StartWith is Start with options.
func StartWith(ctx context.Context, t testing.TB, env Env, n Narrator, opts Options) *Market {
	t.Helper()
	m := &Market{Env: env}
	n.Step("starting the embedded devnet chain (devnet)")
	m.Chain = StartChain(t, env)
	head, err := m.Chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatalf("reading the devnet's head: %v", err)
	}
	n.OK("chain %d at %s, head block %d; Token %s, Registry %s, Market %s", m.Chain.Info.ChainID, m.Chain.Info.RPC.HTTP, head,
		m.Chain.Info.Contracts.Token.Hex(), m.Chain.Info.Contracts.Registry.Hex(), m.Chain.Info.Contracts.Market.Hex())

	if m.Kubeconfig = opts.Kubeconfig; m.Kubeconfig == "" {
		n.Step("starting a local Kubernetes node for org A (hack/kube-node: containerd, kubelet, kube-proxy)")
		m.Node = kubenode.Up(t)
		m.Kubeconfig = m.Node.Kubeconfig
		nodes, err := m.Node.Client.CoreV1().Nodes().List(ctx, metav1ListOptions())
		if err != nil || len(nodes.Items) == 0 {
			t.Fatalf("listing the node: %v (%d nodes)", err, len(nodes.Items))
		}
		alloc := nodes.Items[0].Status.Allocatable
		n.OK("node %s Ready: %s CPU, %s memory allocatable; kubeconfig %s", nodes.Items[0].Name, alloc.Cpu(), alloc.Memory(), m.Node.Kubeconfig)
	}

	m.Manifest, err = os.ReadFile(filepath.Join(env.Root, "hack", "demoapp", "manifest.yaml"))
	if err != nil {
		t.Fatalf("reading the demo manifest: %v", err)
	}
	m.ManifestHash = crypto.Keccak256Hash(m.Manifest)
	m.ManifestURL = serveManifest(t, m.Manifest)
	n.OK("the demo app's manifest is served at %s (keccak256 %s)", m.ManifestURL, m.ManifestHash.Hex())

	n.Step("starting org A, the seller: Consul agent, via, carrier, admin and a gateway on the node")
	m.A = StartOrg(t, env, m.Chain, OrgSpec{Name: "org-a", WalletKey: m.Chain.Key(t, "provider-b"), Seller: true})
	m.ProviderKey = m.Chain.Key(t, "provider-a")
	m.Provider = crypto.PubkeyToAddress(m.ProviderKey.PublicKey)
	StartAdmin(t, env, m.A)
	var gwArgs []string
	if opts.Kubeconfig != "" {
		gwArgs = append(gwArgs, "--storage-capacity", "20Gi") // kwok nodes report no ephemeral storage
	}
	StartGateway(t, env, m.A, m.ProviderKey, m.Kubeconfig, gwArgs...)
	for _, p := range []*Proc{m.A.Via, m.A.Carrier, m.A.Admin, m.A.Gateway} {
		n.OK("%s ready at %s", p.Name, p.URL())
	}
	n.OK("org A's wallet %s; its provider %s; public entry (via) %s", m.A.Wallet.Hex(), m.Provider.Hex(), m.A.ViaURL)

	n.Step("starting org B, the buyer: Consul agent, via, carrier (bootstrapping to org A's over libp2p) and admin")
	m.B = StartOrg(t, env, m.Chain, OrgSpec{Name: "org-b", WalletKey: m.Chain.Key(t, "buyer-a"), Bootstrap: []string{m.A.P2PAddr}})
	StartAdmin(t, env, m.B)
	for _, p := range []*Proc{m.B.Via, m.B.Carrier, m.B.Admin} {
		n.OK("%s ready at %s", p.Name, p.URL())
	}
	n.OK("org B's wallet %s; public entry (via) %s", m.B.Wallet.Hex(), m.B.ViaURL)
	return m
}

// Result is what Run measured.
type Result struct {
	OrderID    uint64
	Namespace  string
	Settlement Settlement
}

// Run walks seed 000's flow through the market, checking every step.
func (m *Market) Run(ctx context.Context, t testing.TB, n Narrator) Result {
	t.Helper()
	a, err := CarrierClient(m.A)
	if err != nil {
		t.Fatal(err)
	}
	b, err := CarrierClient(m.B)
	if err != nil {
		t.Fatal(err)
	}
	o := m.Buy(ctx, t, n)
	gw := stepLogin(ctx, t, n, m.A.ViaURL, m.Provider, o.ID, m.B.WalletKey, m.Chain.Info.ChainID)
	ns := stepDeploy(ctx, t, n, gw, m.Node, o.ID, m.ManifestURL)
	stepApp(ctx, t, n, gw, o.ID)
	s := stepCancel(ctx, t, n, m.Chain, a, b, o, m.A.Wallet, m.B.Wallet)
	stepTeardown(ctx, t, n, m.Node, ns)
	return Result{OrderID: o.ID, Namespace: ns, Settlement: s}
}

// Buy walks the flow up to an order: the provider registered on chain, its
// listing in org B's directory, B's deposit, B's match and order of the
// demo manifest from org A's provider. It returns the order.
func (m *Market) Buy(ctx context.Context, t testing.TB, n Narrator) Order {
	t.Helper()
	a, err := CarrierClient(m.A)
	if err != nil {
		t.Fatal(err)
	}
	b, err := CarrierClient(m.B)
	if err != nil {
		t.Fatal(err)
	}
	stepRegistered(ctx, t, n, m.Chain, a, m.Provider)
	stepListing(ctx, t, n, b, m.Provider)
	stepDeposit(ctx, t, n, m.Chain, b, m.B.Wallet)
	return stepOrder(ctx, t, n, m.Chain, b, m.Provider, m.B.Wallet, m.ManifestURL, m.ManifestHash)
}

// PrintAccess writes the consoles' URLs and bootstrap logins.
func (m *Market) PrintAccess(w io.Writer) {
	fmt.Fprintf(w, "\nThe two organizations' consoles (the first login asks for a new password):\n")
	for _, o := range []*Org{m.A, m.B} {
		fmt.Fprintf(w, "  %s: %s/admin/  (through its via; directly: %s/)  user %q, password %q\n", o.Name, o.ViaURL, o.Admin.URL(), o.AdminUser, o.AdminPass)
	}
	fmt.Fprintf(w, "Logs and state of every process: %s\n", m.Env.Dir)
}

// serveManifest serves body on a loopback port for the rest of the run and
// returns its URL.
func serveManifest(t testing.TB, body []byte) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
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
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String() + "/demoapp.yaml"
}

// StartAdmin starts an org's admin console with a bootstrap password.
func StartAdmin(t testing.TB, env Env, o *Org) {
	t.Helper()
	o.AdminUser, o.AdminPass = "admin", "demo-"+randomHex(t, 6)
	pass := filepath.Join(o.Dir, "admin-bootstrap-password")
	if err := os.WriteFile(pass, []byte(o.AdminPass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.Admin = StartProc(t, o.Name+"/admin", filepath.Join(o.Dir, "admin.log"), true, env.bin("admin"),
		"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", o.Name, "--consul-addr", o.Agent.Addr(),
		"--carrier-token-file", o.TokenFile, "--bootstrap-user", o.AdminUser, "--bootstrap-password-file", pass,
		"--gateway-allow-loopback")
}

// StartGateway starts a gateway of org o for the provider key, deploying
// into the cluster of kubeconfig, with extra flags. It reads the chain
// settings from the org's Consul KV and publishes its listing through the
// org's carrier.
func StartGateway(t testing.TB, env Env, o *Org, key *ecdsa.PrivateKey, kubeconfig string, extra ...string) {
	t.Helper()
	ks, pass := Keystore(t, filepath.Join(o.Dir, "provider"), key)
	args := append([]string{"--log-format", "json", "--http-addr", "127.0.0.1:0", "--org", o.Name, "--consul-addr", o.Agent.Addr(),
		"--keystore", ks, "--passphrase-file", pass, "--carrier-token-file", o.TokenFile, "--public-url", o.ViaURL,
		"--kubeconfig", kubeconfig, "--manifest-allow", "127.0.0.1/32",
		"--reconcile-interval", "2s", "--reconcile-grace", "0s", "--listing-labels", "demo=true"}, extra...)
	o.Gateway = StartProc(t, o.Name+"/gateway", filepath.Join(o.Dir, "gateway.log"), true, env.bin("gateway"), args...)
	waitHTTP(t, o.Gateway.URL()+"/readyz", 2*time.Minute)
}

// waitHTTP waits until url answers 200.
func waitHTTP(t testing.TB, url string, limit time.Duration) {
	t.Helper()
	hc := &http.Client{Timeout: 5 * time.Second}
	var last string
	err := waitUntil(context.Background(), limit, url, func(context.Context) (bool, error) {
		resp, err := hc.Get(url)
		if err != nil {
			return false, err
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		last = strings.TrimSpace(string(body))
		return resp.StatusCode == http.StatusOK, fmt.Errorf("HTTP %d: %s", resp.StatusCode, last)
	})
	if err != nil {
		t.Fatal(err)
	}
}
