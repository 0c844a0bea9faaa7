package deploy

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/test/kubetest"
)

// webManifest is the two-document manifest of the acceptance test; replicas
// and the greeting vary between versions, extra adds a third document.
func webManifest(replicas int, greeting string, extra bool) string {
	m := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: %d
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: registry.example/web:1.0
        imagePullPolicy: IfNotPresent
        ports: [{containerPort: 8080}]
        env: [{name: GREETING, value: %q}]
        resources:
          requests: {cpu: 250m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`, replicas, greeting)
	if extra {
		m += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {k: v}\n"
	}
	return m
}

// manifests serves manifests by path on loopback.
type manifests struct {
	mu    sync.Mutex
	files map[string]string
	srv   *httptest.Server
}

func serveManifests(t testing.TB) *manifests {
	m := &manifests{files: map[string]string{}}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("redirect"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		m.mu.Lock()
		body, ok := m.files[r.URL.Path]
		m.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(m.srv.Close)
	return m
}

// put serves body at path and returns its URL and keccak256.
func (m *manifests) put(path, body string) (string, [32]byte) {
	m.mu.Lock()
	m.files[path] = body
	m.mu.Unlock()
	return m.srv.URL + path, [32]byte(crypto.Keccak256([]byte(body)))
}

func kubeConfig(allowLoopback bool) Config {
	cfg := Defaults()
	if allowLoopback {
		cfg.ManifestAllow = []string{"127.0.0.1/32"}
	}
	cfg.ManifestTimeout = 5 * time.Second
	cfg.IngressCIDRs = []string{"10.0.0.0/8"}
	return cfg
}

func newDeployer(t *testing.T, c *kubetest.Cluster, cfg Config, reg prometheus.Registerer) *Deployer {
	t.Helper()
	d, err := New(cfg, c.Config, zaptest.NewLogger(t), reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

// counterValue reads a counter with a result label from reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// eventually polls cond until it returns nil or the deadline passes.
func eventually(t *testing.T, what string, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after %s: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func kubeOrder(id int64, hash [32]byte) market.Order {
	o := testOrder()
	o.ID = big.NewInt(id)
	o.ManifestHash = hash
	o.Resources = market.Resources{CPUMillis: 2000, MemoryBytes: 1 << 30, StorageBytes: 0}
	o.Start = time.Now().Truncate(time.Second)
	o.End = o.Start.Add(time.Hour)
	return o
}

// TestKube runs the deployer against a real API server with controllers
// and a kwok node: deploy, status, update, prune, refusals, delete.
func TestKube(t *testing.T) {
	c := kubetest.Start(t, kubetest.Options{Controllers: true, NodeCPU: "8", NodeMemory: "16Gi"})
	ms := serveManifests(t)
	reg := prometheus.NewRegistry()
	d := newDeployer(t, c, kubeConfig(true), reg)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	core := c.Client.CoreV1()

	v1URL, v1Hash := ms.put("/web/v1.yaml", webManifest(1, "hello", false))
	order := kubeOrder(1, v1Hash)
	ns := Namespace(order)

	t.Run("deploy", func(t *testing.T) {
		dep, err := d.Deploy(ctx, order, v1URL)
		if err != nil {
			t.Fatal(err)
		}
		if dep.Namespace != ns || dep.Entrypoint != "web:80" || len(dep.Objects) != 2 {
			t.Fatalf("deployment %+v", dep)
		}
		n, err := core.Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]string{
			"pod-security.kubernetes.io/enforce": "restricted", LabelManagedBy: ManagedByValue,
			LabelOrderID: "1", LabelChainID: "1337", LabelProvider: strings.ToLower(order.Provider.Hex()),
			LabelBuyer: strings.ToLower(order.Buyer.Hex()), LabelMarket: strings.ToLower(order.Market.Hex()),
		} {
			if n.Labels[k] != v {
				t.Errorf("namespace label %s = %q, want %q", k, n.Labels[k], v)
			}
		}
		q, err := core.ResourceQuotas(ns).Get(ctx, QuotaName, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[corev1.ResourceName]string{
			corev1.ResourceRequestsCPU: "2", corev1.ResourceLimitsCPU: "2", corev1.ResourceRequestsMemory: "1Gi",
			corev1.ResourceLimitsMemory: "1Gi", corev1.ResourceRequestsStorage: "0", "requests.nvidia.com/gpu": "0",
		} {
			if got := q.Spec.Hard[name]; got.String() != want {
				t.Errorf("quota %s = %s, want %s", name, got.String(), want)
			}
		}
		lr, err := core.LimitRanges(ns).Get(ctx, LimitRangeName, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := lr.Spec.Limits[0].DefaultRequest[corev1.ResourceCPU]; got.String() != "100m" {
			t.Errorf("limit range default cpu request %s", got.String())
		}
		np, err := c.Client.NetworkingV1().NetworkPolicies(ns).Get(ctx, NetworkPolicyName, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(np.Spec.PolicyTypes) != 1 || np.Spec.PolicyTypes[0] != "Ingress" || len(np.Spec.PodSelector.MatchLabels) != 0 {
			t.Errorf("network policy spec %+v", np.Spec)
		}
		from := np.Spec.Ingress[0].From
		if len(from) != 3 || from[0].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] != "gridnode-system" ||
			from[0].PodSelector.MatchLabels["app.kubernetes.io/name"] != "gridnode-gateway" ||
			from[1].IPBlock.CIDR != "10.0.0.0/8" || from[2].PodSelector == nil || from[2].NamespaceSelector != nil {
			t.Errorf("network policy admits %+v", from)
		}
		pod := c.Client.AppsV1().Deployments(ns)
		web, err := pod.Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ps := web.Spec.Template.Spec
		if ps.SecurityContext.RunAsNonRoot == nil || !*ps.SecurityContext.RunAsNonRoot ||
			*ps.AutomountServiceAccountToken || ps.Containers[0].SecurityContext.Capabilities.Drop[0] != "ALL" {
			t.Errorf("restricted defaults missing from %+v", ps)
		}

		eventually(t, "Deployment Ready", 2*time.Minute, func() error {
			dep, err := d.Get(ctx, order)
			if err != nil {
				return err
			}
			if dep.Phase != PhaseReady {
				return fmt.Errorf("phase %s: %s", dep.Phase, dep.Message)
			}
			return nil
		})
		out := c.Kubectl(t, "get", "all", "-n", ns)
		t.Logf("kubectl get all -n %s:\n%s", ns, out)
		for _, want := range []string{"deployment.apps/web", "service/web", "1/1"} {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl get all does not show %q", want)
			}
		}
		u, err := d.Entrypoint(ctx, order)
		if err != nil {
			t.Fatal(err)
		}
		svc, _ := core.Services(ns).Get(ctx, "web", metav1.GetOptions{})
		if want := "http://" + net.JoinHostPort(svc.Spec.ClusterIP, "80"); u.String() != want {
			t.Errorf("entrypoint %s, want %s", u, want)
		}
		evs, err := d.Events(ctx, order)
		if err != nil || len(evs) == 0 {
			t.Errorf("events %v, %v", evs, err)
		}
		if got := counterValue(t, reg, "gridnode_gateway_deploys_total", "ok"); got != 1 {
			t.Errorf("deploys_total{ok} = %v", got)
		}
	})

	t.Run("capacity", func(t *testing.T) {
		capa, err := d.Capacity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if capa.Nodes != 1 || capa.Allocatable.CPUMillis != 8000 || capa.Held.CPUMillis != 2000 || capa.Free.CPUMillis != 6000 ||
			capa.Free.MemoryBytes != 15<<30 {
			t.Errorf("capacity %+v", capa)
		}
	})

	t.Run("redeploy updates and prunes", func(t *testing.T) {
		v2URL, v2Hash := ms.put("/web/v2.yaml", webManifest(2, "bonjour", true))
		o2 := order
		o2.ManifestHash = v2Hash
		if _, err := d.Deploy(ctx, o2, v2URL); err != nil {
			t.Fatal(err)
		}
		eventually(t, "v2 Ready with 2 replicas", 2*time.Minute, func() error {
			web, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
			if err != nil {
				return err
			}
			if env := web.Spec.Template.Spec.Containers[0].Env[0].Value; env != "bonjour" {
				return fmt.Errorf("GREETING is %q", env)
			}
			if web.Status.ReadyReplicas != 2 || web.Status.UpdatedReplicas != 2 {
				return fmt.Errorf("%d ready, %d updated", web.Status.ReadyReplicas, web.Status.UpdatedReplicas)
			}
			dep, err := d.Get(ctx, o2)
			if err != nil || dep.Phase != PhaseReady {
				return fmt.Errorf("phase %v %v", dep, err)
			}
			return nil
		})
		if _, err := core.ConfigMaps(ns).Get(ctx, "extra", metav1.GetOptions{}); err != nil {
			t.Fatalf("v2's ConfigMap: %v", err)
		}
		// Back to v1: the ConfigMap is pruned, one replica again.
		if _, err := d.Deploy(ctx, order, v1URL); err != nil {
			t.Fatal(err)
		}
		if _, err := core.ConfigMaps(ns).Get(ctx, "extra", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Fatalf("v2's ConfigMap after deploying v1 again: %v", err)
		}
		web, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil || *web.Spec.Replicas != 1 {
			t.Fatalf("replicas after v1 again: %v %v", web.Spec.Replicas, err)
		}
		if m := web.Labels[LabelManifest]; m != manifestLabel(v1Hash) {
			t.Errorf("manifest label %s", m)
		}
	})

	t.Run("refusals apply nothing", func(t *testing.T) {
		for i, tc := range refusals {
			url, hash := ms.put(fmt.Sprintf("/refuse/%d.yaml", i), tc.manifest)
			o := kubeOrder(int64(100+i), hash)
			_, err := d.Deploy(ctx, o, url)
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			}
			if _, err := core.Namespaces().Get(ctx, Namespace(o), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("%s: namespace %s exists after a refusal (%v)", tc.name, Namespace(o), err)
			}
		}
		// A manifest whose hash is not the order's.
		url, _ := ms.put("/web/tampered.yaml", webManifest(1, "tampered", false))
		o := kubeOrder(200, v1Hash)
		if _, err := d.Deploy(ctx, o, url); !errors.Is(err, ErrManifestHash) {
			t.Errorf("hash mismatch: %v", err)
		}
		if _, err := core.Namespaces().Get(ctx, Namespace(o), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("hash mismatch left namespace %s (%v)", Namespace(o), err)
		}
	})

	t.Run("dry run refusal removes the new namespace", func(t *testing.T) {
		// Valid for the validator, refused by the API server: the selector
		// does not match the template's labels.
		bad := strings.Replace(webManifest(1, "x", false), "matchLabels: {app: web}", "matchLabels: {app: other}", 1)
		url, hash := ms.put("/web/bad-selector.yaml", bad)
		o := kubeOrder(300, hash)
		_, err := d.Deploy(ctx, o, url)
		var ae *ApplyError
		if !errors.As(err, &ae) || !errors.Is(err, ErrApply) || ae.Step != "dry-run" || !ae.NamespaceRemoved || len(ae.Applied) != 0 {
			t.Fatalf("got %v", err)
		}
		t.Log(err)
		eventually(t, "namespace of the refused deploy gone", time.Minute, func() error {
			_, err := core.Namespaces().Get(ctx, Namespace(o), metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			return fmt.Errorf("still there (%v)", err)
		})
	})

	t.Run("logs", func(t *testing.T) {
		var b strings.Builder
		if err := d.Logs(ctx, order, LogOptions{Pod: "no-such-pod"}, &b); !errors.Is(err, ErrPodNotFound) {
			t.Errorf("unknown pod: %v", err)
		}
		other := kubeOrder(999, v1Hash)
		if err := d.Logs(ctx, other, LogOptions{}, &b); !errors.Is(err, ErrNotDeployed) {
			t.Errorf("undeployed order: %v", err)
		}
		pods, err := core.Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil || len(pods.Items) == 0 {
			t.Fatalf("pods %v %v", pods, err)
		}
		if err := d.Logs(ctx, order, LogOptions{Pod: pods.Items[0].Name, Container: "nope"}, &b); !errors.Is(err, ErrPodNotFound) {
			t.Errorf("unknown container: %v", err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if err := d.Delete(ctx, order); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Entrypoint(ctx, order); err == nil {
			// The Service may linger while the namespace terminates; it
			// must be gone once the namespace is.
			t.Log("entrypoint still answers while the namespace terminates")
		}
		eventually(t, "namespace gone", 2*time.Minute, func() error {
			_, err := core.Namespaces().Get(ctx, ns, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			return fmt.Errorf("still there (%v)", err)
		})
		eventually(t, "entrypoint gone", 30*time.Second, func() error {
			if _, err := d.Entrypoint(ctx, order); !errors.Is(err, ErrNoEntrypoint) {
				return fmt.Errorf("entrypoint: %v", err)
			}
			return nil
		})
		if err := d.Delete(ctx, order); !errors.Is(err, ErrNotDeployed) {
			t.Errorf("second delete: %v", err)
		}
		if _, err := d.Get(ctx, order); !errors.Is(err, ErrNotDeployed) {
			t.Errorf("get after delete: %v", err)
		}
	})
}

// TestKubeFetchRefusals: manifest URLs on loopback, link-local, private
// and IPv6 loopback addresses, directly and through redirects, are refused
// by a deployer without an allow-list, and nothing reaches the cluster.
func TestKubeFetchRefusals(t *testing.T) {
	c := kubetest.Start(t, kubetest.Options{})
	ms := serveManifests(t)
	body := webManifest(1, "hi", false)
	url, hash := ms.put("/m.yaml", body)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ms.srv.URL, "http://"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	strict := newDeployer(t, c, kubeConfig(false), nil)
	// allowed may fetch from 127.0.0.1 only, to start redirect chains.
	allowed := newDeployer(t, c, kubeConfig(true), nil)

	v6 := "http://[::1]:" + port + "/m.yaml"
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		srv := httptest.NewUnstartedServer(ms.srv.Config.Handler)
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		v6 = srv.URL + "/m.yaml"
	}
	redirect := func(to string) string { return ms.srv.URL + "/r?redirect=" + to }
	for i, tc := range []struct {
		name string
		d    *Deployer
		url  string
	}{
		{"127.0.0.1", strict, url},
		{"localhost", strict, "http://localhost:" + port + "/m.yaml"},
		{"169.254.169.254", strict, "http://169.254.169.254/latest/meta-data/"},
		{"10/8", strict, "http://10.1.2.3/m.yaml"},
		{"[::1]", strict, v6},
		{"redirect to 169.254.169.254", allowed, redirect("http://169.254.169.254/latest/meta-data/")},
		{"redirect to 10/8", allowed, redirect("http://10.0.0.1/m.yaml")},
		{"redirect to [::1]", allowed, redirect(v6)},
		{"redirect to 127.0.0.2", allowed, redirect("http://127.0.0.2:" + port + "/m.yaml")},
		{"redirect chain into 169.254.169.254", allowed, redirect(ms.srv.URL + "/r?redirect=http://169.254.169.254/")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := kubeOrder(int64(500+i), hash)
			_, err := tc.d.Deploy(ctx, o, tc.url)
			if !errors.Is(err, manifest.ErrForbiddenAddress) {
				t.Fatalf("Deploy(%s) = %v, want ErrForbiddenAddress", tc.url, err)
			}
			t.Log(err)
			if _, err := c.Client.CoreV1().Namespaces().Get(ctx, Namespace(o), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("namespace exists after a refused fetch (%v)", err)
			}
		})
	}
	// The allow-list is what lets the same URL through.
	o := kubeOrder(600, hash)
	if _, err := allowed.Deploy(ctx, o, url); err != nil {
		t.Fatalf("allow-listed loopback: %v", err)
	}
}

// dataManifest is a Deployment with a claim mounted, its Service, and
// optionally the claim itself and a ConfigMap named cm.
func dataManifest(greeting, cm string, claim bool) string {
	m := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: registry.example/web:1.0
        env: [{name: GREETING, value: %q}]
        resources: {requests: {cpu: 250m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: %s}
data: {greeting: %q}
`, greeting, cm, greeting)
	if claim {
		m += `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`
	}
	return m
}

// TestKubeManifestUpdate: after the buyer sets a new manifest hash on the
// order, the new manifest rolls out in the same namespace with the same
// entrypoint; objects the new manifest drops are removed except the
// PersistentVolumeClaim, which keeps its identity (and so its volume);
// deploying the same manifest again changes nothing; the old manifest is
// refused as superseded, another manifest as a hash mismatch.
func TestKubeManifestUpdate(t *testing.T) {
	c := kubetest.Start(t, kubetest.Options{})
	ms := serveManifests(t)
	reg := prometheus.NewRegistry()
	d := newDeployer(t, c, kubeConfig(true), reg)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	core := c.Client.CoreV1()

	v1URL, v1Hash := ms.put("/v1.yaml", dataManifest("hello", "old", true))
	v2URL, v2Hash := ms.put("/v2.yaml", dataManifest("bonjour", "new", false))
	otherURL, _ := ms.put("/other.yaml", dataManifest("other order", "x", false))
	o1 := kubeOrder(1, v1Hash)
	o1.Resources.StorageBytes = 4 << 30
	ns := Namespace(o1)

	dep, err := d.Deploy(ctx, o1, v1URL)
	if err != nil {
		t.Fatal(err)
	}
	if dep.Namespace != ns || dep.Entrypoint != "web:80" {
		t.Fatalf("v1: %+v", dep)
	}
	pvc, err := core.PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	web, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("same manifest again changes nothing", func(t *testing.T) {
		if _, err := d.Deploy(ctx, o1, v1URL); err != nil {
			t.Fatal(err)
		}
		w, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil || w.Generation != web.Generation || w.UID != web.UID {
			t.Fatalf("Deployment after the same manifest: generation %d (was %d), %v", w.Generation, web.Generation, err)
		}
		p, err := core.PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
		if err != nil || p.UID != pvc.UID || !reflect.DeepEqual(p.Spec, pvc.Spec) || !reflect.DeepEqual(p.Labels, pvc.Labels) {
			t.Fatalf("claim after the same manifest: %v\n%+v\nwas %+v", err, p, pvc)
		}
	})

	// The buyer sets v2's hash on chain: the gateway passes the order as
	// the chain has it now.
	o2 := o1
	o2.ManifestHash = v2Hash

	t.Run("the old manifest is superseded", func(t *testing.T) {
		_, err := d.Deploy(ctx, o2, v1URL)
		if !errors.Is(err, ErrManifestSuperseded) || !errors.Is(err, ErrManifestHash) {
			t.Fatalf("old manifest after the update: %v, want ErrManifestSuperseded", err)
		}
		t.Log(err)
		if got := counterValue(t, reg, "gridnode_gateway_deploys_total", "superseded"); got != 1 {
			t.Errorf("deploys_total{superseded} = %v", got)
		}
	})
	t.Run("another manifest is a mismatch", func(t *testing.T) {
		_, err := d.Deploy(ctx, o2, otherURL)
		if !errors.Is(err, ErrManifestHash) || errors.Is(err, ErrManifestSuperseded) {
			t.Fatalf("another manifest: %v, want ErrManifestHash only", err)
		}
	})

	t.Run("the new manifest rolls out and keeps the claim", func(t *testing.T) {
		dep, err := d.Deploy(ctx, o2, v2URL)
		if err != nil {
			t.Fatal(err)
		}
		if dep.Namespace != ns || dep.Entrypoint != "web:80" {
			t.Fatalf("v2: %+v", dep)
		}
		w, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil || w.UID != web.UID || w.Spec.Template.Spec.Containers[0].Env[0].Value != "bonjour" {
			t.Fatalf("Deployment after v2: %v %v", w.Spec.Template.Spec.Containers[0].Env, err)
		}
		if w.Labels[LabelManifest] != manifestLabel(v2Hash) {
			t.Errorf("Deployment manifest label %s", w.Labels[LabelManifest])
		}
		if _, err := core.ConfigMaps(ns).Get(ctx, "old", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("v1's ConfigMap after v2: %v, want it pruned", err)
		}
		if _, err := core.ConfigMaps(ns).Get(ctx, "new", metav1.GetOptions{}); err != nil {
			t.Errorf("v2's ConfigMap: %v", err)
		}
		p, err := core.PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
		if err != nil || p.UID != pvc.UID || p.DeletionTimestamp != nil {
			t.Fatalf("v1's claim after v2: %v, want it kept (same UID)", err)
		}
		n, err := core.Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if err != nil || n.Annotations[AnnotationManifest] != fmt.Sprintf("0x%x", v2Hash) {
			t.Errorf("namespace manifest annotation %q, %v", n.Annotations[AnnotationManifest], err)
		}
		got, err := d.Get(ctx, o2)
		if err != nil || got.Manifest != fmt.Sprintf("0x%x", v2Hash) {
			t.Errorf("status manifest %v, %v", got, err)
		}
		// Once v2 is deployed, v1 is still superseded (the namespace
		// remembers it), and v2 again changes nothing.
		if _, err := d.Deploy(ctx, o2, v1URL); !errors.Is(err, ErrManifestSuperseded) {
			t.Errorf("v1 after v2 was deployed: %v, want ErrManifestSuperseded", err)
		}
		if _, err := d.Deploy(ctx, o2, v2URL); err != nil {
			t.Errorf("v2 again: %v", err)
		}
	})

	t.Run("a manifest with the claim again adopts it", func(t *testing.T) {
		v3URL, v3Hash := ms.put("/v3.yaml", dataManifest("hallo", "new", true))
		o3 := o1
		o3.ManifestHash = v3Hash
		if _, err := d.Deploy(ctx, o3, v3URL); err != nil {
			t.Fatal(err)
		}
		p, err := core.PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
		if err != nil || p.UID != pvc.UID || p.Labels[LabelManifest] != manifestLabel(v3Hash) {
			t.Fatalf("claim after v3: %v, labels %v", err, p.Labels)
		}
		for name, u := range map[string]string{"v1": v1URL, "v2": v2URL} {
			if _, err := d.Deploy(ctx, o3, u); !errors.Is(err, ErrManifestSuperseded) {
				t.Errorf("%s after v3: %v, want ErrManifestSuperseded", name, err)
			}
		}
		n, _ := core.Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if h := n.Annotations[AnnotationPreviousManifests]; h != fmt.Sprintf("0x%x,0x%x", v2Hash, v1Hash) {
			t.Errorf("manifest history %q", h)
		}
	})
}
