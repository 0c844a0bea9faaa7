package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/test/kubetest"
)

// lifeManifest is a Deployment and its Service, a ConfigMap named cm and,
// with claim, a PersistentVolumeClaim.
func lifeManifest(cm string, claim bool) string {
	m := strings.Replace(deployManifest, "image: registry.example/web:1.0", "image: registry.example/web:"+cm, 1) +
		fmt.Sprintf("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {k: v}\n", cm)
	if claim {
		m += "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n" +
			"spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 512Mi}}}\n"
	}
	return m
}

// TestGatewayOrderLife follows an order's life on chain through the real
// gateway binary: the buyer sets a new manifest hash and deploys the new
// manifest in the same namespace (the claim kept, the old manifest then
// refused as superseded); the buyer extends the order and a renewed
// session runs past the first end; the provider's owner closes the order
// and the gateway refuses it and tears its namespace down.
func TestGatewayOrderLife(t *testing.T) {
	e := newGatewayEnv(t, "org-life")
	cluster := kubetest.Start(t, kubetest.Options{})
	v1, v2 := lifeManifest("v1", true), lifeManifest("v2", false)
	manifests := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1.yaml":
			_, _ = w.Write([]byte(v1))
		case "/v2.yaml":
			_, _ = w.Write([]byte(v2))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(manifests.Close)
	h1, h2 := [32]byte(crypto.Keccak256([]byte(v1))), [32]byte(crypto.Keccak256([]byte(v2)))
	c := e.chain
	gw := e.gateway("--owner", addressOf(c.key("deployer")).Hex(), "--kubeconfig", cluster.Kubeconfig,
		"--manifest-allow", "127.0.0.1/32", "--ingress-from-cidrs", "127.0.0.1/32", "--app-dial-timeout", "1s",
		"--reconcile-interval", "1s", "--order-cache-ttl", "2s")
	id := e.orderFor("buyer-b", h1, 180)
	base := gw.url() + "/v1/orders/" + id.String()
	r := gwDo(t, "POST", base+"/login", ethers(t, challenge(t, gw, id), c.key("buyer-b")), nil)
	if r.code != 200 {
		t.Fatalf("login: %d %s", r.code, r.body)
	}
	var s gwSession
	jsonOf(t, r.body, &s)
	auth := bearerHdr(s.Token)
	deploy := func(path string) gwResp {
		body, _ := json.Marshal(map[string]string{"manifestUrl": manifests.URL + path})
		return gwDo(t, "PUT", base+"/deployment", body, auth)
	}
	var dep struct {
		Namespace string `json:"namespace"`
		Manifest  string `json:"manifest"`
	}
	r = deploy("/v1.yaml")
	if r.code != 200 {
		t.Fatalf("deploy v1: %d %s", r.code, r.body)
	}
	jsonOf(t, r.body, &dep)
	ns := dep.Namespace
	core := cluster.Client.CoreV1()
	pvc, err := core.PersistentVolumeClaims(ns).Get(c.ctx, "data", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := deploy("/v2.yaml"); r.code != 422 || r.errCode != "manifest_hash_mismatch" {
		t.Fatalf("v2 before the update on chain: %d %s", r.code, r.body)
	}

	// The buyer sets v2's hash on chain: v2 deploys at once (the gateway
	// reads the order for a deploy), in the same namespace, keeping the
	// claim; v1 is now superseded.
	opts := c.transactor("buyer-b")
	opts.GasLimit = 300_000
	tx, err := c.market.UpdateManifest(opts, id, h2)
	e.mined("updateManifest", tx, err)
	r = deploy("/v2.yaml")
	if r.code != 200 {
		t.Fatalf("deploy v2 after the update: %d %s", r.code, r.body)
	}
	jsonOf(t, r.body, &dep)
	if dep.Namespace != ns || dep.Manifest != fmt.Sprintf("0x%x", h2) {
		t.Errorf("v2 deployed as %+v, want namespace %s and manifest 0x%x", dep, ns, h2)
	}
	if p, err := core.PersistentVolumeClaims(ns).Get(c.ctx, "data", metav1.GetOptions{}); err != nil || p.UID != pvc.UID {
		t.Errorf("the claim after v2: %v (kept: want the same UID)", err)
	}
	if _, err := core.ConfigMaps(ns).Get(c.ctx, "v1", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("v1's ConfigMap after v2: %v, want it pruned", err)
	}
	if r := deploy("/v1.yaml"); r.code != 409 || r.errCode != "manifest_superseded" {
		t.Errorf("v1 after the update: %d %s, want 409 manifest_superseded", r.code, r.body)
	}
	if r := deploy("/v2.yaml"); r.code != 200 {
		t.Errorf("v2 again: %d %s", r.code, r.body)
	}

	// The buyer extends the order by an hour: the session was capped at
	// the first end; a renewal runs past it.
	opts = c.transactor("buyer-b")
	opts.GasLimit = 300_000
	tx, err = c.market.Extend(opts, id, 3600)
	e.mined("extend", tx, err)
	r = gwDo(t, "POST", gw.url()+"/v1/session/renew", nil, auth)
	if r.code != 200 {
		t.Fatalf("renew after the extension: %d %s", r.code, r.body)
	}
	var renewed gwSession
	jsonOf(t, r.body, &renewed)
	if !renewed.Expires.After(s.Expires.Add(5 * time.Minute)) {
		t.Errorf("renewed after the extension: expires %s, the first session (capped at the first end) %s", renewed.Expires, s.Expires)
	}
	auth = bearerHdr(renewed.Token)

	// The provider's owner closes the order: refused, torn down.
	opts = c.transactor("deployer")
	opts.GasLimit = 300_000
	tx, err = c.market.Close(opts, id)
	e.mined("close", tx, err)
	waitFor(t, 30*time.Second, "the closed order refused at the app path", func() bool {
		return gwDo(t, "GET", gw.url()+"/app/"+id.String()+"/", nil, auth).errCode == "order_closed"
	})
	if r := deploy("/v2.yaml"); r.code != 403 || r.errCode != "order_closed" {
		t.Errorf("deploy of a closed order: %d %s", r.code, r.body)
	}
	// Without a namespace controller the namespace stays Terminating: its
	// deletion is the teardown.
	waitFor(t, 30*time.Second, "the closed order's namespace deleted", func() bool {
		n, err := core.Namespaces().Get(c.ctx, ns, metav1.GetOptions{})
		return apierrors.IsNotFound(err) || err == nil && n.DeletionTimestamp != nil
	})
	if l := gw.log(); !strings.Contains(l, `"reason":"closed"`) && !strings.Contains(l, "reason=closed") {
		t.Errorf("the gateway's log does not show the teardown of the closed order")
	}
}
