package e2e

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/test/kubetest"
)

// deployManifest is a two-document manifest: a Deployment that says
// nothing about security or resources (the gateway fills the restricted
// defaults) and its ClusterIP Service, the app's entrypoint.
const deployManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: registry.example/web:1.0
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`

// TestGatewayDeploy runs the buyer's whole path on the real gateway
// binary: an organization with Consul and a carrier (p2p on) on the
// devnet, a real Kubernetes API server with controllers and a kwok node;
// challenge → login (ethers) → deploy by URL → status Ready → events →
// the app path → delete. The gateway also publishes its signed listing,
// with the cluster's capacity, through the carrier. (kwok's pods serve
// nothing: the app path reaches the Service's entrypoint and fails to
// connect; real pods answering through the proxy need a real node.)
func TestGatewayDeploy(t *testing.T) {
	e := startDevnet(t)
	cluster := kubetest.Start(t, kubetest.Options{Controllers: true, NodeCPU: "8", NodeMemory: "16Gi"})
	org := startP2POrg(t, e, "org-dep")
	providerKey, _ := crypto.GenerateKey()
	provider := addressOf(providerKey)
	owner := registerProvider(t, e, providerKey)

	manifests := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write([]byte(deployManifest))
	}))
	t.Cleanup(manifests.Close)

	args := append(daemonArgs("gateway", org.agent, "org-dep"), gatewayKeystore(t, providerKey)...)
	args = append(args, "--kubeconfig", cluster.Kubeconfig, "--manifest-allow", "127.0.0.1/32",
		"--ingress-from-cidrs", "127.0.0.1/32", "--carrier-token-file", org.token, "--app-dial-timeout", "1s",
		"--listing-labels", "tier=e2e")
	gw := startDaemon(t, "gateway", args...)
	waitReady(t, gw)

	g := &gwEnv{t: t, chain: e, agent: org.agent, provider: providerKey, org: "org-dep"}
	hash := [32]byte(crypto.Keccak256([]byte(deployManifest)))
	id := g.order("buyer-b", hash)
	wrong := g.order("buyer-b", [32]byte{9})
	buyer := e.key("buyer-b")
	login := func(id *big.Int) gwSession {
		t.Helper()
		r := gwDo(t, "POST", gw.url()+"/v1/orders/"+id.String()+"/login", ethers(t, challenge(t, gw, id), buyer), nil)
		if r.code != 200 {
			t.Fatalf("login: %d %s", r.code, r.body)
		}
		var s gwSession
		jsonOf(t, r.body, &s)
		return s
	}
	s := login(id)
	auth := bearerHdr(s.Token)
	base := gw.url() + "/v1/orders/" + id.String()

	// Before a deployment: nothing to show, no app.
	if r := gwDo(t, "GET", base+"/deployment", nil, auth); r.code != 404 || r.errCode != "not_deployed" {
		t.Fatalf("status before deploy: %d %s", r.code, r.body)
	}
	if r := gwDo(t, "GET", gw.url()+"/app/"+id.String()+"/", nil, auth); r.code != 502 || r.errCode != "app_unavailable" {
		t.Fatalf("app before deploy: %d %s", r.code, r.body)
	}

	body, _ := json.Marshal(map[string]string{"manifestUrl": manifests.URL + "/web.yaml"})
	r := gwDo(t, "PUT", base+"/deployment", body, auth)
	if r.code != 200 {
		t.Fatalf("deploy: %d %s", r.code, r.body)
	}
	var dep struct {
		Namespace  string `json:"namespace"`
		Phase      string `json:"phase"`
		Entrypoint string `json:"entrypoint"`
	}
	jsonOf(t, r.body, &dep)
	if dep.Namespace == "" || dep.Entrypoint != "web:80" {
		t.Fatalf("deployment %s", r.body)
	}
	waitFor(t, 2*time.Minute, "the deployment Ready", func() bool {
		r := gwDo(t, "GET", base+"/deployment", nil, auth)
		jsonOf(t, r.body, &dep)
		return r.code == 200 && dep.Phase == "Ready"
	})
	out := cluster.Kubectl(t, "get", "deployment,service,resourcequota,limitrange,networkpolicy", "-n", dep.Namespace, "-o", "name")
	for _, want := range []string{"deployment.apps/web", "service/web", "resourcequota/", "limitrange/", "networkpolicy.networking.k8s.io/"} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl shows no %s in %s:\n%s", want, dep.Namespace, out)
		}
	}
	if r := gwDo(t, "GET", base+"/deployment/events", nil, auth); r.code != 200 || !strings.Contains(string(r.body), `"events"`) {
		t.Errorf("events: %d %s", r.code, r.body)
	}
	// The app path now resolves the order's entrypoint Service (its
	// cluster IP): kwok's pods serve nothing, and without kube-proxy the
	// cluster IP leads wherever the machine routes it; what matters here is
	// that the entrypoint was found.
	if r := gwDo(t, "GET", gw.url()+"/app/"+id.String()+"/", nil, auth); strings.Contains(string(r.body), "has no reachable app") {
		t.Errorf("app after deploy: %d %s", r.code, r.body)
	}

	// Refusals reach the buyer with their codes.
	if r := gwDo(t, "PUT", gw.url()+"/v1/orders/"+wrong.String()+"/deployment", body, bearerHdr(login(wrong).Token)); r.code != 422 || r.errCode != "manifest_hash_mismatch" {
		t.Errorf("hash mismatch: %d %s", r.code, r.body)
	}
	meta, _ := json.Marshal(map[string]string{"manifestUrl": "http://169.254.169.254/latest/meta-data"})
	if r := gwDo(t, "PUT", base+"/deployment", meta, auth); r.code != 400 || r.errCode != "manifest_address_forbidden" {
		t.Errorf("metadata address: %d %s", r.code, r.body)
	}
	if r := gwDo(t, "PUT", base+"/deployment", body, nil); r.code != 401 || r.errCode != "session_required" {
		t.Errorf("deploy without a session: %d %s", r.code, r.body)
	}

	// The provider's signed listing reached the carrier, with the cluster's
	// capacity (the kwok node's 8 CPUs) and the Registry's terms.
	var listing struct {
		Provider   string `json:"provider"`
		Owner      string `json:"owner"`
		GatewayURL string `json:"gatewayUrl"`
		Total      struct {
			CPUMillis uint64 `json:"cpuMillis"`
		} `json:"total"`
		Labels map[string]string `json:"labels"`
		Prices map[string]string `json:"prices"`
	}
	carrierAPI := newAPIClient(t, org.carrier, org.token)
	waitFor(t, time.Minute, "the gateway's listing at the carrier", func() bool {
		code, _ := carrierAPI.do("GET", "listings/"+provider.Hex(), nil, &listing)
		return code == 200
	})
	if listing.Total.CPUMillis != 8000 || listing.Labels["tier"] != "e2e" || listing.Prices["cpuMilli"] != "2" ||
		!strings.EqualFold(listing.Provider, provider.Hex()) || listing.GatewayURL == "" || listing.Owner != owner.Hex() {
		t.Errorf("listing at the carrier: %+v", listing)
	}

	// Delete: the namespace goes.
	if r := gwDo(t, "DELETE", base+"/deployment", nil, auth); r.code != 200 {
		t.Fatalf("delete: %d %s", r.code, r.body)
	}
	waitFor(t, 2*time.Minute, "the namespace deleted", func() bool {
		return gwDo(t, "GET", base+"/deployment", nil, auth).errCode == "not_deployed"
	})
}
