package market

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// failingTB is a test that has failed: it collects cleanups and log output
// so the report of its processes can be checked.
type failingTB struct {
	testing.TB
	cleanups []func()
	logged   strings.Builder
}

func (f *failingTB) Cleanup(fn func())            { f.cleanups = append(f.cleanups, fn) }
func (f *failingTB) Failed() bool                 { return true }
func (f *failingTB) Log(args ...any)              { fmt.Fprintln(&f.logged, args...) }
func (f *failingTB) Logf(format string, a ...any) { fmt.Fprintf(&f.logged, format+"\n", a...) }
func (f *failingTB) runCleanups() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// A failed test reports every process it started: one that exited by
// itself (with its code), one killed by a signal it was not sent by the
// test, one the test stopped at cleanup, with the last lines of each log.
func TestFailedTestReportsEveryProcess(t *testing.T) {
	dir := t.TempDir()
	ft := &failingTB{TB: t}
	crashed := StartProc(ft, "org-a/carrier", filepath.Join(dir, "carrier.log"), false, "/bin/sh", "-c",
		`for i in $(seq 1 100); do echo "line $i"; done; echo "fatal: p2p listen: address already in use" >&2; exit 3`)
	signalled := StartProc(ft, "org-a/via", filepath.Join(dir, "via.log"), false, "/bin/sh", "-c", `echo "via up"; kill -9 $$`)
	running := StartProc(ft, "org-b/admin", filepath.Join(dir, "admin.log"), false, "/bin/sh", "-c", `echo "admin up"; exec sleep 60`)
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
	ft.runCleanups()
	out := ft.logged.String()

	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`the test failed; its 3 processes:`),
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
		t.Error("cleanup left a process running")
	}
}

// A test that passes reports nothing.
func TestPassingTestReportsNothing(t *testing.T) {
	ft := &passingTB{failingTB{TB: t}}
	StartProc(ft, "quiet", filepath.Join(t.TempDir(), "quiet.log"), false, "/bin/sh", "-c", "echo hello")
	ft.runCleanups()
	if s := ft.logged.String(); s != "" {
		t.Errorf("a passing test logged:\n%s", s)
	}
}

type passingTB struct{ failingTB }

func (p *passingTB) Failed() bool { return false }
