// Command benchtable runs every benchmark of `make bench` in turn and
// writes docs/benchmarks.md: the machine, then one table of every figure
// with its target, whether it was met, the comparison figure measured in
// the same run (nginx, the upstream alone) and the command, then each
// command's output. Figures are read from Go benchmark result lines and
// from `FIGURE <key> <value> <unit>` lines (the bench scripts and the
// settlement crash test print them); spec.go says which figure comes from
// where and what its target is.
//
// A figure that is not in its command's output is never made up: its row
// says "not measured" and why, and benchtable exits non-zero after writing
// the file, as it does when a command fails.
//
//	go run ./hack/benchtable                  # all of them (make bench)
//	go run ./hack/benchtable -only Gas        # the commands matching a regexp; the page goes to stdout
//	go run ./hack/benchtable -list            # the commands
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

func main() {
	only := flag.String("only", "", "run only the commands whose name or command line matches this regexp; the page goes to stdout unless -out is given")
	out := flag.String("out", "", "where to write the page (- for stdout); default docs/benchmarks.md, or stdout with -only")
	timeout := flag.Duration("timeout", 90*time.Minute, "time limit of each command")
	list := flag.Bool("list", false, "list the commands and exit")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "benchtable: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if *list {
		for _, c := range commands {
			fmt.Printf("%-20s %s\n", c.name, c.run)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := benchtable(ctx, *only, *out, *timeout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
	}
	os.Exit(code)
}

func benchtable(ctx context.Context, only, out string, timeout time.Duration) (int, error) {
	root, err := repoRoot()
	if err != nil {
		return 1, err
	}
	selected := commands
	if only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			return 2, fmt.Errorf("parsing -only: %w", err)
		}
		selected = nil
		for _, c := range commands {
			if re.MatchString(c.name) || re.MatchString(c.run) {
				selected = append(selected, c)
			}
		}
		if len(selected) == 0 {
			return 2, fmt.Errorf("-only %q matches no command (go run ./hack/benchtable -list)", only)
		}
	}
	if out == "" {
		out = filepath.Join(root, "docs", "benchmarks.md")
		if only != "" {
			out = "-"
		}
	}

	rp := report{started: time.Now(), commit: gitCommit(root), machine: readMachine(), loadBefore: loadAverage(),
		env: benchEnv(), only: only}
	for i := range selected {
		c := &selected[i]
		progress("[%d/%d] %s", i+1, len(selected), c.run)
		r := runCommand(ctx, root, c, timeout, os.Stderr)
		rp.runs = append(rp.runs, r)
		if ctx.Err() != nil {
			return 130, errors.New("interrupted; nothing written")
		}
		if r.res.failed != "" {
			progress("[%d/%d] failed: %s", i+1, len(selected), r.res.failed)
		}
	}
	rp.took = time.Since(rp.started)

	page := render(rp)
	if out == "-" {
		if _, err := os.Stdout.Write(page); err != nil {
			return 1, fmt.Errorf("writing the page: %w", err)
		}
	} else {
		if err := os.WriteFile(out, page, 0o644); err != nil {
			return 1, fmt.Errorf("writing the page: %w", err)
		}
		progress("wrote %s", out)
	}

	rows := rp.rows()
	for _, rw := range rows {
		if rw.met == "✗" {
			progress("target missed: %s / %s: %s (target %s)", rw.area, rw.label, rw.measured, rw.target)
		}
	}
	notMeasured, failed := 0, 0
	for _, rw := range rows {
		if len(rw.missing) > 0 {
			notMeasured++
			progress("NOT MEASURED: %s / %s: no %s", rw.area, rw.label, strings.Join(rw.missing, ", "))
		}
	}
	for _, r := range rp.runs {
		if r.res.failed != "" {
			failed++
			progress("FAILED: %s: %s", r.cmd.run, r.res.failed)
		}
	}
	if notMeasured > 0 || failed > 0 {
		return 1, fmt.Errorf("%d of %d figures not measured, %d of %d commands failed; see above", notMeasured, len(rows), failed, len(rp.runs))
	}
	progress("all %d figures measured", len(rows))
	return 0, nil
}

// runCommand runs c with bash in root, streaming its output to stream and
// keeping it. On the context's end (Ctrl-C) or the time limit, its whole
// process group gets SIGINT (the bench scripts stop what they started),
// then SIGKILL 30 s later.
func runCommand(ctx context.Context, root string, c *command, timeout time.Duration, stream io.Writer) run {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var buf bytes.Buffer
	w := io.MultiWriter(stream, &buf)
	cmd := exec.CommandContext(ctx, "bash", "-c", c.run)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := run{cmd: c, took: time.Since(start), load: loadAverage()}
	if ctx.Err() != nil && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what is left of its group
	}
	r.text = buf.String()
	r.res = result{out: parseOutput(r.text)}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.res.failed = fmt.Sprintf("stopped after the time limit of %s", timeout)
	case err != nil:
		r.res.failed = err.Error()
	}
	return r
}

// repoRoot is the git top level of the working directory.
func repoRoot() (string, error) {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("finding the repository root (run from the checkout): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}
