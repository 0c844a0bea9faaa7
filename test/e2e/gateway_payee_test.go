package e2e

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/test/kubetest"
)

// TestGatewayPayee runs two gateway binaries of one provider (one Consul,
// so one nonce store and one session key) configured with two
// organizations (--owner): the provider is registered to the chain's
// deployer, an order is placed, the provider is transferred to a new owner
// and a second order is placed. Each order pays the owner of its time; each
// gateway serves only the orders that pay its organization and refuses the
// other at the challenge, the login, the deploy and the app path with
// order_wrong_payee.
func TestGatewayPayee(t *testing.T) {
	e := newGatewayEnv(t, "org-payee")
	cluster := kubetest.Start(t, kubetest.Options{})
	manifests := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(deployManifest))
	}))
	t.Cleanup(manifests.Close)
	hash := [32]byte(crypto.Keccak256([]byte(deployManifest)))
	c := e.chain
	firstOwner := addressOf(c.key("deployer"))
	newOwnerKey, _ := crypto.GenerateKey()
	newOwner := addressOf(newOwnerKey)

	oldOrder := e.order("buyer-b", hash) // pays the first owner
	reg, err := registry.NewRegistry(c.info.Contracts.Registry, c.client)
	if err != nil {
		t.Fatal(err)
	}
	opts := c.transactor("deployer")
	opts.GasLimit = 500_000
	tx, err := reg.Transfer(opts, addressOf(e.provider), newOwner, providerProof(t, c, reg, e.provider, newOwner))
	e.mined("transfer", tx, err)
	newOrder := e.order("buyer-b", hash) // pays the new owner

	kube := []string{"--kubeconfig", cluster.Kubeconfig, "--manifest-allow", "127.0.0.1/32",
		"--ingress-from-cidrs", "127.0.0.1/32", "--app-dial-timeout", "1s"}
	gwFirst := e.gateway(append([]string{"--owner", firstOwner.Hex()}, kube...)...)
	gwNew := e.gateway(append([]string{"--owner", newOwner.Hex()}, kube...)...)
	buyer := c.key("buyer-b")
	body, _ := json.Marshal(map[string]string{"manifestUrl": manifests.URL + "/web.yaml"})

	wrongPayee := func(what string, r gwResp, payee, owner string) {
		t.Helper()
		if r.code != 403 || r.errCode != "order_wrong_payee" || !strings.Contains(string(r.body), "pays "+payee) ||
			!strings.Contains(string(r.body), "organization is "+owner) {
			t.Errorf("%s: %d %s, want 403 order_wrong_payee naming %s and %s", what, r.code, r.body, payee, owner)
		}
	}
	for _, tc := range []struct {
		name       string
		serves     *daemon
		refuses    *daemon
		order      string
		payee, not string
	}{
		{"order paying the first owner", gwFirst, gwNew, oldOrder.String(), firstOwner.Hex(), newOwner.Hex()},
		{"order paying the new owner", gwNew, gwFirst, newOrder.String(), newOwner.Hex(), firstOwner.Hex()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := "/v1/orders/" + tc.order
			// The challenge: refused by the other organization's gateway.
			wrongPayee("challenge", gwDo(t, "POST", tc.refuses.url()+base+"/challenge", nil, nil), tc.payee, tc.not)
			// A challenge of the payee's gateway, signed by the buyer with
			// ethers: refused at the other's login, then accepted at the
			// payee's (the refusal spent nothing).
			id, _ := new(big.Int).SetString(tc.order, 10)
			login := ethers(t, challenge(t, tc.serves, id), buyer)
			wrongPayee("login", gwDo(t, "POST", tc.refuses.url()+base+"/login", login, nil), tc.payee, tc.not)
			r := gwDo(t, "POST", tc.serves.url()+base+"/login", login, nil)
			if r.code != 200 {
				t.Fatalf("login at the payee's gateway: %d %s", r.code, r.body)
			}
			var s gwSession
			jsonOf(t, r.body, &s)
			auth := bearerHdr(s.Token)

			// The session is valid at both replicas (one session key), but
			// the other organization's gateway neither deploys nor serves
			// the order.
			wrongPayee("deploy", gwDo(t, "PUT", tc.refuses.url()+base+"/deployment", body, auth), tc.payee, tc.not)
			wrongPayee("app", gwDo(t, "GET", tc.refuses.url()+"/app/"+tc.order+"/", nil, auth), tc.payee, tc.not)
			wrongPayee("order", gwDo(t, "GET", tc.refuses.url()+base, nil, auth), tc.payee, tc.not)

			// The payee's gateway deploys it and routes its app path.
			r = gwDo(t, "PUT", tc.serves.url()+base+"/deployment", body, auth)
			if r.code != 200 {
				t.Fatalf("deploy at the payee's gateway: %d %s", r.code, r.body)
			}
			if r := gwDo(t, "GET", tc.serves.url()+"/app/"+tc.order+"/", nil, auth); r.code == 403 || r.errCode == "order_wrong_payee" {
				t.Errorf("app at the payee's gateway: %d %s", r.code, r.body)
			}
			if r := gwDo(t, "GET", tc.serves.url()+base, nil, auth); r.code != 200 || !strings.Contains(string(r.body), tc.payee) {
				t.Errorf("order at the payee's gateway: %d %s", r.code, r.body)
			}
		})
	}

	// What the operator sees: the refusals counted and logged.
	for _, gw := range []*daemon{gwFirst, gwNew} {
		m := string(gwDo(t, "GET", gw.url()+"/metrics", nil, nil).body)
		for _, want := range []string{
			`gridnode_gateway_challenges_total{result="order_wrong_payee"} 1`,
			`gridnode_gateway_logins_total{result="order_wrong_payee"} 1`,
			`gridnode_gateway_order_refusals_total{reason="order_wrong_payee",route="app"} 1`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics of %s lack %s", gw.url(), want)
			}
		}
		if !strings.Contains(gw.log(), "pays another organization") {
			t.Errorf("the log of %s does not say an order paid another organization", gw.url())
		}
	}
}
