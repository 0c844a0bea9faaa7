package market

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Proc is one daemon process of the stack. Its output goes to a log file;
// JSON log lines are scanned for the HTTP listen address.
type Proc struct {
	Name    string
	LogPath string

	cmd  *exec.Cmd
	done chan struct{}
	err  error

	mu    sync.Mutex
	addr  string
	ready chan struct{}
}

// StartProc runs path with args, logging to logPath, and waits until the
// daemon logs its HTTP listen address (wait=true) or at once. It is stopped
// (SIGTERM, then SIGKILL after 15 s) at cleanup.
func StartProc(t testing.TB, name, logPath string, wait bool, path string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Name: name, LogPath: logPath, done: make(chan struct{}), ready: make(chan struct{})}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("%s: opening log: %v", name, err)
	}
	p.cmd = exec.Command(path, args...)
	p.cmd.Env = os.Environ()
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("starting %s: %v", name, err)
	}
	go p.scan(pr, f)
	go func() {
		p.err = p.cmd.Wait()
		pw.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.Stop(15 * time.Second) })
	if !wait {
		return p
	}
	select {
	case <-p.ready:
	case <-p.done:
		t.Fatalf("%s exited before listening (%v); last lines of %s:\n%s", name, p.err, logPath, Tail(logPath, 40))
	case <-time.After(90 * time.Second):
		t.Fatalf("%s did not log its listen address; last lines of %s:\n%s", name, logPath, Tail(logPath, 40))
	}
	return p
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

// Running reports whether the process has not exited.
func (p *Proc) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Kill stops the process with SIGKILL and waits for it.
func (p *Proc) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Stop sends SIGTERM, waits up to grace, then kills.
func (p *Proc) Stop(grace time.Duration) {
	if !p.Running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.Kill()
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
