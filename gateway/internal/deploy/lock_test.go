package deploy

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestLockOrder: deploys of one order wait for each other, other orders'
// do not, a waiter gives up with its context, and no lock outlives its
// users.
func TestLockOrder(t *testing.T) {
	d := &Deployer{deploying: map[string]*orderLock{}}
	ctx := context.Background()
	unlockA, err := d.lockOrder(ctx, "gn-a")
	if err != nil {
		t.Fatal(err)
	}
	unlockB, err := d.lockOrder(ctx, "gn-b")
	if err != nil {
		t.Fatalf("another order waited: %v", err)
	}
	unlockB()

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := d.lockOrder(short, "gn-a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second deploy of the order while the first runs: %v, want it to wait and give up", err)
	}

	got := make(chan func())
	go func() {
		u, err := d.lockOrder(ctx, "gn-a")
		if err != nil {
			t.Error(err)
		}
		got <- u
	}()
	select {
	case <-got:
		t.Fatal("the second deploy did not wait for the first")
	case <-time.After(20 * time.Millisecond):
	}
	unlockA()
	(<-got)()
	d.deployMu.Lock()
	defer d.deployMu.Unlock()
	if len(d.deploying) != 0 {
		t.Errorf("%d locks left", len(d.deploying))
	}
}
