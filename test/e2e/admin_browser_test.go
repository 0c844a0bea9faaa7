package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/testport"
)

// browserDeps finds what the browser tests need: Debian's Chromium, node
// and the npm packages of test/browser (hack/setup web). Missing ones skip
// the test, or fail it in CI.
func browserDeps(t *testing.T) (chromium, node string) {
	t.Helper()
	missing := func(what string) {
		msg := what + " is missing: run `hack/setup web`"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	chromium = os.Getenv("GRIDNODE_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("chromium (" + chromium + ")")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node")
	}
	if _, err := os.Stat("../browser/node_modules/playwright-core/package.json"); err != nil {
		missing("test/browser/node_modules (playwright-core)")
	}
	return chromium, node
}

// browserOrg is one organization of the browser test's stack.
type browserOrg struct {
	name    string
	agent   *consultest.Agent
	carrier *daemon
	admin   *daemon
	via     *daemon
	token   string
	peer    string // the carrier's p2p address
	console string // the console's URL through via: http://127.0.0.1:<port>/admin/
}

// startBrowserOrg starts an organization node: Consul agent, the chain
// settings in its KV, a carrier (p2p and chain), an admin and a via that
// routes /admin/ to it. "{via}" in carrierArgs is replaced by the via's
// public URL.
func startBrowserOrg(t *testing.T, e *chainEnv, name, wallet, password string, carrierArgs []string, bootstrap ...string) *browserOrg {
	t.Helper()
	o := &browserOrg{name: name, agent: consultest.Start(t), token: writeToken(t, 0o600)}
	if out, err := exec.Command(bin("carrier"), "settings", "set", "--org", name, "--consul-addr", o.agent.Addr(),
		"--devnet-info", e.file).CombinedOutput(); err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	port := testport.Get(t)
	o.console = fmt.Sprintf("http://127.0.0.1:%d/admin/", port)
	for i, a := range carrierArgs {
		carrierArgs[i] = strings.ReplaceAll(a, "{via}", fmt.Sprintf("http://127.0.0.1:%d", port))
	}
	keyFile, id := p2pKeyFile(t, filepath.Join(t.TempDir(), "p2p.key"))
	listen := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", testport.Get(t))
	o.peer = listen + "/p2p/" + id.String()
	ks, pass := e.keystoreOf(wallet)
	args := append([]string{"--api-token-file", o.token, "--p2p-listen", listen, "--p2p-key-file", keyFile},
		chainArgs(e, t.TempDir(), ks, pass)...)
	for _, b := range bootstrap {
		args = append(args, "--p2p-bootstrap", b)
	}
	o.carrier = startDaemon(t, "carrier", daemonArgs("carrier", o.agent, name, append(args, carrierArgs...)...)...)
	o.admin = startAdmin(t, o.agent, name, o.token, password)
	o.via = startDaemon(t, "via", "--http-addr", "127.0.0.1:0", "--org", name, "--consul-addr", o.agent.Addr(),
		"--public-addr", fmt.Sprintf("127.0.0.1:%d", port), "--public-url", fmt.Sprintf("http://127.0.0.1:%d", port), "--admin-route")
	return o
}

// TestAdminBrowser drives both organizations' consoles in Debian's
// Chromium (playwright-core, test/browser/console.test.mjs) on a running
// two-org stack: devnet, two Consul agents, two carriers peered over
// libp2p, org A's gateway and published listing, an admin and a via per
// org, each console reached through its via's /admin/. The script signs in
// and changes the bootstrap passwords, finds org A's listing in org B's
// directory, deposits credit and watches it confirm, orders from org A,
// finds the order in the list, extends it and updates its manifest (which
// does not reach org A's gateway, only a Consul entry here, and says so),
// cancels it and sees the settlement (and
// org A's earnings), and checks that a viewer sees no control that
// changes anything. Screenshots of every page go to the test's artifact
// directory (go test -artifacts; GRIDNODE_SCREENSHOTS overrides it).
func TestAdminBrowser(t *testing.T) {
	chromium, node := browserDeps(t)
	e := startDevnet(t)
	providerKey := e.key("provider-a")
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	const bootPW = "bootstrap password of the org"

	seller := []string{"--provider-url-base", "{via}", "--provider-region", "eu", "--provider-cpu-millis", "8000",
		"--provider-memory", "16Gi", "--provider-storage", "100Gi", "--price-cpu-milli", "3", "--price-memory-mib", "2", "--price-storage-gib", "5"}
	a := startBrowserOrg(t, e, "org-a", "provider-b", bootPW, seller)
	b := startBrowserOrg(t, e, "org-b", "buyer-a", bootPW, []string{"--manifest-allow-loopback"}, a.peer)
	// Org A sells: a gateway of provider-a is registered in A's Consul (as
	// the gateway daemon registers itself; the gateway's own tests cover
	// the daemon, which needs a Kubernetes API server), and A's carrier
	// registers the provider in the Registry with the provider key's proof
	// of possession, handed by hand (`gateway keys prove`).
	registerGateway(t, a.agent, "gateway-a-1", "org-a", provider)
	ca := newAPIClient(t, a.carrier, a.token)
	handProof(t, e, ca, a.token, "provider-a", crypto.PubkeyToAddress(e.key("provider-b").PublicKey))
	waitFor(t, 2*time.Minute, "org A's provider registered on chain", func() bool {
		var ps []struct{ State string }
		code, _ := ca.do("GET", "providers", nil, &ps)
		return code == http.StatusOK && len(ps) == 1 && ps[0].State == "registered"
	})
	// Its listing (signed with the provider key, as the gateway will) is
	// published at A and reaches B over libp2p.
	keyFile := filepath.Join(t.TempDir(), "provider.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(providerKey))), 0o600); err != nil {
		t.Fatal(err)
	}
	gwURL := strings.TrimSuffix(a.console, "admin/") + "gw/" + strings.ToLower(provider.Hex())
	out, err := exec.Command(bin("carrier"), "listings", "publish", "--carrier-url", a.carrier.url(), "--api-token-file", a.token,
		"--provider-key-file", keyFile, "--owner", crypto.PubkeyToAddress(e.key("provider-b").PublicKey).Hex(), // A's wallet
		"--gateway-url", gwURL, "--cpu", "8000", "--free-cpu", "6000", "--memory", "16Gi",
		"--storage", "100Gi", "--price-cpu", "3", "--price-memory", "2", "--price-storage", "5", "--region", "eu",
		"--label", "tier=gold").CombinedOutput()
	if err != nil {
		t.Fatalf("carrier listings publish: %v\n%s", err, out)
	}
	cb := newAPIClient(t, b.carrier, b.token)
	waitFor(t, 2*time.Minute, "org A's listing in org B's directory", func() bool {
		var res struct{ Total int }
		code, _ := cb.do("GET", "listings", nil, &res)
		return code == http.StatusOK && res.Total == 1
	})
	waitFor(t, time.Minute, "org B's chain mediator", func() bool {
		var s struct{ Running bool }
		code, _ := cb.do("GET", "chain", nil, &s)
		return code == http.StatusOK && s.Running
	})
	for _, o := range []*browserOrg{a, b} {
		waitReady(t, o.admin)
		waitFor(t, time.Minute, o.name+"'s console through via", func() bool {
			resp, err := http.Get(o.console)
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}

	// The manifest the order is placed with.
	manifest := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  greeting: hello from org B\n")
	manifest2 := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  greeting: hello again from org B\n")
	msrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hello-v2.yaml" {
			_, _ = w.Write(manifest2)
			return
		}
		_, _ = w.Write(manifest)
	}))
	t.Cleanup(msrv.Close)

	shots := os.Getenv("GRIDNODE_SCREENSHOTS")
	if shots == "" {
		shots = t.ArtifactDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]string{
		"chromium": chromium, "orgA": a.console, "orgB": b.console, "bootstrapPassword": bootPW,
		"manifestUrl": msrv.URL + "/hello.yaml", "manifestUrl2": msrv.URL + "/hello-v2.yaml", "provider": provider.Hex(), "screenshots": shots,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "console.test.mjs")
	cmd.Dir = "../browser"
	cmd.Env = append(os.Environ(), "GRIDNODE_BROWSER_CONFIG="+string(cfg))
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	res, err := cmd.CombinedOutput()
	t.Logf("node --test console.test.mjs (%s):\n%s", time.Since(start).Round(time.Second), res)
	t.Logf("screenshots in %s", shots)
	if err != nil {
		t.Fatalf("browser tests failed: %v", err)
	}
}
