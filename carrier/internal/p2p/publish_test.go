package p2p

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
)

// TestPublish: the node publishes its organization's verified listings
// only; a republished record is not stored twice; a gateway that leaves
// Consul gets its listing withdrawn with the withdrawal it left, and a
// peer sees the tombstone.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	a := startNode(t, nodeOpts{org: "org-a"})
	b := startNode(t, nodeOpts{org: "org-b", bootstrap: a.Addrs()[:1]})
	waitFor(t, "meshes", 10*time.Second, func() bool { return len(a.Gossip().Mesh()) > 0 && len(b.Gossip().Mesh()) > 0 })

	rec, raw := record(t, 1, "org-a", 10, nil)
	_, w := record(t, 1, "org-a", 11, func(r *listing.Record) { r.Tombstone, r.GatewayURL = true, "" })
	_, foreign := record(t, 2, "org-b", 1, nil)
	_, badW := record(t, 1, "org-a", 9, func(r *listing.Record) { r.Tombstone, r.GatewayURL = true, "" })

	if _, err := a.Publish(ctx, foreign, nil); !errors.Is(err, ErrForeignOrg) {
		t.Errorf("foreign listing: %v, want ErrForeignOrg", err)
	}
	if _, err := a.Publish(ctx, raw, badW); !errors.Is(err, ErrRejected) {
		t.Errorf("withdrawal with a lower seq: %v, want ErrRejected", err)
	}
	if _, err := a.Withdraw(ctx, rec.Provider); !errors.Is(err, ErrNoWithdrawal) {
		t.Errorf("withdraw without a withdrawal: %v, want ErrNoWithdrawal", err)
	}
	res, err := a.Publish(ctx, raw, w)
	if err != nil || !res.Stored {
		t.Fatalf("Publish: %+v, %v", res, err)
	}
	if res, err = a.Publish(ctx, raw, w); err != nil || res.Stored {
		t.Fatalf("Publish again: %+v, %v (want not stored again)", res, err)
	}
	waitFor(t, "b holds the listing", 10*time.Second, func() bool { return b.holds(1, 10) })
	// Both know a as the listing's publisher (b from the gossip message's
	// signed From).
	for name, n := range map[string]*testNode{"a": a, "b": b} {
		if got := n.ListingPeers(); len(got) != 1 || got[0] != a.ID() {
			t.Errorf("%s.ListingPeers() = %v, want [%s]", name, got, a.ID())
		}
	}

	updates := make(chan []consul.Instance, 1)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.FollowGateways(fctx, updates, 100*time.Millisecond)
	updates <- []consul.Instance{{ID: "gw-1", Meta: map[string]string{consul.MetaProvider: rec.Provider.Hex()}}}
	time.Sleep(200 * time.Millisecond)
	if !a.holds(1, 10) || a.holds(1, 11) {
		t.Fatal("withdrawn while the gateway is there")
	}
	updates <- nil // the gateway left
	waitFor(t, "b holds the tombstone", 10*time.Second, func() bool { return b.holds(1, 11) })
	if r, ok := b.dir.Get(rec.Provider); !ok || !r.Tombstone {
		t.Errorf("b holds %+v, want the tombstone", r)
	}
	// A withdrawn listing makes nobody a listing peer.
	if got := b.ListingPeers(); len(got) != 0 {
		t.Errorf("after the withdrawal b.ListingPeers() = %v, want none", got)
	}
}

// TestSyncAbuse: a responder resets a stream that sends junk, and counts
// a failed round.
func TestSyncAbuse(t *testing.T) {
	a := startNode(t, nodeOpts{})
	b := startNode(t, nodeOpts{})
	ctx := context.Background()
	if err := b.Host().Connect(ctx, a.Host().Peerstore().PeerInfo(a.ID())); err != nil {
		t.Fatal(err)
	}
	for _, junk := range [][]byte{
		{9, 0},                   // unknown frame type
		{1, 0xff, 0xff, 0xff, 1}, // digest over the frame limit
		{3, 0},                   // records frame without records
	} {
		s, err := b.Host().NewStream(ctx, a.ID(), listingsync.ID)
		if err != nil {
			t.Fatal(err)
		}
		_ = s.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := s.Write(junk); err != nil {
			t.Fatal(err)
		}
		_ = s.CloseWrite()
		buf := make([]byte, 1)
		if n, err := s.Read(buf); err == nil {
			t.Errorf("junk %x: the responder answered %d bytes", junk, n)
		}
		_ = s.Close()
	}
	waitFor(t, "failed rounds counted", 5*time.Second, func() bool {
		return a.metric("gridnode_p2p_sync_rounds_total", map[string]string{"role": "responder", "result": "error"}) >= 3
	})
}
