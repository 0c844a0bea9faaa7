package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// components in start order; down stops them in reverse.
var components = []string{
	"containerd", "etcd", "kube-apiserver", "kube-controller-manager",
	"kube-scheduler", "kubelet", "kube-proxy",
}

// hostTools are the Debian programs the node runs or its components call.
var hostTools = []string{"containerd", "containerd-shim-runc-v2", "runc", "ctr", "iptables", "ip6tables", "ip", "mount", "umount"}

var cniPlugins = []string{"bridge", "host-local", "portmap", "loopback"}

const cniBinDir = "/usr/lib/cni"

// running is a component started by this up; done closes when it exits.
type running struct {
	name string
	pid  int
	done chan struct{}
	err  error
}

func (n *node) up(keepOnFailure bool) error {
	start := time.Now()
	if os.Geteuid() != 0 {
		return errNotRoot
	}
	bin, err := binDir()
	if err != nil {
		return err
	}
	n.bin = bin
	if err := preflight(bin); err != nil {
		return err
	}
	if n.anyAlive() {
		if err := n.healthy(); err == nil {
			progress("kube-node is already up")
			fmt.Println(n.kubeconfig())
			return nil
		}
		progress("a previous node is partly running: taking it down first")
		if err := n.down(); err != nil {
			return err
		}
	} else if _, err := os.Stat(n.path("pids")); err == nil {
		progress("cleaning up after a previous node")
		if err := n.down(); err != nil {
			return err
		}
	}
	if err := checkPortsFree(); err != nil {
		return err
	}
	if err := checkRoutes(); err != nil {
		return err
	}
	nodeIP, err := primaryIPv4()
	if err != nil {
		return err
	}

	u := &upRun{node: n, nodeIP: nodeIP, procs: map[string]*running{}}
	if err := u.run(); err != nil {
		if keepOnFailure {
			return fmt.Errorf("%w (left running: -keep-on-failure; run down when done)", err)
		}
		progress("up failed: taking the node down")
		if derr := n.down(); derr != nil {
			return fmt.Errorf("%w; down after the failure: %v", err, derr)
		}
		return err
	}
	progress("kube-node up in %.1f s (node %s, %s)", time.Since(start).Seconds(), nodeName, nodeIP)
	progress("kubeconfig: %s", n.kubeconfig())
	fmt.Println(n.kubeconfig())
	return nil
}

type upRun struct {
	*node
	nodeIP string
	procs  map[string]*running
	images map[string]string // ref -> tarball
	pause  string            // the pod sandbox image
}

func (u *upRun) run() error {
	for _, d := range []string{"pki", "logs", "pids", "etcd", "containerd", "runc", "cni/net.d", "cni/ipam", "kubelet", "kubelet-plugins", "pod-logs", "images"} {
		if err := os.MkdirAll(u.path(d), 0o700); err != nil {
			return err
		}
	}
	if err := u.recordHost(); err != nil {
		return err
	}
	if err := routeServices(); err != nil {
		return err
	}
	progress("building images (hack/images)")
	if err := u.buildImages(); err != nil {
		return err
	}
	progress("certificates and configuration in %s", u.dir)
	if err := u.writePKI(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if err := u.writeConfigs(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	progress("starting containerd")
	if err := u.start("containerd", "containerd", "--config", u.path("containerd", "config.toml")); err != nil {
		return err
	}
	if err := u.waitFor("containerd", func(ctx context.Context) error {
		return exec.CommandContext(ctx, "ctr", "--address", u.socket(), "version").Run()
	}); err != nil {
		return err
	}
	for ref, tar := range u.images {
		out, err := exec.Command("ctr", "--address", u.socket(), "-n", "k8s.io", "images", "import", tar).CombinedOutput()
		if err != nil {
			return fmt.Errorf("importing %s: %v: %s", ref, err, out)
		}
		progress("imported %s", ref)
	}

	progress("starting etcd and kube-apiserver")
	if err := u.start("etcd", filepath.Join(u.bin, "etcd"),
		"--name=gridnode-node",
		"--data-dir="+u.path("etcd"),
		fmt.Sprintf("--listen-client-urls=http://127.0.0.1:%d", etcdClientPort),
		fmt.Sprintf("--advertise-client-urls=http://127.0.0.1:%d", etcdClientPort),
		fmt.Sprintf("--listen-peer-urls=http://127.0.0.1:%d", etcdPeerPort),
		fmt.Sprintf("--initial-advertise-peer-urls=http://127.0.0.1:%d", etcdPeerPort),
		fmt.Sprintf("--initial-cluster=gridnode-node=http://127.0.0.1:%d", etcdPeerPort),
		"--listen-metrics-urls=",
	); err != nil {
		return err
	}
	if err := u.waitFor("etcd", func(ctx context.Context) error {
		return httpOK(ctx, http.DefaultClient, fmt.Sprintf("http://127.0.0.1:%d/health", etcdClientPort))
	}); err != nil {
		return err
	}
	pki := u.path("pki")
	if err := u.start("kube-apiserver", filepath.Join(u.bin, "kube-apiserver"),
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", etcdClientPort),
		"--advertise-address="+u.nodeIP,
		fmt.Sprintf("--secure-port=%d", apiPort),
		"--anonymous-auth=false",
		"--client-ca-file="+pki+"/ca.crt",
		"--tls-cert-file="+pki+"/apiserver.crt",
		"--tls-private-key-file="+pki+"/apiserver.key",
		"--kubelet-client-certificate="+pki+"/apiserver-kubelet-client.crt",
		"--kubelet-client-key="+pki+"/apiserver-kubelet-client.key",
		"--kubelet-certificate-authority="+pki+"/ca.crt",
		"--kubelet-preferred-address-types=InternalIP",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+pki+"/sa.pub",
		"--service-account-signing-key-file="+pki+"/sa.key",
		"--service-cluster-ip-range="+serviceCIDR,
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--allow-privileged=true",
		"--profiling=false",
		"--cert-dir="+u.path("apiserver-certs"),
	); err != nil {
		return err
	}
	admin, err := u.adminClient()
	if err != nil {
		return err
	}
	if err := u.waitFor("kube-apiserver", func(ctx context.Context) error {
		return httpOK(ctx, admin, fmt.Sprintf("https://127.0.0.1:%d/readyz", apiPort))
	}); err != nil {
		return err
	}

	progress("starting kube-controller-manager, kube-scheduler, kubelet, kube-proxy")
	if err := u.start("kube-controller-manager", filepath.Join(u.bin, "kube-controller-manager"),
		"--kubeconfig="+u.path("kube-controller-manager.kubeconfig"),
		"--authentication-kubeconfig="+u.path("kube-controller-manager.kubeconfig"),
		"--authorization-kubeconfig="+u.path("kube-controller-manager.kubeconfig"),
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", kcmPort),
		"--tls-cert-file="+pki+"/kube-controller-manager-server.crt",
		"--tls-private-key-file="+pki+"/kube-controller-manager-server.key",
		"--leader-elect=false",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file="+pki+"/sa.key",
		"--root-ca-file="+pki+"/ca.crt",
		"--cluster-signing-cert-file="+pki+"/ca.crt",
		"--cluster-signing-key-file="+pki+"/ca.key",
		"--service-cluster-ip-range="+serviceCIDR,
		"--allocate-node-cidrs=false",
		"--profiling=false",
	); err != nil {
		return err
	}
	if err := u.start("kube-scheduler", filepath.Join(u.bin, "kube-scheduler"),
		"--kubeconfig="+u.path("kube-scheduler.kubeconfig"),
		"--authentication-kubeconfig="+u.path("kube-scheduler.kubeconfig"),
		"--authorization-kubeconfig="+u.path("kube-scheduler.kubeconfig"),
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", schedulerPort),
		"--tls-cert-file="+pki+"/kube-scheduler-server.crt",
		"--tls-private-key-file="+pki+"/kube-scheduler-server.key",
		"--leader-elect=false",
		"--profiling=false",
	); err != nil {
		return err
	}
	if err := u.start("kubelet", filepath.Join(u.bin, "kubelet"),
		"--config="+u.path("kubelet.yaml"),
		"--kubeconfig="+u.path("kubelet.kubeconfig"),
		"--root-dir="+u.path("kubelet"),
		"--hostname-override="+nodeName,
		"--node-ip="+u.nodeIP,
		"--cert-dir="+u.path("kubelet-certs"),
	); err != nil {
		return err
	}
	if err := u.start("kube-proxy", filepath.Join(u.bin, "kube-proxy"),
		"--config="+u.path("kube-proxy.yaml"),
		"--v=2", // logs each rule sync
	); err != nil {
		return err
	}
	verified := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: admin.Transport.(*http.Transport).TLSClientConfig.RootCAs}}}
	checks := []struct{ name, url string }{
		{"kube-controller-manager", fmt.Sprintf("https://127.0.0.1:%d/healthz", kcmPort)},
		{"kube-scheduler", fmt.Sprintf("https://127.0.0.1:%d/healthz", schedulerPort)},
		{"kubelet", fmt.Sprintf("http://127.0.0.1:%d/healthz", kubeletHealthPort)},
		{"kube-proxy", fmt.Sprintf("http://127.0.0.1:%d/healthz", proxyHealthPort)},
	}
	for _, c := range checks {
		if err := u.waitFor(c.name, func(ctx context.Context) error { return httpOK(ctx, verified, c.url) }); err != nil {
			return err
		}
	}
	if err := u.waitFor("node "+nodeName+" Ready", func(ctx context.Context) error {
		out, err := u.kubectl(ctx, "get", "node", nodeName, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
		if err != nil {
			return err
		}
		if out != "True" {
			return fmt.Errorf("Ready=%q", out)
		}
		return nil
	}); err != nil {
		return err
	}
	// Pods can be created once the default service account exists; the
	// root CA ConfigMap shows that the controllers' caches have synced.
	if err := u.waitFor("default service account", func(ctx context.Context) error {
		_, err := u.kubectl(ctx, "-n", "default", "get", "serviceaccount", "default", "-o", "name")
		return err
	}); err != nil {
		return err
	}
	return u.waitFor("kube-controller-manager controllers", func(ctx context.Context) error {
		_, err := u.kubectl(ctx, "-n", "default", "get", "configmap", "kube-root-ca.crt", "-o", "name")
		return err
	})
}

func preflight(bin string) error {
	var missing []string
	for _, b := range []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			missing = append(missing, filepath.Join(bin, b)+" (run hack/setup k8s)")
		}
	}
	for _, t := range hostTools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t+" (run hack/setup node)")
		}
	}
	for _, p := range cniPlugins {
		if _, err := os.Stat(filepath.Join(cniBinDir, p)); err != nil {
			missing = append(missing, filepath.Join(cniBinDir, p)+" (run hack/setup node)")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

func checkPortsFree() error {
	for _, p := range []int{apiPort, etcdClientPort, etcdPeerPort, kubeletPort, kubeletHealthPort, proxyHealthPort, proxyMetricsPort, kcmPort, schedulerPort} {
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			return fmt.Errorf("port %d is in use: kube-node needs it", p)
		}
		_ = l.Close()
	}
	return nil
}

// checkRoutes refuses to start when the machine already routes the pod or
// service range somewhere (other than through the node's own bridge).
func checkRoutes() error {
	out, err := exec.Command("ip", "-4", "route", "show").Output()
	if err != nil {
		return fmt.Errorf("ip route: %w", err)
	}
	_, pods, _ := net.ParseCIDR(podCIDR)
	_, svcs, _ := net.ParseCIDR(serviceCIDR)
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "default" || strings.Contains(line, "dev "+bridgeName) || strings.Contains(line, "dev "+svcLinkName) {
			continue
		}
		dst := f[0]
		if !strings.Contains(dst, "/") {
			dst += "/32"
		}
		_, r, err := net.ParseCIDR(dst)
		if err != nil {
			continue
		}
		for _, ours := range []*net.IPNet{pods, svcs} {
			if r.Contains(ours.IP) || ours.Contains(r.IP) {
				return fmt.Errorf("route %q overlaps the node's range %s", line, ours)
			}
		}
	}
	return nil
}

// routeServices routes serviceCIDR to a bridge without ports (this kernel
// has no dummy links), where nothing answers: a connection fails with "no
// route to host" once ARP gives up. kube-proxy DNATs a Service's address to a pod in the OUTPUT chain
// and the packet is routed again, to the bridge; but before its rules are
// written (a moment after a Service is created) a connection to the
// Service's address would take the default route, and on a network with a
// transparent HTTP proxy (this CI's machines have one, which answers 404 to
// anything) it would be answered by that proxy and kept alive in the
// gateway's connection pool. With the route it fails, as it would in a
// cluster, until the rules are there.
func routeServices() error {
	if err := deleteLink(svcLinkName); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"link", "add", svcLinkName, "type", "bridge"},
		{"link", "set", svcLinkName, "up"},
		{"-4", "route", "add", serviceCIDR, "dev", svcLinkName},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// primaryIPv4 is the address of the interface that holds the default route
// (GRIDNODE_KUBE_NODE_IP overrides it).
func primaryIPv4() (string, error) {
	if ip := os.Getenv("GRIDNODE_KUBE_NODE_IP"); ip != "" {
		if net.ParseIP(ip) == nil {
			return "", fmt.Errorf("GRIDNODE_KUBE_NODE_IP=%q is not an IP address", ip)
		}
		return ip, nil
	}
	out, err := exec.Command("ip", "-4", "route", "get", "192.0.2.255").Output()
	if err == nil {
		f := strings.Fields(string(out))
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "src" {
				return f[i+1], nil
			}
		}
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return "", err
	}
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || ifc.Name == bridgeName || ifc.Name == svcLinkName {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				return ipn.IP.String(), nil
			}
		}
	}
	return "", errors.New("no non-loopback IPv4 address (set GRIDNODE_KUBE_NODE_IP)")
}

func (u *upRun) writePKI() error {
	p, err := newPKI(u.path("pki"))
	if err != nil {
		return err
	}
	ip := net.ParseIP(u.nodeIP)
	loop := net.ParseIP("127.0.0.1")
	specs := []certSpec{
		{name: "apiserver", cn: "kube-apiserver", server: true,
			dns: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", nodeName},
			ips: []net.IP{loop, ip, net.ParseIP(apiServiceIP)}},
		{name: "apiserver-kubelet-client", cn: "kube-apiserver-kubelet-client", orgs: []string{"system:masters"}, client: true},
		{name: "admin", cn: "gridnode-admin", orgs: []string{"system:masters"}, client: true},
		{name: "kube-controller-manager", cn: "system:kube-controller-manager", client: true},
		{name: "kube-controller-manager-server", cn: "kube-controller-manager", server: true, dns: []string{"localhost"}, ips: []net.IP{loop}},
		{name: "kube-scheduler", cn: "system:kube-scheduler", client: true},
		{name: "kube-scheduler-server", cn: "kube-scheduler", server: true, dns: []string{"localhost"}, ips: []net.IP{loop}},
		{name: "kubelet", cn: "system:node:" + nodeName, orgs: []string{"system:nodes"}, client: true},
		{name: "kubelet-server", cn: nodeName, server: true, dns: []string{nodeName, "localhost"}, ips: []net.IP{ip, loop}},
		{name: "kube-proxy", cn: "system:kube-proxy", client: true},
	}
	for _, s := range specs {
		if err := p.issue(s); err != nil {
			return err
		}
	}
	if err := p.serviceAccountKey(); err != nil {
		return err
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	for file, cert := range map[string]string{
		"admin.kubeconfig":                   "admin",
		"kube-controller-manager.kubeconfig": "kube-controller-manager",
		"kube-scheduler.kubeconfig":          "kube-scheduler",
		"kubelet.kubeconfig":                 "kubelet",
		"kube-proxy.kubeconfig":              "kube-proxy",
	} {
		if err := p.kubeconfig(u.path(file), server, cert); err != nil {
			return err
		}
	}
	return nil
}

func (u *upRun) writeConfigs() error {
	d := configData{
		Dir: u.dir, Socket: u.socket(), Pause: u.pause, NodeName: nodeName, NodeIP: u.nodeIP,
		Bridge: bridgeName, Network: cniNetwork, PodCIDR: podCIDR, ClusterDNSDomain: "cluster.local",
		KubeletPort: kubeletPort, KubeletHealthPort: kubeletHealthPort,
		ProxyHealthPort: proxyHealthPort, ProxyMetricsPort: proxyMetricsPort,
	}
	for file, text := range map[string]string{
		"containerd/config.toml":         containerdConfig,
		"cni/net.d/10-gridnode.conflist": cniConfig,
		"kubelet.yaml":                   kubeletConfig,
		"kube-proxy.yaml":                kubeProxyConfig,
	} {
		if err := render(u.path(file), text, d); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

func (u *upRun) buildImages() error {
	cmd := exec.Command("go", "run", "./hack/images", "-out", u.path("images"))
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go run ./hack/images: %w", err)
	}
	u.images = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			u.images[f[0]] = f[1]
		}
	}
	for ref := range u.images {
		if strings.HasPrefix(ref, "gridnode.local/pause:") {
			u.pause = ref
		}
	}
	if u.pause == "" {
		return fmt.Errorf("hack/images built no pause image (got %v)", u.images)
	}
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run kube-node inside the gridnode repository (it builds images with hack/images)")
	}
	return filepath.Dir(mod), nil
}

// start runs a component in its own session, logging to logs/<name>.log,
// and records its pid in pids/<name>.pid. It outlives up.
func (u *upRun) start(name, path string, args ...string) error {
	logf, err := os.OpenFile(u.path("logs", name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	fmt.Fprintf(logf, "---- %s %s\n", time.Now().Format(time.RFC3339), name)
	cmd := exec.Command(path, args...)
	cmd.Dir = u.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	r := &running{name: name, pid: cmd.Process.Pid, done: make(chan struct{})}
	go func() {
		r.err = cmd.Wait()
		close(r.done)
	}()
	u.procs[name] = r
	return os.WriteFile(u.path("pids", name+".pid"), []byte(strconv.Itoa(r.pid)+"\n"), 0o600)
}

// waitFor polls check until it succeeds, a started component exits, or
// readyTimeout passes; failures name the component's log and its last lines.
func (u *upRun) waitFor(what string, check func(context.Context) error) error {
	deadline := time.Now().Add(readyTimeout)
	var last error
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		last = check(ctx)
		cancel()
		if last == nil {
			return nil
		}
		for _, r := range u.procs {
			select {
			case <-r.done:
				return fmt.Errorf("waiting for %s: %s exited (%v); last lines of %s:\n%s",
					what, r.name, r.err, u.path("logs", r.name+".log"), tail(u.path("logs", r.name+".log"), 30))
			default:
			}
		}
		if time.Now().After(deadline) {
			name := strings.Fields(what)[0]
			msg := fmt.Sprintf("waiting for %s: timed out after %v: %v", what, readyTimeout, last)
			if _, ok := u.procs[name]; ok {
				msg += fmt.Sprintf("; last lines of %s:\n%s", u.path("logs", name+".log"), tail(u.path("logs", name+".log"), 30))
			}
			return errors.New(msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// adminClient is an HTTPS client with the admin certificate and the node's CA.
func (n *node) adminClient() (*http.Client, error) {
	ca, err := os.ReadFile(n.path("pki", "ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, errors.New("bad CA certificate")
	}
	cert, err := tls.LoadX509KeyPair(n.path("pki", "admin.crt"), n.path("pki", "admin.key"))
	if err != nil {
		return nil, err
	}
	return &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}}, nil
}

func (n *node) kubectl(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(n.bin, "kubectl"), append([]string{"--kubeconfig", n.kubeconfig()}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("kubectl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

func httpOK(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

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
