package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridnode/gridnode/hack/scenario"
	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/testport"
)

// TestCarrierDutyRestarts: the carrier's p2p listen port is taken when it
// becomes active — what took org A's carrier down in a CI run, where the
// port a test had picked with a bind to :0 was handed to another socket
// before the carrier bound it. The carrier stays up, says why on /readyz,
// in its log (error level) and in a metric, retries with backoff, and runs
// its p2p node once the port is free.
func TestCarrierDutyRestarts(t *testing.T) {
	port := testport.Get(t)
	squatter, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	d, api, _ := startP2PCarrier(t, "org-duty", port)

	// Two failures in a row: the daemon is still there, and says why.
	waitFor(t, time.Minute, "the p2p duty to fail twice", func() bool {
		return strings.Contains(d.log(), `"failures":2`)
	})
	if !d.Running() {
		t.Fatalf("the carrier exited after a duty failed: %s", d.State())
	}
	checks := readiness(d)
	if checks["leader"] != "ok" || !regexp.MustCompile(`^p2p: failed \(\d+ in a row\).*address already in use`).MatchString(checks["duties"]) {
		t.Fatalf("/readyz checks while the p2p port is taken: %v", checks)
	}
	if code := peersStatus(t, api); code != http.StatusServiceUnavailable {
		t.Fatalf("GET /v1/peers while the p2p node cannot start: %d", code)
	}
	failLine := regexp.MustCompile(`"level":"error".*"msg":"active duty failed; restarting it".*"duty":"p2p".*address already in use`)
	if !failLine.MatchString(d.log()) {
		t.Fatalf("no error-level line for the failed duty in the log:\n%s", scenario.Tail(d.LogPath, 20))
	}
	if n := restarts(t, d, "p2p"); n < 2 {
		t.Fatalf("gridnode_carrier_duty_restarts_total{duty=\"p2p\"} = %v, want ≥ 2", n)
	}

	// The port comes free: the node starts, and /readyz passes again once
	// it has run for a while.
	squatter.Close()
	waitFor(t, time.Minute, "the p2p node to run", func() bool { return peersStatus(t, api) == http.StatusOK })
	waitFor(t, time.Minute, "/readyz to pass", func() bool {
		c := readiness(d)
		return c["duties"] == "ok" && c["leader"] == "ok"
	})
	if !d.Running() {
		t.Fatalf("the carrier exited: %s", d.State())
	}
}

// startP2PCarrier starts a devnet, a Consul agent holding the org's chain
// settings, and a carrier with p2p on the given port (no DHT).
func startP2PCarrier(t *testing.T, org string, p2pPort int) (*daemon, *apiClient, *consultest.Agent) {
	t.Helper()
	e := startDevnet(t)
	agent := consultest.Start(t)
	if out, err := exec.Command(bin("carrier"), "settings", "set", "--org", org, "--consul-addr", agent.Addr(),
		"--devnet-info", e.file).CombinedOutput(); err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	keyFile, _ := p2pKeyFile(t, filepath.Join(t.TempDir(), "p2p.key"))
	tok := writeToken(t, 0o600)
	d := startDaemon(t, "carrier", daemonArgs("carrier", agent, org, "--api-token-file", tok, "--data-dir", t.TempDir(),
		"--p2p-listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", p2pPort), "--p2p-key-file", keyFile, "--p2p-no-dht")...)
	return d, newAPIClient(t, d, tok), agent
}

// peersStatus is the status code of GET /v1/peers (503 while no p2p node
// runs).
func peersStatus(t *testing.T, api *apiClient) int {
	t.Helper()
	req, err := http.NewRequest("GET", api.base+"/v1/peers", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+api.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// restarts reads gridnode_carrier_duty_restarts_total{duty} from /metrics.
func restarts(t *testing.T, d *daemon, duty string) float64 {
	t.Helper()
	resp, err := http.Get(d.url() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^gridnode_carrier_duty_restarts_total\{duty="` + duty + `"\} (\S+)$`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseFloat(string(m[1]), 64)
	return n
}

// TestCarrierRegainsLeadership: the active carrier's Consul session is
// destroyed (as when Consul cannot confirm it under load): it steps down,
// wins the lock back (it is the only candidate) and starts its duties again
// in the same process — the p2p node listens again on the same port — and
// the process never exits.
func TestCarrierRegainsLeadership(t *testing.T) {
	const org = "org-regain"
	d, api, agent := startP2PCarrier(t, org, testport.Get(t))
	c := agent.Client()
	for round := 1; round <= 3; round++ {
		waitFor(t, time.Minute, "the p2p node to run", func() bool { return peersStatus(t, api) == http.StatusOK })
		pair, _, err := c.KV().Get("gridnode/"+org+"/carrier/leader", nil)
		if err != nil || pair == nil || pair.Session == "" {
			t.Fatalf("round %d: the lock is not held: %v %+v", round, err, pair)
		}
		if _, err := c.Session().Destroy(pair.Session, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, time.Minute, "the lock to be held by a new session", func() bool {
			p, _, err := c.KV().Get("gridnode/"+org+"/carrier/leader", nil)
			return err == nil && p != nil && p.Session != "" && p.Session != pair.Session
		})
		if !d.Running() {
			t.Fatalf("round %d: the carrier exited after losing its session: %s", round, d.State())
		}
	}
	waitFor(t, time.Minute, "the p2p node to run again", func() bool { return peersStatus(t, api) == http.StatusOK })
	waitFor(t, time.Minute, "/readyz to pass", func() bool {
		c := readiness(d)
		return c["duties"] == "ok" && c["leader"] == "ok"
	})
	if n := restarts(t, d, "p2p"); n != 0 {
		t.Errorf("the p2p duty failed %v times on the way: %s", n, scenario.Tail(d.LogPath, 30))
	}
}
