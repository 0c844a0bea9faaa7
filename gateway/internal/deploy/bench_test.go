package deploy

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/test/kubetest"
)

// BenchmarkManifestToReady measures a buyer's deploy: from the manifest URL
// to the order's Deployment Ready (watched) on a real API server with controller-manager, scheduler and a kwok node.
// It reports the p50 and p99 of that latency and of the Deploy call alone
// (fetch, validate, namespace, quota, limit range, network policy, dry
// run, apply). Run: go test -run '^$' -bench ManifestToReady -benchtime 30x
// ./gateway/internal/deploy/
func BenchmarkManifestToReady(b *testing.B) {
	c := kubetest.Start(b, kubetest.Options{Controllers: true, NodeCPU: "256", NodeMemory: "1Ti"})
	ms := serveManifests(b)
	url, hash := ms.put("/web.yaml", webManifest(1, "hello", false))
	d, err := New(kubeConfig(true), c.Config, zap.NewNop(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = d.Run(ctx) }()

	// One untimed deploy warms the API server's caches and the client.
	deployReady(b, ctx, c, d, kubeOrder(1_000_000, hash), url)

	var total, apply []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := kubeOrder(int64(1_000_001+i), hash)
		t, a := deployReady(b, ctx, c, d, o, url)
		total, apply = append(total, t), append(apply, a)
		b.StopTimer()
		_ = d.Delete(ctx, o) // keep the node from filling up; not timed
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(millis(pct(total, 50)), "ready-p50-ms")
	b.ReportMetric(millis(pct(total, 99)), "ready-p99-ms")
	b.ReportMetric(millis(pct(apply, 50)), "deploy-p50-ms")
	b.ReportMetric(millis(pct(apply, 99)), "deploy-p99-ms")
	fmt.Printf("manifest URL -> Ready over %d deploys: p50 %.0f ms, p99 %.0f ms (Deploy call p50 %.0f ms, p99 %.0f ms)\n",
		len(total), millis(pct(total, 50)), millis(pct(total, 99)), millis(pct(apply, 50)), millis(pct(apply, 99)))
}

// deployReady deploys o and waits until its Deployment is Ready by the
// deployer's own rule (deploymentReady), watched through the test's admin
// client so that the wait does not spend the deployer's request budget. It
// returns the time to Ready and the time the Deploy call took.
func deployReady(b *testing.B, ctx context.Context, c *kubetest.Cluster, d *Deployer, o market.Order, url string) (time.Duration, time.Duration) {
	start := time.Now()
	if _, err := d.Deploy(ctx, o, url); err != nil {
		b.Fatal(err)
	}
	applied := time.Since(start)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	w, err := c.Client.AppsV1().Deployments(Namespace(o)).Watch(wctx, metav1.ListOptions{FieldSelector: "metadata.name=web"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		dep, ok := ev.Object.(*appsv1.Deployment)
		if !ok {
			continue
		}
		if ready, failed, msg := deploymentReady(dep); ready {
			return time.Since(start), applied
		} else if failed {
			b.Fatalf("order %s failed: %s", o.ID, msg)
		}
	}
	b.Fatalf("order %s not Ready after a minute", o.ID)
	return 0, 0
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkEntrypoint measures the app proxy's per-request lookup of an
// order's entrypoint once the Service informer has synced: no API call,
// only the namespace name (a keccak256) and the cache. Run: go test -run
// '^$' -bench Entrypoint ./gateway/internal/deploy/
func BenchmarkEntrypoint(b *testing.B) {
	c := kubetest.Start(b, kubetest.Options{})
	ms := serveManifests(b)
	url, hash := ms.put("/web.yaml", webManifest(1, "hello", false))
	d, err := New(kubeConfig(true), c.Config, zap.NewNop(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = d.Run(ctx) }()
	o := kubeOrder(1, hash)
	if _, err := d.Deploy(ctx, o, url); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for d.Ready() != nil || d.cached(Namespace(o)) == nil {
		if time.Now().After(deadline) {
			b.Fatal("entrypoint cache not filled after a minute")
		}
		if _, err := d.Entrypoint(ctx, o); err != nil {
			b.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := d.Entrypoint(ctx, o); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
