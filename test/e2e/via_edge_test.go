package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

// viaPublicAddr is the public listener's address from the via's log.
func viaPublicAddr(d *daemon) string {
	for _, line := range strings.Split(d.log(), "\n") {
		var e struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &e) == nil && e.Msg == "public listener" {
			return e.Addr
		}
	}
	return ""
}

// TestViaEdge runs the via binary against a real agent: a gateway-like
// upstream registered in Consul is reached at /gw/{provider}/… with the
// prefix stripped, via registers itself, and it publishes its public URL
// and its relay's addresses in KV.
func TestViaEdge(t *testing.T) {
	agent := consultest.Start(t)
	c := client(t, agent)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			_, _ = io.WriteString(w, "ok")
			return
		}
		_, _ = io.WriteString(w, r.URL.Path+" "+r.Header.Get("X-Forwarded-Prefix"))
	}))
	defer upstream.Close()
	host, p, _ := net.SplitHostPort(upstream.Listener.Addr().String())
	port, _ := strconv.Atoi(p)
	if err := c.Agent().ServiceRegister(&api.AgentServiceRegistration{
		ID: "gateway-e2e", Name: "gateway", Address: host, Port: port,
		Tags:  []string{"org-a", testProvider},
		Meta:  map[string]string{"org": "org-a", "provider": testProvider, "version": "test"},
		Check: &api.AgentServiceCheck{HTTP: upstream.URL + "/healthz", Interval: "1s", Timeout: "500ms"},
	}); err != nil {
		t.Fatal(err)
	}

	keyFile := filepath.Join(t.TempDir(), "relay.key")
	d := startDaemon(t, "via", daemonArgs("via", agent, "org-a",
		"--public-addr", "127.0.0.1:0", "--public-url", "https://via.example.org",
		"--relay-listen", "/ip4/127.0.0.1/tcp/0", "--relay-key-file", keyFile,
		"--relay-allow-peer", "12D3KooWHXyB5VserRDTrrDftEytCbVBatWX39T6TqYsRVVXTxtv")...)
	waitReady(t, d)
	addr := viaPublicAddr(d)
	if addr == "" {
		t.Fatalf("no public listener in the log:\n%s", d.log())
	}
	var body string
	took := eventually(t, 15*time.Second, "via routes to the gateway", func() bool {
		resp, err := http.Get("http://" + addr + "/gw/" + testProvider + "/v1/x")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return resp.StatusCode == http.StatusOK
	})
	if want := "/v1/x /gw/" + testProvider; body != want {
		t.Fatalf("upstream saw %q, want %q", body, want)
	}
	t.Logf("via routed to the gateway %s after ready", took.Round(time.Millisecond))
	eventually(t, 15*time.Second, "via passing in consul", func() bool { return len(passing(t, agent, "via")) == 1 })
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("relay key file: %v %v", fi, err)
	}
	eventually(t, 10*time.Second, "relay addresses in KV", func() bool {
		pair, _, err := c.KV().Get("gridnode/org-a/via/relay-addrs", nil)
		if err != nil || pair == nil {
			return false
		}
		var addrs []string
		return json.Unmarshal(pair.Value, &addrs) == nil && len(addrs) > 0 && strings.Contains(addrs[0], "/p2p/")
	})
	eventually(t, 10*time.Second, "public URL in KV", func() bool {
		pair, _, err := c.KV().Get("gridnode/org-a/via/public-url", nil)
		return err == nil && pair != nil && string(pair.Value) == "https://via.example.org"
	})
	if code := d.stop(15 * time.Second); code != 0 {
		t.Fatalf("via exited %d:\n%s", code, d.log())
	}
}
