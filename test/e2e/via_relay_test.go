package e2e

import (
	"bufio"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/testport"
)

// TestViaRelay runs two organizations on one devnet, each with its own
// Consul agent, via (with its relay) and carrier, where the carriers
// cannot dial each other directly: they listen on 127.0.0.1 and their
// gaters deny 127.0.0.1/32, while the vias' relays listen on 127.0.0.2.
// (Denying the other carrier's peer id would not do: the gater judges
// the peer, so it would refuse the relayed connection too; an address
// deny refuses only the direct dials, a relayed address being judged by
// the relay's IP.) Each carrier reads its via's relay from Consul KV and
// reserves a slot there:
//
//   - via A admits its carrier by peer id (--relay-allow-peer);
//   - via B admits every peer that holds a registered listing, as carrier
//     B lists them (--relay-allow-listed): carrier B is refused until it
//     publishes a listing of a registered provider, then admitted.
//
// Carrier A advertises its relayed address (`carrier peers`, self.addrs);
// B bootstraps to that address, connects through via A's relay only, and
// listings published at either end show up at the other.
func TestViaRelay(t *testing.T) {
	e := startDevnet(t)
	keyA, keyB := e.key("provider-a"), e.key("provider-b")
	owner := registerProvider(t, e, keyA)
	registerProvider(t, e, keyB)

	a := startRelayedOrg(t, e, "org-a", false)
	waitFor(t, time.Minute, "carrier A's relay reservation", func() bool { return strings.Contains(a.carrier.log(), `"relay reservation"`) })
	aRelayed := a.advertisedRelayAddr(t)
	if want := a.relays[0] + "/p2p-circuit/p2p/" + a.peerID.String(); aRelayed != want {
		t.Fatalf("carrier A advertises %s, want %s", aRelayed, want)
	}
	t.Logf("carrier A advertises %s", aRelayed)

	b := startRelayedOrg(t, e, "org-b", true, aRelayed)
	// Via B refuses carrier B: it holds no listing yet.
	waitFor(t, time.Minute, "via B refusing carrier B's reservation", func() bool {
		return viaMetric(t, b.via, `gridnode_via_relay_reservations_total{result="refused"}`) >= 1
	})
	if strings.Contains(b.carrier.log(), `"relay reservation"`) {
		t.Fatal("carrier B got a reservation before holding a listing")
	}

	// B connects to A, through via A's relay only.
	var viaAddr string
	waitFor(t, time.Minute, "carrier B connected to carrier A through the relay", func() bool {
		for _, p := range b.peers(t).Peers {
			if p.ID == a.peerID.String() && len(p.Addrs) > 0 {
				viaAddr = strings.Join(p.Addrs, " ")
				return true
			}
		}
		return false
	})
	for _, addr := range strings.Fields(viaAddr) {
		if !strings.Contains(addr, "/p2p-circuit") {
			t.Fatalf("B reached A directly at %s, despite the gaters", addr)
		}
	}
	t.Logf("B connected to A at %s", viaAddr)

	// B publishes a listing of its registered provider: its carrier lists
	// itself as a listing peer, via B admits it.
	published := time.Now()
	b.publish(t, keyB, owner, "region-b")
	waitFor(t, time.Minute, "carrier B listing itself", func() bool {
		listed := b.peers(t).Listed
		return len(listed) == 1 && listed[0] == b.peerID.String()
	})
	waitFor(t, 2*time.Minute, "carrier B's relay reservation at via B", func() bool {
		return strings.Contains(b.carrier.log(), `"relay reservation"`)
	})
	t.Logf("via B admitted carrier B %s after its listing was published (refresh 1 s, carrier backoff 2 s); refused %v times before",
		time.Since(published).Round(time.Millisecond), viaMetric(t, b.via, `gridnode_via_relay_reservations_total{result="refused"}`))
	if n := viaMetric(t, b.via, `gridnode_via_relay_reservations_total{result="allowed"}`); n < 1 {
		t.Fatalf("via B counts %v allowed reservations", n)
	}
	b.advertisedRelayAddr(t)

	// Listings flow both ways over the relayed connection.
	a.publish(t, keyA, owner, "region-a")
	for _, c := range []struct {
		at     *relayedOrg
		region string
		org    string
	}{{b, "region-a", "org-a"}, {a, "region-b", "org-b"}} {
		start := time.Now()
		waitFor(t, time.Minute, c.org+"'s listing at "+c.at.name, func() bool {
			out, err := c.at.cli(t, "listings search", "--region", c.region)
			var search struct {
				Total    int
				Listings []struct{ Org string }
			}
			if err != nil || json.Unmarshal(out, &search) != nil {
				return false
			}
			return search.Total == 1 && search.Listings[0].Org == c.org
		})
		t.Logf("%s's listing found at %s after %s", c.org, c.at.name, time.Since(start).Round(time.Millisecond))
	}
}

// relayedOrg is a p2pOrg with a via whose relay is the carrier's only
// way in.
type relayedOrg struct {
	p2pOrg
	via    *daemon
	relays []string
}

// startRelayedOrg starts an organization's agent and its via (relay on
// 127.0.0.2; its allow-list the carrier's peer id, or with listed the
// peers the carrier says hold listings), waits for the relay's addresses
// in KV, then starts its carrier with no --p2p-relay (it finds the via's
// relay in KV) and direct dials to 127.0.0.1 denied.
func startRelayedOrg(t *testing.T, e *chainEnv, name string, listed bool, bootstrap ...string) *relayedOrg {
	t.Helper()
	o := &relayedOrg{p2pOrg: p2pOrg{name: name, agent: consultest.Start(t), token: writeToken(t, 0o600)}}
	out, err := exec.Command(bin("carrier"), "settings", "set", "--org", name, "--consul-addr", o.agent.Addr(), "--devnet-info", e.file).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	keyFile, id := p2pKeyFile(t, filepath.Join(t.TempDir(), "p2p.key"))
	o.peerID = id

	viaArgs := []string{"--public-url", "https://via." + name + ".example",
		"--relay-listen", "/ip4/127.0.0.2/tcp/0", "--relay-key-file", filepath.Join(t.TempDir(), "relay.key")}
	if listed {
		viaArgs = append(viaArgs, "--relay-allow-listed", "--carrier-api-token-file", o.token, "--relay-listed-refresh", "1s")
	} else {
		viaArgs = append(viaArgs, "--relay-allow-peer", id.String())
	}
	o.via = startDaemon(t, "via", daemonArgs("via", o.agent, name, viaArgs...)...)
	waitReady(t, o.via)
	c := client(t, o.agent)
	waitFor(t, 15*time.Second, name+"'s relay addresses in KV", func() bool {
		pair, _, err := c.KV().Get("gridnode/"+name+"/via/relay-addrs", nil)
		return err == nil && pair != nil && json.Unmarshal(pair.Value, &o.relays) == nil && len(o.relays) > 0
	})

	o.addr = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", testport.Get(t), id)
	args := []string{"--api-token-file", o.token, "--data-dir", t.TempDir(),
		"--p2p-listen", strings.TrimSuffix(o.addr, "/p2p/"+id.String()), "--p2p-key-file", keyFile,
		"--p2p-deny-cidr", "127.0.0.1/32", "--p2p-force-relay", "--p2p-relay-backoff", "2s",
		"--p2p-no-dht", "--p2p-sync-interval", "2s"}
	for _, b := range bootstrap {
		args = append(args, "--p2p-bootstrap", b)
	}
	o.carrier = startDaemon(t, "carrier", daemonArgs("carrier", o.agent, name, args...)...)
	return o
}

// peersView is what `carrier peers` prints.
type peersView struct {
	Self struct {
		ID    string
		Addrs []string
	}
	Peers []struct {
		ID    string
		Addrs []string
	}
	Listed []string
}

func (o *relayedOrg) peers(t *testing.T) peersView {
	t.Helper()
	var v peersView
	out, err := o.cli(t, "peers")
	if err != nil || json.Unmarshal(out, &v) != nil {
		return peersView{}
	}
	return v
}

// advertisedRelayAddr waits for the carrier to advertise a relayed address
// through its via's relay and returns it.
func (o *relayedOrg) advertisedRelayAddr(t *testing.T) string {
	t.Helper()
	var addr string
	waitFor(t, time.Minute, o.name+"'s carrier advertising its relayed address", func() bool {
		for _, a := range o.peers(t).Self.Addrs {
			for _, r := range o.relays {
				if strings.HasPrefix(a, r+"/p2p-circuit/p2p/") {
					addr = a
					return true
				}
			}
		}
		return false
	})
	return addr
}

// publish signs and publishes a listing of the provider key, owned by
// owner, in region.
func (o *relayedOrg) publish(t *testing.T, key *ecdsa.PrivateKey, owner common.Address, region string) {
	t.Helper()
	keyFile := filepath.Join(t.TempDir(), "provider.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := o.cli(t, "listings publish", "--provider-key-file", keyFile, "--owner", owner.Hex(), "--gateway-url", "https://via."+o.name+".example/gw/a",
		"--cpu", "8000", "--free-cpu", "6000", "--memory", "16Gi", "--storage", "100Gi", "--price-cpu", "2", "--price-memory", "1",
		"--region", region)
	if err != nil {
		t.Fatalf("carrier listings publish at %s: %v\n%s", o.name, err, out)
	}
}

// viaMetric reads one sample of the via's /metrics (0 if absent).
func viaMetric(t *testing.T, d *daemon, series string) float64 {
	t.Helper()
	resp, err := http.Get(d.url() + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}
