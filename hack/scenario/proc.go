package scenario

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Proc is one daemon process of the stack. Its output goes to a log file;
// JSON log lines are scanned for the HTTP listen address.
type Proc struct {
	Name    string
	LogPath string

	cmd     *exec.Cmd
	started time.Time
	done    chan struct{}
	err     error
	ended   time.Time

	mu      sync.Mutex
	addr    string
	ready   chan struct{}
	stopped string // how the harness ended it ("SIGTERM", "SIGKILL"), if it did
}

// ProcTailLines is how many lines of each process's log the report of a
// failed run shows.
const ProcTailLines = 60

// Bounds of a process's start and stop.
const (
	listenTimeout = 90 * time.Second
	stopGrace     = 15 * time.Second
)

// launchProc runs path with args, logging to logPath.
func launchProc(name, logPath, path string, args ...string) (*Proc, error) {
	p := &Proc{Name: name, LogPath: logPath, done: make(chan struct{}), ready: make(chan struct{})}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: opening log: %w", name, err)
	}
	p.cmd = exec.Command(path, args...)
	p.cmd.Env = os.Environ()
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p.started = time.Now()
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		p.scan(pr, f)
	}()
	go func() {
		p.err = p.cmd.Wait()
		p.ended = time.Now()
		pw.Close()
		<-scanned // the log file holds every line once done is closed
		close(p.done)
	}()
	return p, nil
}

// waitListening waits until the daemon logs its HTTP listen address.
func (p *Proc) waitListening() error {
	select {
	case <-p.ready:
		return nil
	case <-p.done:
		return fmt.Errorf("%s exited before listening (%s)", p.Name, p.State())
	case <-time.After(listenTimeout):
		return fmt.Errorf("%s did not log its listen address within %s", p.Name, listenTimeout)
	}
}

// Report describes processes for a failed run: for each, how it ended and
// the last n lines of its log.
func Report(procs []*Proc, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the run failed; its %d processes:", len(procs))
	for _, p := range procs {
		fmt.Fprintf(&b, "\n\n=== %s: %s\n--- last %d lines of %s:\n%s", p.Name, p.State(), n, p.LogPath, Tail(p.LogPath, n))
	}
	return b.String()
}

// State says whether the process runs, or how it ended and who ended it:
// "running (pid 42, for 3.1s)", "exited by itself after 12.5s: exit status
// 1", "stopped by the test (SIGTERM) after 40s: exit status 0" (the test,
// the demo: whoever runs the scenario).
func (p *Proc) State() string {
	select {
	case <-p.done:
	default:
		return fmt.Sprintf("running (pid %d, for %s)", p.cmd.Process.Pid, time.Since(p.started).Round(100*time.Millisecond))
	}
	p.mu.Lock()
	by := p.stopped
	p.mu.Unlock()
	how := "exited by itself"
	if by != "" {
		how = "stopped by the test (" + by + ")"
	}
	return fmt.Sprintf("%s after %s: %s", how, p.ended.Sub(p.started).Round(100*time.Millisecond), exitDescription(p.err))
}

// exitDescription says how a process ended, from exec.Cmd.Wait's error:
// "exit status 0", "exit status 1", "killed by signal killed".
func exitDescription(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exit status 0"
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by signal " + ws.Signal().String()
		}
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	default:
		return err.Error()
	}
}

func (p *Proc) scan(r io.Reader, f *os.File) {
	defer f.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		_, _ = f.Write(append(line, '\n'))
		var e struct {
			Logger string `json:"logger"`
			Msg    string `json:"msg"`
			Addr   string `json:"addr"`
		}
		if json.Unmarshal(line, &e) == nil && e.Logger == "http" && e.Msg == "listening" {
			p.mu.Lock()
			if p.addr == "" {
				p.addr = e.Addr
				close(p.ready)
			}
			p.mu.Unlock()
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// URL is the daemon's HTTP base URL.
func (p *Proc) URL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return "http://" + p.addr
}

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Running reports whether the process has not exited.
func (p *Proc) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// ExitCode is the process's exit code once it has exited (-1 if a signal
// ended it, or while it runs).
func (p *Proc) ExitCode() int {
	if p.Running() {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// Kill stops the process with SIGKILL and waits for it.
func (p *Proc) Kill() {
	p.stoppedBy("SIGKILL")
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Terminate sends SIGTERM without waiting.
func (p *Proc) Terminate() error {
	p.stoppedBy("SIGTERM")
	return p.cmd.Process.Signal(syscall.SIGTERM)
}

// Stop sends SIGTERM, waits up to grace, then kills.
func (p *Proc) Stop(grace time.Duration) {
	if !p.Running() {
		return
	}
	_ = p.Terminate()
	select {
	case <-p.done:
	case <-time.After(grace):
		p.Kill()
	}
}

// stoppedBy records the first way the harness ended the process, unless it had
// already exited by itself.
func (p *Proc) stoppedBy(how string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped == "" && p.Running() {
		p.stopped = how
	}
}

// Tail returns the last n lines of a file.
func Tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", path, err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
