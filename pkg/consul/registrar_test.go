package consul

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

const testProvider = "0x00000000000000000000000000000000000000a1"

func TestRegistrationValidate(t *testing.T) {
	base := Registration{Name: ServiceCarrier, Org: "org-a", Version: "1.0.0", Address: "10.0.0.5", Port: 8080}
	tests := []struct {
		name   string
		modify func(*Registration)
		errHas string
	}{
		{"valid carrier", func(*Registration) {}, ""},
		{"valid gateway", func(r *Registration) { r.Name, r.Provider = ServiceGateway, testProvider }, ""},
		{"unknown service", func(r *Registration) { r.Name = "web" }, "want carrier, admin, gateway or via"},
		{"gateway without provider", func(r *Registration) { r.Name = ServiceGateway }, "gateway provider"},
		{"provider on a carrier", func(r *Registration) { r.Provider = testProvider }, "only gateways"},
		{"org not a DNS label", func(r *Registration) { r.Org = "Org_A" }, "lowercase DNS label"},
		{"unspecified address", func(r *Registration) { r.Address = "0.0.0.0" }, "routable"},
		{"empty address", func(r *Registration) { r.Address = "" }, "address"},
		{"port 0", func(r *Registration) { r.Port = 0 }, "port"},
		{"reserved meta", func(r *Registration) { r.Meta = map[string]string{"org": "x"} }, "set by the registration"},
		{"bad meta key", func(r *Registration) { r.Meta = map[string]string{"a b": "x"} }, "meta key"},
		{"check faster than the agent", func(r *Registration) { r.CheckInterval = 100 * time.Millisecond }, "minimum"},
		{"timeout over interval", func(r *Registration) { r.CheckTimeout = 5 * time.Second }, "timeout"},
		{"relative check path", func(r *Registration) { r.CheckPath = "healthz" }, "check path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.modify(&r)
			err := r.Validate()
			switch {
			case tt.errHas == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
				t.Fatalf("Validate: %v, want an error containing %q", err, tt.errHas)
			}
		})
	}

	r := base.withDefaults()
	if r.ID != "carrier-10.0.0.5-8080" || r.CheckURL() != "http://10.0.0.5:8080/healthz" ||
		r.CheckInterval != DefaultCheckInterval || r.DeregisterCriticalAfter != time.Minute {
		t.Fatalf("defaults: %+v, check %s", r, r.CheckURL())
	}
}

// Every role registers with its meta, passes its check, and is gone after
// a clean stop.
func TestRegistrarRegistersAndDeregisters(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	for _, name := range []string{ServiceCarrier, ServiceAdmin, ServiceGateway, ServiceVia} {
		t.Run(name, func(t *testing.T) {
			h := newHealthTarget(t)
			reg := Registration{
				Name: name, Org: "org-a", Version: "1.2.3", Address: h.host, Port: h.port,
				Tags: []string{"t1"}, Meta: map[string]string{"zone": "z1"}, CheckInterval: time.Second,
			}
			if name == ServiceGateway {
				reg.Provider = testProvider
			}
			r, err := NewRegistrar(c, reg, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			id := r.Registration().ID
			start := time.Now()
			stop := background(t, r.Run)

			var got *api.AgentService
			eventually(t, 20*time.Second, "passing in /v1/health/service/"+name+"?passing", func() (bool, error) {
				ids, err := passingIDs(c, name)
				got = ids[id]
				return got != nil, err
			})
			t.Logf("%s: registration to passing: %s", name, time.Since(start).Round(time.Millisecond))
			want := map[string]string{"org": "org-a", "version": "1.2.3", "zone": "z1"}
			if name == ServiceGateway {
				want["provider"] = testProvider
			}
			for k, v := range want {
				if got.Meta[k] != v {
					t.Errorf("meta %s = %q, want %q (meta %v)", k, got.Meta[k], v, got.Meta)
				}
			}
			wantTags := []string{"org-a", "t1"}
			if name == ServiceGateway {
				wantTags = []string{testProvider, "org-a", "t1"}
			}
			if !slices.Equal(got.Tags, wantTags) {
				t.Errorf("tags %v, want %v", got.Tags, wantTags)
			}
			if len(got.Meta) != len(want) || got.Address != h.host || got.Port != h.port {
				t.Errorf("registered %+v", got)
			}
			if err := r.Ready(t.Context()); err != nil {
				t.Errorf("Ready while registered: %v", err)
			}

			if err := stop(); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if _, _, err := c.Agent().Service(id, nil); !isNotFound(err) {
				t.Errorf("after stop, agent service %s: %v; want 404", id, err)
			}
			if ids, err := passingIDs(c, name); err != nil || ids[id] != nil {
				t.Errorf("after stop, health: %v, %v", ids, err)
			}
			if err := r.Ready(t.Context()); err == nil {
				t.Error("Ready after stop: nil")
			}
		})
	}
}

// A daemon that dies without deregistering: its check turns critical, and
// the agent removes it after DeregisterCriticalAfter — which Consul raises
// to one minute and enforces with a reaper every 30 s.
func TestRegistrarHardStopIsReaped(t *testing.T) {
	t.Parallel()
	a := consultest.Start(t)
	c := client(t, a)
	h := newHealthTarget(t)
	r, err := NewRegistrar(c, Registration{
		Name: ServiceAdmin, Org: "org-a", Address: h.host, Port: h.port,
		CheckInterval: time.Second, CheckTimeout: 500 * time.Millisecond, DeregisterCriticalAfter: time.Second,
	}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	r.skipDeregister = true
	id := r.Registration().ID
	stop := background(t, r.Run)
	eventually(t, 20*time.Second, "passing", func() (bool, error) {
		ids, err := passingIDs(c, ServiceAdmin)
		return ids[id] != nil, err
	})

	// "kill -9": no deregistration, and the health endpoint is gone.
	_ = stop()
	h.srv.Close()
	killed := time.Now()
	checkID := "service:" + id
	toCritical := eventually(t, 30*time.Second, "check critical", func() (bool, error) {
		checks, err := c.Agent().Checks()
		if err != nil {
			return false, err
		}
		ch := checks[checkID]
		return ch != nil && ch.Status == api.HealthCritical, nil
	})
	removed := eventually(t, 3*time.Minute, "service reaped by the agent", func() (bool, error) {
		_, _, err := c.Agent().Service(id, nil)
		if isNotFound(err) {
			return true, nil
		}
		return false, err
	})
	t.Logf("hard stop: check critical after %s; service removed %s after turning critical (%s after the kill); DeregisterCriticalAfter was 1s, Consul's floor is 1m, reaper every 30s",
		toCritical.Round(time.Millisecond), removed.Round(time.Millisecond), time.Since(killed).Round(time.Millisecond))
	if entries, _, err := c.Catalog().Service(ServiceAdmin, "", nil); err != nil || len(entries) != 0 {
		t.Errorf("catalog still lists %d instances (%v)", len(entries), err)
	}
}

// An agent that restarts empty gets the service back without a daemon
// restart, within the 10 s acceptance line.
func TestRegistrarReregistersAfterAgentRestart(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	h := newHealthTarget(t)
	r, err := NewRegistrar(c, Registration{
		Name: ServiceVia, Org: "org-a", Address: h.host, Port: h.port, CheckInterval: time.Second,
	}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Registration().ID
	stop := background(t, r.Run)
	eventually(t, 20*time.Second, "passing", func() (bool, error) {
		ids, err := passingIDs(c, ServiceVia)
		return ids[id] != nil, err
	})

	down := time.Now()
	a.Restart()
	back := time.Now()
	took := eventually(t, 15*time.Second, "registered again in the restarted agent", func() (bool, error) {
		s, _, err := c.Agent().Service(id, nil)
		return err == nil && s != nil, nil
	})
	if took > 10*time.Second {
		t.Errorf("re-registration took %s, over the 10 s line", took)
	}
	passing := eventually(t, 20*time.Second, "passing again", func() (bool, error) {
		ids, err := passingIDs(c, ServiceVia)
		return ids[id] != nil, err
	})
	t.Logf("agent restart (down %s): re-registered %s after the agent was back, passing %s after",
		back.Sub(down).Round(time.Millisecond), took.Round(time.Millisecond), (took + passing).Round(time.Millisecond))
	eventually(t, 5*time.Second, "ready again", func() (bool, error) { return r.Ready(t.Context()) == nil, nil })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// Consul down when the daemon starts: Run keeps trying, Ready says why, and
// the service is registered once the agent is up.
func TestRegistrarWaitsForConsul(t *testing.T) {
	a := consultest.Start(t)
	c := client(t, a)
	a.Stop()
	h := newHealthTarget(t)
	r, err := NewRegistrar(c, Registration{
		Name: ServiceCarrier, Org: "org-a", Address: h.host, Port: h.port, CheckInterval: time.Second,
	}, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	runErr := make(chan error, 1)
	stop := background(t, func(ctx context.Context) error { err := r.Run(ctx); runErr <- err; return err })
	eventually(t, 10*time.Second, "Ready reports the unreachable agent", func() (bool, error) {
		err := r.Ready(t.Context())
		return err != nil && strings.Contains(err.Error(), "not registered with consul at http://"+a.Addr()+": ") &&
			strings.Contains(err.Error(), "connection refused"), err
	})
	t.Logf("Ready while consul is down: %v", r.Ready(t.Context()))
	select {
	case err := <-runErr:
		t.Fatalf("Run returned while consul was down: %v", err)
	case <-time.After(time.Second):
	}
	a.Restart()
	took := eventually(t, 15*time.Second, "registered once consul is up", func() (bool, error) {
		return r.Ready(t.Context()) == nil, nil
	})
	t.Logf("registered %s after consul came up", took.Round(time.Millisecond))
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
