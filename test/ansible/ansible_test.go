//go:build ansible

// Package ansible runs gridnode's Ansible playbooks for real (make
// test-ansible): systemd-nspawn hosts on a private bridge, two
// organizations deployed over SSH, checks from outside, an idempotency gate
// on the re-run, a rolling upgrade under a probe loop, and stop, start and
// uninstall.
package ansible

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	consulapi "github.com/hashicorp/consul/api"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/test/testport"
)

// The lab, as inventories/ci describes it.
const (
	bridge     = "gnlab0"
	bridgeCIDR = "10.231.7.1/24"
	aConsul    = "10.231.7.11"
	aApp       = "10.231.7.12"
	bNode      = "10.231.7.21"
	upgradeVer = "ansible-upgrade-test"
)

type org struct {
	name, inventory string
	app, appHost    string   // the host of carrier, admin and via: address, inventory name
	consulIP        string   // a Consul server's address
	hosts           []string // inventory names
	gateways        int      // replicas
	walletAccount   string   // devnet account of the org wallet
	vars            string   // extra vars, vaulted into extraVars
	extraVars       string   // vaulted extra-vars file
	token           string   // carrier API token
	peerID          string
	consulToken     string
	provider        string // lowercase 0x address
}

func (o *org) publicURL() string { return "http://" + o.app + ":8443" }

func (o *org) services() map[string]int {
	return map[string]int{"carrier": 1, "admin": 1, "gateway": o.gateways, "via": 1}
}

type lab struct {
	t        *testing.T
	root     string // repository
	dir      string // lab directory
	vaultPwd string
	logMu    *sync.Mutex
	logs     *os.File
}

// on is the lab seen from another (sub)test.
func (l *lab) on(t *testing.T) *lab { c := *l; c.t = t; return &c }

func TestAnsibleDeploy(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"ansible-playbook", "ansible-vault", "systemd-nspawn", "debootstrap", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run hack/setup ansible", tool)
		}
	}
	for _, b := range []string{"carrier", "admin", "gateway", "via", "devnet"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			t.Fatalf("bin/%s is missing: run make build", b)
		}
	}
	dir := os.Getenv("GRIDNODE_LAB_DIR")
	if dir == "" {
		dir = "/tmp/gridnode-ansible-lab"
	}
	l := &lab{t: t, root: root, dir: dir, logMu: new(sync.Mutex)}
	// A lab left by a run that was killed goes first.
	l.run(exec.Command(filepath.Join(root, "hack/nspawn-hosts"), "down", dir))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	l.logs, err = os.Create(filepath.Join(dir, "ansible.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.run(exec.Command(filepath.Join(root, "hack/nspawn-hosts"), "down", dir))
		if !t.Failed() && os.Getenv("GRIDNODE_LAB_KEEP") == "" {
			os.RemoveAll(dir)
		} else {
			t.Logf("lab directory kept for inspection: %s (ansible output in ansible.log)", dir)
		}
	})

	start := time.Now()
	// The binaries of the upgrade (another version string) build while the
	// lab boots and the organizations deploy.
	v2 := filepath.Join(dir, "bin-v2")
	v2done := make(chan error, 1)
	go func() { v2done <- l.buildVersion(v2, upgradeVer) }()

	l.step("boot the lab hosts")
	l.must(exec.Command(filepath.Join(root, "hack/nspawn-hosts"), "up", dir, bridge, bridgeCIDR,
		"a-consul="+aConsul, "a-app="+aApp, "b-node="+bNode))

	l.vaultPwd = filepath.Join(dir, "secrets", "vault-pass")
	l.writeFile(l.vaultPwd, randHex(32))

	a := &org{name: "org-a", inventory: "../inventories/ci/org-a/hosts.yml", app: aApp, appHost: "a-app", consulIP: aConsul,
		hosts: []string{"a-consul", "a-app"}, gateways: 2, walletAccount: "account-5"}
	b := &org{name: "org-b", inventory: "../inventories/ci/org-b/hosts.yml", app: bNode, appHost: "b-node", consulIP: bNode,
		hosts: []string{"b-node"}, gateways: 1, walletAccount: "account-6"}
	orgs := []*org{a, b}

	l.step("dev chain on a-app (devnet.yml)")
	l.playbook(a, "devnet.yml", nil)
	info := l.devnetInfo()

	l.step("secrets: vaulted org wallets, org A's libp2p key, org B's provider keystore")
	for _, o := range orgs {
		l.vaultWallet(o, info)
	}
	// Org A's libp2p key is given (vaulted), so its peer id is known before
	// it runs and org B can bootstrap to it while both deploy at once.
	a.peerID = l.vaultP2PKey(a)
	bootstrap := fmt.Sprintf("/ip4/%s/tcp/4001/p2p/%s", a.app, a.peerID)
	b.vars += fmt.Sprintf("gridnode_bootstrap_peers: [%q]\n", bootstrap)
	// Org B's provider key is a vaulted keystore; org A's is made on its
	// first gateway replica.
	b.provider = l.vaultProviderKey(b)
	for _, o := range orgs {
		l.vaultVars(o)
	}

	l.step("deploy both organizations (site.yml), org B's carrier bootstrapping to " + bootstrap)
	l.parallel("deploy", orgs, func(l *lab, o *org) { l.playbook(o, "site.yml", nil) })
	if t.Failed() {
		t.FailNow()
	}
	for _, o := range orgs {
		o.token = strings.TrimSpace(l.ssh(o.appHost, "cat /etc/gridnode/carrier/api-token"))
	}
	b.consulToken = strings.TrimSpace(l.readFile(filepath.Join(dir, "secrets", "org-b", "consul-acl-management.token")))
	if id := l.peerID(a); id != a.peerID {
		t.Fatalf("org A's carrier runs as %s, want %s (from the vaulted carrier_p2p_key)", id, a.peerID)
	}
	b.peerID = l.peerID(b)
	t.Logf("deployed both organizations in %s", time.Since(start).Round(time.Second))

	l.step("checks from outside")
	l.parallel("check", orgs, func(l *lab, o *org) {
		providers := l.checkConsul(o, o.services(), "")
		if len(providers) != 1 {
			l.t.Fatalf("%s's gateways serve providers %v, want one (the replicas share the key)", o.name, providers)
		}
		if o.provider == "" {
			o.provider = providers[0]
		} else if providers[0] != o.provider {
			l.t.Fatalf("%s's gateway serves %s, want %s (the vaulted keystore's)", o.name, providers[0], o.provider)
		}
		l.checkVia(o)
		l.checkRegistered(o)
	})
	if t.Failed() {
		t.FailNow()
	}
	l.checkPeered(a, b)
	l.checkPeered(b, a)
	for _, at := range orgs {
		for _, of := range orgs {
			l.checkListing(at, of)
		}
	}

	// Org B runs with Consul ACLs: each daemon has a least-privilege token.
	l.checkNoACLDenials(b)

	l.step("re-run site.yml: nothing may change")
	recaps := map[string]string{}
	var recapMu sync.Mutex
	l.parallel("re-run", orgs, func(l *lab, o *org) {
		r := l.playbook(o, "site.yml", nil)
		recapMu.Lock()
		recaps[o.name] = r
		recapMu.Unlock()
	})
	if t.Failed() {
		t.FailNow()
	}
	for _, o := range orgs {
		fmt.Printf("second run of site.yml for %s:\n%s", o.name, recaps[o.name])
		for host, changed := range parseRecap(t, recaps[o.name]) {
			if changed != 0 {
				t.Errorf("%s: re-run changed %d tasks on %s (see %s)", o.name, changed, host, l.logs.Name())
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	if err := <-v2done; err != nil {
		t.Fatal(err)
	}
	l.step("rolling upgrade of org A under a probe loop; upgrade, stop, start and uninstall of org B")
	t.Run("org-a", func(t *testing.T) {
		t.Parallel()
		l := l.on(t)
		probe := startProbe(fmt.Sprintf("%s/gw/%s/healthz", a.publicURL(), a.provider))
		l.playbook(a, "upgrade.yml", map[string]string{"GRIDNODE_BIN_DIR": v2}, "--tags", "gateway")
		ok, failed := probe.stop()
		t.Logf("probe through via during the gateways' rolling upgrade: %d requests, %d failed", ok+len(failed), len(failed))
		if ok == 0 || len(failed) > 0 {
			t.Errorf("probe through via during the rolling upgrade: %d ok, %d failed: %v", ok, len(failed), failed)
		}
		l.checkConsul(a, map[string]int{"gateway": a.gateways}, upgradeVer)
		l.playbook(a, "upgrade.yml", map[string]string{"GRIDNODE_BIN_DIR": v2})
		l.checkConsul(a, a.services(), upgradeVer)
	})
	t.Run("org-b", func(t *testing.T) {
		t.Parallel()
		l := l.on(t)
		l.playbook(b, "upgrade.yml", map[string]string{"GRIDNODE_BIN_DIR": v2})
		l.checkConsul(b, b.services(), upgradeVer)
		l.checkPeered(b, a)

		l.playbook(b, "stop.yml", nil)
		l.checkStopped(b)
		l.playbook(b, "start.yml", nil)
		l.checkConsul(b, b.services(), upgradeVer)

		l.playbook(b, "uninstall.yml", nil)
		l.checkUninstalled(b)
	})
	t.Cleanup(func() { t.Logf("total %s", time.Since(start).Round(time.Second)) })
}

func (l *lab) step(s string) {
	fmt.Printf("==> %s [%s]\n", s, time.Now().Format("15:04:05"))
	l.log("\n==> %s\n", s)
}

func (l *lab) log(format string, args ...any) {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	if l.logs != nil {
		fmt.Fprintf(l.logs, format, args...)
	}
}

// parallel runs f for every org at once, each in a subtest of its own.
func (l *lab) parallel(name string, orgs []*org, f func(*lab, *org)) {
	l.t.Helper()
	l.t.Run(name, func(t *testing.T) {
		for _, o := range orgs {
			t.Run(o.name, func(t *testing.T) {
				t.Parallel()
				f(l.on(t), o)
			})
		}
	})
}

// run runs a command with its output in the log; it returns the error.
func (l *lab) run(cmd *exec.Cmd) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	l.log("$ %s\n%s", strings.Join(cmd.Args, " "), out.String())
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, tail(out.String(), 40))
	}
	return nil
}

func (l *lab) must(cmd *exec.Cmd) {
	l.t.Helper()
	if err := l.run(cmd); err != nil {
		l.t.Fatal(err)
	}
}

var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)`)

// playbook runs one playbook for one organization and returns its recap.
func (l *lab) playbook(o *org, playbook string, env map[string]string, args ...string) string {
	l.t.Helper()
	argv := []string{"-i", o.inventory, playbook, "--vault-password-file", l.vaultPwd}
	if o.extraVars != "" {
		argv = append(argv, "-e", "@"+o.extraVars)
	}
	cmd := exec.Command("ansible-playbook", append(argv, args...)...)
	cmd.Dir = filepath.Join(l.root, "ansible")
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+filepath.Join(l.root, "ansible", "ansible.cfg"),
		"GRIDNODE_LAB_DIR="+l.dir, "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	l.log("$ ansible-playbook %s (%s)\n%s", strings.Join(cmd.Args[1:], " "), o.name, out.String())
	recap := ""
	if i := strings.LastIndex(out.String(), "PLAY RECAP"); i >= 0 {
		recap = out.String()[i:]
	}
	fmt.Printf("    %s %s %s: %s\n", o.name, playbook, strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
	if err != nil {
		l.t.Fatalf("ansible-playbook %s for %s: %v\n%s", playbook, o.name, err, tail(out.String(), 60))
	}
	return recap
}

func parseRecap(t *testing.T, recap string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range recapLine.FindAllStringSubmatch(recap, -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	if len(out) == 0 {
		t.Fatalf("no recap in:\n%s", recap)
	}
	return out
}

func (l *lab) ssh(host, command string) string {
	l.t.Helper()
	out, err := l.trySSH(host, command)
	if err != nil {
		l.t.Fatalf("ssh %s %q: %v", host, command, err)
	}
	return out
}

func (l *lab) trySSH(host, command string) (string, error) {
	cmd := exec.Command(filepath.Join(l.root, "hack/nspawn-hosts"), "ssh", l.dir, host, command)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func (l *lab) writeFile(path, content string) {
	l.t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		l.t.Fatal(err)
	}
}

func (l *lab) readFile(path string) string {
	l.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		l.t.Fatal(err)
	}
	return string(b)
}

type devnetInfo struct {
	Accounts []struct {
		Name       string `json:"name"`
		PrivateKey string `json:"privateKey"`
	} `json:"accounts"`
}

func (d devnetInfo) key(name string) string {
	for _, a := range d.Accounts {
		if a.Name == name {
			return strings.TrimPrefix(a.PrivateKey, "0x")
		}
	}
	return ""
}

// devnetInfo reads the dev chain's info file (public dev keys) from a-app.
func (l *lab) devnetInfo() devnetInfo {
	l.t.Helper()
	var info devnetInfo
	if err := json.Unmarshal([]byte(l.ssh("a-app", "cat /var/lib/gridnode/devnet/devnet.json")), &info); err != nil {
		l.t.Fatal(err)
	}
	return info
}

func (l *lab) vault(path string) {
	l.t.Helper()
	l.must(exec.Command("ansible-vault", "encrypt", "--vault-password-file", l.vaultPwd, path))
}

// vaultWallet makes the org's wallet keystore from a funded dev account
// (it pays gas to register the org's provider), encrypts it with
// ansible-vault, and adds its passphrase to the org's extra vars.
func (l *lab) vaultWallet(o *org, info devnetInfo) {
	l.t.Helper()
	sec := filepath.Join(l.dir, "secrets")
	key := info.key(o.walletAccount)
	if key == "" {
		l.t.Fatalf("no %s in the devnet info", o.walletAccount)
	}
	keyFile, passFile := filepath.Join(sec, o.name+"-wallet.key"), filepath.Join(sec, o.name+"-wallet.pass")
	keystore := filepath.Join(sec, o.name+"-wallet.json")
	pass := randHex(20)
	l.writeFile(keyFile, key+"\n")
	l.writeFile(passFile, pass+"\n")
	l.must(exec.Command(filepath.Join(l.root, "bin/carrier"), "keys", "import", "--keystore", keystore,
		"--private-key-file", keyFile, "--passphrase-file", passFile))
	l.must(exec.Command("ansible-vault", "encrypt", "--vault-password-file", l.vaultPwd, "--output", keystore+".vault", keystore))
	for _, f := range []string{keyFile, passFile, keystore} {
		os.Remove(f)
	}
	o.vars += fmt.Sprintf("carrier_keystore_passphrase: %q\n", pass)
}

// vaultP2PKey makes the carrier's libp2p key (carrier_p2p_key, vaulted)
// and returns its peer id.
func (l *lab) vaultP2PKey(o *org) string {
	l.t.Helper()
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		l.t.Fatal(err)
	}
	k, err := crypto.UnmarshalSecp256k1PrivateKey(raw)
	if err != nil {
		l.t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		l.t.Fatal(err)
	}
	o.vars += fmt.Sprintf("carrier_p2p_key: %q\n", hex.EncodeToString(raw))
	return id.String()
}

// vaultProviderKey makes the provider's keystore with `gateway keys new`,
// vaults it where the inventory's gateway_keystore_src points, adds its
// passphrase to the org's extra vars and returns the provider address.
func (l *lab) vaultProviderKey(o *org) string {
	l.t.Helper()
	sec := filepath.Join(l.dir, "secrets")
	keystore, passFile := filepath.Join(sec, o.name+"-provider.json"), filepath.Join(sec, o.name+"-provider.pass")
	pass := randHex(20)
	l.writeFile(passFile, pass+"\n")
	gw := filepath.Join(l.root, "bin/gateway")
	l.must(exec.Command(gw, "keys", "new", "--keystore", keystore, "--passphrase-file", passFile))
	out, err := exec.Command(gw, "keys", "show", "--keystore", keystore).Output()
	if err != nil {
		l.t.Fatalf("gateway keys show: %v", err)
	}
	var addr string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "address" {
			addr = strings.ToLower(f[1])
		}
	}
	if len(addr) != 42 {
		l.t.Fatalf("gateway keys show: no address in %q", out)
	}
	l.must(exec.Command("ansible-vault", "encrypt", "--vault-password-file", l.vaultPwd, "--output", keystore+".vault", keystore))
	os.Remove(keystore)
	os.Remove(passFile)
	o.vars += fmt.Sprintf("gateway_keystore_passphrase: %q\n", pass)
	return addr
}

// vaultVars writes the org's extra vars (secrets among them) as an
// ansible-vault encrypted file.
func (l *lab) vaultVars(o *org) {
	l.t.Helper()
	o.extraVars = filepath.Join(l.dir, "secrets", o.name+"-vars.yml")
	l.writeFile(o.extraVars, o.vars)
	l.vault(o.extraVars)
}

var httpc = &http.Client{Timeout: 5 * time.Second}

func (l *lab) carrierGet(o *org, path string, v any) error {
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s:7401%s", o.app, path), nil)
	req.Header.Set("Authorization", "Bearer "+o.token)
	resp, err := httpc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

type peersView struct {
	Self struct {
		ID string `json:"id"`
	} `json:"self"`
	Peers []struct {
		ID string `json:"id"`
	} `json:"peers"`
}

func (l *lab) peerID(o *org) string {
	l.t.Helper()
	var p peersView
	l.eventually(time.Minute, o.name+"'s carrier answers /v1/peers", func() error { return l.carrierGet(o, "/v1/peers", &p) })
	return p.Self.ID
}

func (l *lab) checkPeered(from, to *org) {
	l.t.Helper()
	l.eventually(2*time.Minute, from.name+"'s carrier peered with "+to.name+"'s", func() error {
		var p peersView
		if err := l.carrierGet(from, "/v1/peers", &p); err != nil {
			return err
		}
		for _, peer := range p.Peers {
			if peer.ID == to.peerID {
				return nil
			}
		}
		return fmt.Errorf("peers %+v", p.Peers)
	})
	l.t.Logf("%s's carrier is peered with %s's", from.name, to.name)
}

// checkRegistered waits until the org's carrier has registered its
// provider (the gateways' key) on chain, with via's URL.
func (l *lab) checkRegistered(o *org) {
	l.t.Helper()
	want := o.publicURL() + "/gw/" + o.provider
	l.eventually(3*time.Minute, o.name+"'s provider "+o.provider+" registered on chain", func() error {
		var ps []struct {
			Provider string `json:"provider"`
			State    string `json:"state"`
			Gateways int    `json:"gateways"`
			OnChain  *struct {
				URL string `json:"url"`
			} `json:"onChain"`
			Problem string `json:"problem"`
		}
		if err := l.carrierGet(o, "/v1/providers", &ps); err != nil {
			return err
		}
		for _, p := range ps {
			if strings.ToLower(p.Provider) != o.provider {
				continue
			}
			if p.State != "registered" || p.OnChain == nil || p.OnChain.URL != want {
				return fmt.Errorf("provider %+v", p)
			}
			if p.Gateways != o.gateways {
				return fmt.Errorf("carrier sees %d gateways of %s, want %d", p.Gateways, o.provider, o.gateways)
			}
			return nil
		}
		return fmt.Errorf("carrier lists providers %+v", ps)
	})
	l.t.Logf("%s: provider %s registered on chain at %s", o.name, o.provider, want)
}

// checkListing waits until at's directory holds of's provider listing, as
// of's gateways signed and published it through their carrier.
func (l *lab) checkListing(at, of *org) {
	l.t.Helper()
	want := of.publicURL() + "/gw/" + of.provider
	l.eventually(3*time.Minute, at.name+"'s directory holds "+of.name+"'s listing", func() error {
		var v struct {
			Org        string `json:"org"`
			Provider   string `json:"provider"`
			GatewayURL string `json:"gatewayUrl"`
			Seq        uint64 `json:"seq"`
		}
		if err := l.carrierGet(at, "/v1/listings/"+of.provider, &v); err != nil {
			return err
		}
		if v.Org != of.name || strings.ToLower(v.Provider) != of.provider || v.GatewayURL != want {
			return fmt.Errorf("listing %+v", v)
		}
		return nil
	})
	l.t.Logf("%s's directory holds %s's listing of provider %s (%s)", at.name, of.name, of.provider, want)
}

// consulClient reaches an org's Consul API from outside, through an SSH
// tunnel to the server's loopback listener.
func (l *lab) consulClient(o *org) (*consulapi.Client, func()) {
	l.t.Helper()
	port := testport.Get(l.t)
	cmd := exec.Command("ssh", "-N", "-i", filepath.Join(l.dir, "id_ed25519"), "-o", "UserKnownHostsFile="+filepath.Join(l.dir, "known_hosts"),
		"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes",
		"-L", fmt.Sprintf("127.0.0.1:%d:127.0.0.1:8500", port), "root@"+o.consulIP)
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	cfg := consulapi.DefaultConfig()
	cfg.Address = fmt.Sprintf("127.0.0.1:%d", port)
	cfg.Token = o.consulToken
	c, err := consulapi.NewClient(cfg)
	if err != nil {
		stop()
		l.t.Fatal(err)
	}
	l.eventually(30*time.Second, "ssh tunnel to "+o.name+"'s consul", func() error { _, err := c.Status().Leader(); return err })
	return c, stop
}

// checkConsul waits until every agent of the org is alive and every
// service has want passing instances in the org's Consul (with meta
// version if given), prints them, and returns the providers the gateways
// serve (their meta provider, lowercase).
func (l *lab) checkConsul(o *org, want map[string]int, version string) []string {
	l.t.Helper()
	c, stop := l.consulClient(o)
	defer stop()
	l.eventually(time.Minute, fmt.Sprintf("%d agents alive in %s's consul", len(o.hosts), o.name), func() error {
		members, err := c.Agent().Members(false)
		if err != nil {
			return err
		}
		alive := 0
		for _, m := range members {
			if m.Status == 1 {
				alive++
			}
		}
		if alive != len(o.hosts) {
			return fmt.Errorf("%d of %d members alive", alive, len(members))
		}
		return nil
	})
	providers := map[string]bool{}
	names := make([]string, 0, len(want))
	for svc := range want {
		names = append(names, svc)
	}
	sort.Strings(names)
	for _, svc := range names {
		n := want[svc]
		var got []string
		l.eventually(2*time.Minute, fmt.Sprintf("%d passing %s in %s's consul (version %q)", n, svc, o.name, version), func() error {
			entries, _, err := c.Health().Service(svc, "", true, nil)
			if err != nil {
				return err
			}
			got = got[:0]
			for _, e := range entries {
				if version == "" || e.Service.Meta["version"] == version {
					got = append(got, fmt.Sprintf("%s@%s:%d(v=%s)", e.Node.Node, e.Service.Address, e.Service.Port, e.Service.Meta["version"]))
					if svc == "gateway" {
						providers[strings.ToLower(e.Service.Meta["provider"])] = true
					}
				}
			}
			if len(got) != n {
				return fmt.Errorf("have %v", got)
			}
			return nil
		})
		l.t.Logf("%s consul: %s passing: %s", o.name, svc, strings.Join(got, " "))
	}
	out := make([]string, 0, len(providers))
	for p := range providers {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (l *lab) checkVia(o *org) {
	l.t.Helper()
	for _, path := range []string{"/healthz", "/gw/" + o.provider + "/healthz"} {
		url := o.publicURL() + path
		l.eventually(time.Minute, "via answers "+url, func() error {
			resp, err := httpc.Get(url)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("%s", resp.Status)
			}
			return nil
		})
		l.t.Logf("%s via: GET %s -> 200", o.name, url)
	}
}

// checkNoACLDenials fails if a daemon of the org logged a Consul ACL
// refusal (its token's policy lacks a permission it uses).
func (l *lab) checkNoACLDenials(o *org) {
	l.t.Helper()
	for _, h := range o.hosts {
		out := l.ssh(h, "journalctl --no-pager -o cat -u 'gridnode-*' | grep -i -E 'permission denied|ACL not found' | head -20; true")
		if strings.TrimSpace(out) != "" {
			l.t.Errorf("%s: a daemon was refused by Consul's ACLs:\n%s", h, out)
		}
	}
	l.t.Logf("%s: no Consul ACL refusal in the daemons' journals", o.name)
}

// checkStopped checks after stop.yml that the daemons are stopped and
// gone from Consul, and the Consul agents still run.
func (l *lab) checkStopped(o *org) {
	l.t.Helper()
	for _, h := range o.hosts {
		out, _ := l.trySSH(h, "systemctl is-active consul.service gridnode-carrier.service gridnode-admin.service gridnode-gateway.service gridnode-via.service")
		states := strings.Fields(out)
		if len(states) != 5 || states[0] != "active" {
			l.t.Fatalf("%s after stop.yml: consul, carrier, admin, gateway, via are %v; want consul active", h, states)
		}
		for i, s := range states[1:] {
			if s == "active" {
				l.t.Errorf("%s after stop.yml: daemon %d of carrier, admin, gateway, via is still active", h, i)
			}
		}
	}
	l.checkConsul(o, map[string]int{"carrier": 0, "admin": 0, "gateway": 0, "via": 0}, "")
	l.t.Logf("%s: stop.yml stopped every daemon (consul left running)", o.name)
}

// checkUninstalled checks after uninstall.yml that units, binaries and
// configuration are gone and that keys and data stay.
func (l *lab) checkUninstalled(o *org) {
	l.t.Helper()
	h := o.hosts[0]
	gone := []string{"/etc/systemd/system/gridnode-carrier.service", "/etc/systemd/system/gridnode-gateway.service",
		"/etc/systemd/system/consul.service", "/usr/local/bin/carrier", "/usr/local/bin/consul", "/etc/gridnode/carrier/carrier.yml",
		"/etc/gridnode/gateway/gateway.yml"}
	kept := []string{"/etc/gridnode/carrier/org-wallet.json", "/etc/gridnode/carrier/org-wallet.pass", "/etc/gridnode/carrier/p2p.key",
		"/etc/gridnode/gateway/provider.json", "/etc/gridnode/gateway/provider.pass", "/var/lib/gridnode/carrier", "/var/lib/consul"}
	var script strings.Builder
	for _, p := range gone {
		fmt.Fprintf(&script, "if [ -e %s ]; then echo 'still there: %s'; fi; ", p, p)
	}
	for _, p := range kept {
		fmt.Fprintf(&script, "if [ ! -e %s ]; then echo 'removed: %s'; fi; ", p, p)
	}
	script.WriteString("if systemctl is-active -q gridnode-carrier.service consul.service; then echo 'a daemon still runs'; fi; true")
	if out := strings.TrimSpace(l.ssh(h, script.String())); out != "" {
		l.t.Errorf("%s after uninstall.yml:\n%s", h, out)
	}
	l.t.Logf("%s: uninstall.yml removed units, binaries and configuration; keys and data stay", o.name)
}

// buildVersion builds the four daemons with another version string.
func (l *lab) buildVersion(dir, version string) error {
	for _, r := range []string{"carrier", "admin", "gateway", "via"} {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X github.com/gridnode/gridnode/pkg/service.version="+version,
			"-o", filepath.Join(dir, r), "./"+r+"/cmd/"+r)
		cmd.Dir = l.root
		if err := l.run(cmd); err != nil {
			return err
		}
	}
	return nil
}

func (l *lab) eventually(d time.Duration, what string, f func() error) {
	l.t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s: not after %s: %v", what, d, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

type probe struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ok     atomic.Int64
	mu     sync.Mutex
	failed []string
}

// startProbe GETs url every 50 ms until stopped, recording failures.
func startProbe(url string) *probe {
	ctx, cancel := context.WithCancel(context.Background())
	p := &probe{cancel: cancel}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			resp, err := httpc.Get(url)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					p.ok.Add(1)
					continue
				}
				err = fmt.Errorf("%s", resp.Status)
			}
			p.mu.Lock()
			p.failed = append(p.failed, time.Now().Format("15:04:05.000")+" "+err.Error())
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *probe) stop() (int, []string) {
	p.cancel()
	p.wg.Wait()
	return int(p.ok.Load()), p.failed
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func tail(s string, n int) string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
