package p2p

import (
	"fmt"
	"net"
	"sync"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Gater is the host's connection gater: it refuses peers and addresses by
// configured allow and deny lists, and peers blocked at run time (Block).
// A deny always wins; a non-empty allow list admits only what it lists.
type Gater struct {
	allowNets, denyNets   []*net.IPNet
	allowPeers, denyPeers map[peer.ID]bool

	mu      sync.RWMutex
	blocked map[peer.ID]bool
}

// NewGater parses CIDRs ("10.0.0.0/8") and peer ids.
func NewGater(allowCIDRs, denyCIDRs, allowPeers, denyPeers []string) (*Gater, error) {
	g := &Gater{blocked: map[peer.ID]bool{}}
	var err error
	if g.allowNets, err = parseCIDRs(allowCIDRs); err != nil {
		return nil, err
	}
	if g.denyNets, err = parseCIDRs(denyCIDRs); err != nil {
		return nil, err
	}
	if g.allowPeers, err = parsePeers(allowPeers); err != nil {
		return nil, err
	}
	if g.denyPeers, err = parsePeers(denyPeers); err != nil {
		return nil, err
	}
	return g, nil
}

func parseCIDRs(in []string) ([]*net.IPNet, error) {
	out := make([]*net.IPNet, 0, len(in))
	for _, s := range in {
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("cidr %q: %w", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func parsePeers(in []string) (map[peer.ID]bool, error) {
	out := make(map[peer.ID]bool, len(in))
	for _, s := range in {
		id, err := peer.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("peer id %q: %w", s, err)
		}
		out[id] = true
	}
	return out, nil
}

// Block refuses p from now on; the caller closes existing connections.
func (g *Gater) Block(p peer.ID) {
	g.mu.Lock()
	g.blocked[p] = true
	g.mu.Unlock()
}

// Unblock admits p again (subject to the configured lists).
func (g *Gater) Unblock(p peer.ID) {
	g.mu.Lock()
	delete(g.blocked, p)
	g.mu.Unlock()
}

func (g *Gater) peerAllowed(p peer.ID) bool {
	if g.denyPeers[p] || len(g.allowPeers) > 0 && !g.allowPeers[p] {
		return false
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	return !g.blocked[p]
}

func (g *Gater) addrAllowed(a ma.Multiaddr) bool {
	if len(g.allowNets) == 0 && len(g.denyNets) == 0 {
		return true
	}
	ip, err := manet.ToIP(a)
	if err != nil {
		// No IP (a DNS name, a relayed address): judged by the peer.
		return len(g.allowNets) == 0
	}
	for _, n := range g.denyNets {
		if n.Contains(ip) {
			return false
		}
	}
	if len(g.allowNets) == 0 {
		return true
	}
	for _, n := range g.allowNets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// InterceptPeerDial implements connmgr.ConnectionGater.
func (g *Gater) InterceptPeerDial(p peer.ID) bool { return g.peerAllowed(p) }

// InterceptAddrDial implements connmgr.ConnectionGater.
func (g *Gater) InterceptAddrDial(p peer.ID, a ma.Multiaddr) bool {
	return g.peerAllowed(p) && g.addrAllowed(a)
}

// InterceptAccept implements connmgr.ConnectionGater.
func (g *Gater) InterceptAccept(c network.ConnMultiaddrs) bool {
	return g.addrAllowed(c.RemoteMultiaddr())
}

// InterceptSecured implements connmgr.ConnectionGater.
func (g *Gater) InterceptSecured(_ network.Direction, p peer.ID, c network.ConnMultiaddrs) bool {
	return g.peerAllowed(p) && g.addrAllowed(c.RemoteMultiaddr())
}

// InterceptUpgraded implements connmgr.ConnectionGater.
func (g *Gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
