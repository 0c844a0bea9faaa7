package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gridnode/gridnode/test/market"
)

// tNarrator narrates the market's steps into the test log.
type tNarrator struct {
	t    *testing.T
	step int
}

func (n *tNarrator) Step(title string) {
	n.step++
	n.t.Logf("[%d] %s", n.step, title)
}

func (n *tNarrator) OK(format string, args ...any) {
	n.t.Logf("  ✓ %s", fmt.Sprintf(format, args...))
}

// TestMarket is `make demo` as a test: the devnet, a real Kubernetes node,
// org A selling its capacity (via, carrier, admin, gateway) and org B
// buying (via, carrier, admin). Every step of seed 000's flow is checked
// by package market: the provider's registration on chain, its listing in
// B's directory over libp2p, B's deposit, B's match and order (manifest
// hash bound on chain), B's EIP-712 login at A's gateway through A's via,
// the deploy into a namespace with quota, limit range and network policy,
// the app's HTTP and WebSocket answers through A's via, B's cancel, the
// settlement to the base unit, and the namespace's deletion.
func TestMarket(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // a hang guard
	defer cancel()
	env := market.Env{Root: root, Bin: binDir, Dir: t.TempDir()}
	n := &tNarrator{t: t}
	m := market.Start(ctx, t, env, n)
	res := m.Run(ctx, t, n)
	if res.Settlement.Paid.Sign() <= 0 || res.Settlement.Refund.Sign() <= 0 {
		t.Errorf("settlement paid %s refunded %s: want both positive for an order cancelled early", res.Settlement.Paid, res.Settlement.Refund)
	}
}
