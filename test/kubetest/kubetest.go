package kubetest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/gridnode/gridnode/test/testport"
	"github.com/gridnode/gridnode/test/toolcache"
)

// Version is the Kubernetes version hack/setup k8s builds.
const Version = "v1.34.10"

// EnvBinDir names the environment variable that overrides BinDir.
const EnvBinDir = "GRIDNODE_K8S_BIN"

// Bounds of the harness; generous because CI machines are small and busy.
const (
	startTimeout   = 90 * time.Second // each of: control plane, controllers Ready
	stopTimeout    = 15 * time.Second // SIGTERM to exit, then SIGKILL
	kubectlTimeout = 2 * time.Minute
	logTailLines   = 40
)

// Options selects what Start runs. The zero value runs the API server only
// (etcd + kube-apiserver via controller-runtime envtest, about 4 s).
type Options struct {
	// Controllers also runs kube-controller-manager, kube-scheduler and kwok
	// with Nodes fake nodes, so Deployments become Ready (pods Running on
	// fake nodes; fake pod IPs serve nothing).
	Controllers bool
	Nodes       int    // default 1 when Controllers
	NodeCPU     string // allocatable per fake node, default "8"
	NodeMemory  string // default "16Gi"
}

// Cluster is a running control plane.
type Cluster struct {
	Config     *rest.Config // admin (system:masters)
	Kubeconfig string       // path to a kubeconfig file for kubectl / --kubeconfig flags
	Client     kubernetes.Interface

	kubectl string
}

// BinDir returns the directory that holds the Kubernetes binaries:
// $GRIDNODE_K8S_BIN, else $GRIDNODE_CACHE/k8s/<Version>/bin with GRIDNODE_CACHE
// defaulting to ~/.cache/gridnode. It fails when kube-apiserver is not there.
func BinDir() (string, error) {
	dir := os.Getenv(EnvBinDir)
	if dir == "" {
		cache, err := toolcache.Dir()
		if err != nil {
			return "", fmt.Errorf("%w (or set %s)", err, EnvBinDir)
		}
		dir = filepath.Join(cache, "k8s", Version, "bin")
	}
	if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err != nil {
		return dir, fmt.Errorf("kubernetes binaries not found in %s: %w: run hack/setup k8s (or set %s)", dir, err, EnvBinDir)
	}
	return dir, nil
}

// Start runs a control plane for the test and stops it in t.Cleanup, also
// when Start itself fails. On a failed test the last lines of every
// component's log are printed.
func Start(t testing.TB, opts Options) *Cluster {
	t.Helper()
	bin, err := BinDir()
	if err != nil {
		t.Fatalf("kubetest: %v", err)
	}
	need := []string{"etcd", "kube-apiserver", "kubectl"}
	if opts.Controllers {
		need = append(need, "kube-controller-manager", "kube-scheduler", "kwok")
	}
	for _, name := range need {
		if err := executable(filepath.Join(bin, name)); err != nil {
			t.Fatalf("kubetest: %v: run hack/setup k8s (or set %s)", err, EnvBinDir)
		}
	}

	dir := t.TempDir()
	h := &harness{t: t, dir: dir, bin: bin}
	t.Cleanup(h.stop) // runs before the TempDir is removed

	c := h.startAPIServer()
	if opts.Controllers {
		h.startControllers(c, opts)
	}
	return c
}

// Kubectl runs the cached kubectl against the cluster and returns its
// standard output; it fails t when kubectl fails.
func (c *Cluster) Kubectl(t testing.TB, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.kubectl, append([]string{"--kubeconfig", c.Kubeconfig}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("kubectl %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

type harness struct {
	t     testing.TB
	dir   string
	bin   string
	logs  []string // log files, in start order
	stops []func() // run in reverse order by stop
	procs []*proc
}

func (h *harness) stop() {
	for i := len(h.stops) - 1; i >= 0; i-- {
		h.stops[i]()
	}
	if h.t.Failed() {
		for _, l := range h.logs {
			h.t.Logf("kubetest: last lines of %s:\n%s", filepath.Base(l), tail(l, logTailLines))
		}
	}
}

func (h *harness) logFile(name string) *os.File {
	path := filepath.Join(h.dir, name+".log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		h.t.Fatalf("kubetest: %v", err)
	}
	h.logs = append(h.logs, path)
	h.stops = append(h.stops, func() { _ = f.Close() })
	return f
}

func (h *harness) startAPIServer() *Cluster {
	t := h.t
	t.Helper()
	etcdLog, apiLog := h.logFile("etcd"), h.logFile("kube-apiserver")
	env := &envtest.Environment{
		BinaryAssetsDirectory:    h.bin,
		ControlPlaneStartTimeout: startTimeout,
		ControlPlaneStopTimeout:  stopTimeout,
	}
	// envtest's own port picks are binds to :0, closed again: reserved
	// ports instead (see freePort).
	etcdPort, etcdPeerPort, apiPort := freePort(t), freePort(t), freePort(t)
	env.ControlPlane.Etcd = &envtest.Etcd{
		DataDir: filepath.Join(h.dir, "etcd"),
		URL:     &url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(etcdPort))},
		Out:     etcdLog,
		Err:     etcdLog,
	}
	// Test data is thrown away: skip fsync, which dominates on slow disks.
	env.ControlPlane.Etcd.Configure().Set("unsafe-no-fsync", "true")
	env.ControlPlane.Etcd.Configure().Set("listen-peer-urls", "http://"+net.JoinHostPort("127.0.0.1", strconv.Itoa(etcdPeerPort)))
	api := env.ControlPlane.GetAPIServer()
	api.SecureServing.ListenAddr = envtest.ListenAddr{Address: "127.0.0.1", Port: strconv.Itoa(apiPort)}
	api.CertDir = filepath.Join(h.dir, "apiserver")
	api.Out, api.Err = apiLog, apiLog
	for _, d := range []string{env.ControlPlane.Etcd.DataDir, api.CertDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatalf("kubetest: %v", err)
		}
	}
	h.stops = append(h.stops, func() {
		if err := env.Stop(); err != nil {
			t.Errorf("kubetest: stopping the control plane: %v", err)
		}
	})
	cfg, err := env.Start()
	if err != nil {
		t.Fatalf("kubetest: starting etcd and kube-apiserver: %v", err)
	}
	kubeconfig := filepath.Join(h.dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig, 0o600); err != nil {
		t.Fatalf("kubetest: writing kubeconfig: %v", err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatalf("kubetest: client: %v", err)
	}
	return &Cluster{Config: cfg, Kubeconfig: kubeconfig, Client: client, kubectl: filepath.Join(h.bin, "kubectl")}
}

func (h *harness) startControllers(c *Cluster, opts Options) {
	t := h.t
	t.Helper()
	if opts.Nodes <= 0 {
		opts.Nodes = 1
	}
	if opts.NodeCPU == "" {
		opts.NodeCPU = "8"
	}
	if opts.NodeMemory == "" {
		opts.NodeMemory = "16Gi"
	}
	cpu, err := resource.ParseQuantity(opts.NodeCPU)
	if err != nil {
		t.Fatalf("kubetest: NodeCPU %q: %v", opts.NodeCPU, err)
	}
	mem, err := resource.ParseQuantity(opts.NodeMemory)
	if err != nil {
		t.Fatalf("kubetest: NodeMemory %q: %v", opts.NodeMemory, err)
	}

	caFile := filepath.Join(h.dir, "apiserver-ca.crt")
	if err := os.WriteFile(caFile, c.Config.CAData, 0o600); err != nil {
		t.Fatalf("kubetest: %v", err)
	}
	saKey := filepath.Join(h.dir, "apiserver", "sa-signer.key") // written by envtest
	// Every component uses the admin kubeconfig; they serve /healthz on a
	// free loopback port with a self-signed certificate in their own dir.
	common := func(name string, port int) []string {
		return []string{
			"--kubeconfig=" + c.Kubeconfig,
			"--authentication-kubeconfig=" + c.Kubeconfig,
			"--authorization-kubeconfig=" + c.Kubeconfig,
			"--leader-elect=false",
			"--bind-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			"--cert-dir=" + filepath.Join(h.dir, name),
		}
	}
	kcmPort, schedPort, kwokPort := freePort(t), freePort(t), freePort(t)
	h.spawn("kube-controller-manager", append(common("kube-controller-manager", kcmPort),
		"--service-account-private-key-file="+saKey,
		"--root-ca-file="+caFile,
		"--use-service-account-credentials=false",
		"--concurrent-deployment-syncs=10",
		"--concurrent-replicaset-syncs=10",
	)...)
	h.spawn("kube-scheduler", common("kube-scheduler", schedPort)...)

	kwokConfig := filepath.Join(h.dir, "kwok.yaml")
	if err := writeKwokConfig(kwokConfig, filepath.Join(h.bin, "kwok-stages"), kwokPort); err != nil {
		t.Fatalf("kubetest: %v: run hack/setup k8s", err)
	}
	h.spawn("kwok", "--kubeconfig="+c.Kubeconfig, "--config="+kwokConfig)

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	names := make([]string, opts.Nodes)
	for i := range names {
		names[i] = fmt.Sprintf("kwok-node-%d", i)
		if _, err := c.Client.CoreV1().Nodes().Create(ctx, fakeNode(names[i], cpu, mem), metav1.CreateOptions{}); err != nil {
			t.Fatalf("kubetest: creating node %s: %v", names[i], err)
		}
	}

	insecure := &http.Client{
		Timeout: 2 * time.Second,
		// Loopback health checks of self-signed test components.
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec
	}
	for _, hc := range []struct {
		name string
		url  string
	}{
		{"kube-controller-manager", fmt.Sprintf("https://127.0.0.1:%d/healthz", kcmPort)},
		{"kube-scheduler", fmt.Sprintf("https://127.0.0.1:%d/healthz", schedPort)},
		{"kwok", fmt.Sprintf("http://127.0.0.1:%d/healthz", kwokPort)},
	} {
		h.waitFor(ctx, hc.name+" healthy", func(ctx context.Context) error {
			return healthy(ctx, insecure, hc.url)
		})
	}
	for _, n := range names {
		h.waitFor(ctx, "node "+n+" Ready", func(ctx context.Context) error {
			node, err := c.Client.CoreV1().Nodes().Get(ctx, n, metav1.GetOptions{})
			if err != nil {
				return err
			}
			for _, cond := range node.Status.Conditions {
				if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
					return nil
				}
			}
			return errors.New("not Ready yet")
		})
	}
	// The service account controller runs once the controllers have synced.
	h.waitFor(ctx, "default service account", func(ctx context.Context) error {
		_, err := c.Client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	})
}

func fakeNode(name string, cpu, mem resource.Quantity) *corev1.Node {
	res := corev1.ResourceList{
		corev1.ResourceCPU:    cpu,
		corev1.ResourceMemory: mem,
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Annotations: map[string]string{
				"kwok.x-k8s.io/node":           "fake",
				"node.alpha.kubernetes.io/ttl": "0",
			},
			Labels: map[string]string{
				"kubernetes.io/hostname": name,
				"kubernetes.io/os":       "linux",
				"kubernetes.io/arch":     "amd64",
				"type":                   "kwok",
			},
		},
		Status: corev1.NodeStatus{Allocatable: res, Capacity: res},
	}
}

// writeKwokConfig writes one file with the KwokConfiguration and the stages
// copied from kwok's module by hack/setup k8s.
func writeKwokConfig(path, stages string, port int) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  manageNodesWithAnnotationSelector: kwok.x-k8s.io/node=fake
  serverAddress: 127.0.0.1:%d
  cidr: 10.244.0.1/16
  nodeLeaseDurationSeconds: 40
  nodeLeaseParallelism: 4
  podPlayStageParallelism: 4
  nodePlayStageParallelism: 4
  podsOnNodeSyncParallelism: 1
`, port)
	n := 0
	for _, sub := range []string{"node/fast", "node/heartbeat-with-lease", "pod/fast"} {
		files, err := filepath.Glob(filepath.Join(stages, sub, "*.yaml"))
		if err != nil {
			return err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("reading kwok stage: %w", err)
			}
			b.WriteString("---\n")
			b.Write(data)
			if !bytes.HasSuffix(data, []byte("\n")) {
				b.WriteByte('\n')
			}
			n++
		}
	}
	if n == 0 {
		return fmt.Errorf("no kwok stages in %s", stages)
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func (h *harness) spawn(name string, args ...string) {
	t := h.t
	t.Helper()
	log := h.logFile(name)
	cmd := exec.Command(filepath.Join(h.bin, name), args...)
	cmd.Dir = h.dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		t.Fatalf("kubetest: starting %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	h.procs = append(h.procs, p)
	h.stops = append(h.stops, p.stop)
}

func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}

// waitFor polls cond until it returns nil; it fails the test when ctx ends or
// a component the harness started has exited.
func (h *harness) waitFor(ctx context.Context, what string, cond func(context.Context) error) {
	h.t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond(ctx)
		if err == nil {
			return
		}
		for _, p := range h.procs {
			select {
			case <-p.done:
				h.t.Fatalf("kubetest: waiting for %s: %s exited: %v", what, p.name, p.err)
			default:
			}
		}
		select {
		case <-ctx.Done():
			h.t.Fatalf("kubetest: waiting for %s: %v (last: %v)", what, ctx.Err(), err)
		case <-tick.C:
		}
	}
}

func healthy(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, bytes.TrimSpace(body))
	}
	return nil
}

// freePort reserves a loopback port for the rest of the test (package
// testport): a port picked with a bind to :0 and closed can be taken by any
// outgoing connection before the component binds it.
func freePort(t testing.TB) int {
	t.Helper()
	return testport.Get(t)
}

func executable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
