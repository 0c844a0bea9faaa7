package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

// clients keeps one API client per agent, so that poll loops reuse their
// connections (the agent refuses more than 200 per client IP).
var clients sync.Map // *consultest.Agent → *api.Client

func client(t *testing.T, agent *consultest.Agent) *api.Client {
	if c, ok := clients.Load(agent); ok {
		return c.(*api.Client)
	}
	c := agent.Client()
	clients.Store(agent, c)
	t.Cleanup(func() { clients.Delete(agent) })
	return c
}

// passing returns the passing instances of a service, as
// /v1/health/service/<name>?passing lists them.
func passing(t *testing.T, agent *consultest.Agent, name string) []*api.ServiceEntry {
	t.Helper()
	entries, _, err := client(t, agent).Health().Service(name, "", true, nil)
	if err != nil {
		t.Fatalf("health of %s: %v", name, err)
	}
	return entries
}

// eventually polls cond every 50 ms until it holds or limit passes, and
// returns how long it took.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start)
}

// TestDiscovery runs the four daemons of one organization against a real
// Consul agent: they register as passing with their meta, the consul CLI
// shows them, they are re-registered after the agent restarts with an empty
// catalog, and they vanish on SIGTERM.
func TestDiscovery(t *testing.T) {
	agent := consultest.Start(t)
	daemons := map[string]*daemon{}
	for _, role := range roles {
		daemons[role] = startDaemon(t, role, daemonArgs(role, agent, "org-a")...)
	}
	for _, role := range roles {
		var entries []*api.ServiceEntry
		eventually(t, 20*time.Second, role+" passing in consul", func() bool {
			entries = passing(t, agent, role)
			return len(entries) == 1
		})
		svc := entries[0].Service
		if svc.Meta["org"] != "org-a" || svc.Meta["version"] == "" {
			t.Errorf("%s meta = %v, want org org-a and a version", role, svc.Meta)
		}
		if role == "gateway" && !strings.EqualFold(svc.Meta["provider"], testProvider) {
			t.Errorf("gateway meta provider = %q, want %s", svc.Meta["provider"], testProvider)
		}
		if got := svc.Address + ":" + strconv.Itoa(svc.Port); "http://"+got != daemons[role].url() {
			t.Errorf("%s registered at %s, listens at %s", role, got, daemons[role].url())
		}
	}

	// The carrier takes the org's lock once its own health check passes.
	waitReady(t, daemons["carrier"])

	// What an operator sees with the real consul CLI.
	out, err := exec.Command(consultest.Binary(t), "catalog", "services", "-tags", "-http-addr="+agent.Addr()).CombinedOutput()
	if err != nil {
		t.Fatalf("consul catalog services: %v\n%s", err, out)
	}
	for _, role := range roles {
		if !strings.Contains(string(out), role) {
			t.Errorf("consul catalog services lacks %s:\n%s", role, out)
		}
	}
	out, err = exec.Command(consultest.Binary(t), "kv", "get", "-recurse", "-http-addr="+agent.Addr(), "gridnode/").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "gridnode/org-a/carrier/leader") {
		t.Errorf("consul kv get -recurse gridnode/ does not show the carrier lock (%v):\n%s", err, out)
	}

	// A dev agent restarts with an empty catalog: every daemon registers
	// again by itself within 10 s.
	agent.Restart()
	took := eventually(t, 10*time.Second, "all four re-registered after the agent restarted", func() bool {
		for _, role := range roles {
			if len(passing(t, agent, role)) != 1 {
				return false
			}
		}
		return true
	})
	t.Logf("re-registered and passing %s after the agent came back", took.Round(time.Millisecond))

	// SIGTERM: each deregisters before exiting.
	for _, role := range roles {
		if code := daemons[role].stop(10 * time.Second); code != 0 {
			t.Errorf("%s exit code %d", role, code)
		}
		services, _, err := client(t, agent).Catalog().Service(role, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(services) != 0 {
			t.Errorf("%s still in the catalog after a clean stop: %+v", role, services[0])
		}
	}
}

// TestDiscoveryHardKill kills a daemon with SIGKILL: its check turns
// critical, and the agent removes it after deregister-critical-after (the
// agent enforces at least one minute, and reaps every ~30 s).
func TestDiscoveryHardKill(t *testing.T) {
	t.Parallel()
	agent := consultest.Start(t)
	d := startDaemon(t, "admin", daemonArgs("admin", agent, "org-k")...)
	eventually(t, 20*time.Second, "admin passing", func() bool { return len(passing(t, agent, "admin")) == 1 })
	d.Kill()
	critical := eventually(t, 30*time.Second, "admin critical after SIGKILL", func() bool {
		checks, _, err := client(t, agent).Health().Checks("admin", nil)
		return err == nil && len(checks) == 1 && checks[0].Status == api.HealthCritical
	})
	removed := eventually(t, 3*time.Minute, "admin removed after being critical", func() bool {
		s, _, err := client(t, agent).Catalog().Service("admin", "", nil)
		return err == nil && len(s) == 0
	})
	t.Logf("after SIGKILL: critical in %s, removed %s later", critical.Round(time.Millisecond), removed.Round(time.Second))
}

// TestCarrierLeadership runs two carriers of one organization (a third
// replaces each one killed) and samples every 20 ms which of them says it
// is active on /readyz: never two at once, and a standby takes over after
// the active one is killed (hard) or stopped (clean). Takeover times are
// logged; docs/benchmarks.md has the figures.
func TestCarrierLeadership(t *testing.T) {
	t.Parallel()
	agent := consultest.Start(t)
	var (
		mu       sync.Mutex
		carriers []*daemon
	)
	add := func() {
		d := startDaemon(t, "carrier", daemonArgs("carrier", agent, "org-l")...)
		mu.Lock()
		carriers = append(carriers, d)
		mu.Unlock()
		// A standby can only campaign once its own health check passes
		// (its session is tied to it): wait for that, so that the next
		// round measures the takeover, not the new standby's start.
		var last map[string]string
		eventually(t, 30*time.Second, "new carrier registered and campaigning (active or standby)", func() bool {
			last = readiness(d)
			return last["consul"] == "ok" && (last["leader"] == "ok" || strings.Contains(last["leader"], "holds the lock"))
		})
	}
	active := func() []*daemon {
		mu.Lock()
		list := append([]*daemon(nil), carriers...)
		mu.Unlock()
		var out []*daemon
		for _, d := range list {
			if leaderOK(d) {
				out = append(out, d)
			}
		}
		return out
	}

	add()
	add()
	var twoActive atomic.Int32
	stop := make(chan struct{})
	sampled := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				sampled <- n
				return
			case <-time.After(20 * time.Millisecond):
			}
			if len(active()) > 1 {
				twoActive.Add(1)
			}
			n++
		}
	}()

	eventually(t, 30*time.Second, "one carrier active", func() bool { return len(active()) == 1 })
	for round, how := range []string{"SIGKILL", "SIGKILL", "SIGTERM"} {
		leader := active()[0]
		killed := time.Now()
		if how == "SIGKILL" {
			leader.Kill()
		} else {
			leader.stop(10 * time.Second)
		}
		var next []*daemon
		eventually(t, 60*time.Second, "a standby takes over", func() bool {
			next = active()
			return len(next) == 1 && next[0] != leader
		})
		t.Logf("round %d: takeover after %s of the active carrier: %s", round+1, how, time.Since(killed).Round(time.Millisecond))
		add() // a new standby for the next round
	}
	close(stop)
	n := <-sampled
	if c := twoActive.Load(); c != 0 {
		t.Errorf("two carriers active at once in %d of %d samples", c, n)
	}
	t.Logf("%d samples, never two active", n)
}

// leaderOK reports whether a carrier's /readyz says its leader check
// passes (it is the active carrier).
func leaderOK(d *daemon) bool { return readiness(d)["leader"] == "ok" }

// readiness returns the checks of a daemon's /readyz, or nil.
func readiness(d *daemon) map[string]string {
	select {
	case <-d.Done():
		return nil
	default:
	}
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(d.url() + "/readyz")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r struct {
		Checks map[string]string `json:"checks"`
	}
	if json.Unmarshal(body, &r) != nil {
		return nil
	}
	return r.Checks
}
