package p2p

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/gridnode/gridnode/carrier/internal/p2p/gossip"
	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
)

// Defaults.
const (
	DefaultConnLow           = 32
	DefaultConnHigh          = 96
	DefaultMaxConns          = 256
	DefaultMaxStreams        = 2048
	DefaultMaxMemory         = 512 << 20
	DefaultReconnectInterval = 5 * time.Second
	DefaultDiscoveryInterval = time.Minute
	DefaultRepublishInterval = 10 * time.Minute
	// DefaultRelayBackoff: the relays are the org's own via, cheap to ask
	// again (libp2p's default is an hour).
	DefaultRelayBackoff = time.Minute
	// DHTPrefix keeps the carriers' DHT apart from IPFS's.
	DHTPrefix = "/gridnode"
	// Namespace is what carriers advertise in the DHT.
	Namespace = "gridnode/carriers/1"
)

// Config configures a Node. Key, Org and ListenAddrs are required; zero
// numbers take the defaults.
type Config struct {
	// Key is the organization's secp256k1 key: the peer identity.
	Key *ecdsa.PrivateKey
	// Org is this carrier's organization: Publish accepts only its
	// listings.
	Org string
	// ListenAddrs are multiaddrs, e.g. /ip4/0.0.0.0/tcp/4001 and
	// /ip4/0.0.0.0/udp/4001/quic-v1.
	ListenAddrs []string
	// Bootstrap are peer multiaddrs ending in /p2p/<id>; the node keeps
	// connected to them.
	Bootstrap []string
	// Relays are circuit relays (multiaddrs ending in /p2p/<id>) AutoRelay
	// reserves a slot with when the node is not reachable.
	Relays []string
	// ForceRelay makes the node consider itself unreachable from the start
	// (instead of waiting for AutoNAT to find out), so that AutoRelay
	// reserves a slot with the Relays at once and the relayed
	// (/p2p-circuit) addresses are in the host's addresses and signed peer
	// record. For carriers that are reachable only through their via.
	ForceRelay bool
	// RelayBackoff is how long AutoRelay waits before asking a relay
	// again after a refused or failed reservation.
	RelayBackoff time.Duration
	// AllowCIDRs, DenyCIDRs, AllowPeers, DenyPeers feed the Gater.
	AllowCIDRs, DenyCIDRs []string
	AllowPeers, DenyPeers []string
	ConnLow, ConnHigh     int
	MaxConns, MaxStreams  int
	MaxMemory             int64
	// DisableDHT turns peer discovery beyond the bootstrap peers off.
	DisableDHT bool
	// ReconnectInterval is how often lost bootstrap peers are redialled.
	ReconnectInterval time.Duration
	// DiscoveryInterval is how often the DHT is asked for carriers.
	DiscoveryInterval time.Duration
	// RepublishInterval is how often the organization's own listings are
	// gossiped again.
	RepublishInterval time.Duration
	Sync              listingsync.Options
	Gossip            gossip.Options
}

func (c *Config) setDefaults() {
	if c.ConnLow <= 0 {
		c.ConnLow = DefaultConnLow
	}
	if c.ConnHigh <= 0 {
		c.ConnHigh = max(DefaultConnHigh, c.ConnLow)
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.MaxStreams <= 0 {
		c.MaxStreams = DefaultMaxStreams
	}
	if c.MaxMemory <= 0 {
		c.MaxMemory = DefaultMaxMemory
	}
	if c.ReconnectInterval <= 0 {
		c.ReconnectInterval = DefaultReconnectInterval
	}
	if c.DiscoveryInterval <= 0 {
		c.DiscoveryInterval = DefaultDiscoveryInterval
	}
	if c.RepublishInterval <= 0 {
		c.RepublishInterval = DefaultRepublishInterval
	}
	if c.RelayBackoff <= 0 {
		c.RelayBackoff = DefaultRelayBackoff
	}
}

// Validate checks everything but the key, so that the carrier can check
// its flags before it reads the key file.
func (c Config) Validate() error {
	if len(c.ListenAddrs) == 0 {
		return errors.New("no listen address")
	}
	for _, a := range c.ListenAddrs {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("listen address %q: %w", a, err)
		}
	}
	if _, err := parsePeerAddrs(c.Bootstrap); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if _, err := parsePeerAddrs(c.Relays); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	if _, err := NewGater(c.AllowCIDRs, c.DenyCIDRs, c.AllowPeers, c.DenyPeers); err != nil {
		return err
	}
	if c.ConnLow < 0 || c.ConnHigh < 0 || c.ConnHigh > 0 && c.ConnLow > c.ConnHigh {
		return fmt.Errorf("connection water marks low %d, high %d: want 0 <= low <= high", c.ConnLow, c.ConnHigh)
	}
	if c.MaxConns < 0 || c.MaxStreams < 0 || c.MaxMemory < 0 {
		return errors.New("negative resource limit")
	}
	return nil
}

// parsePeerAddrs parses multiaddrs ending in /p2p/<id>, grouping them by
// peer.
func parsePeerAddrs(in []string) ([]peer.AddrInfo, error) {
	addrs := make([]ma.Multiaddr, 0, len(in))
	for _, s := range in {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		if _, err := peer.AddrInfoFromP2pAddr(a); err != nil {
			return nil, fmt.Errorf("%q: want a multiaddr ending in /p2p/<peer id>: %w", s, err)
		}
		addrs = append(addrs, a)
	}
	return peer.AddrInfosFromP2pAddrs(addrs...)
}

// String describes c without its key.
func (c Config) String() string {
	return fmt.Sprintf("p2p.Config{Org: %q, ListenAddrs: %q, Bootstrap: %d peers, Relays: %d}", c.Org, c.ListenAddrs, len(c.Bootstrap), len(c.Relays))
}

// GoString is String: %#v must not print the key either.
func (c Config) GoString() string { return c.String() }
