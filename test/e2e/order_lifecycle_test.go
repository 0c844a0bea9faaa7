package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/gridnode/gridnode/hack/scenario"
)

// TestOrderLifecycle is an order's whole life on chain on the real node
// (hack/scenario's RunLifecycle): the app writes into a volume, the buyer
// updates the manifest on chain and the gateway rolls it out in the same
// namespace with the data and the URL kept, the buyer extends the order,
// and the provider's owner closes it early: paid for the time served to the
// base unit, the buyer refunded the rest, the namespace torn down.
func TestOrderLifecycle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute) // a hang guard
	defer cancel()
	m := startMarket(ctx, t, scenario.Options{})
	res, err := m.RunLifecycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Paid.Sign() <= 0 || res.Refund.Sign() <= 0 {
		t.Errorf("close paid %s refunded %s: want both positive for an order closed early", res.Paid, res.Refund)
	}
	if res.EndNow <= res.EndBefore {
		t.Errorf("end %d after the extension, was %d", res.EndNow, res.EndBefore)
	}
}
