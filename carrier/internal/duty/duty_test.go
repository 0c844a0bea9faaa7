package duty

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap/zaptest"
)

func testDuties(t *testing.T) *Supervisor {
	t.Helper()
	s, err := NewSupervisor(zaptest.NewLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.retryFirst, s.retryMax, s.healthyAfter = 10*time.Millisecond, 40*time.Millisecond, 200*time.Millisecond
	return s
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// A duty that fails is restarted with backoff and reported on /readyz
// until it has run healthyAfter; Supervise returns nil only when the
// context ends, whatever the duty returned.
func TestSuperviseRestartsAFailingDuty(t *testing.T) {
	s := testDuties(t)
	var runs atomic.Int32
	var starts []time.Time
	startsCh := make(chan time.Time, 16)
	d := Duty{Name: "p2p", Run: func(ctx context.Context) error {
		startsCh <- time.Now()
		if runs.Add(1) <= 4 {
			return errors.New("starting the p2p node: address already in use")
		}
		<-ctx.Done()
		return ctx.Err()
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Supervise(ctx, d) }()

	waitUntil(t, "five runs", func() bool { return runs.Load() >= 5 })
	err := s.Ready(ctx)
	if err == nil || !strings.Contains(err.Error(), "p2p: failed (4 in a row)") || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("Ready right after the fifth start: %v", err)
	}
	var m dto.Metric
	if err := s.restarts.WithLabelValues("p2p").Write(&m); err != nil {
		t.Fatal(err)
	}
	if n := m.GetCounter().GetValue(); n != 4 {
		t.Fatalf("restarts metric %v, want 4", n)
	}
	waitUntil(t, "Ready to pass once the duty has run healthyAfter", func() bool { return s.Ready(ctx) == nil })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Supervise returned %v when its context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Supervise did not return when its context ended")
	}
	close(startsCh)
	for st := range startsCh {
		starts = append(starts, st)
	}
	// Waits of 10, 20, 40, 40 ms: doubling, capped at retryMax.
	for i, min := range []time.Duration{10, 20, 40, 40} {
		if gap := starts[i+1].Sub(starts[i]); gap < min*time.Millisecond {
			t.Errorf("wait before run %d: %s, want ≥ %dms", i+2, gap, min)
		}
	}
	if s.Ready(context.Background()) != nil {
		t.Error("a stopped duty still reported")
	}
}

// A duty that returns nil while still active is a failure too.
func TestSuperviseEarlyReturnIsAFailure(t *testing.T) {
	s := testDuties(t)
	var runs atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_ = s.Supervise(ctx, Duty{Name: "chain", Run: func(ctx context.Context) error {
			if runs.Add(1) == 1 {
				return nil
			}
			<-ctx.Done()
			return nil
		}})
	}()
	waitUntil(t, "the restart", func() bool { return runs.Load() >= 2 })
	if err := s.Ready(ctx); err == nil || !strings.Contains(err.Error(), "chain: failed (1 in a row)") || !strings.Contains(err.Error(), "returned while still active") {
		t.Fatalf("Ready: %v", err)
	}
}
