package p2p

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/gridnode/gridnode/pkg/secret"
)

func TestReadKeyFile(t *testing.T) {
	key, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	hexKey := hex.EncodeToString(ethcrypto.FromECDSA(key))
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		ok            bool
		insecure      bool
	}{
		{"plain", hexKey, 0o600, true, false},
		{"0x and newline", "0x" + hexKey + "\n", 0o400, true, false},
		{"readable by others", hexKey, 0o644, false, true},
		{"not hex", "zz" + hexKey[2:], 0o600, false, false},
		{"short", hexKey[:40], 0o600, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadKeyFile(write(tc.name, tc.content, tc.mode))
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if tc.insecure && !errors.Is(err, secret.ErrInsecureFile) {
				t.Errorf("err = %v, want ErrInsecureFile", err)
			}
			if err != nil && len(hexKey) > 8 && strings.Contains(err.Error(), hexKey[:16]) {
				t.Errorf("error shows the key: %v", err)
			}
			if tc.ok && !got.Equal(key) {
				t.Error("another key read")
			}
		})
	}
	// The peer id follows from the key, the same every time.
	a, err := PeerID(key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PeerID(key)
	if a != b || a == "" {
		t.Errorf("peer ids %s, %s", a, b)
	}
}

func TestGater(t *testing.T) {
	k1, _ := ethcrypto.GenerateKey()
	k2, _ := ethcrypto.GenerateKey()
	p1, _ := PeerID(k1)
	p2, _ := PeerID(k2)
	addr := func(s string) ma.Multiaddr { return ma.StringCast(s) }
	for _, tc := range []struct {
		name                  string
		allowC, denyC         []string
		allowP, denyP         []string
		peer                  peer.ID
		addr                  string
		wantPeer, wantAddrDia bool
	}{
		{"open", nil, nil, nil, nil, p1, "/ip4/10.1.2.3/tcp/1", true, true},
		{"denied cidr", nil, []string{"10.0.0.0/8"}, nil, nil, p1, "/ip4/10.1.2.3/tcp/1", true, false},
		{"outside allowed cidr", []string{"192.168.0.0/16"}, nil, nil, nil, p1, "/ip4/10.1.2.3/tcp/1", true, false},
		{"inside allowed cidr", []string{"10.0.0.0/8"}, nil, nil, nil, p1, "/ip4/10.1.2.3/tcp/1", true, true},
		{"deny wins", []string{"10.0.0.0/8"}, []string{"10.1.0.0/16"}, nil, nil, p1, "/ip4/10.1.2.3/tcp/1", true, false},
		{"denied peer", nil, nil, nil, []string{p1.String()}, p1, "/ip4/10.1.2.3/tcp/1", false, false},
		{"peer not allowed", nil, nil, []string{p2.String()}, nil, p1, "/ip4/10.1.2.3/tcp/1", false, false},
		{"allowed peer", nil, nil, []string{p1.String()}, nil, p1, "/ip4/10.1.2.3/tcp/1", true, true},
		{"dns name with allow list", []string{"10.0.0.0/8"}, nil, nil, nil, p1, "/dns4/example.com/tcp/1", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := NewGater(tc.allowC, tc.denyC, tc.allowP, tc.denyP)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.InterceptPeerDial(tc.peer); got != tc.wantPeer {
				t.Errorf("InterceptPeerDial = %v", got)
			}
			if got := g.InterceptAddrDial(tc.peer, addr(tc.addr)); got != tc.wantAddrDia {
				t.Errorf("InterceptAddrDial = %v", got)
			}
		})
	}
	g, _ := NewGater(nil, nil, nil, nil)
	g.Block(p1)
	if g.InterceptPeerDial(p1) || !g.InterceptPeerDial(p2) {
		t.Error("Block does not block just that peer")
	}
	g.Unblock(p1)
	if !g.InterceptPeerDial(p1) {
		t.Error("Unblock does not admit the peer again")
	}
	if _, err := NewGater([]string{"10.0.0.0"}, nil, nil, nil); err == nil {
		t.Error("a CIDR without a mask is accepted")
	}
}

// TestDHTDiscovery: two carriers that only know a third find each other
// through the DHT (private prefix /gridnode) and connect directly.
func TestDHTDiscovery(t *testing.T) {
	hub := startNode(t, nodeOpts{dht: true})
	b := startNode(t, nodeOpts{dht: true, bootstrap: hub.Addrs()[:1]})
	c := startNode(t, nodeOpts{dht: true, bootstrap: hub.Addrs()[:1]})
	took := waitFor(t, "b and c connected through discovery", 30*time.Second, func() bool {
		return len(b.Host().Network().ConnsToPeer(c.ID())) > 0
	})
	t.Logf("discovered in %s", took)
	for _, p := range hub.Host().Mux().Protocols() {
		if string(p) == "/ipfs/kad/1.0.0" {
			t.Error("the DHT speaks the public IPFS protocol")
		}
	}
}

// TestQUIC: two carriers listening on QUIC only connect and sync.
func TestQUIC(t *testing.T) {
	quic := []string{"/ip4/127.0.0.1/udp/0/quic-v1"}
	a := startNode(t, nodeOpts{listen: quic})
	r, raw := record(t, 7, "org-a", 1, nil)
	if _, err := a.dir.Put(r, raw); err != nil {
		t.Fatal(err)
	}
	b := startNode(t, nodeOpts{listen: quic, bootstrap: a.Addrs()[:1]})
	waitFor(t, "synced over QUIC", 20*time.Second, func() bool { return b.holds(7, 1) })
}
