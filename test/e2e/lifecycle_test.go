package e2e

import (
	"io"

	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridnode/gridnode/test/consultest"
)

// TestLifecycle starts each daemon binary on a free port, checks its health,
// readiness and metrics endpoints, and checks that SIGTERM stops it cleanly
// within its grace period.
func TestLifecycle(t *testing.T) {
	const grace = 5 * time.Second
	agent := consultest.Start(t)
	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			args := []string{"--shutdown-grace", grace.String()}
			if role == "gateway" {
				// A gateway is ready once it reads orders from a chain.
				ch := startDevnet(t)
				args = append(args, "--chain-rpc", ch.info.RPC.HTTP, "--market-address", ch.info.Contracts.Market.Hex())
			}
			d := startDaemon(t, role, daemonArgs(role, agent, "org-a", args...)...)
			waitReady(t, d)
			for path, want := range map[string]string{
				"/healthz": `"status":"ok"`,
				"/readyz":  `"status":"ready"`,
				"/metrics": `gridnode_build_info{commit=`,
			} {
				resp, err := http.Get(d.url() + path)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
					t.Errorf("GET %s = %d, body lacks %q:\n%s", path, resp.StatusCode, want, body)
				}
				if path == "/metrics" && !strings.Contains(string(body), `role="`+role+`"`) {
					t.Errorf("/metrics does not name role %q", role)
				}
			}
			if code := d.stop(grace); code != 0 {
				t.Errorf("exit code after SIGTERM = %d, want 0", code)
			}
			if !strings.Contains(d.log(), `"msg":"stopped"`) {
				t.Errorf("no clean-stop log line:\n%s", d.log())
			}
		})
	}
}
