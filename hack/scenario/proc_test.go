package scenario

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// recorder is a Reporter that keeps what it is told.
type recorder struct{ logged strings.Builder }

func (r *recorder) Step(title string)            { fmt.Fprintf(&r.logged, "[step] %s\n", title) }
func (r *recorder) OK(format string, a ...any)   { fmt.Fprintf(&r.logged, "  ✓ "+format+"\n", a...) }
func (r *recorder) Logf(format string, a ...any) { fmt.Fprintf(&r.logged, format+"\n", a...) }
func newTestStack(t *testing.T) (*Stack, *recorder) {
	r := &recorder{}
	return NewStack(Env{Dir: t.TempDir()}, r), r
}

// A failed run reports every process it started: one that exited by
// itself (with its code), one killed by a signal it was not sent by the
// harness, one the harness stopped at Close, with the last lines of each
// log.
func TestFailedRunReportsEveryProcess(t *testing.T) {
	s, r := newTestStack(t)
	dir := s.Env.Dir
	start := func(name, log, script string) *Proc {
		t.Helper()
		p, err := s.StartProc(name, filepath.Join(dir, log), false, "/bin/sh", "-c", script)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	crashed := start("org-a/carrier", "carrier.log",
		`for i in $(seq 1 100); do echo "line $i"; done; echo "fatal: p2p listen: address already in use" >&2; exit 3`)
	signalled := start("org-a/via", "via.log", `echo "via up"; kill -9 $$`)
	running := start("org-b/admin", "admin.log", `echo "admin up"; exec sleep 60`)
	for _, p := range []*Proc{crashed, signalled} {
		select {
		case <-p.Done():
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not exit", p.Name)
		}
	}
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(Tail(running.LogPath, 1), "admin up"); {
		if time.Now().After(deadline) {
			t.Fatal("the running process did not log its line")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(running.State(), "running (pid ") {
		t.Errorf("running process: state %q", running.State())
	}
	s.Close(true)
	out := r.logged.String()

	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`the run failed; its 3 processes:`),
		regexp.MustCompile(`=== org-a/carrier: exited by itself after [0-9.]+m?s: exit status 3\n--- last 60 lines of .*carrier\.log:\nline 42\n`),
		regexp.MustCompile(`line 100\nfatal: p2p listen: address already in use\n`),
		regexp.MustCompile(`=== org-a/via: exited by itself after [0-9.]+m?s: killed by signal killed\n--- last 60 lines of .*via\.log:\nvia up`),
		regexp.MustCompile(`=== org-b/admin: stopped by the test \(SIGTERM\) after [0-9.]+m?s: killed by signal terminated\n--- last 60 lines of .*admin\.log:\nadmin up`),
	} {
		if !want.MatchString(out) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "line 40\n") {
		t.Errorf("report shows more than the last 60 lines:\n%s", out)
	}
	if running.Running() {
		t.Error("Close left a process running")
	}
}

// A run that passes reports nothing, and Close stops its processes.
func TestPassingRunReportsNothing(t *testing.T) {
	s, r := newTestStack(t)
	p, err := s.StartProc("quiet", filepath.Join(s.Env.Dir, "quiet.log"), false, "/bin/sh", "-c", "echo hello; exec sleep 60")
	if err != nil {
		t.Fatal(err)
	}
	s.Close(false)
	if out := r.logged.String(); out != "" {
		t.Errorf("a passing run logged:\n%s", out)
	}
	if p.Running() {
		t.Error("Close left a process running")
	}
}

// A daemon that exits before it logs its listen address fails its start,
// with its state; it is still in the report.
func TestStartProcExitBeforeListening(t *testing.T) {
	s, r := newTestStack(t)
	_, err := s.StartProc("org-a/gateway", filepath.Join(s.Env.Dir, "gateway.log"), true, "/bin/sh", "-c", `echo "no kubeconfig" >&2; exit 2`)
	if err == nil || !strings.Contains(err.Error(), "org-a/gateway exited before listening (exited by itself after") {
		t.Fatalf("StartProc: %v, want an exit before listening", err)
	}
	s.Close(true)
	if out := r.logged.String(); !strings.Contains(out, "=== org-a/gateway: exited by itself") || !strings.Contains(out, "no kubeconfig") {
		t.Errorf("report:\n%s", out)
	}
}
