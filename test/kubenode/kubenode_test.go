package kubenode_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/test/kubenode"
)

// demoVersion is the demo app's version: its image's tag.
var demoVersion = kubenode.DemoImage[strings.LastIndex(kubenode.DemoImage, ":")+1:]

// TestDemoAppOnRealNode brings the node up, deploys hack/demoapp/manifest.yaml
// into a namespace that enforces the restricted Pod Security Standard, calls
// the app through its ClusterIP (HTTP and a WebSocket echo), reads its logs,
// takes the node down and checks that nothing is left.
func TestDemoAppOnRealNode(t *testing.T) {
	start := time.Now()
	n := kubenode.Up(t)
	t.Logf("node up in %v", time.Since(start).Round(100*time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// An address of the service range that no Service holds goes nowhere:
	// not out of the default route (where this CI's network has an HTTP
	// proxy that answers anything).
	c, err := net.DialTimeout("tcp", "10.96.254.254:80", 2*time.Second)
	if err == nil {
		c.Close()
		t.Fatal("a connection to an unused Service address was answered; the service range must not leave the machine")
	}
	var ne net.Error
	if (!errors.As(err, &ne) || !ne.Timeout()) && !errors.Is(err, syscall.EHOSTUNREACH) {
		t.Fatalf("dialing an unused Service address: %v, want a timeout or no route to host", err)
	}

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   "demo",
		Labels: map[string]string{"pod-security.kubernetes.io/enforce": "restricted"},
	}}
	if _, err := n.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	manifest := filepath.Join("..", "..", "hack", "demoapp", "manifest.yaml")
	applied := time.Now()
	out := n.Kubectl(t, "-n", "demo", "apply", "-f", manifest)
	if !strings.Contains(out, "deployment.apps/demoapp created") || !strings.Contains(out, "service/demoapp created") {
		t.Fatalf("kubectl apply: %s", out)
	}
	waitAvailable(ctx, t, n, "demo", "demoapp")
	t.Logf("demo app Ready %v after apply", time.Since(applied).Round(100*time.Millisecond))

	pods, err := n.Client.CoreV1().Pods("demo").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=demoapp"})
	if err != nil || len(pods.Items) != 1 {
		t.Fatalf("demo pods: %v, %d pods", err, len(pods.Items))
	}
	pod := pods.Items[0]
	if pod.Spec.Containers[0].Image != kubenode.DemoImage {
		t.Errorf("pod image = %q, want %q", pod.Spec.Containers[0].Image, kubenode.DemoImage)
	}
	svc, err := n.Client.CoreV1().Services("demo").Get(ctx, "demoapp", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("service: %v", err)
	}
	ip := svc.Spec.ClusterIP
	if ip == "" || ip == corev1.ClusterIPNone {
		t.Fatalf("service has no ClusterIP: %q", ip)
	}

	// The Service routes once its EndpointSlice lists the pod as ready and
	// kube-proxy has written the rules (getJSON retries for that).
	waitEndpoint(ctx, t, n, "demo", "demoapp", pod.Status.PodIP)

	// HTTP through kube-proxy's rules to the pod on the bridge.
	var body struct{ App, Version, Hostname string }
	getJSON(ctx, t, "http://"+ip+"/", &body)
	if body.App != "gridnode-demo" || body.Version != demoVersion || body.Hostname != pod.Name {
		t.Errorf("GET / = %+v, want app gridnode-demo, version %s, hostname %s", body, demoVersion, pod.Name)
	}

	// WebSocket echo through the same ClusterIP.
	dialer := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	ws, resp, err := dialer.DialContext(ctx, "ws://"+ip+"/ws", nil)
	if err != nil {
		t.Fatalf("websocket dial: %v (response %v)", err, resp)
	}
	defer ws.Close()
	for _, msg := range []string{"hello", strings.Repeat("x", 10000)} {
		_ = ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatalf("websocket write: %v", err)
		}
		_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		kind, got, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("websocket read: %v", err)
		}
		if kind != websocket.TextMessage || string(got) != msg {
			t.Errorf("websocket echo = (%d, %d bytes), want text %d bytes", kind, len(got), len(msg))
		}
	}
	_ = ws.Close()

	// kubectl logs goes API server -> kubelet on the node's address.
	logs := n.Kubectl(t, "-n", "demo", "logs", "deploy/demoapp")
	if !strings.Contains(logs, "demoapp "+demoVersion+" listening on :8080 as "+pod.Name) || !strings.Contains(logs, "GET / from") {
		t.Errorf("kubectl logs does not show the start and the request:\n%s", logs)
	}

	stop := time.Now()
	n.Down(t)
	t.Logf("node down in %v", time.Since(stop).Round(100*time.Millisecond))
	if left := kubenode.Leftovers(t, n.Dir); len(left) > 0 {
		t.Errorf("left behind after down:\n  %s", strings.Join(left, "\n  "))
	}
}

func waitAvailable(ctx context.Context, t *testing.T, n *kubenode.Node, ns, name string) {
	t.Helper()
	for {
		d, err := n.Client.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("deployment %s/%s: %v", ns, name, err)
		}
		if d.Status.ObservedGeneration >= d.Generation && d.Status.ReadyReplicas == *d.Spec.Replicas {
			for _, c := range d.Status.Conditions {
				if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			pods := n.Kubectl(t, "-n", ns, "get", "pods", "-o", "wide")
			events := n.Kubectl(t, "-n", ns, "get", "events")
			t.Fatalf("deployment %s/%s not Available: %+v\n%s\n%s", ns, name, d.Status, pods, events)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func waitEndpoint(ctx context.Context, t *testing.T, n *kubenode.Node, ns, svc, ip string) {
	t.Helper()
	for {
		slices, err := n.Client.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
		if err != nil {
			t.Fatalf("endpoint slices of %s/%s: %v", ns, svc, err)
		}
		for _, s := range slices.Items {
			for _, e := range s.Endpoints {
				if e.Conditions.Ready != nil && *e.Conditions.Ready && len(e.Addresses) > 0 && e.Addresses[0] == ip {
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("service %s/%s has no ready endpoint %s: %+v", ns, svc, ip, slices.Items)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func getJSON(ctx context.Context, t *testing.T, url string, v any) {
	t.Helper()
	// A connection made before kube-proxy wrote the Service's rules is not
	// translated (conntrack keeps it that way): every attempt dials anew.
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var last error
	for i := 0; i < 40; i++ { // kube-proxy may still be writing the Service's rules
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := c.Do(req)
		if err == nil {
			data, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK {
				if err := json.Unmarshal(data, v); err != nil {
					t.Fatalf("GET %s: %v: %s", url, err, data)
				}
				return
			}
			err = fmt.Errorf("%s: %v %s", resp.Status, rerr, data)
		}
		last = err
		time.Sleep(250 * time.Millisecond)
	}
	nat, _ := exec.Command("iptables-save", "-t", "nat").Output()
	t.Fatalf("GET %s: %v\niptables nat table:\n%s", url, last, nat)
}
