package p2p

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"
	circuit "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

// TestRelayed: two nodes that deny each other's direct addresses
// (127.0.0.1) reserve with a relay on 127.0.0.2 (ForceRelay); A
// advertises its relayed address (libp2p would not, for a loopback relay:
// relayAddrs adds it), B connects to A at that address and they sync a
// listing.
func TestRelayed(t *testing.T) {
	rh, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.2/tcp/0"), libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	defer rh.Close()
	svc, err := circuit.New(rh)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	infos, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: rh.ID(), Addrs: rh.Addrs()})
	relayAddr := infos[0].String()

	log := zaptest.NewLogger(t, zaptest.Level(zap.InfoLevel))
	deny := []string{"127.0.0.1/32"}
	a := startNode(t, nodeOpts{org: "org-a", relays: []string{relayAddr}, forceRelay: true, denyCIDRs: deny, logger: log})
	waitFor(t, "A's reservation", 20*time.Second, func() bool { return a.Host().ConnManager().IsProtected(rh.ID(), autorelayTag) })
	var advertised string
	waitFor(t, "A advertises its relayed address", 20*time.Second, func() bool {
		for _, addr := range a.Addrs() {
			if strings.HasPrefix(addr, relayAddr+"/p2p-circuit/p2p/") {
				advertised = addr
				return true
			}
		}
		return false
	})
	if want := relayAddr + "/p2p-circuit/p2p/" + a.ID().String(); advertised != want {
		t.Fatalf("A advertises %s, want %s", advertised, want)
	}
	b := startNode(t, nodeOpts{org: "org-b", relays: []string{relayAddr}, forceRelay: true, denyCIDRs: deny,
		bootstrap: []string{advertised}, logger: log})
	waitFor(t, "B connected to A", 20*time.Second, func() bool { return len(b.Host().Network().ConnsToPeer(a.ID())) > 0 })
	for _, c := range b.Host().Network().ConnsToPeer(a.ID()) {
		if !strings.Contains(c.RemoteMultiaddr().String(), "/p2p-circuit") {
			t.Fatalf("B reached A directly at %s", c.RemoteMultiaddr())
		}
	}
	_, raw := record(t, 1, "org-a", 10, nil)
	if _, err := a.Publish(context.Background(), raw, nil); err != nil {
		t.Fatal(err)
	}
	// A peer that reaches A directly learns A's addresses from identify:
	// the relayed one is among them, for it to pass on.
	// (C listens on 127.0.0.3, and dials from there: A denies 127.0.0.1.)
	c := startNode(t, nodeOpts{org: "org-c", listen: []string{"/ip4/127.0.0.3/tcp/0"}, logger: log})
	if err := c.Host().Connect(context.Background(), peer.AddrInfo{ID: a.ID(), Addrs: a.Host().Network().ListenAddresses()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "A's relayed address at C, from identify", 20*time.Second, func() bool {
		for _, addr := range c.Host().Peerstore().Addrs(a.ID()) {
			if addr.String()+"/p2p/"+a.ID().String() == advertised {
				return true
			}
		}
		return false
	})
	waitFor(t, "the listing at B", 20*time.Second, func() bool {
		if b.holds(1, 10) {
			return true
		}
		_, _ = b.Sync().SyncWith(context.Background(), a.ID())
		return b.holds(1, 10)
	})
}
