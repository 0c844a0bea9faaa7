package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAdminBrowserDeploy drives org B's console in Debian's Chromium
// (playwright-core, test/browser/deploy.test.mjs) through org B's via,
// on hack/scenario's two organizations with org A's gateway on a real
// API server with controllers and a kwok node, for the order org B bought:
// the Deployment panel deploys the manifest by URL and shows the phase
// reach Ready and the events; Follow logs shows the gateway's error (kwok
// has no logs); Open app opens a tab that posts the session to org A's
// gateway, which sets the order's cookie and lands on the order's app
// path; Delete removes the deployment; a viewer sees the panel without
// controls. Screenshots go to the test's artifact directory.
func TestAdminBrowserDeploy(t *testing.T) {
	chromium, node := browserDeps(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute) // a hang guard
	defer cancel()
	m, o := startKwokMarket(ctx, t)
	id := strconv.FormatUint(o.ID, 10)
	provider := strings.ToLower(m.Provider.Hex())

	shots := os.Getenv("GRIDNODE_SCREENSHOTS")
	if shots == "" {
		shots = t.ArtifactDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]string{
		"chromium": chromium, "console": m.B.ViaURL + "/admin/", "user": m.B.AdminUser, "bootstrapPassword": m.B.AdminPass,
		"order": id, "manifestUrl": m.ManifestURL, "gatewayOrigin": m.A.ViaURL, "appPath": "/gw/" + provider + "/app/" + id + "/",
		"screenshots": shots,
	})
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "deploy.test.mjs")
	cmd.Dir = "../browser"
	cmd.Env = append(os.Environ(), "GRIDNODE_BROWSER_CONFIG="+string(cfg))
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	res, err := cmd.CombinedOutput()
	t.Logf("node --test deploy.test.mjs (%s):\n%s", time.Since(start).Round(time.Second), res)
	t.Logf("screenshots in %s", shots)
	if err != nil {
		t.Fatalf("browser tests failed: %v", err)
	}
}
