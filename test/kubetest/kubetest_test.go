package kubetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/test/kubetest"
)

func TestAPIServerOnly(t *testing.T) {
	start := time.Now()
	c := kubetest.Start(t, kubetest.Options{})
	t.Logf("API server ready in %v", time.Since(start).Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kubetest-ns"}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	got, err := c.Client.CoreV1().Namespaces().Get(ctx, "kubetest-ns", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("reading namespace back: %v", err)
	}
	if got.Status.Phase != corev1.NamespaceActive {
		t.Errorf("namespace phase = %q, want Active", got.Status.Phase)
	}

	// The server reports the version the binaries were built as.
	v, err := c.Client.Discovery().ServerVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	if v.GitVersion != kubetest.Version {
		t.Errorf("server version = %q, want %q", v.GitVersion, kubetest.Version)
	}
	if out := c.Kubectl(t, "get", "namespace", "kubetest-ns", "-o", "name"); strings.TrimSpace(out) != "namespace/kubetest-ns" {
		t.Errorf("kubectl get namespace = %q", out)
	}
}

func TestControllersDeploymentReady(t *testing.T) {
	start := time.Now()
	c := kubetest.Start(t, kubetest.Options{Controllers: true, Nodes: 2})
	t.Logf("control plane, controllers and 2 fake nodes ready in %v", time.Since(start).Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	labels := map[string]string{"app": "web"}
	replicas := int32(2)
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:  "web",
					Image: "example.invalid/web:1.0",
					Resources: corev1.ResourceRequirements{
						Requests: corev1.ResourceList{
							corev1.ResourceCPU:    resource.MustParse("500m"),
							corev1.ResourceMemory: resource.MustParse("256Mi"),
						},
					},
				}}},
			},
		},
	}
	applied := time.Now()
	if _, err := c.Client.AppsV1().Deployments("default").Create(ctx, dep, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating deployment: %v", err)
	}
	for {
		d, err := c.Client.AppsV1().Deployments("default").Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("reading deployment: %v", err)
		}
		if available(d) && d.Status.ReadyReplicas == 2 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("deployment not Available: %+v", d.Status)
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Logf("deployment Available in %v", time.Since(applied).Round(time.Millisecond))

	pods, err := c.Client.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatalf("listing pods: %v", err)
	}
	if len(pods.Items) != 2 {
		t.Fatalf("got %d pods, want 2", len(pods.Items))
	}
	for _, p := range pods.Items {
		if p.Status.Phase != corev1.PodRunning || !strings.HasPrefix(p.Spec.NodeName, "kwok-node-") || p.Status.PodIP == "" {
			t.Errorf("pod %s: phase %s on node %q with IP %q, want Running on a kwok node with an IP",
				p.Name, p.Status.Phase, p.Spec.NodeName, p.Status.PodIP)
		}
	}

	out := c.Kubectl(t, "get", "deploy", "-A")
	var found bool
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "default" && f[1] == "web" && f[2] == "2/2" {
			found = true
		}
	}
	if !found {
		t.Errorf("kubectl get deploy -A does not show default/web 2/2:\n%s", out)
	}
}

func available(d *appsv1.Deployment) bool {
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
			return d.Status.ObservedGeneration >= d.Generation
		}
	}
	return false
}

func TestBinDirMissing(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(kubetest.EnvBinDir, empty)
	dir, err := kubetest.BinDir()
	if err == nil {
		t.Fatalf("BinDir() with an empty %s = %q, want an error", kubetest.EnvBinDir, dir)
	}
	if !strings.Contains(err.Error(), "run hack/setup k8s") || !strings.Contains(err.Error(), empty) {
		t.Errorf("BinDir() error = %q, want it to name %s and say run hack/setup k8s", err, empty)
	}
}
