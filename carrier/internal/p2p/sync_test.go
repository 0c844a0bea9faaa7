package p2p

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/listing"
)

var (
	manyMu sync.Mutex
	many   []directory.Item
)

// manyRecords returns n signed records of providers 1000 to 1000+n-1
// (signed in parallel, cached across tests and benchmarks).
func manyRecords(t testing.TB, n int) []directory.Item {
	t.Helper()
	manyMu.Lock()
	defer manyMu.Unlock()
	if len(many) >= n {
		return many[:n]
	}
	items := make([]directory.Item, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				r, raw := record(t, 1000+i, "org-z", 1, func(r *listing.Record) { r.Labels = map[string]string{"tier": "bulk"} })
				items[i] = directory.Item{Record: r, Raw: raw}
			}
		}()
	}
	wg.Wait()
	many = items
	return items
}

// TestLateJoiner: a carrier that joins a network holding 10k listings
// gets them all through one sync round on connecting, without any new
// gossip.
func TestLateJoiner(t *testing.T) {
	const n = 10_000
	items := manyRecords(t, n)
	old := startNode(t, nodeOpts{})
	if _, err := old.dir.PutMany(items); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	late := startNode(t, nodeOpts{bootstrap: old.Addrs()[:1]})
	took := waitFor(t, "the late joiner holds every listing", time.Minute, func() bool { return late.dir.Len() == n })
	t.Logf("late joiner synced %d listings in %s (from its start: %s; target 1s)", n, took, time.Since(start))
	// The records are counted right after they are stored: wait for the
	// count to catch up with the directory rather than race it.
	accepted := func() float64 {
		return late.metric("gridnode_p2p_records_total", map[string]string{"source": "sync", "result": "accepted"})
	}
	waitFor(t, "every listing counted as accepted from sync", 10*time.Second, func() bool { return accepted() >= n })
	if got := accepted(); got != n {
		t.Errorf("sync accepted %v records, want %d", got, n)
	}
	// A round between carriers in sync exchanges nothing.
	st, err := late.Sync().SyncWith(context.Background(), old.ID())
	if err != nil || st.Sent != 0 || st.Received != 0 {
		t.Errorf("round in sync: %+v, %v", st, err)
	}
}

// TestSyncBothWays: each side of a round gets what only the other holds
// or holds newer.
func TestSyncBothWays(t *testing.T) {
	a := startNode(t, nodeOpts{})
	b := startNode(t, nodeOpts{})
	put := func(n *testNode, i int, seq uint64) {
		r, raw := record(t, i, "org-a", seq, nil)
		if _, err := n.dir.Put(r, raw); err != nil {
			t.Fatal(err)
		}
	}
	put(a, 1, 1) // only a
	put(b, 2, 1) // only b
	put(a, 3, 2) // a newer
	put(b, 3, 1)
	put(a, 4, 1) // b newer
	put(b, 4, 3)
	put(a, 5, 1) // equal
	put(b, 5, 1)
	if err := a.Host().Connect(context.Background(), b.Host().Peerstore().PeerInfo(b.ID())); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both hold the newest of everything", 10*time.Second, func() bool {
		for _, n := range []*testNode{a, b} {
			if !n.holds(1, 1) || !n.holds(2, 1) || !n.holds(3, 2) || !n.holds(4, 3) || !n.holds(5, 1) {
				return false
			}
		}
		return true
	})
}
