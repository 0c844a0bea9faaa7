package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridnode/gridnode/test/consultest"
)

// writeToken writes an API token file with the given mode.
func writeToken(t *testing.T, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "api-token")
	if err := os.WriteFile(p, []byte(strings.Repeat("k", 40)+"\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCarrierAPI checks the API's authentication and the `carrier status`
// command against a running carrier.
func TestCarrierAPI(t *testing.T) {
	agent := consultest.Start(t)
	token := writeToken(t, 0o600)
	d := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-api", "--api-token-file", token)...)
	waitReady(t, d)

	// Without the token: 401 with the JSON error and a request id.
	resp, err := http.Get(d.url() + "/v1/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e struct {
		Error struct{ Code, Message, RequestID string } `json:"error"`
	}
	if resp.StatusCode != http.StatusUnauthorized || json.Unmarshal(body, &e) != nil || e.Error.Code != "unauthorized" {
		t.Errorf("GET /v1/status without token = %d %s, want 401 unauthorized", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on the error response")
	}

	// The CLI, as an operator runs it.
	out, err := exec.Command(bin("carrier"), "status", "--carrier-url", d.url(), "--api-token-file", token).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier status: %v\n%s", err, out)
	}
	var s struct{ Org, State, Version string }
	if err := json.Unmarshal(out, &s); err != nil || s.Org != "org-api" || s.State != "active" {
		t.Errorf("carrier status = %s (%v), want org-api active", out, err)
	}

	// A token file others can read is refused, at start and by the CLI.
	loose := writeToken(t, 0o644)
	out, err = exec.Command(bin("carrier"), "status", "--carrier-url", d.url(), "--api-token-file", loose).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "0600") {
		t.Errorf("carrier status with a 0644 token file: %v\n%s", err, out)
	}
	cmd := exec.Command(bin("carrier"), append(daemonArgs("carrier", agent, "org-api2", "--api-token-file", loose), "--log-format", "console")...)
	out, err = cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "api-token-file") {
		t.Errorf("carrier with a 0644 token file: %v, want exit 2 naming the flag:\n%s", err, out)
	}
}
