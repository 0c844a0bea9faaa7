// Command demo is what `make demo` runs after setup and build: the
// two-organization market of docs/ARCHITECTURE.md on this machine, with
// seed 000's flow narrated step by step and each step checked. It keeps
// everything running until Ctrl-C or `make demo-down`, then stops it all.
//
// The stack and the steps are package test/market, which test/e2e runs as
// a test; here they run under a small stand-in for *testing.T that prints
// failures and runs the cleanups in reverse order on exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/gridnode/gridnode/test/market"
)

func main() {
	os.Exit(run())
}

func run() int {
	binDir := flag.String("bin", "bin", "directory with the daemon binaries (make build)")
	dir := flag.String("dir", "", "state directory (default: $GRIDNODE_CACHE/run/demo)")
	keep := flag.Bool("keep", true, "keep everything running after the flow until Ctrl-C or make demo-down")
	flag.Parse()

	state := *dir
	if state == "" {
		state = filepath.Join(cacheDir(), "run", "demo")
	}
	if err := os.RemoveAll(state); err != nil {
		fmt.Fprintf(os.Stderr, "demo: clearing %s: %v\n", state, err)
		return 1
	}
	if err := os.MkdirAll(state, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		return 1
	}
	pidFile := filepath.Join(filepath.Dir(state), "demo.pid")
	if err := os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o600); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		return 1
	}
	defer os.Remove(pidFile)

	bin, err := filepath.Abs(*binDir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		return 1
	}
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		return 1
	}
	if _, err := os.Stat(filepath.Join(root, "hack", "demoapp", "manifest.yaml")); err != nil {
		fmt.Fprintf(os.Stderr, "demo: run it from the repository's root (make demo): %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	r := &runner{dir: state}
	start := time.Now()
	ok := r.do(func() {
		m := market.Start(ctx, r, market.Env{Root: root, Bin: bin, Dir: state}, narrator{})
		m.Run(ctx, r, narrator{})
		fmt.Printf("\nsettled: the whole flow took %s (state and logs in %s)\n", time.Since(start).Round(time.Second), state)
		m.PrintAccess(os.Stdout)
		if *keep {
			fmt.Printf("\nEverything keeps running. Press Ctrl-C here, or run `make demo-down`, to stop it.\n")
			<-ctx.Done()
			fmt.Printf("\nstopping…\n")
		}
	})
	r.cleanup()
	if !ok {
		fmt.Fprintf(os.Stderr, "\ndemo FAILED after %s; logs are in %s (the harness's diagnostics in demo-debug.log)\n", time.Since(start).Round(time.Second), state)
		return 1
	}
	fmt.Println("demo stopped cleanly")
	return 0
}

func cacheDir() string {
	if d := os.Getenv("GRIDNODE_CACHE"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "gridnode-cache")
	}
	return filepath.Join(home, ".cache", "gridnode")
}

// narrator prints the steps.
type narrator struct{}

var stepNo int

func (narrator) Step(title string) {
	stepNo++
	fmt.Printf("\n[%d] %s\n", stepNo, title)
}

func (narrator) OK(format string, args ...any) {
	fmt.Printf("  ✓ %s\n", fmt.Sprintf(format, args...))
}

// runner stands in for *testing.T so that the demo can use the same stack
// and steps as test/e2e. Only the methods those packages call are
// implemented; Fatal stops the flow through a panic that do recovers.
type runner struct {
	testing.TB // nil: any other method is a bug in the demo and panics

	dir      string
	cleanups []func()
	failed   bool
	tmp      int
}

var errFatal = errors.New("demo step failed")

func (r *runner) do(f func()) (ok bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != errFatal {
				fmt.Fprintf(os.Stderr, "demo: panic: %v\n%s", v, debug.Stack())
			}
			ok = false
		}
	}()
	f()
	return !r.failed
}

func (r *runner) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		func() {
			defer func() { _ = recover() }()
			r.cleanups[i]()
		}()
	}
	r.cleanups = nil
}

func (r *runner) Helper()          {}
func (r *runner) Name() string     { return "demo" }
func (r *runner) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *runner) Failed() bool     { return r.failed }
func (r *runner) Log(args ...any)  { fmt.Fprintln(os.Stderr, args...) }
func (r *runner) Logf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, f+"\n", a...)
}
func (r *runner) Error(args ...any) {
	r.failed = true
	fmt.Fprintln(os.Stderr, append([]any{"  ✗"}, args...)...)
}
func (r *runner) Errorf(f string, a ...any) {
	r.failed = true
	fmt.Fprintf(os.Stderr, "  ✗ "+f+"\n", a...)
}
func (r *runner) Fatal(args ...any)         { r.Error(args...); panic(errFatal) }
func (r *runner) Fatalf(f string, a ...any) { r.Errorf(f, a...); panic(errFatal) }
func (r *runner) FailNow()                  { r.failed = true; panic(errFatal) }
func (r *runner) Skip(args ...any)          { r.Fatal(append([]any{"cannot run:"}, args...)...) }
func (r *runner) Skipf(f string, a ...any)  { r.Fatalf("cannot run: "+f, a...) }
func (r *runner) SkipNow()                  { r.Fatal("cannot run") }
func (r *runner) TempDir() string {
	r.tmp++
	d := filepath.Join(r.dir, "tmp", fmt.Sprint(r.tmp))
	if err := os.MkdirAll(d, 0o700); err != nil {
		r.Fatalf("creating %s: %v", d, err)
	}
	return d
}
