package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/gridnode/gridnode/hack/scenario"
)

// TestMarket is `make demo` as a test: the devnet, a real Kubernetes node,
// org A selling its capacity (via, carrier, admin, gateway) and org B
// buying (via, carrier, admin). Every step of seed 000's flow is checked
// by hack/scenario: the provider's registration on chain, its listing in
// B's directory over libp2p, B's deposit, B's match and order (manifest
// hash bound on chain), B's EIP-712 login at A's gateway through A's via,
// the deploy into a namespace with quota, limit range and network policy,
// the app's HTTP and WebSocket answers through A's via, B's cancel, the
// settlement to the base unit, and the namespace's deletion.
func TestMarket(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // a hang guard
	defer cancel()
	m := startMarket(ctx, t, scenario.Options{})
	res, err := m.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Settlement.Paid.Sign() <= 0 || res.Settlement.Refund.Sign() <= 0 {
		t.Errorf("settlement paid %s refunded %s: want both positive for an order cancelled early", res.Settlement.Paid, res.Settlement.Refund)
	}
}
