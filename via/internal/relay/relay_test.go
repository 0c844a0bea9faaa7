package relay

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
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
	r, err := New(cfg, prometheus.NewRegistry(), zaptest.NewLogger(t))
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

// carrierSource is a fixed set of carrier instances.
type carrierSource struct{ set []consul.Instance }

func (s carrierSource) Subscribe() (<-chan []consul.Instance, func()) {
	ch := make(chan []consul.Instance, 1)
	ch <- s.set
	return ch, func() {}
}

// TestRelayListed (logic; the e2e relay test runs it against a real
// carrier): with AllowListed the relay admits the peers the carrier's
// /v1/peers lists, follows changes, keeps the last good set while the
// carrier fails, and sends its token.
func TestRelayListed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := newPeer(t, new(peer.ID))
	token := strings.Repeat("t", 40)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	answer, status := `{"listed":[]}`, http.StatusOK
	var asked atomic.Int64
	carrier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/peers" || r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		asked.Add(1)
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	defer carrier.Close()
	set := func(a string, s int) {
		mu.Lock()
		answer, status = a, s
		mu.Unlock()
		// Wait for two more questions: the relay has seen the answer.
		n := asked.Load()
		waitUntil(t, 10*time.Second, "the relay asks the carrier", func() bool { return asked.Load() >= n+2 })
	}

	cfg := Defaults()
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.KeyFile = filepath.Join(t.TempDir(), "relay.key")
	cfg.AllowListed, cfg.CarrierTokenFile, cfg.ListedRefresh = true, tokenFile, 100*time.Millisecond
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	r, err := New(cfg, reg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	host, port, _ := net.SplitHostPort(carrier.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	rctx, rcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.RunListed(rctx, carrierSource{set: []consul.Instance{{Address: host, Port: p}}}) }()
	defer func() { rcancel(); <-done }()

	info := peer.AddrInfo{ID: r.Host().ID(), Addrs: r.Host().Addrs()}
	if err := a.Connect(ctx, info); err != nil {
		t.Fatal(err)
	}
	set(`{"listed":[]}`, http.StatusOK)
	if _, err := client.Reserve(ctx, a, info); err == nil {
		t.Fatal("a peer not listed reserved a slot")
	}
	set(`{"listed":["`+a.ID().String()+`"]}`, http.StatusOK)
	if _, err := client.Reserve(ctx, a, info); err != nil {
		t.Fatalf("a listed peer could not reserve: %v", err)
	}
	// The carrier fails (a standby, a bad answer): the last good set stays.
	for _, bad := range []struct {
		body string
		code int
	}{
		{`{"error":{"code":"unavailable","message":"standby"}}`, http.StatusServiceUnavailable},
		{`{"peers":[]}`, http.StatusOK},
		{`{"listed":["not-a-peer-id"]}`, http.StatusOK},
	} {
		set(bad.body, bad.code)
		if _, err := client.Reserve(ctx, a, info); err != nil {
			t.Fatalf("after %s the listed peer lost its slot: %v", bad.body, err)
		}
	}
	// Dropped from the list: refused.
	set(`{"listed":[]}`, http.StatusOK)
	if _, err := client.Reserve(ctx, a, info); err == nil {
		t.Fatal("a peer dropped from the list reserved a slot")
	}
	if got := counter(t, reg, "gridnode_via_relay_listed_errors_total"); got < 3 {
		t.Errorf("listed errors counted %v, want at least 3", got)
	}
	if got := counter(t, reg, "gridnode_via_relay_reservations_total"); got < 6 {
		t.Errorf("reservation requests counted %v, want at least 6", got)
	}
}

func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// counter sums the samples of a counter family.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}
