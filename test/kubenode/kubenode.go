// Package kubenode brings up gridnode's local real Kubernetes node
// (hack/kube-node) for a test: real pods on containerd, ClusterIP Services
// through kube-proxy, kubectl logs and exec. The node's state lives in the
// test's temporary directory and hack/kube-node down runs in t.Cleanup; Start
// and Close do the same outside a test (hack/scenario), and the package does
// not import testing. The node uses machine-wide resources (ports, a bridge,
// iptables chains), so a node holds a machine-wide lock until it is down:
// tests and the demo that use it run one at a time across packages.
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
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gridnode/gridnode/test/toolcache"
)

// Version is the Kubernetes version of the node.
const Version = "v1.34.10"

// DemoImage is the demo app's image, imported by up (see hack/images).
const DemoImage = "gridnode.local/demoapp:0.2.0"

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
	unlock  func()

	down    sync.Once
	downErr error
	close   sync.Once
}

// TB is the part of testing.TB the package uses; *testing.T and *testing.B
// satisfy it.
type TB interface {
	Helper()
	Cleanup(func())
	Failed() bool
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	TempDir() string
}

// Up builds hack/kube-node and brings a node up; it is taken down in
// t.Cleanup. A missing prerequisite (root, hack/setup k8s, hack/setup node)
// fails the test when CI=true and skips it otherwise.
func Up(t TB) *Node {
	t.Helper()
	n := prepare(t)
	ctx, cancel := context.WithTimeout(context.Background(), upTimeout)
	defer cancel()
	if err := n.up(ctx); err != nil {
		t.Fatalf("kubenode: %v", err)
	}
	return n
}

// prepare checks the prerequisites, builds hack/kube-node, takes the lock
// and registers the cleanup that takes the node down.
func prepare(t TB) *Node {
	t.Helper()
	if err := Prerequisites(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("kubenode: %v", err)
		}
		t.Skipf("kubenode: %v", err)
	}
	n, err := newNode(t.TempDir(), t.Logf)
	if err != nil {
		t.Fatalf("kubenode: %v", err)
	}
	t.Cleanup(func() {
		n.Down(t)
		n.unlock()
	})
	return n
}

// Start is Up outside a test: it checks the prerequisites, builds
// hack/kube-node and brings a node up with its state under dir (which must
// exist), waiting for another node of the machine to go down first (logf
// says so). Close takes it down.
func Start(ctx context.Context, dir string, logf func(format string, args ...any)) (*Node, error) {
	if err := Prerequisites(); err != nil {
		return nil, err
	}
	n, err := newNode(dir, logf)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, upTimeout)
	defer cancel()
	if err := n.up(ctx); err != nil {
		if cerr := n.Close(); cerr != nil {
			logf("kubenode: %v", cerr)
		}
		return nil, err
	}
	return n, nil
}

// newNode builds hack/kube-node into dir, with the node's state in
// dir/node, and takes the machine-wide lock.
func newNode(dir string, logf func(format string, args ...any)) (*Node, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin, _ := binDir()
	n := &Node{Dir: filepath.Join(dir, "node"), root: root, kubectl: filepath.Join(bin, "kubectl")}
	n.Kubeconfig = filepath.Join(n.Dir, "admin.kubeconfig")
	n.tool = filepath.Join(dir, "kube-node")
	build := exec.Command("go", "build", "-o", n.tool, "./hack/kube-node")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building hack/kube-node: %w\n%s", err, out)
	}
	if n.unlock, err = lock(logf); err != nil {
		return nil, err
	}
	return n, nil
}

// up runs kube-node up and makes the clients.
func (n *Node) up(ctx context.Context) error {
	if out, err := n.run(ctx, "up"); err != nil {
		return fmt.Errorf("kube-node up: %w\n%s", err, out)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", n.Kubeconfig)
	if err != nil {
		return fmt.Errorf("reading %s: %w", n.Kubeconfig, err)
	}
	n.Config = cfg
	if n.Client, err = kubernetes.NewForConfig(cfg); err != nil {
		return fmt.Errorf("client: %w", err)
	}
	return nil
}

// Down takes the node down (once; Up's cleanup calls it too) and fails the
// test when something is left behind.
func (n *Node) Down(t TB) {
	t.Helper()
	n.down.Do(func() {
		if err := n.runDown(); err != nil {
			t.Errorf("kubenode: %v", err)
		}
		if r := n.Report(); t.Failed() && r != "" {
			t.Logf("%s", r)
		}
	})
}

// Close takes the node down (once) and releases the machine-wide lock; the
// error says what kube-node down could not remove.
func (n *Node) Close() error {
	n.down.Do(func() { n.downErr = n.runDown() })
	n.close.Do(n.unlock)
	return n.downErr
}

// runDown runs kube-node down.
func (n *Node) runDown() error {
	ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
	defer cancel()
	if out, err := n.run(ctx, "down"); err != nil {
		return fmt.Errorf("kube-node down: %w\n%s", err, out)
	}
	return nil
}

// Kubectl runs kubectl against the node and returns its standard output; it
// fails t when kubectl fails.
func (n *Node) Kubectl(t TB, args ...string) string {
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

// Report is the last lines of each of the node's logs, for a failed test
// or run.
func (n *Node) Report() string {
	var b strings.Builder
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
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "kubenode: last lines of %s:\n%s", filepath.Base(l), strings.Join(lines, "\n"))
	}
	return b.String()
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
		cache, err := toolcache.Dir()
		if err != nil {
			return "", err
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
func lock(logf func(format string, args ...any)) (unlock func(), err error) {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockTimeout)
	logged := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			_ = f.Close()
			return nil, fmt.Errorf("locking %s: %w", lockPath, err)
		}
		if !logged {
			logf("kubenode: another test's node is up; waiting for %s", lockPath)
			logged = true
		}
		time.Sleep(time.Second)
	}
}

// Leftovers looks for anything of the node that should be gone, with checks
// of its own (not hack/kube-node's): processes, mounts, the bridge, iptables
// chains, pod cgroups and network namespaces. Tests call it after Down.
func Leftovers(t TB, dir string) []string {
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
