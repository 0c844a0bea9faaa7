//go:build ansible

// Package ansible runs gridnode's Ansible playbooks for real (make
// test-ansible): systemd-nspawn hosts on a private bridge, two
// organizations deployed over SSH, checks from outside, an idempotency gate
// on the re-run and a rolling upgrade under a probe loop.
package ansible

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	consulapi "github.com/hashicorp/consul/api"
)

// The lab, as inventories/ci describes it.
const (
	bridge     = "gnlab0"
	bridgeCIDR = "10.231.7.1/24"
	aConsul    = "10.231.7.11"
	aApp       = "10.231.7.12"
	bNode      = "10.231.7.21"
	providerA  = "0xd5536071910bcf929f477b411f58cbdc6e89d305"
	providerB  = "0xe5e8587ebc489769de15b599e8efc37801bccc79"
	upgradeVer = "ansible-upgrade-test"
)

type org struct {
	name, inventory, app, consulHost, consulIP, provider, providerKeyName, walletAccount string
	extraVars                                                                              string
	token                                                                                  string // carrier API token
	peerID                                                                                 string
	consulToken                                                                            string
}

type lab struct {
	t        *testing.T
	root     string // repository
	dir      string // lab directory
	vaultPwd string
	logs     *os.File
}

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
	for _, b := range []string{"carrier", "admin", "gateway", "via"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			t.Fatalf("bin/%s is missing: run make build", b)
		}
	}
	dir := os.Getenv("GRIDNODE_LAB_DIR")
	if dir == "" {
		dir = "/tmp/gridnode-ansible-lab"
	}
	l := &lab{t: t, root: root, dir: dir}
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
		if !t.Failed() {
			os.RemoveAll(dir)
		} else {
			t.Logf("lab directory kept for inspection: %s (ansible output in ansible.log)", dir)
		}
	})

	start := time.Now()
	l.step("boot the lab hosts")
	l.must(exec.Command(filepath.Join(root, "hack/nspawn-hosts"), "up", dir, bridge, bridgeCIDR,
		"a-consul="+aConsul, "a-app="+aApp, "b-node="+bNode))

	l.vaultPwd = filepath.Join(dir, "secrets", "vault-pass")
	l.writeFile(l.vaultPwd, randHex(32))

	a := &org{name: "org-a", inventory: "../inventories/ci/org-a/hosts.yml", app: aApp, consulHost: "a-consul", consulIP: aConsul,
		provider: providerA, providerKeyName: "provider-a", walletAccount: "account-5"}
	b := &org{name: "org-b", inventory: "../inventories/ci/org-b/hosts.yml", app: bNode, consulHost: "b-node", consulIP: bNode,
		provider: providerB, providerKeyName: "provider-b", walletAccount: "account-6"}

	l.step("dev chain on a-app (devnet.yml)")
	l.playbook(a, "devnet.yml", nil)
	info := l.devnetInfo()

	for _, o := range []*org{a, b} {
		l.step("secrets of " + o.name + ": vaulted wallet keystore and passphrase")
		l.vaultSecrets(o, info)
	}

	l.step("deploy org A (site.yml)")
	l.playbook(a, "site.yml", nil)
	a.token = strings.TrimSpace(l.ssh("a-app", "cat /etc/gridnode/carrier/api-token"))
	a.peerID = l.peerID(a)
	bootstrap := fmt.Sprintf("/ip4/%s/tcp/4001/p2p/%s", a.app, a.peerID)
	t.Logf("org A's carrier: %s", bootstrap)
	l.appendVars(b, fmt.Sprintf("gridnode_bootstrap_peers: [%q]\n", bootstrap))

	l.step("deploy org B (site.yml), bootstrapping to org A's carrier")
	l.playbook(b, "site.yml", nil)
	b.token = strings.TrimSpace(l.ssh("b-node", "cat /etc/gridnode/carrier/api-token"))
	b.peerID = l.peerID(b)
	b.consulToken = strings.TrimSpace(l.readFile(filepath.Join(dir, "secrets", "org-b", "consul-acl-management.token")))
	t.Logf("deployed both organizations in %s", time.Since(start).Round(time.Second))

	l.step("checks from outside")
	for _, o := range []*org{a, b} {
		l.checkConsul(o, map[string]int{"carrier": 1, "admin": 1, "gateway": map[string]int{"org-a": 2, "org-b": 1}[o.name], "via": 1}, "")
		l.checkVia(o)
	}
	l.checkPeered(a, b)
	l.checkPeered(b, a)
	for _, o := range []*org{a, b} {
		l.publishListing(o, info)
	}
	l.checkListing(b, a)
	l.checkListing(a, b)

	l.step("re-run site.yml: nothing may change")
	for _, o := range []*org{a, b} {
		recap := l.playbook(o, "site.yml", nil)
		fmt.Printf("second run of site.yml for %s, recap:\n%s", o.name, recap)
		for host, changed := range parseRecap(t, recap) {
			if changed != 0 {
				t.Errorf("%s: re-run changed %d tasks on %s (see %s)", o.name, changed, host, l.logs.Name())
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	l.step("rolling upgrade of org A's gateways under a probe loop")
	v2 := filepath.Join(dir, "bin-v2")
	l.buildVersion(v2, upgradeVer)
	probe := startProbe(fmt.Sprintf("http://%s:8443/gw/%s/healthz", a.app, a.provider))
	l.playbook(a, "upgrade.yml", map[string]string{"GRIDNODE_BIN_DIR": v2}, "--tags", "gateway")
	ok, failed := probe.stop()
	t.Logf("probe during the gateway upgrade: %d requests, %d failed", ok+len(failed), len(failed))
	if ok == 0 || len(failed) > 0 {
		t.Errorf("probe through via during the rolling upgrade: %d ok, %d failed: %v", ok, len(failed), failed)
	}
	l.checkConsul(a, map[string]int{"gateway": 2}, upgradeVer)

	l.step("rolling upgrade of everything else, both orgs")
	for _, o := range []*org{a, b} {
		l.playbook(o, "upgrade.yml", map[string]string{"GRIDNODE_BIN_DIR": v2})
		l.checkConsul(o, map[string]int{"carrier": 1, "admin": 1, "gateway": map[string]int{"org-a": 2, "org-b": 1}[o.name], "via": 1}, upgradeVer)
	}
	l.checkPeered(b, a)
	t.Logf("total %s", time.Since(start).Round(time.Second))
}

func (l *lab) step(s string) {
	fmt.Printf("==> %s [%s]\n", s, time.Now().Format("15:04:05"))
	fmt.Fprintf(l.logs, "\n==> %s\n", s)
}

// run runs a command with its output in the log; it returns the error.
func (l *lab) run(cmd *exec.Cmd) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if l.logs != nil {
		fmt.Fprintf(l.logs, "$ %s\n%s", strings.Join(cmd.Args, " "), out.String())
	}
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
	fmt.Fprintf(l.logs, "$ ansible-playbook %s\n%s", strings.Join(cmd.Args[1:], " "), out.String())
	recap := ""
	if i := strings.LastIndex(out.String(), "PLAY RECAP"); i >= 0 {
		recap = out.String()[i:]
	}
	fmt.Printf("    %s %s: %s\n", o.name, playbook, time.Since(start).Round(100*time.Millisecond))
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
	cmd := exec.Command(filepath.Join(l.root, "hack/nspawn-hosts"), "ssh", l.dir, host, command)
	out, err := cmd.Output()
	if err != nil {
		l.t.Fatalf("ssh %s %q: %v", host, command, err)
	}
	return string(out)
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

// vaultSecrets makes the org's wallet keystore from a funded dev account
// (it pays gas to register the org's provider), encrypts it with
// ansible-vault, and writes the vaulted extra vars with its passphrase.
func (l *lab) vaultSecrets(o *org, info devnetInfo) {
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
	o.extraVars = filepath.Join(sec, o.name+"-vars.yml")
	l.writeFile(o.extraVars, fmt.Sprintf("carrier_keystore_passphrase: %q\n", pass))
	l.must(exec.Command("ansible-vault", "encrypt", "--vault-password-file", l.vaultPwd, o.extraVars))
	for _, f := range []string{keyFile, passFile, keystore} {
		os.Remove(f)
	}
}

// appendVars adds plain variables to the org's (vaulted) extra vars.
func (l *lab) appendVars(o *org, yaml string) {
	l.t.Helper()
	out, err := exec.Command("ansible-vault", "view", "--vault-password-file", l.vaultPwd, o.extraVars).Output()
	if err != nil {
		l.t.Fatal(err)
	}
	l.writeFile(o.extraVars, string(out)+yaml)
	l.must(exec.Command("ansible-vault", "encrypt", "--vault-password-file", l.vaultPwd, o.extraVars))
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
	l.eventually(time.Minute, from.name+"'s carrier peered with "+to.name+"'s", func() error {
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

// consulClient reaches an org's Consul API from outside, through an SSH
// tunnel to the server's loopback listener.
func (l *lab) consulClient(o *org) (*consulapi.Client, func()) {
	l.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
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
	l.eventually(10*time.Second, "ssh tunnel to "+o.name+"'s consul", func() error { _, err := c.Status().Leader(); return err })
	return c, stop
}

// checkConsul waits until every service has want passing instances in the
// org's Consul (with meta version if given) and prints them.
func (l *lab) checkConsul(o *org, want map[string]int, version string) {
	l.t.Helper()
	c, stop := l.consulClient(o)
	defer stop()
	for svc, n := range want {
		var got []string
		l.eventually(90*time.Second, fmt.Sprintf("%d passing %s in %s's consul (version %q)", n, svc, o.name, version), func() error {
			entries, _, err := c.Health().Service(svc, "", true, nil)
			if err != nil {
				return err
			}
			got = got[:0]
			for _, e := range entries {
				if version == "" || e.Service.Meta["version"] == version {
					got = append(got, fmt.Sprintf("%s@%s:%d(v=%s)", e.Node.Node, e.Service.Address, e.Service.Port, e.Service.Meta["version"]))
				}
			}
			if len(got) != n {
				return fmt.Errorf("have %v", got)
			}
			return nil
		})
		l.t.Logf("%s consul: %s passing: %s", o.name, svc, strings.Join(got, " "))
	}
}

func (l *lab) checkVia(o *org) {
	l.t.Helper()
	for _, path := range []string{"/healthz", "/gw/" + o.provider + "/healthz"} {
		url := fmt.Sprintf("http://%s:8443%s", o.app, path)
		l.eventually(30*time.Second, "via answers "+url, func() error {
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

// publishListing waits until the org's carrier has registered its provider
// on chain, then publishes the provider's signed listing with the carrier
// CLI (the gateway does not publish its own yet).
func (l *lab) publishListing(o *org, info devnetInfo) {
	l.t.Helper()
	dir := l.t.TempDir()
	tokenFile, keyFile := filepath.Join(dir, "token"), filepath.Join(dir, "provider.key")
	l.writeFile(tokenFile, o.token+"\n")
	l.writeFile(keyFile, info.key(o.providerKeyName)+"\n")
	api := []string{"--carrier-url", "http://" + o.app + ":7401", "--api-token-file", tokenFile}
	l.eventually(2*time.Minute, o.name+"'s provider registered on chain", func() error {
		out, err := exec.Command(filepath.Join(l.root, "bin/carrier"), append([]string{"providers"}, api...)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		if !strings.Contains(strings.ToLower(string(out)), `"registered"`) {
			return fmt.Errorf("%s", out)
		}
		return nil
	})
	args := append([]string{"listings", "publish"}, api...)
	args = append(args, "--provider-key-file", keyFile, "--gateway-url", fmt.Sprintf("http://%s:8443/gw/%s", o.app, o.provider),
		"--cpu", "8000", "--memory", "16Gi", "--storage", "100Gi", "--price-cpu", "2", "--price-memory", "1", "--region", "lab")
	l.eventually(time.Minute, o.name+" publishes its listing", func() error {
		out, err := exec.Command(filepath.Join(l.root, "bin/carrier"), args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	})
}

// checkListing waits until at's directory holds of's provider listing.
func (l *lab) checkListing(at, of *org) {
	l.t.Helper()
	l.eventually(2*time.Minute, at.name+"'s directory holds "+of.name+"'s listing", func() error {
		var v struct {
			Org string `json:"org"`
		}
		if err := l.carrierGet(at, "/v1/listings/"+of.provider, &v); err != nil {
			return err
		}
		if v.Org != of.name {
			return fmt.Errorf("listing of org %q", v.Org)
		}
		return nil
	})
	l.t.Logf("%s's directory holds %s's listing of provider %s", at.name, of.name, of.provider)
}

// buildVersion builds the four daemons with another version string.
func (l *lab) buildVersion(dir, version string) {
	l.t.Helper()
	for _, r := range []string{"carrier", "admin", "gateway", "via"} {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X github.com/gridnode/gridnode/pkg/service.version="+version,
			"-o", filepath.Join(dir, r), "./"+r+"/cmd/"+r)
		cmd.Dir = l.root
		l.must(cmd)
	}
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
