package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDevnetCommand runs the devnet binary as an operator does and checks,
// over plain JSON-RPC as curl would, the chain id, that blocks were mined,
// and that the three contracts in the info file have code; then Ctrl-C
// (SIGINT) stops it cleanly.
func TestDevnetCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "devnet.json")
	cmd := exec.Command(bin("devnet"), "--log-format", "json",
		"--http-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0", "--out", out)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "devnet.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	logs := fileText(logFile.Name())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			_ = cmd.Process.Kill()
			<-done
		}
	})

	var info struct {
		ChainID uint64 `json:"chainId"`
		RPC     struct {
			HTTP string `json:"http"`
			WS   string `json:"ws"`
		} `json:"rpc"`
		Contracts map[string]string `json:"contracts"`
		Accounts  []struct {
			Name    string `json:"name"`
			Address string `json:"address"`
		} `json:"accounts"`
		Warning string `json:"warning"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(out); err == nil && json.Unmarshal(b, &info) == nil {
			break
		}
		select {
		case <-done:
			t.Fatalf("devnet exited (%v) before writing %s:\n%s", waitErr, out, logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("devnet wrote no info file:\n%s", logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("info file mode = %v (%v), want 0600: it holds the dev keys", st.Mode().Perm(), err)
	}
	if !strings.Contains(info.Warning, "DEVNET ONLY") || len(info.Accounts) == 0 {
		t.Errorf("info file lacks the DEVNET ONLY warning or accounts: %+v", info)
	}

	rpc := func(method string, params ...any) string {
		t.Helper()
		if params == nil {
			params = []any{}
		}
		body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
		resp, err := http.Post(info.RPC.HTTP, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		defer resp.Body.Close()
		var r struct {
			Result string                    `json:"result"`
			Error  *struct{ Message string } `json:"error"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Error != nil {
			t.Fatalf("%s: %v %+v", method, err, r.Error)
		}
		return r.Result
	}
	hexInt := func(s string) uint64 {
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
		if err != nil {
			t.Fatalf("not a hex quantity %q", s)
		}
		return n
	}
	if id := hexInt(rpc("eth_chainId")); id != 1337 || id != info.ChainID {
		t.Errorf("eth_chainId = %d, info says %d, want 1337", id, info.ChainID)
	}
	if n := hexInt(rpc("eth_blockNumber")); n < 1 {
		t.Errorf("eth_blockNumber = %d, want ≥ 1 (deployments mined)", n)
	}
	for _, name := range []string{"token", "registry", "market"} {
		addr := info.Contracts[name]
		code := rpc("eth_getCode", addr, "latest")
		if len(code) <= 2 {
			t.Errorf("%s at %q has no code", name, addr)
		}
		t.Logf("%s %s: %d bytes of code", name, addr, (len(code)-2)/2)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		if waitErr != nil {
			t.Errorf("devnet exit after SIGINT: %v\n%s", waitErr, logs())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("devnet did not stop on SIGINT:\n%s", logs())
	}
	if !strings.Contains(logs(), `"devnet stopped"`) {
		t.Errorf("no clean stop logged:\n%s", logs())
	}
}

// fileText returns a function that reads a log file written by a process.
func fileText(path string) func() string {
	return func() string {
		b, _ := os.ReadFile(path)
		return string(b)
	}
}
