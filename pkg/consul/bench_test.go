package consul

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/test/consultest"
)

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

func reportLatencies(b *testing.B, prefix string, ds []time.Duration) {
	b.ReportMetric(ms(percentile(ds, 0.50)), prefix+"p50-ms")
	b.ReportMetric(ms(percentile(ds, 0.99)), prefix+"p99-ms")
}

// BenchmarkWatchLatency measures the time from a registration call to the
// Watcher's subscriber seeing the instance: without a check (Consul's
// propagation alone) and with the daemons' HTTP check (the agent runs the
// first check within one interval, 1s here), and from a deregistration to
// the instance leaving the set. Changes are spaced so that the watcher is
// idle in a blocking query when each one happens; back-to-back changes are
// also delayed by the watcher's rate limit, one query per minQueryGap.
func BenchmarkWatchLatency(b *testing.B) {
	a := consultest.Start(b)
	c := client(b, a)
	h := newHealthTarget(b)

	for _, withCheck := range []bool{false, true} {
		name := "no-check"
		if withCheck {
			name = "http-check"
		}
		b.Run(name, func(b *testing.B) {
			svc := "bench-" + name
			w, err := NewWatcher(c, svc, WatchOptions{}, zap.NewNop())
			if err != nil {
				b.Fatal(err)
			}
			ch, cancel := w.Subscribe()
			defer cancel()
			stop := background(b, w.Run)
			defer stop()
			waitFor := func(cond func([]Instance) bool) {
				for set := range ch {
					if cond(set) {
						return
					}
				}
				b.Fatal("subscription closed")
			}
			waitFor(func([]Instance) bool { return true })

			var appear, drop []time.Duration
			b.ResetTimer()
			for i := range b.N {
				id := fmt.Sprintf("%s-%d", svc, i)
				reg := &api.AgentServiceRegistration{ID: id, Name: svc, Address: h.host, Port: h.port}
				if withCheck {
					reg.Check = &api.AgentServiceCheck{HTTP: "http://" + h.srv.Listener.Addr().String() + "/healthz", Interval: "1s", Timeout: "1s"}
				}
				// Let the watcher go idle in its blocking query, so that its
				// rate limit (one query per minQueryGap) is not measured.
				time.Sleep(2 * minQueryGap)
				start := time.Now()
				if err := c.Agent().ServiceRegister(reg); err != nil {
					b.Fatal(err)
				}
				waitFor(func(set []Instance) bool { return slices.Equal(ids(set), []string{id}) })
				appear = append(appear, time.Since(start))

				time.Sleep(2 * minQueryGap)
				start = time.Now()
				if err := c.Agent().ServiceDeregister(id); err != nil {
					b.Fatal(err)
				}
				waitFor(func(set []Instance) bool { return len(set) == 0 })
				drop = append(drop, time.Since(start))
			}
			b.StopTimer()
			reportLatencies(b, "appear-", appear)
			reportLatencies(b, "leave-", drop)
		})
	}
}

// BenchmarkTakeover measures how long a standby takes to become active
// after the active Leader stops cleanly (lock released, session destroyed)
// and after it dies hard (session left to expire: Consul waits up to 2×TTL,
// then the lock delay). A hard death costs about 20 s per iteration.
func BenchmarkTakeover(b *testing.B) {
	a := consultest.Start(b)
	c := client(b, a)
	for _, hard := range []bool{false, true} {
		name := "clean-stop"
		if hard {
			name = "hard-death"
		}
		b.Run(name, func(b *testing.B) {
			var took []time.Duration
			for i := range b.N {
				key := fmt.Sprintf("gridnode/org-a/bench/%s/%d", name, i)
				var ls [2]*Leader
				var stops [2]func() error
				for j := range ls {
					l, err := NewLeader(c, key, LeaderOptions{ID: fmt.Sprint(j)}, zap.NewNop())
					if err != nil {
						b.Fatal(err)
					}
					ls[j] = l
					stops[j] = background(b, func(ctx context.Context) error {
						return l.Run(ctx, func(ctx context.Context) error { <-ctx.Done(); return nil })
					})
				}
				act := -1
				for act < 0 {
					for j, l := range ls {
						if l.State() == StateActive {
							act = j
						}
					}
					time.Sleep(time.Millisecond)
				}
				other := ls[1-act]
				start := time.Now()
				if hard {
					ls[act].dieForTest()
				} else {
					_ = stops[act]()
				}
				for other.State() != StateActive {
					time.Sleep(time.Millisecond)
					if time.Since(start) > time.Minute {
						b.Fatal("no takeover within a minute")
					}
				}
				took = append(took, time.Since(start))
				_ = stops[0]()
				_ = stops[1]()
			}
			b.ReportMetric(ms(percentile(took, 0.5)), "takeover-p50-ms")
			b.ReportMetric(ms(slices.Max(took)), "takeover-max-ms")
		})
	}
}
