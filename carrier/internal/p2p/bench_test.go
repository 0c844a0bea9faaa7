package p2p

import (
	"context"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gridnode/gridnode/pkg/listing"
)

// BenchmarkPublishAllReceived measures, on 50 carriers on loopback (each
// bootstrapped to three random earlier ones), the time from Publish at a
// random carrier until every carrier has verified and stored the update
// (signature recovery and a bbolt fsync at every hop). The registry
// answers from memory. Run with -benchtime=200x; it reports p50 and p99.
func BenchmarkPublishAllReceived(b *testing.B) {
	const size = 50
	type key struct {
		provider int
		seq      uint64
	}
	var (
		mu      sync.Mutex
		pending = map[key]int{}
		done    = map[key]chan struct{}{}
	)
	stored := func(r *listing.Record) {
		mu.Lock()
		defer mu.Unlock()
		for k := range pending {
			if providerAddr(k.provider) == r.Provider && k.seq == r.Seq {
				pending[k]--
				if pending[k] == 0 {
					close(done[k])
					delete(pending, k)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	nodes := make([]*testNode, size)
	for i := range nodes {
		o := nodeOpts{onStored: stored}
		for j := 0; j < 3 && i > 0; j++ {
			o.bootstrap = append(o.bootstrap, nodes[rng.IntN(i)].Addrs()[0])
		}
		nodes[i] = startNode(b, o)
	}
	waitFor(b, "meshes formed", time.Minute, func() bool {
		for _, n := range nodes {
			if len(n.Gossip().Mesh()) < 2 {
				return false
			}
		}
		return true
	})
	time.Sleep(2 * time.Second) // a few heartbeats for the meshes to fill out
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		from := rng.IntN(size)
		k := key{provider: from, seq: uint64(i + 1)}
		_, raw := record(b, from, "org-a", k.seq, nil)
		ch := make(chan struct{})
		mu.Lock()
		pending[k], done[k] = size-1, ch
		mu.Unlock()
		start := time.Now()
		if _, err := nodes[from].Publish(ctx, raw, nil); err != nil {
			b.Fatal(err)
		}
		select {
		case <-ch:
			lat = append(lat, time.Since(start))
		case <-time.After(30 * time.Second):
			b.Fatalf("update %d not received by all within 30s", i)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	b.ReportMetric(float64(p(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p(0.99).Microseconds())/1000, "p99-ms")
	b.Logf("%d carriers, %d publications: all received p50 %s, p99 %s, max %s", size, len(lat), p(0.5), p(0.99), lat[len(lat)-1])
}

// BenchmarkLateJoinerSync measures how long a new carrier takes, from its
// start, to hold the 10k listings of the carrier it bootstraps from (one
// sync round: digest, records, verification, one transaction per frame).
func BenchmarkLateJoinerSync(b *testing.B) {
	const n = 10_000
	items := manyRecords(b, n)
	old := startNode(b, nodeOpts{})
	if _, err := old.dir.PutMany(items); err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		late := startNode(b, nodeOpts{bootstrap: old.Addrs()[:1]})
		waitFor(b, "late joiner synced", time.Minute, func() bool { return late.dir.Len() == n })
		took := time.Since(start)
		total += took
		b.StopTimer()
		late.stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/sync")
	b.Logf("late joiner synced %d listings in %s on average", n, total/time.Duration(b.N))
}
