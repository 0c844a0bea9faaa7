// Command demo is what `make demo` runs after setup and build: the
// two-organization market of docs/ARCHITECTURE.md on this machine, with
// seed 000's flow narrated step by step and each step checked. It keeps
// everything running until Ctrl-C or `make demo-down`, then stops it all.
//
// The stack and the steps are package hack/scenario, which test/e2e runs
// as a test; here its Reporter prints the steps to standard output and the
// diagnostics to standard error.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/test/toolcache"
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
		cache, err := toolcache.Dir()
		if err != nil {
			fmt.Fprintf(os.Stderr, "demo: %v\n", err)
			return 1
		}
		state = filepath.Join(cache, "run", "demo")
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

	s := scenario.NewStack(scenario.Env{Root: root, Bin: bin, Dir: state}, &reporter{})
	start := time.Now()
	err = demo(ctx, s, start, *keep)
	if err != nil {
		fmt.Fprintf(os.Stderr, "  ✗ %v\n", err)
	}
	s.Close(err != nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo FAILED after %s; logs are in %s, and the report of every process it started is above\n", time.Since(start).Round(time.Second), state)
		return 1
	}
	fmt.Println("demo stopped cleanly")
	return 0
}

// demo starts the market, walks the flow and, with keep, waits for Ctrl-C.
func demo(ctx context.Context, s *scenario.Stack, start time.Time, keep bool) error {
	m, err := scenario.StartMarket(ctx, s, scenario.Options{})
	if err != nil {
		return err
	}
	if _, err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Printf("\nsettled: the whole flow took %s (state and logs in %s)\n", time.Since(start).Round(time.Second), s.Env.Dir)
	m.PrintAccess(os.Stdout)
	if keep {
		fmt.Printf("\nEverything keeps running. Press Ctrl-C here, or run `make demo-down`, to stop it.\n")
		<-ctx.Done()
		fmt.Printf("\nstopping…\n")
	}
	return nil
}

// reporter prints the steps to standard output and the diagnostics to
// standard error.
type reporter struct{ step int }

func (r *reporter) Step(title string) {
	r.step++
	fmt.Printf("\n[%d] %s\n", r.step, title)
}

func (r *reporter) OK(format string, args ...any) {
	fmt.Printf("  ✓ %s\n", fmt.Sprintf(format, args...))
}

func (r *reporter) Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}
