package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gridnode/gridnode/pkg/consul/consultest"
)

// daemon is one daemon process started by a test.
type daemon struct {
	t    *testing.T
	role string
	cmd  *exec.Cmd
	done chan struct{}
	err  error

	mu    sync.Mutex
	lines []string
	addr  string
	ready chan struct{}
}

// startDaemon starts a binary with JSON logs and waits until its HTTP
// server logs the address it listens on. It is killed at test cleanup if
// still running.
func startDaemon(t *testing.T, role string, args ...string) *daemon {
	t.Helper()
	d := &daemon{t: t, role: role, done: make(chan struct{}), ready: make(chan struct{})}
	d.cmd = exec.Command(bin(role), append([]string{"--log-format", "json"}, args...)...)
	d.cmd.Env = os.Environ()
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	d.cmd.Stdout = io.Discard
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", role, err)
	}
	go d.readLogs(stderr)
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			_ = d.cmd.Process.Kill()
			<-d.done
		}
		if t.Failed() {
			t.Logf("%s log:\n%s", role, d.log())
		}
	})
	select {
	case <-d.ready:
	case <-d.done:
		t.Fatalf("%s exited before listening (%v):\n%s", role, d.err, d.log())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not log its listen address:\n%s", role, d.log())
	}
	return d
}

func (d *daemon) readLogs(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		d.mu.Lock()
		d.lines = append(d.lines, line)
		var entry struct {
			Logger string `json:"logger"`
			Msg    string `json:"msg"`
			Addr   string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Logger == "http" && entry.Msg == "listening" && d.addr == "" {
			d.addr = entry.Addr
			close(d.ready)
		}
		d.mu.Unlock()
	}
	d.err = d.cmd.Wait()
	close(d.done)
}

func (d *daemon) url() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return "http://" + d.addr
}

func (d *daemon) log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.lines, "\n")
}

// stop sends SIGTERM and waits up to limit for the process to exit; it
// returns the exit code, or fails the test if the process does not exit.
func (d *daemon) stop(limit time.Duration) int {
	d.t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		d.t.Fatalf("signalling %s: %v", d.role, err)
	}
	select {
	case <-d.done:
		return d.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		d.t.Fatalf("%s did not exit within %s of SIGTERM:\n%s", d.role, limit, d.log())
		return -1
	}
}

// daemonArgs are the flags that start role on a free port as a member of
// org, registered with agent.
func daemonArgs(role string, agent *consultest.Agent, org string, extra ...string) []string {
	args := []string{"--http-addr", "127.0.0.1:0", "--org", org, "--consul-addr", agent.Addr()}
	switch role {
	case "gateway":
		args = append(args, testProviderKeystore()...)
	case "via":
		args = append(args, "--public-addr", "127.0.0.1:0")
	}
	return append(args, extra...)
}

// waitReady waits until the daemon's /readyz answers 200.
func waitReady(t *testing.T, d *daemon) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(d.url() + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready: %s", d.role, body)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("%s /readyz: %v", d.role, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
