package relay

import (
	"bufio"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap/zaptest"
)

const testProto = "/gridnode/relaytest/1.0.0"

// noDirect refuses every direct connection with one peer; relayed ones
// (through /p2p-circuit) pass.
type noDirect struct{ other *peer.ID }

func relayed(a ma.Multiaddr) bool { return strings.Contains(a.String(), "/p2p-circuit") }

func (g noDirect) InterceptPeerDial(peer.ID) bool { return true }
func (g noDirect) InterceptAddrDial(p peer.ID, a ma.Multiaddr) bool {
	return p != *g.other || relayed(a)
}
func (g noDirect) InterceptAccept(network.ConnMultiaddrs) bool { return true }
func (g noDirect) InterceptSecured(_ network.Direction, p peer.ID, c network.ConnMultiaddrs) bool {
	return p != *g.other || relayed(c.RemoteMultiaddr())
}
func (g noDirect) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

func newPeer(t *testing.T, other *peer.ID) host.Host {
	t.Helper()
	h, err := libp2p.New(
		libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.EnableRelay(),
		libp2p.ConnectionGater(noDirect{other: other}),
		libp2p.DisableMetrics(),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// TestRelay: two hosts that cannot dial each other connect through the
// relay (reservation + circuit address) and exchange a message on a
// stream; a peer not on the allow-list cannot reserve.
func TestRelay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var aID, bID peer.ID
	a := newPeer(t, &bID)
	b := newPeer(t, &aID)
	aID, bID = a.ID(), b.ID()
	stranger := newPeer(t, new(peer.ID))

	cfg := Defaults()
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.KeyFile = filepath.Join(t.TempDir(), "relay.key")
	cfg.AllowPeers = []string{a.ID().String()}
	r, err := New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer r.Close()
	// The key persists: a second start has the same identity.
	if again, err := loadOrCreateKey(cfg.KeyFile, zaptest.NewLogger(t)); err != nil {
		t.Fatalf("reloading key: %v", err)
	} else if id, _ := peer.IDFromPrivateKey(again); id != r.Host().ID() {
		t.Fatalf("key file gives %s, relay is %s", id, r.Host().ID())
	}
	info := peer.AddrInfo{ID: r.Host().ID(), Addrs: r.Host().Addrs()}
	t.Logf("relay addrs: %v", r.Addrs())

	// Direct dialling between a and b is blocked.
	b.Peerstore().AddAddrs(a.ID(), a.Addrs(), time.Minute)
	if err := b.Connect(ctx, peer.AddrInfo{ID: a.ID(), Addrs: a.Addrs()}); err == nil {
		t.Fatal("b dialled a directly; the gater should refuse")
	}
	b.Peerstore().ClearAddrs(a.ID())

	for _, h := range []host.Host{a, stranger} {
		if err := h.Connect(ctx, info); err != nil {
			t.Fatalf("connecting to the relay: %v", err)
		}
	}
	if _, err := client.Reserve(ctx, stranger, info); err == nil {
		t.Fatal("a peer not on the allow-list reserved a slot")
	}
	start := time.Now()
	rsv, err := client.Reserve(ctx, a, info)
	if err != nil {
		t.Fatalf("reserving: %v", err)
	}
	t.Logf("reservation in %s, expires %s, data limit %d", time.Since(start).Round(time.Millisecond), rsv.Expiration.Format(time.RFC3339), rsv.LimitData)

	a.SetStreamHandler(testProto, func(s network.Stream) {
		defer s.Close()
		_ = s.SetDeadline(time.Now().Add(10 * time.Second))
		line, err := bufio.NewReader(s).ReadString('\n')
		if err != nil {
			_ = s.Reset()
			return
		}
		_, _ = s.Write([]byte("echo " + line))
	})
	circ, err := ma.NewMultiaddr(r.Addrs()[0] + "/p2p-circuit/p2p/" + a.ID().String())
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := b.Connect(ctx, peer.AddrInfo{ID: a.ID(), Addrs: []ma.Multiaddr{circ}}); err != nil {
		t.Fatalf("b connecting to a through the relay: %v", err)
	}
	s, err := b.NewStream(network.WithAllowLimitedConn(ctx, "relay test"), a.ID(), testProto)
	if err != nil {
		t.Fatalf("stream through the relay: %v", err)
	}
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := s.Write([]byte("listing 1\n")); err != nil {
		t.Fatal(err)
	}
	got, err := bufio.NewReader(s).ReadString('\n')
	if err != nil || got != "echo listing 1\n" {
		t.Fatalf("reply %q, %v", got, err)
	}
	if !relayed(s.Conn().RemoteMultiaddr()) {
		t.Fatalf("stream went over %s, not the relay", s.Conn().RemoteMultiaddr())
	}
	t.Logf("connected and exchanged a message through the relay in %s over %s", time.Since(start).Round(time.Millisecond), s.Conn().RemoteMultiaddr())
}
