package p2p

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/pkg/listing"
)

// TestRing runs ten carriers in a ring on loopback, each publishing its
// provider's listing (verified against the devnet's Registry): all hold
// every listing; an update reaches all; a carrier partitioned away through
// the gater misses an update and converges after the heal; a restarted
// carrier keeps its directory.
func TestRing(t *testing.T) {
	const size = 10
	providers := make([]int, size)
	for i := range providers {
		providers[i] = i
	}
	register(t, providers...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	org := func(i int) string { return fmt.Sprintf("org-%d", i) }
	nodes := make([]*testNode, size)
	for i := range nodes {
		o := nodeOpts{org: org(i), registry: chainRegistry(t)}
		if i > 0 {
			o.bootstrap = nodes[i-1].Addrs()[:1]
		}
		nodes[i] = startNode(t, o)
	}
	// Close the ring.
	if err := nodes[0].Host().Connect(ctx, peer.AddrInfo{ID: nodes[size-1].ID(), Addrs: nodes[size-1].Host().Addrs()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every carrier has its two neighbours in its listings mesh", 20*time.Second, func() bool {
		for _, n := range nodes {
			if len(n.Gossip().Mesh()) < 2 {
				return false
			}
		}
		return true
	})
	debugDump = func() {
		for i, n := range nodes {
			var held []string
			for j := range nodes {
				s, _ := n.dir.HeldSeq(providerAddr(j))
				held = append(held, fmt.Sprint(s))
			}
			t.Logf("node %d: topic peers %d, held %v, gossip %v/%v/%v", i, len(n.Gossip().Peers()), held,
				n.metric("gridnode_p2p_records_total", map[string]string{"source": "gossip", "result": "accepted"}),
				n.metric("gridnode_p2p_records_total", map[string]string{"source": "gossip", "result": "registry_error"}),
				n.metric("gridnode_p2p_records_total", map[string]string{"source": "api", "result": "accepted"}))
		}
	}
	allHold := func(i int, seq uint64, except *testNode) func() bool {
		return func() bool {
			for _, n := range nodes {
				if n != except && !n.holds(i, seq) {
					return false
				}
			}
			return true
		}
	}

	t.Run("all hold every listing", func(t *testing.T) {
		start := time.Now()
		for i, n := range nodes {
			_, raw := record(t, i, org(i), 1, nil)
			if _, err := n.Publish(ctx, raw, nil); err != nil {
				t.Fatalf("carrier %d publishes: %v", i, err)
			}
		}
		waitFor(t, "every carrier holds every listing", 20*time.Second, func() bool {
			for i := range nodes {
				if !allHold(i, 1, nil)() {
					return false
				}
			}
			return true
		})
		t.Logf("%d listings on %d carriers in %s", size, size, time.Since(start))
	})

	t.Run("an update reaches all", func(t *testing.T) {
		_, raw := record(t, 0, org(0), 2, func(r *listing.Record) { r.Capacity.Free.CPUMillis = 1000 })
		if _, err := nodes[0].Publish(ctx, raw, nil); err != nil {
			t.Fatal(err)
		}
		took := waitFor(t, "the update reaches every carrier", 20*time.Second, allHold(0, 2, nil))
		t.Logf("update reached %d carriers in %s", size, took)
		for i, n := range nodes {
			if r, ok := n.dir.Get(providerAddr(0)); !ok || r.Capacity.Free.CPUMillis != 1000 {
				t.Errorf("carrier %d holds %+v", i, r)
			}
		}
	})

	cut := nodes[size/2]
	t.Run("partition and heal", func(t *testing.T) {
		for _, n := range nodes {
			if n != cut {
				n.Block(cut.ID())
				cut.Block(n.ID())
			}
		}
		_, raw := record(t, 0, org(0), 3, nil)
		if _, err := nodes[0].Publish(ctx, raw, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the update reaches the carriers on this side", 20*time.Second, allHold(0, 3, cut))
		time.Sleep(200 * time.Millisecond) // and the cut one had every chance
		if cut.holds(0, 3) {
			t.Fatal("the partitioned carrier received the update")
		}
		for _, n := range nodes {
			n.Unblock(cut.ID())
			cut.Unblock(n.ID())
		}
		took := waitFor(t, "the partitioned carrier converges", 20*time.Second, func() bool { return cut.holds(0, 3) })
		t.Logf("converged %s after the heal (acceptance target: 5s)", took)
		if got := cut.metric("gridnode_p2p_sync_rounds_total", map[string]string{"result": "ok"}); got == 0 {
			t.Error("no sync round counted")
		}
	})

	t.Run("restart keeps the directory", func(t *testing.T) {
		held := cut.dir.Len()
		cut.stop()
		again := startNode(t, nodeOpts{org: cut.cfg.Org, registry: chainRegistry(t), dirPath: cut.dirPath, key: cut.key})
		if got := again.dir.Len(); got < held || !again.holds(0, 3) {
			t.Fatalf("after restart: %d records (want %d), holds update: %v", got, held, again.holds(0, 3))
		}
		if again.ID() != cut.ID() {
			t.Errorf("peer id changed across restart: %s, was %s", again.ID(), cut.ID())
		}
	})
}
