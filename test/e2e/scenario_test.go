package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// tReporter is hack/scenario's Reporter for a test: the steps, the facts
// checked and the diagnostics go into the test's log.
type tReporter struct {
	t    *testing.T
	step int
}

func (r *tReporter) Step(title string) {
	r.step++
	r.t.Logf("[%d] %s", r.step, title)
}

func (r *tReporter) OK(format string, args ...any) {
	r.t.Logf("  ✓ %s", fmt.Sprintf(format, args...))
}

func (r *tReporter) Logf(format string, args ...any) { r.t.Logf(format, args...) }

// newStack is a scenario stack for t in a temporary directory of its own,
// reporting into t's log. It is closed at t's cleanup; if t failed, every
// process it started is reported with how it ended and the last lines of
// its log.
func newStack(t *testing.T) *scenario.Stack {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	s := scenario.NewStack(scenario.Env{Root: root, Bin: binDir, Dir: t.TempDir()}, &tReporter{t: t})
	t.Cleanup(func() { s.Close(t.Failed()) })
	return s
}

// stacks holds the stack of each running test that starts processes with
// startProc.
var (
	stacksMu sync.Mutex
	stacks   = map[*testing.T]*scenario.Stack{}
)

func stackOf(t *testing.T) *scenario.Stack {
	t.Helper()
	stacksMu.Lock()
	defer stacksMu.Unlock()
	if s, ok := stacks[t]; ok {
		return s
	}
	s := newStack(t)
	stacks[t] = s
	t.Cleanup(func() {
		stacksMu.Lock()
		delete(stacks, t)
		stacksMu.Unlock()
	})
	return s
}

// startProc runs path with args, logging to logPath, and waits until the
// daemon logs its HTTP listen address (wait=true) or at once. It is stopped
// at t's cleanup (SIGTERM, then SIGKILL after 15 s), in the order of the
// other cleanups; if t fails, it is in the report of t's processes.
func startProc(t *testing.T, name, logPath string, wait bool, path string, args ...string) *scenario.Proc {
	t.Helper()
	p, err := stackOf(t).StartProc(name, logPath, wait, path, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(15 * time.Second) })
	return p
}

// startMarket starts hack/scenario's two-organization market for t (see
// scenario.StartMarket), narrated into the test's log.
func startMarket(ctx context.Context, t *testing.T, opts scenario.Options) *scenario.Market {
	t.Helper()
	m, err := scenario.StartMarket(ctx, newStack(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// buy walks m's flow up to org B's order.
func buy(ctx context.Context, t *testing.T, m *scenario.Market) carrierapi.OrderInfo {
	t.Helper()
	o, err := m.Buy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// p2pKeyFile writes a fresh libp2p key file (scenario.P2PKeyFile).
func p2pKeyFile(t *testing.T, path string) (string, peer.ID) {
	t.Helper()
	file, id, err := scenario.P2PKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return file, id
}
