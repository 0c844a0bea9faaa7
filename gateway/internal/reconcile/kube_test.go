package reconcile

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/test/kubetest"
)

// marketChain reads the Market through the gateway's order reader: the
// adapter the gateway wires.
type marketChain struct{ r *orders.MarketReader }

func (m marketChain) Market() (*big.Int, common.Address, bool) {
	c := m.r.Chain()
	return c.ID, c.Market, true
}

func (m marketChain) OrderState(ctx context.Context, id *big.Int) (State, error) {
	o, err := m.r.ReadOrder(ctx, id)
	if err != nil {
		return State{}, err
	}
	return State{Status: o.Status, End: o.End}, nil
}

const manifestYAML = `apiVersion: apps/v1
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
      - {name: app, image: registry.example/web:1, resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`

// TestTeardownOnRealChain: orders placed on a real chain (the Market
// contract on a go-ethereum dev node) and deployed into a real API server.
// A cancelled order, one closed by the provider's owner and an ended one
// lose their namespace; an active one keeps it, and so does one extended
// by its buyer past its first end; with the chain's RPC down nothing is deleted, not even an
// order cancelled just before the outage.
func TestTeardownOnRealChain(t *testing.T) {
	ch := devchaintest.Start(t)
	kc := kubetest.Start(t, kubetest.Options{Controllers: true})
	buyer := ch.Buyers[0]
	prov := ch.RegisterProvider(ch.Owner)
	hash := [32]byte(crypto.Keccak256([]byte(manifestYAML)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(manifestYAML)) }))
	t.Cleanup(srv.Close)

	cfg := deploy.Defaults()
	cfg.ManifestAllow = []string{"127.0.0.1/32"}
	dep, err := deploy.New(cfg, kc.Config, zaptest.NewLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := orders.NewMarketReader(ch.Client(), orders.Chain{ID: ch.ID, Market: ch.Market})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// place creates an order on chain and deploys it the way the gateway
	// does: the order is read back from the Market.
	place := func(d time.Duration) market.Order {
		id := ch.CreateOrder(buyer, prov, d, hash)
		o, err := reader.ReadOrder(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dep.Deploy(ctx, o, srv.URL); err != nil {
			t.Fatal(err)
		}
		return o
	}
	// The buyer extends an order by an hour well before its first end.
	extended := place(10 * time.Second)
	ch.Extend(buyer, extended.ID, time.Hour)
	cancelled, short, active, later, closed := place(time.Hour), place(2*time.Second), place(time.Hour), place(time.Hour), place(time.Hour)
	ch.Cancel(buyer, cancelled.ID)
	ch.CloseOrder(closed.ID)
	// The short order's end and the extended one's first end pass. The dev
	// chain's clock runs up to a second per block ahead of the wall clock,
	// so wait for the ends it set.
	time.Sleep(time.Until(later2(short.End, extended.End)) + 500*time.Millisecond)

	rcfg := Defaults()
	rcfg.Provider, rcfg.Grace = prov, 0
	r, err := New(rcfg, marketChain{reader}, dep, zaptest.NewLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s := r.Pass(ctx)
	t.Logf("first pass: %+v", s)
	if len(s.Deleted) != 3 || s.Active != 3 || s.ChainErrors != 0 {
		t.Fatalf("first pass %+v", s)
	}
	reasons := map[string]string{}
	for _, d := range s.Deleted {
		reasons[d.OrderID] = d.Reason
	}
	if reasons[cancelled.ID.String()] != ReasonCancelled || reasons[short.ID.String()] != ReasonEnded ||
		reasons[closed.ID.String()] != ReasonClosed {
		t.Errorf("reasons %v", reasons)
	}
	core := kc.Client.CoreV1()
	for _, o := range []market.Order{cancelled, short, closed} {
		eventually(t, "namespace of order "+o.ID.String()+" gone", 2*time.Minute, func() error {
			_, err := core.Namespaces().Get(ctx, deploy.Namespace(o), metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			return fmt.Errorf("still there (%v)", err)
		})
	}
	for _, o := range []market.Order{active, extended} {
		if _, err := dep.Get(ctx, o); err != nil {
			t.Fatalf("order %s: %v", o.ID, err)
		}
	}

	// The chain's RPC goes down right after the buyer cancels: the
	// namespace stays until the chain can be read again.
	ch.Cancel(buyer, later.ID)
	ch.Close()
	s = r.Pass(ctx)
	t.Logf("pass during the outage: %+v", s)
	if len(s.Deleted) != 0 || s.ChainErrors != 3 {
		t.Fatalf("pass during the outage %+v", s)
	}
	for _, o := range []market.Order{active, later} {
		n, err := core.Namespaces().Get(ctx, deploy.Namespace(o), metav1.GetOptions{})
		if err != nil || n.DeletionTimestamp != nil {
			t.Errorf("order %s's namespace during the outage: %v %v", o.ID, err, n.DeletionTimestamp)
		}
	}
}

func later2(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

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
