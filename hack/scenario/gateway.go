package scenario

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/gorilla/websocket"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/test/kubenode"
)

func metav1ListOptions() metav1.ListOptions { return metav1.ListOptions{} }

// Gateway is a logged-in client of a provider's gateway through its org's
// via.
type Gateway struct {
	*Client
	Via string // the via's base URL
	App string // the order's app path under the via, e.g. /gw/0x…/app/42/
}

// stepLogin logs in at the provider's gateway through the seller's via: it
// asks for an EIP-712 challenge for the order, signs it with the buyer's
// key (as eth_signTypedData_v4 would) and gets a session for the order.
func stepLogin(ctx context.Context, n Reporter, via string, provider common.Address, order uint64, buyer *ecdsa.PrivateKey, chainID uint64) (*Gateway, error) {
	n.Step(fmt.Sprintf("org B logs in at org A's gateway, through org A's via, with the key of order %d's buyer", order))
	gw := &Gateway{Client: &Client{Base: via + "/gw/" + provider.Hex() + "/v1", HTTP: &http.Client{Timeout: time.Minute}}, Via: via}
	id := strconv.FormatUint(order, 10)
	var ch struct {
		TypedData apitypes.TypedData `json:"typedData"`
		Nonce     string             `json:"nonce"`
		Expires   int64              `json:"expires"`
	}
	if err := gw.Do(ctx, "POST", "/orders/"+id+"/challenge", map[string]any{}, &ch); err != nil {
		return nil, err
	}
	if got := ch.TypedData.Domain.ChainId; got == nil || (*big.Int)(got).Uint64() != chainID {
		return nil, fmt.Errorf("challenge for chain %v, want %d", got, chainID)
	}
	n.OK("EIP-712 challenge: domain %q v%s, chain %d, verifying contract %s; gateway %v, order %v, nonce %s…, expires %s",
		ch.TypedData.Domain.Name, ch.TypedData.Domain.Version, chainID, ch.TypedData.Domain.VerifyingContract,
		ch.TypedData.Message["gateway"], ch.TypedData.Message["orderId"], ch.Nonce[:10], time.Unix(ch.Expires, 0).UTC().Format(time.RFC3339))
	digest, _, err := apitypes.TypedDataAndHash(ch.TypedData)
	if err != nil {
		return nil, fmt.Errorf("hashing the challenge: %w", err)
	}
	sig, err := crypto.Sign(digest, buyer)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	var s struct {
		Token   string    `json:"token"`
		Expires time.Time `json:"expires"`
		Buyer   string    `json:"buyer"`
		App     string    `json:"app"`
	}
	if err := gw.Do(ctx, "POST", "/orders/"+id+"/login", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": hexutil.Encode(sig)}, &s); err != nil {
		return nil, err
	}
	if !strings.EqualFold(s.Buyer, crypto.PubkeyToAddress(buyer.PublicKey).Hex()) || s.Token == "" || s.App == "" {
		return nil, fmt.Errorf("login answered buyer %q app %q (token set: %t)", s.Buyer, s.App, s.Token != "")
	}
	gw.Token, gw.App = s.Token, s.App
	// The same signature cannot log in twice.
	err = gw.Do(ctx, "POST", "/orders/"+id+"/login", map[string]any{"nonce": ch.Nonce, "expires": ch.Expires, "signature": hexutil.Encode(sig)}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "challenge_replayed" {
		return nil, fmt.Errorf("replaying the login: %v, want challenge_replayed", err)
	}
	n.OK("signed by %s: session for order %d until %s; a replay of the signature is refused (challenge_replayed)", s.Buyer, order, s.Expires.UTC().Format(time.RFC3339))
	return gw, nil
}

// Deployment is the gateway's view of a deployment.
type Deployment struct {
	Namespace  string `json:"namespace"`
	Manifest   string `json:"manifest"`
	Phase      string `json:"phase"`
	Message    string `json:"message"`
	Entrypoint string `json:"entrypoint"`
	Objects    []struct {
		Kind  string `json:"kind"`
		Name  string `json:"name"`
		Ready bool   `json:"ready"`
	} `json:"objects"`
}

// stepDeploy deploys the order's manifest by URL and waits until it is
// Ready; it checks the namespace's objects in the cluster.
func stepDeploy(ctx context.Context, n Reporter, gw *Gateway, node *kubenode.Node, order uint64, manifestURL string) (string, error) {
	n.Step(fmt.Sprintf("org B deploys the demo manifest from %s for order %d", manifestURL, order))
	path := "/orders/" + strconv.FormatUint(order, 10) + "/deployment"
	var d Deployment
	if err := gw.Do(ctx, "PUT", path, map[string]any{"manifestUrl": manifestURL}, &d); err != nil {
		return "", err
	}
	n.OK("applied into namespace %s (manifest %s), phase %s", d.Namespace, d.Manifest, d.Phase)
	err := waitUntil(ctx, waitDeploy, "the deployment to be Ready", func(ctx context.Context) (bool, error) {
		if err := gw.Do(ctx, "GET", path, nil, &d); err != nil {
			return false, err
		}
		if d.Phase == "Failed" {
			return false, fmt.Errorf("deployment failed: %s", d.Message)
		}
		return d.Phase == "Ready", fmt.Errorf("phase %s: %s", d.Phase, d.Message)
	})
	if err != nil {
		return "", err
	}
	for _, o := range d.Objects {
		n.OK("%s/%s ready=%t", o.Kind, o.Name, o.Ready)
	}
	ns, err := node.Client.CoreV1().Namespaces().Get(ctx, d.Namespace, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("namespace %s: %w", d.Namespace, err)
	}
	if ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		return "", fmt.Errorf("namespace %s labels %v: no restricted Pod Security enforcement", d.Namespace, ns.Labels)
	}
	qs, err := node.Client.CoreV1().ResourceQuotas(d.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil || len(qs.Items) == 0 {
		return "", fmt.Errorf("resource quotas in %s: %v (%d)", d.Namespace, err, len(qs.Items))
	}
	lrs, err := node.Client.CoreV1().LimitRanges(d.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil || len(lrs.Items) == 0 {
		return "", fmt.Errorf("limit ranges in %s: %v (%d)", d.Namespace, err, len(lrs.Items))
	}
	nps, err := node.Client.NetworkingV1().NetworkPolicies(d.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil || len(nps.Items) == 0 {
		return "", fmt.Errorf("network policies in %s: %v (%d)", d.Namespace, err, len(nps.Items))
	}
	dep, err := node.Client.AppsV1().Deployments(d.Namespace).Get(ctx, "demoapp", metav1.GetOptions{})
	if err != nil || dep.Status.ReadyReplicas < 1 {
		return "", fmt.Errorf("deployment demoapp in %s: %w", d.Namespace, err)
	}
	hard := qs.Items[0].Spec.Hard
	n.OK("in the cluster: namespace %s (enforce=restricted), quota cpu %s memory %s, %d limit range(s), %d network polic(ies), demoapp %d/%d ready; entrypoint %s",
		d.Namespace, hard.Name("limits.cpu", "0"), hard.Name("limits.memory", "0"), len(lrs.Items), len(nps.Items), dep.Status.ReadyReplicas, *dep.Spec.Replicas, d.Entrypoint)
	return d.Namespace, nil
}

// stepApp calls the app through the seller's via: an HTTP request and a
// WebSocket echo, with the session token.
func stepApp(ctx context.Context, n Reporter, gw *Gateway, order uint64) error {
	n.Step("the app answers through org A's via: an HTTP call and a WebSocket echo")
	url := gw.Via + gw.App
	var body struct {
		Hostname string `json:"hostname"`
	}
	// Right after Ready the Service may not route yet (kube-proxy writes
	// its rules a moment later): retry on fresh connections.
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var status int
	err := waitUntil(ctx, time.Minute, "the app's answer", func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
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
		status = resp.StatusCode
		if resp.StatusCode != http.StatusOK {
			return false, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, data)
		}
		return json.Unmarshal(data, &body) == nil && body.Hostname != "", fmt.Errorf("answer %.300s", data)
	})
	if err != nil {
		return err
	}
	n.OK("GET %s → %d from pod %s", url, status, body.Hostname)

	wsURL := "ws" + strings.TrimPrefix(url, "http") + "ws"
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	c, resp, err := d.DialContext(ctx, wsURL, http.Header{"Authorization": {"Bearer " + gw.Token}})
	if err != nil {
		st := 0
		if resp != nil {
			st = resp.StatusCode
		}
		return fmt.Errorf("WebSocket %s: %v (HTTP %d)", wsURL, err, st)
	}
	defer c.Close()
	msg := fmt.Sprintf("hello from org B, order %d", order)
	_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, got, err := c.ReadMessage()
	if err != nil {
		return fmt.Errorf("reading the echo: %w", err)
	}
	if !strings.Contains(string(got), msg) {
		return fmt.Errorf("WebSocket echo %q, want %q", got, msg)
	}
	n.OK("WebSocket %s echoed %q", wsURL, got)

	// Without a session the app is not reachable.
	resp2, err := hc.Get(url)
	if err != nil {
		return err
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusUnauthorized {
		return fmt.Errorf("GET %s without a session = %d, want 401", url, resp2.StatusCode)
	}
	n.OK("without the session: %d", resp2.StatusCode)
	return nil
}

// stepTeardown waits until the gateway's reconcile loop has deleted the
// order's namespace, which it does once the chain says the order is over.
func stepTeardown(ctx context.Context, n Reporter, node *kubenode.Node, ns string) error {
	n.Step(fmt.Sprintf("org A's gateway sees the order is over on chain and deletes namespace %s", ns))
	err := waitUntil(ctx, waitDeploy, "namespace "+ns+" to be deleted", func(ctx context.Context) (bool, error) {
		got, err := node.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return false, fmt.Errorf("namespace is %s", got.Status.Phase)
	})
	if err != nil {
		return err
	}
	n.OK("namespace %s is gone", ns)
	return nil
}
