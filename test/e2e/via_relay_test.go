package e2e

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/consul/consultest"
)

// TestViaRelay runs two organizations on one devnet, each with its own
// Consul agent, via (with its relay) and carrier, where the carriers
// cannot dial each other directly: they listen on 127.0.0.1 and their
// gaters deny 127.0.0.1/32, while the vias' relays listen on 127.0.0.2.
// (Denying the other carrier's peer id would not do: the gater judges
// the peer, so it would refuse the relayed connection too; an address
// deny refuses only the direct dials, a relayed address being judged by
// the relay's IP.) Each carrier reads its via's relay from Consul KV,
// reserves a slot there (its via's allow-list holds its peer id; the
// remote carrier need not be listed: the relay admits any source to an
// allowed destination), B bootstraps to A's relayed address
// <via-a relay>/p2p-circuit/p2p/<A>, and a listing published at A shows
// up in B's search, exchanged over the relayed connection.
func TestViaRelay(t *testing.T) {
	e := startDevnet(t)
	providerKey := e.key("provider-a")
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	registerProvider(t, e, provider)

	a := startRelayedOrg(t, e, "org-a")
	waitFor(t, time.Minute, "carrier A's relay reservation", func() bool { return strings.Contains(a.carrier.log(), `"relay reservation"`) })
	aRelayed := a.relays[0] + "/p2p-circuit/p2p/" + a.peerID.String()
	b := startRelayedOrg(t, e, "org-b", aRelayed)
	waitFor(t, time.Minute, "carrier B's relay reservation", func() bool { return strings.Contains(b.carrier.log(), `"relay reservation"`) })

	// B connects to A, through the relay only.
	var viaAddr string
	waitFor(t, time.Minute, "carrier B connected to carrier A through the relay", func() bool {
		out, err := b.cli(t, "peers")
		if err != nil {
			return false
		}
		var ps struct {
			Peers []struct {
				ID    string
				Addrs []string
			}
		}
		if json.Unmarshal(out, &ps) != nil {
			return false
		}
		for _, p := range ps.Peers {
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

	keyFile := filepath.Join(t.TempDir(), "provider.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(providerKey))), 0o600); err != nil {
		t.Fatal(err)
	}
	published := time.Now()
	out, err := a.cli(t, "listings publish", "--provider-key-file", keyFile, "--gateway-url", "https://via.org-a.example/gw/a",
		"--cpu", "8000", "--free-cpu", "6000", "--memory", "16Gi", "--storage", "100Gi", "--price-cpu", "2", "--price-memory", "1",
		"--region", "eu", "--label", "tier=gold")
	if err != nil {
		t.Fatalf("carrier listings publish: %v\n%s", err, out)
	}
	var search struct {
		Total    int
		Listings []struct{ Provider, Org string }
	}
	waitFor(t, time.Minute, "the listing in carrier B's search", func() bool {
		out, err := b.cli(t, "listings search", "--label", "tier=gold")
		if err != nil || json.Unmarshal(out, &search) != nil {
			return false
		}
		return search.Total == 1 && strings.EqualFold(search.Listings[0].Provider, provider.Hex()) && search.Listings[0].Org == "org-a"
	})
	t.Logf("published at A, found at B through the relays after %s", time.Since(published))
}

// relayedOrg is a p2pOrg with a via whose relay is the carrier's only
// way in.
type relayedOrg struct {
	p2pOrg
	via    *daemon
	relays []string
}

// startRelayedOrg starts an organization's agent, its via (relay on
// 127.0.0.2, allow-list: the carrier's peer id), waits for the relay's
// addresses in KV, then starts its carrier with no --p2p-relay (it finds
// the via's relay in KV) and direct dials to 127.0.0.1 denied.
func startRelayedOrg(t *testing.T, e *chainEnv, name string, bootstrap ...string) *relayedOrg {
	t.Helper()
	o := &relayedOrg{p2pOrg: p2pOrg{name: name, agent: consultest.Start(t), token: writeToken(t, 0o600)}}
	out, err := exec.Command(bin("carrier"), "settings", "set", "--org", name, "--consul-addr", o.agent.Addr(), "--devnet-info", e.file).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	keyFile, id := writeHexKey(t)
	o.peerID = id

	o.via = startDaemon(t, "via", daemonArgs("via", o.agent, name, "--public-url", "https://via."+name+".example",
		"--relay-listen", "/ip4/127.0.0.2/tcp/0", "--relay-key-file", filepath.Join(t.TempDir(), "relay.key"),
		"--relay-allow-peer", id.String())...)
	waitReady(t, o.via)
	c := client(t, o.agent)
	waitFor(t, 15*time.Second, name+"'s relay addresses in KV", func() bool {
		pair, _, err := c.KV().Get("gridnode/"+name+"/via/relay-addrs", nil)
		return err == nil && pair != nil && json.Unmarshal(pair.Value, &o.relays) == nil && len(o.relays) > 0
	})

	o.addr = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", freeTCPPort(t), id)
	args := []string{"--api-token-file", o.token, "--data-dir", t.TempDir(),
		"--p2p-listen", strings.TrimSuffix(o.addr, "/p2p/"+id.String()), "--p2p-key-file", keyFile,
		"--p2p-deny-cidr", "127.0.0.1/32", "--p2p-force-relay", "--p2p-no-dht", "--p2p-sync-interval", "2s"}
	for _, b := range bootstrap {
		args = append(args, "--p2p-bootstrap", b)
	}
	o.carrier = startDaemon(t, "carrier", daemonArgs("carrier", o.agent, name, args...)...)
	return o
}
