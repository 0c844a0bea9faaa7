package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/test/consultest"
)

// gwEnv is an organization with a devnet chain, a Consul agent holding the
// chain settings, a registered provider and gateway processes of it.
type gwEnv struct {
	t        *testing.T
	chain    *chainEnv
	agent    *consultest.Agent
	provider *ecdsa.PrivateKey
	keyArgs  []string
	org      string
}

func newGatewayEnv(t *testing.T, org string) *gwEnv {
	t.Helper()
	e := &gwEnv{t: t, chain: startDevnet(t), agent: consultest.Start(t), org: org}
	e.provider, _ = crypto.GenerateKey()
	registerProvider(t, e.chain, e.provider)
	e.keyArgs = gatewayKeystore(t, e.provider)
	// The gateways find the chain where the carrier publishes it: the
	// organization's settings in Consul KV.
	kv := e.agent.Client().KV()
	for k, v := range map[string]string{
		"chain-rpc":        e.chain.info.RPC.HTTP,
		"contracts/market": e.chain.info.Contracts.Market.Hex(),
	} {
		if _, err := kv.Put(&api.KVPair{Key: "gridnode/" + org + "/settings/" + k, Value: []byte(v)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// gateway starts a replica of the provider's gateway and waits until it
// is ready (chain read, session key and revocations loaded).
func (e *gwEnv) gateway(extra ...string) *daemon {
	e.t.Helper()
	args := append(daemonArgs("gateway", e.agent, e.org), e.keyArgs...)
	d := startDaemon(e.t, "gateway", append(args, extra...)...)
	waitReady(e.t, d)
	return d
}

// order has buyer (a devnet account name) order from the provider for an
// hour with manifestHash, and returns the order id.
func (e *gwEnv) order(buyer string, manifestHash [32]byte) *big.Int {
	return e.orderFor(buyer, manifestHash, 3600)
}

// orderFor is order for seconds.
func (e *gwEnv) orderFor(buyer string, manifestHash [32]byte, seconds uint64) *big.Int {
	t := e.t
	t.Helper()
	c := e.chain
	opts := c.transactor(buyer)
	opts.GasLimit = 500_000
	if c.credit(opts.From).Sign() == 0 {
		amount := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
		tx, err := c.token.Approve(opts, c.info.Contracts.Market, amount)
		e.mined("approve", tx, err)
		opts = c.transactor(buyer)
		opts.GasLimit = 500_000
		tx, err = c.market.Deposit(opts, amount)
		e.mined("deposit", tx, err)
		opts = c.transactor(buyer)
		opts.GasLimit = 500_000
	}
	tx, err := c.market.CreateOrder(opts, addressOf(e.provider),
		market.MarketResources{CpuMillis: 1000, MemoryBytes: 512 << 20, StorageBytes: 1 << 30}, seconds, manifestHash, devchaintest.NoMax)
	r := e.mined("createOrder", tx, err)
	for _, l := range r.Logs {
		if ev, err := c.market.ParseOrderCreated(*l); err == nil {
			return ev.Id
		}
	}
	t.Fatal("createOrder: no OrderCreated event")
	return nil
}

func (e *gwEnv) mined(what string, tx *types.Transaction, err error) *types.Receipt {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
	var r *types.Receipt
	waitFor(e.t, time.Minute, what+" mined", func() bool {
		var err error
		r, err = e.chain.client.TransactionReceipt(e.chain.ctx, tx.Hash())
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			e.t.Fatal(err)
		}
		return err == nil
	})
	if r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("%s reverted", what)
	}
	return r
}

func (e *gwEnv) cancel(buyer string, id *big.Int) {
	e.t.Helper()
	opts := e.chain.transactor(buyer)
	opts.GasLimit = 300_000
	tx, err := e.chain.market.Cancel(opts, id)
	e.mined("cancel", tx, err)
}

// gwResp is a gateway answer.
type gwResp struct {
	code    int
	header  http.Header
	body    []byte
	errCode string
}

func gwDo(t *testing.T, method, url string, body []byte, hdr http.Header) gwResp {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(b, &e)
	return gwResp{code: resp.StatusCode, header: resp.Header, body: b, errCode: e.Error.Code}
}

func bearerHdr(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// ethers signs the challenge with key using ethers.js in Node
// (test/ethers/sign-challenge.mjs) and returns the login body.
func ethers(t *testing.T, challenge []byte, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	dir, err := filepath.Abs("../ethers")
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v (Node.js is a prerequisite; hack/setup npm installs ethers)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ethers")); err != nil {
		t.Fatalf("ethers is not installed: run hack/setup npm")
	}
	keyFile := filepath.Join(t.TempDir(), "buyer.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "sign-challenge.mjs"))
	cmd.Stdin = bytes.NewReader(challenge)
	cmd.Env = append(os.Environ(), "BUYER_KEY_FILE="+keyFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ethers: %v\n%s", err, stderr.String())
	}
	return out
}

type gwSession struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	OrderID string    `json:"orderId"`
	Buyer   string    `json:"buyer"`
	Cookie  string    `json:"cookie"`
	App     string    `json:"app"`
}

// challenge asks gw for a challenge of order id.
func challenge(t *testing.T, gw *daemon, id *big.Int) []byte {
	t.Helper()
	r := gwDo(t, "POST", gw.url()+"/v1/orders/"+id.String()+"/challenge", nil, nil)
	if r.code != 200 {
		t.Fatalf("challenge: %d %s", r.code, r.body)
	}
	return r.body
}

// TestGatewayAuth runs the login against two replicas of one provider's
// gateway (real binaries) sharing one Consul, on the devnet, with
// signatures made by ethers.js.
func TestGatewayAuth(t *testing.T) {
	e := newGatewayEnv(t, "org-gw")
	a, b := e.gateway(), e.gateway()
	buyer, other := e.chain.key("buyer-b"), e.chain.key("buyer-a")
	o1 := e.order("buyer-b", [32]byte{1})
	o2 := e.order("buyer-b", [32]byte{2})
	id1 := o1.String()

	// A challenge from replica A, signed by ethers, logs in at replica B.
	body := ethers(t, challenge(t, a, o1), buyer)
	r := gwDo(t, "POST", b.url()+"/v1/orders/"+id1+"/login", body, nil)
	if r.code != 200 {
		t.Fatalf("login with ethers' signature: %d %s", r.code, r.body)
	}
	var s gwSession
	jsonOf(t, r.body, &s)
	if s.OrderID != id1 || !strings.EqualFold(s.Buyer, addressOf(buyer).Hex()) || s.Token == "" {
		t.Fatalf("session %s", r.body)
	}
	setCookie := r.header.Get("Set-Cookie")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") || !strings.HasPrefix(setCookie, s.Cookie+"=") {
		t.Errorf("Set-Cookie %q", setCookie)
	}

	// The session from B is honoured by A, as a bearer token and a cookie.
	for _, gw := range []*daemon{a, b} {
		if r := gwDo(t, "GET", gw.url()+"/v1/orders/"+id1, nil, bearerHdr(s.Token)); r.code != 200 {
			t.Fatalf("order with the session at %s: %d %s", gw.url(), r.code, r.body)
		}
		if r := gwDo(t, "GET", gw.url()+"/v1/session", nil, http.Header{"Cookie": {s.Cookie + "=" + s.Token}}); r.code != 200 {
			t.Fatalf("session by cookie at %s: %d %s", gw.url(), r.code, r.body)
		}
	}

	// Refusals, each with its own code.
	t.Run("replayed", func(t *testing.T) {
		if r := gwDo(t, "POST", a.url()+"/v1/orders/"+id1+"/login", body, nil); r.code != 401 || r.errCode != "challenge_replayed" {
			t.Fatalf("%d %s", r.code, r.body)
		}
	})
	t.Run("wrong signer", func(t *testing.T) {
		body := ethers(t, challenge(t, a, o1), other)
		if r := gwDo(t, "POST", a.url()+"/v1/orders/"+id1+"/login", body, nil); r.code != 401 || r.errCode != "wrong_signer" {
			t.Fatalf("%d %s", r.code, r.body)
		}
	})
	t.Run("other order", func(t *testing.T) {
		body := ethers(t, challenge(t, a, o1), buyer)
		if r := gwDo(t, "POST", b.url()+"/v1/orders/"+o2.String()+"/login", body, nil); r.code != 401 || r.errCode != "challenge_other_order" {
			t.Fatalf("challenge of order %s at order %s: %d %s", id1, o2, r.code, r.body)
		}
		if r := gwDo(t, "GET", b.url()+"/v1/orders/"+o2.String(), nil, bearerHdr(s.Token)); r.code != 403 || r.errCode != "session_other_order" {
			t.Fatalf("session of order %s at order %s: %d %s", id1, o2, r.code, r.body)
		}
	})
	t.Run("tampered cookie", func(t *testing.T) {
		tampered := s.Token[:len(s.Token)-4] + "AAAA"
		if tampered == s.Token {
			tampered = s.Token[:len(s.Token)-4] + "BBBB"
		}
		r := gwDo(t, "GET", a.url()+"/v1/orders/"+id1, nil, http.Header{"Cookie": {s.Cookie + "=" + tampered}})
		if r.code != 401 || r.errCode != "session_invalid" {
			t.Fatalf("%d %s", r.code, r.body)
		}
	})
	t.Run("expired", func(t *testing.T) {
		// A third replica issues challenges that live one second.
		c := e.gateway("--challenge-ttl", "1s")
		ch := challenge(t, c, o1)
		body := ethers(t, ch, buyer)
		var v struct{ Expires int64 }
		jsonOf(t, ch, &v)
		for time.Now().Unix() <= v.Expires { // wait past the expiry
			time.Sleep(100 * time.Millisecond)
		}
		for _, gw := range []*daemon{c, a} {
			if r := gwDo(t, "POST", gw.url()+"/v1/orders/"+id1+"/login", body, nil); r.code != 401 || r.errCode != "challenge_expired" {
				t.Fatalf("at %s: %d %s", gw.url(), r.code, r.body)
			}
		}
	})
	t.Run("nonce single-use across replicas", func(t *testing.T) {
		body := ethers(t, challenge(t, b, o1), buyer)
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[string]int{}
		)
		for i := range 10 {
			gw := a
			if i%2 == 1 {
				gw = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := gwDo(t, "POST", gw.url()+"/v1/orders/"+id1+"/login", body, nil)
				mu.Lock()
				statuses[fmt.Sprintf("%d %s", r.code, r.errCode)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if statuses["200 "] != 1 || statuses["401 challenge_replayed"] != 9 {
			t.Fatalf("10 concurrent logins with one nonce on two replicas: %v; want 1 success and 9 replays", statuses)
		}
	})
	t.Run("logout revokes on both replicas", func(t *testing.T) {
		r := gwDo(t, "POST", a.url()+"/v1/session/logout", nil, bearerHdr(s.Token))
		if r.code != 200 {
			t.Fatalf("logout: %d %s", r.code, r.body)
		}
		if r := gwDo(t, "GET", a.url()+"/v1/orders/"+id1, nil, bearerHdr(s.Token)); r.errCode != "session_revoked" {
			t.Fatalf("at A after logout: %d %s", r.code, r.body)
		}
		waitFor(t, 20*time.Second, "B refuses the logged-out session", func() bool {
			return gwDo(t, "GET", b.url()+"/v1/orders/"+id1, nil, bearerHdr(s.Token)).errCode == "session_revoked"
		})
	})
	t.Run("cancelled order", func(t *testing.T) {
		body := ethers(t, challenge(t, a, o2), buyer)
		r := gwDo(t, "POST", a.url()+"/v1/orders/"+o2.String()+"/login", body, nil)
		if r.code != 200 {
			t.Fatalf("login: %d %s", r.code, r.body)
		}
		var s2 gwSession
		jsonOf(t, r.body, &s2)
		e.cancel("buyer-b", o2)
		waitFor(t, 30*time.Second, "the cancellation seen", func() bool {
			return gwDo(t, "GET", b.url()+"/v1/orders/"+o2.String(), nil, bearerHdr(s2.Token)).errCode == "order_cancelled"
		})
		// Each replica sees it within its order cache's TTL.
		waitFor(t, 30*time.Second, "challenges refused for the cancelled order", func() bool {
			return gwDo(t, "POST", a.url()+"/v1/orders/"+o2.String()+"/challenge", nil, nil).errCode == "order_cancelled"
		})
	})

	// What an operator sees: login results in the metrics, nothing secret
	// in the logs.
	r = gwDo(t, "GET", a.url()+"/metrics", nil, nil)
	for _, want := range []string{`gridnode_gateway_logins_total{result="replayed"}`, `gridnode_gateway_logins_total{result="wrong_signer"}`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	var login struct{ Signature string }
	jsonOf(t, body, &login)
	for _, gw := range []*daemon{a, b} {
		if l := gw.log(); strings.Contains(l, s.Token) || strings.Contains(l, login.Signature[2:]) {
			t.Errorf("a session token or a signature appears in the log of %s", gw.url())
		}
	}
}
