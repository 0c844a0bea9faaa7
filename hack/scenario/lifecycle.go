package scenario

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// lifecycleClass is the storage class of the volume the lifecycle flow's
// app keeps its data on: a PersistentVolume the flow creates on the local
// node (it has no provisioner).
const lifecycleClass = "gridnode-lifecycle"

// volumeManifest is the demo app with its data on a claim, version v: the
// update changes the pod template (an environment variable), so that the
// Deployment rolls out a new pod on the same claim.
func volumeManifest(demo []byte, v string) []byte {
	claim := `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  storageClassName: ` + lifecycleClass + `
  resources:
    requests:
      storage: 64Mi
---
`
	m := strings.Replace(string(demo), `          args: ["-addr=:8080"]`, `          args: ["-addr=:8080", "-data=/data"]
          env:
            - name: GRIDNODE_MANIFEST_VERSION
              value: "`+v+`"
          volumeMounts:
            - name: data
              mountPath: /data`, 1)
	m = strings.Replace(m, `      automountServiceAccountToken: false`, `      automountServiceAccountToken: false
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: data`, 1)
	m = strings.Replace(m, "spec:\n  replicas: 1\n", "spec:\n  replicas: 1\n  strategy:\n    type: Recreate\n", 1)
	return []byte(claim + m)
}

// serveFiles serves each body at /<name> on a loopback port until Close and
// returns the base URL.
func (s *Stack) serveFiles(files map[string][]byte) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, ok := files[strings.TrimPrefix(r.URL.Path, "/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/yaml")
			_, _ = w.Write(b)
		}),
	}
	go func() { _ = srv.Serve(l) }()
	s.onClose(func() { _ = srv.Close() })
	return "http://" + l.Addr().String(), nil
}

// LifecycleResult is what RunLifecycle measured.
type LifecycleResult struct {
	OrderID            uint64
	Namespace          string
	EndBefore, EndNow  uint64
	Paid, Refund       *big.Int
	KeptValue, AppPath string
}

// RunLifecycle walks an order's whole life on chain with the app on a
// volume: B orders the app (v1) and writes a value into its volume; B
// updates the order's manifest on chain to v2 and the gateway rolls it out
// in the same namespace, the value still there and the app at the same
// URL; B extends the order, both carriers see the new end and the app keeps
// answering without a redeploy; A, the provider's owner, closes the order early: A is
// paid for the time served, B refunded the rest, and the gateway tears the
// namespace down. It needs the local node (Options without Kubeconfig).
func (m *Market) RunLifecycle(ctx context.Context) (LifecycleResult, error) {
	if m.Node == nil {
		return LifecycleResult{}, fmt.Errorf("the lifecycle flow needs the local Kubernetes node")
	}
	a, b, err := m.clients()
	if err != nil {
		return LifecycleResult{}, err
	}
	n := m.Stack.r

	n.Step("org A offers storage: a PersistentVolume of class " + lifecycleClass + " on the node")
	pvDir, err := m.lifecycleVolume(ctx)
	if err != nil {
		return LifecycleResult{}, err
	}
	n.OK("PersistentVolume %s (hostPath %s, 256Mi)", lifecycleClass, pvDir)

	v1, v2 := volumeManifest(m.Manifest, "v1"), volumeManifest(m.Manifest, "v2")
	base, err := m.Stack.serveFiles(map[string][]byte{"app-v1.yaml": v1, "app-v2.yaml": v2})
	if err != nil {
		return LifecycleResult{}, err
	}
	url1, url2 := base+"/app-v1.yaml", base+"/app-v2.yaml"
	hash2 := crypto.Keccak256Hash(v2)
	m.ManifestURL, m.ManifestHash = url1, crypto.Keccak256Hash(v1)
	o, err := m.Buy(ctx)
	if err != nil {
		return LifecycleResult{}, err
	}
	id := strconv.FormatUint(o.ID, 10)
	res := LifecycleResult{OrderID: o.ID, EndBefore: o.End}

	gw, err := stepLogin(ctx, n, m.A.ViaURL, m.Provider, o.ID, m.B.WalletKey, m.Chain.Info.ChainID)
	if err != nil {
		return res, fmt.Errorf("logging in at org A's gateway: %w", err)
	}
	if res.Namespace, err = stepDeploy(ctx, n, gw, m.Node, o.ID, url1); err != nil {
		return res, fmt.Errorf("deploying v1: %w", err)
	}
	res.AppPath = gw.App

	n.Step("org B's app writes a value into its volume")
	res.KeptValue = "written by v1 at " + time.Now().UTC().Format(time.RFC3339Nano)
	if err := m.appData(ctx, gw, "PUT", res.KeptValue); err != nil {
		return res, err
	}
	pod1, err := m.appPod(ctx, res.Namespace)
	if err != nil {
		return res, err
	}
	n.OK("PUT %sdata/kept: %q (pod %s)", gw.App, res.KeptValue, pod1)

	n.Step(fmt.Sprintf("org B's carrier updates order %d's manifest on chain to v2 (%s) and rolls it out at org A's gateway", o.ID, hash2.Hex()))
	var upd struct {
		Intent  Intent              `json:"intent"`
		Rollout *carrierapi.Rollout `json:"rollout"`
	}
	if err := b.Do(ctx, "POST", "orders/"+id+"/manifest", carrierapi.ManifestRequest{ManifestURL: url2, Operation: "lifecycle-manifest"}, &upd); err != nil {
		return res, err
	}
	switch {
	case upd.Rollout == nil:
		n.OK("no rollout in the carrier's answer (the update was not mined within its wait); the buyer deploys it below")
	case upd.Rollout.Error != "":
		return res, fmt.Errorf("the carrier's rollout of v2: %s", upd.Rollout.Error)
	default:
		n.OK("the carrier rolled v2 out at %s: namespace %s, phase %s", upd.Rollout.GatewayBase, upd.Rollout.Namespace, upd.Rollout.Phase)
	}
	if err := waitConfirmed(ctx, b, upd.Intent.Key); err != nil {
		return res, err
	}
	view, err := m.Chain.Market.GetOrder(&bind.CallOpts{Context: ctx}, new(big.Int).SetUint64(o.ID))
	if err != nil {
		return res, err
	}
	if common.Hash(view.ManifestHash) != hash2 {
		return res, fmt.Errorf("Market.getOrder(%d).manifestHash = %x after the update, want %s", o.ID, view.ManifestHash, hash2.Hex())
	}
	n.OK("manifest update %s confirmed; the order's hash on chain is %s", upd.Intent.Key, hash2.Hex())
	ns2, err := stepDeploy(ctx, n, gw, m.Node, o.ID, url2)
	if err != nil {
		return res, fmt.Errorf("deploying v2: %w", err)
	}
	if ns2 != res.Namespace {
		return res, fmt.Errorf("v2 went into namespace %s, v1 is in %s", ns2, res.Namespace)
	}
	pod2, err := m.appPod(ctx, res.Namespace)
	if err != nil {
		return res, err
	}
	if pod2 == pod1 {
		return res, fmt.Errorf("the app still runs in pod %s after the update: no rollout", pod1)
	}
	got, err := m.appGet(ctx, gw)
	if err != nil {
		return res, err
	}
	if got != res.KeptValue {
		return res, fmt.Errorf("after the update the volume holds %q, want %q", got, res.KeptValue)
	}
	n.OK("v2 runs in pod %s (was %s) in the same namespace %s, at the same path %s; the volume still holds %q", pod2, pod1, ns2, gw.App, got)
	// The old manifest is no longer accepted for the order.
	err = gw.Do(ctx, "PUT", "/orders/"+id+"/deployment", map[string]any{"manifestUrl": url1}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "manifest_superseded" {
		return res, fmt.Errorf("deploying the old manifest v1 after the update: %v, want manifest_superseded", err)
	}
	n.OK("the old manifest v1 is refused now: %s", ae.Code)

	n.Step(fmt.Sprintf("org B extends order %d by %d s", o.ID, extendSecs))
	var ext struct {
		Intent Intent `json:"intent"`
	}
	if err := b.Do(ctx, "POST", "orders/"+id+"/extend", carrierapi.ExtendRequest{Duration: extendSecs, Operation: "lifecycle-extend"}, &ext); err != nil {
		return res, err
	}
	if err := waitConfirmed(ctx, b, ext.Intent.Key); err != nil {
		return res, err
	}
	if view, err = m.Chain.Market.GetOrder(&bind.CallOpts{Context: ctx}, new(big.Int).SetUint64(o.ID)); err != nil {
		return res, err
	}
	res.EndNow = view.End
	if res.EndNow != o.End+extendSecs {
		return res, fmt.Errorf("order %d ends at %d after the extension, want %d + %d", o.ID, res.EndNow, o.End, extendSecs)
	}
	var seen carrierapi.OrderInfo
	err = waitUntil(ctx, waitChain, "org A to see the extension", func(ctx context.Context) (bool, error) {
		if err := a.Do(ctx, "GET", "orders/"+id, nil, &seen); err != nil {
			return false, err
		}
		return seen.End == res.EndNow, fmt.Errorf("org A sees end %d", seen.End)
	})
	if err != nil {
		return res, err
	}
	if got, err := m.appGet(ctx, gw); err != nil || got != res.KeptValue {
		return res, fmt.Errorf("the app after the extension: %q, %v", got, err)
	}
	if pod3, err := m.appPod(ctx, res.Namespace); err != nil || pod3 != pod2 {
		return res, fmt.Errorf("after the extension the app runs in pod %q (%v), want the same pod %s", pod3, err, pod2)
	}
	n.OK("end %d → %d on chain and at org A's carrier; the app still answers from pod %s, not redeployed", o.End, res.EndNow, pod2)

	n.Step(fmt.Sprintf("org A, the provider's owner, closes order %d early", o.ID))
	creditA0, err := m.Chain.Credit(ctx, m.A.Wallet)
	if err != nil {
		return res, err
	}
	creditB0, err := m.Chain.Credit(ctx, m.B.Wallet)
	if err != nil {
		return res, err
	}
	var cl struct {
		Intent Intent `json:"intent"`
	}
	if err := a.Do(ctx, "POST", "orders/"+id+"/close", nil, &cl); err != nil {
		return res, err
	}
	if err := waitConfirmed(ctx, a, cl.Intent.Key); err != nil {
		return res, err
	}
	var in Intent
	if err := a.Do(ctx, "GET", "txs/"+cl.Intent.Key, nil, &in); err != nil {
		return res, err
	}
	head, err := m.Chain.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(in.Block))
	if err != nil {
		return res, err
	}
	escrow := view.Escrow
	rate := new(big.Int).Div(escrow, new(big.Int).SetUint64(res.EndNow-o.Start))
	res.Paid = new(big.Int).Mul(rate, new(big.Int).SetUint64(head.Time-o.Start))
	res.Refund = new(big.Int).Sub(escrow, res.Paid)
	creditA, err := m.Chain.Credit(ctx, m.A.Wallet)
	if err != nil {
		return res, err
	}
	creditB, err := m.Chain.Credit(ctx, m.B.Wallet)
	if err != nil {
		return res, err
	}
	if want := new(big.Int).Add(creditA0, res.Paid); creditA.Cmp(want) != 0 {
		return res, fmt.Errorf("org A's credit = %s after the close, want %s + %s", creditA, creditA0, res.Paid)
	}
	if want := new(big.Int).Add(creditB0, res.Refund); creditB.Cmp(want) != 0 {
		return res, fmt.Errorf("org B's credit = %s after the close, want %s + %s", creditB, creditB0, res.Refund)
	}
	err = waitUntil(ctx, waitChain, "org B to see the close", func(ctx context.Context) (bool, error) {
		if err := b.Do(ctx, "GET", "orders/"+id, nil, &seen); err != nil {
			return false, err
		}
		return seen.State == "closed", fmt.Errorf("order is %s at org B", seen.State)
	})
	if err != nil {
		return res, err
	}
	n.OK("close %s in block %d: %d s served of %d at %s base units/s; org A paid %s, org B refunded %s; org B sees it closed",
		cl.Intent.Key, in.Block, head.Time-o.Start, res.EndNow-o.Start, rate, res.Paid, res.Refund)
	if err := stepTeardown(ctx, n, m.Node, res.Namespace); err != nil {
		return res, fmt.Errorf("tearing the closed order down: %w", err)
	}
	return res, nil
}

// extendSecs is how much RunLifecycle extends its order by.
const extendSecs = 300

// lifecycleVolume creates the PersistentVolume the lifecycle app's claim
// binds (a host directory the pod's user may write) and deletes it at
// Close.
func (m *Market) lifecycleVolume(ctx context.Context) (string, error) {
	dir := filepath.Join(m.Stack.Env.Dir, "lifecycle-volume")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o777); err != nil { // the app runs as 65532
		return "", err
	}
	hostPathType := corev1.HostPathDirectory
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: lifecycleClass},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("256Mi")},
			AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			StorageClassName:              lifecycleClass,
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: dir, Type: &hostPathType},
			},
		},
	}
	cs := m.Node.Client.CoreV1().PersistentVolumes()
	if err := cs.Delete(ctx, pv.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return "", fmt.Errorf("deleting an old PersistentVolume %s: %w", pv.Name, err)
	}
	if err := waitUntil(ctx, time.Minute, "the old PersistentVolume to go", func(ctx context.Context) (bool, error) {
		_, err := cs.Get(ctx, pv.Name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), err
	}); err != nil {
		return "", err
	}
	if _, err := cs.Create(ctx, pv, metav1.CreateOptions{}); err != nil {
		return "", fmt.Errorf("creating PersistentVolume %s: %w", pv.Name, err)
	}
	m.Stack.onClose(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = cs.Delete(ctx, pv.Name, metav1.DeleteOptions{})
	})
	return dir, nil
}

// appPod is the name of the app's running, ready pod in ns (one only).
func (m *Market) appPod(ctx context.Context, ns string) (string, error) {
	var name string
	err := waitUntil(ctx, waitDeploy, "one ready app pod in "+ns, func(ctx context.Context) (bool, error) {
		pods, err := m.Node.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err
		}
		var ready []string
		for _, p := range pods.Items {
			if p.DeletionTimestamp != nil {
				return false, fmt.Errorf("pod %s is terminating", p.Name)
			}
			for _, c := range p.Status.Conditions {
				if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
					ready = append(ready, p.Name)
				}
			}
		}
		if len(ready) != 1 || len(pods.Items) != 1 {
			return false, fmt.Errorf("%d pods, ready %v", len(pods.Items), ready)
		}
		name = ready[0]
		return true, nil
	})
	return name, err
}

// appData PUTs value as the app's "kept" value through the gateway.
func (m *Market) appData(ctx context.Context, gw *Gateway, method, value string) error {
	_, err := m.appCall(ctx, gw, method, value)
	return err
}

// appGet reads the app's "kept" value through the gateway.
func (m *Market) appGet(ctx context.Context, gw *Gateway) (string, error) {
	return m.appCall(ctx, gw, "GET", "")
}

// appCall calls the app's /data/kept through org A's via with the session,
// retrying while the app's Service does not route yet.
func (m *Market) appCall(ctx context.Context, gw *Gateway, method, body string) (string, error) {
	url := gw.Via + gw.App + "data/kept"
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var out string
	err := waitUntil(ctx, time.Minute, method+" "+url, func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader([]byte(body)))
		if err != nil {
			return false, err
		}
		req.Header.Set("Authorization", "Bearer "+gw.Token)
		resp, err := hc.Do(req)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		want := http.StatusOK
		if method == "PUT" {
			want = http.StatusNoContent
		}
		if resp.StatusCode != want {
			return false, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, data)
		}
		out = string(data)
		return true, nil
	})
	return out, err
}
