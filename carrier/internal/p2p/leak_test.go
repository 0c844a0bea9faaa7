package p2p

import (
	"runtime"
	"testing"
	"time"
)

// TestNoGoroutineLeak: a node (host, DHT, gossip, sync) stopped after a
// round with a peer leaves no goroutine behind. A first pair warms up
// libp2p's process-wide goroutines.
func TestNoGoroutineLeak(t *testing.T) {
	pair := func() {
		a := startNode(t, nodeOpts{dht: true})
		r, raw := record(t, 3, "org-a", 1, nil)
		if _, err := a.dir.Put(r, raw); err != nil {
			t.Fatal(err)
		}
		b := startNode(t, nodeOpts{dht: true, bootstrap: a.Addrs()[:1]})
		waitFor(t, "synced", 10*time.Second, func() bool { return b.holds(3, 1) })
		b.stop()
		a.stop()
	}
	pair()
	time.Sleep(200 * time.Millisecond)
	before := runtime.NumGoroutine()
	pair()
	var after int
	deadline := time.Now().Add(10 * time.Second)
	for {
		after = runtime.NumGoroutine()
		if after <= before || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before, %d after stopping two nodes:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
