// Package kubenode brings up gridnode's local real Kubernetes node
// (hack/kube-node) for a test: real pods on containerd, ClusterIP Services
// through kube-proxy, kubectl logs and exec. The node's state lives in the
// test's temporary directory and hack/kube-node down runs in t.Cleanup. The
// node uses machine-wide resources (ports, a bridge, iptables chains), so Up
// holds a machine-wide lock until the node is down: tests that use it run one
// at a time across packages.
package kubenode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Version is the Kubernetes version of the node.
const Version = "v1.34.10"

// DemoImage is the demo app's image, imported by up (see hack/images).
const DemoImage = "gridnode.local/demoapp:0.1.0"

const (
	lockPath    = "/run/lock/gridnode-kube-node.lock"
	lockTimeout = 15 * time.Minute
	upTimeout   = 5 * time.Minute
	downTimeout = 2 * time.Minute
)

// Node is a running local node.
type Node struct {
	Dir        string // state directory
	Kubeconfig string // admin kubeconfig
	Config     *rest.Config
	Client     kubernetes.Interface

	root    string // gridnode module root
	tool    string // built hack/kube-node
	kubectl string
	down    sync.Once
}

// Up builds hack/kube-node and brings a node up; it is taken down in
// t.Cleanup. A missing prerequisite (root, hack/setup k8s, hack/setup node)
// fails the test when CI=true and skips it otherwise.
func Up(t testing.TB) *Node {
	t.Helper()
	n := prepare(t)
	ctx, cancel := context.WithTimeout(context.Background(), upTimeout)
	defer cancel()
	if out, err := n.run(ctx, "up"); err != nil {
		t.Fatalf("kubenode: kube-node up: %v\n%s", err, out)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", n.Kubeconfig)
	if err != nil {
		t.Fatalf("kubenode: reading %s: %v", n.Kubeconfig, err)
	}
	n.Config = cfg
	if n.Client, err = kubernetes.NewForConfig(cfg); err != nil {
		t.Fatalf("kubenode: client: %v", err)
	}
	return n
}

// prepare checks the prerequisites, builds hack/kube-node, takes the lock
// and registers the cleanup that takes the node down.
func prepare(t testing.TB) *Node {
	t.Helper()
	if err := Prerequisites(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("kubenode: %v", err)
		}
		t.Skipf("kubenode: %v", err)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("kubenode: %v", err)
	}
	bin, _ := binDir()
	n := &Node{Dir: filepath.Join(t.TempDir(), "node"), root: root, kubectl: filepath.Join(bin, "kubectl")}
	n.Kubeconfig = filepath.Join(n.Dir, "admin.kubeconfig")
	n.tool = filepath.Join(t.TempDir(), "kube-node")
	build := exec.Command("go", "build", "-o", n.tool, "./hack/kube-node")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("kubenode: building hack/kube-node: %v\n%s", err, out)
	}
	unlock := lock(t)
	t.Cleanup(func() {
		n.Down(t)
		unlock()
	})
	return n
}

// Down takes the node down (once; Up's cleanup calls it too) and fails the
// test when something is left behind.
func (n *Node) Down(t testing.TB) {
	t.Helper()
	n.down.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
		defer cancel()
		out, err := n.run(ctx, "down")
		if err != nil {
			t.Errorf("kubenode: kube-node down: %v\n%s", err, out)
		}
		if t.Failed() {
			n.logTails(t)
		}
	})
}

// Kubectl runs kubectl against the node and returns its standard output; it
// fails t when kubectl fails.
func (n *Node) Kubectl(t testing.TB, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.kubectl, append([]string{"--kubeconfig", n.Kubeconfig}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("kubectl %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func (n *Node) run(ctx context.Context, verb string) (string, error) {
	cmd := exec.CommandContext(ctx, n.tool, "-dir", n.Dir, verb)
	cmd.Dir = n.root
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (n *Node) logTails(t testing.TB) {
	logs, _ := filepath.Glob(filepath.Join(n.Dir, "logs", "*.log"))
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 25 {
			lines = lines[len(lines)-25:]
		}
		t.Logf("kubenode: last lines of %s:\n%s", filepath.Base(l), strings.Join(lines, "\n"))
	}
}

// Prerequisites reports what the node needs and this machine lacks.
func Prerequisites() error {
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	if _, err := binDir(); err != nil {
		missing = append(missing, err.Error())
	}
	for _, tool := range []string{"containerd", "containerd-shim-runc-v2", "runc", "ctr", "iptables"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (run hack/setup node)")
		}
	}
	if _, err := os.Stat("/usr/lib/cni/bridge"); err != nil {
		missing = append(missing, "CNI plugins in /usr/lib/cni (run hack/setup node)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the local Kubernetes node needs: %s", strings.Join(missing, ", "))
	}
	return nil
}

func binDir() (string, error) {
	dir := os.Getenv("GRIDNODE_K8S_BIN")
	if dir == "" {
		cache := os.Getenv("GRIDNODE_CACHE")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			cache = filepath.Join(home, ".cache", "gridnode")
		}
		dir = filepath.Join(cache, "k8s", Version, "bin")
	}
	if _, err := os.Stat(filepath.Join(dir, "kubelet")); err != nil {
		return dir, fmt.Errorf("kubernetes binaries in %s (run hack/setup k8s)", dir)
	}
	return dir, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the gridnode module")
	}
	return filepath.Dir(mod), nil
}

// lock takes the machine-wide node lock, waiting for another test's node to
// go down first.
func lock(t testing.TB) (unlock func()) {
	t.Helper()
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("kubenode: %v", err)
	}
	deadline := time.Now().Add(lockTimeout)
	logged := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			_ = f.Close()
			t.Fatalf("kubenode: locking %s: %v", lockPath, err)
		}
		if !logged {
			t.Logf("kubenode: another test's node is up; waiting for %s", lockPath)
			logged = true
		}
		time.Sleep(time.Second)
	}
}

// Leftovers looks for anything of the node that should be gone, with checks
// of its own (not hack/kube-node's): processes, mounts, the bridge, iptables
// chains, pod cgroups and network namespaces. Tests call it after Down.
func Leftovers(t testing.TB, dir string) []string {
	t.Helper()
	var left []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err != nil || len(data) == 0 {
			continue
		}
		cmd := strings.ReplaceAll(string(data), "\x00", " ")
		if strings.Contains(cmd, dir) {
			left = append(left, "process: "+cmd)
		}
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatalf("reading mountinfo: %v", err)
	}
	for _, line := range strings.Split(string(mounts), "\n") {
		if f := strings.Fields(line); len(f) > 4 && (strings.HasPrefix(f[4], dir) || strings.HasPrefix(f[4], "/run/netns/cni-")) {
			left = append(left, "mount: "+f[4])
		}
	}
	for _, l := range []string{"gnkube0", "gnkube-svc0"} {
		if _, err := os.Stat("/sys/class/net/" + l); err == nil {
			left = append(left, "link "+l)
		}
	}
	for _, tool := range []string{"iptables-save", "ip6tables-save"} {
		out, err := exec.Command(tool).Output()
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, ":KUBE-") || strings.HasPrefix(line, ":CNI-") || strings.Contains(line, "-j KUBE-") || strings.Contains(line, "-j CNI-") {
				left = append(left, tool+": "+line)
			}
		}
	}
	cgroups, _ := filepath.Glob("/sys/fs/cgroup/*/kubepods")
	for _, c := range cgroups {
		left = append(left, "cgroup "+c)
	}
	netns, _ := filepath.Glob("/run/netns/cni-*")
	for _, ns := range netns {
		left = append(left, "netns "+ns)
	}
	return left
}
