package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/test/consultest"
)

// daemon is one daemon process started by a test: a scenario.Proc (log in
// a file of the test's directory; if the test fails, every process it
// started is reported with its exit state and the last lines of its log).
type daemon struct {
	*scenario.Proc
	t    *testing.T
	role string
}

var daemonSeq atomic.Int64

// startDaemon starts a binary with JSON logs and waits until its HTTP
// server logs the address it listens on. It is stopped at test cleanup if
// still running.
func startDaemon(t *testing.T, role string, args ...string) *daemon {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d.log", role, daemonSeq.Add(1)))
	p := startProc(t, role, logPath, true, bin(role), append([]string{"--log-format", "json"}, args...)...)
	return &daemon{Proc: p, t: t, role: role}
}

func (d *daemon) url() string { return d.URL() }

// log is the daemon's whole log so far.
func (d *daemon) log() string {
	b, err := os.ReadFile(d.LogPath)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", d.LogPath, err)
	}
	return string(b)
}

// stop sends SIGTERM and waits up to limit for the process to exit; it
// returns the exit code, or fails the test if the process does not exit.
func (d *daemon) stop(limit time.Duration) int {
	d.t.Helper()
	if err := d.Terminate(); err != nil {
		d.t.Fatalf("signalling %s: %v", d.role, err)
	}
	select {
	case <-d.Done():
		return d.ExitCode()
	case <-time.After(limit):
		d.t.Fatalf("%s did not exit within %s of SIGTERM", d.role, limit)
		return -1
	}
}

// daemonArgs are the flags that start role on a free port as a member of
// org, registered with agent.
func daemonArgs(role string, agent *consultest.Agent, org string, extra ...string) []string {
	args := []string{"--http-addr", "127.0.0.1:0", "--org", org, "--consul-addr", agent.Addr()}
	switch role {
	case "gateway":
		// The owner every e2e provider is registered to (registerProvider):
		// the devnet's deployer.
		args = append(args, append(testProviderKeystore(), "--owner", testOwner().Hex())...)
	case "via":
		args = append(args, "--public-addr", "127.0.0.1:0")
	}
	return append(args, extra...)
}

// testOwner is the devnet's deployer, the owner registerProvider registers
// the e2e tests' providers to.
func testOwner() common.Address {
	a, err := devchain.DevAccount(0)
	if err != nil {
		panic(err)
	}
	return a.Address
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
