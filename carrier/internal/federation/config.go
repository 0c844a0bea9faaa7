package federation

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/gridnode/gridnode/carrier/internal/bytesize"
	"github.com/gridnode/gridnode/carrier/internal/p2p"
	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
)

// Config configures the carrier's p2p subsystem: the libp2p host that
// federates with other organizations' carriers, the network-wide listing
// directory (in --data-dir) and the publishing of the organization's own
// listings. It is off unless ListenAddrs is set. Registry checks use the
// chain subsystem's --chain-rpc and --registry-address, else the
// organization's settings in Consul KV. Each field is the flag of its
// yaml key.
type Config struct {
	// ListenAddrs are the libp2p listen multiaddrs; empty turns the
	// subsystem off.
	ListenAddrs []string `yaml:"p2p-listen"`
	// KeyFile holds the organization's secp256k1 key (hex, mode 0600):
	// the peer identity.
	KeyFile   string   `yaml:"p2p-key-file"`
	Bootstrap []string `yaml:"p2p-bootstrap"`
	// Relays are circuit relays for AutoRelay; empty means the relay of
	// the organization's via, read from Consul KV (ViaRelayAddrsKey) at
	// every active start.
	Relays []string `yaml:"p2p-relay"`
	// ForceRelay reserves with the relays at once, not only once AutoNAT
	// finds this carrier unreachable.
	ForceRelay bool `yaml:"p2p-force-relay"`
	// RelayBackoff is how long to wait before asking a relay again after
	// it refused a reservation or could not be reached.
	RelayBackoff time.Duration `yaml:"p2p-relay-backoff"`
	// AllowCIDRs, DenyCIDRs, AllowPeers and DenyPeers gate connections: a
	// deny wins; a non-empty allow list admits only what it lists.
	AllowCIDRs []string `yaml:"p2p-allow-cidr"`
	DenyCIDRs  []string `yaml:"p2p-deny-cidr"`
	AllowPeers []string `yaml:"p2p-allow-peer"`
	DenyPeers  []string `yaml:"p2p-deny-peer"`
	// ConnLow and ConnHigh are the connection manager's water marks.
	ConnLow  int `yaml:"p2p-conn-low"`
	ConnHigh int `yaml:"p2p-conn-high"`
	// MaxConns, MaxStreams and MaxMemory are the resource manager's
	// system-wide limits.
	MaxConns   int    `yaml:"p2p-max-conns"`
	MaxStreams int    `yaml:"p2p-max-streams"`
	MaxMemory  string `yaml:"p2p-max-memory"`
	NoDHT      bool   `yaml:"p2p-no-dht"`
	// SyncInterval is how often an extra anti-entropy round runs with a
	// random peer (one runs on every new connection anyway).
	SyncInterval time.Duration `yaml:"p2p-sync-interval"`
	// RepublishInterval is how often the organization's listings are
	// gossiped again.
	RepublishInterval time.Duration `yaml:"p2p-republish-interval"`
	// WithdrawGrace is how long a provider's gateway may be absent from
	// Consul before its listing is withdrawn; zero never withdraws.
	WithdrawGrace time.Duration `yaml:"p2p-withdraw-grace"`
}

// Defaults of the subsystem.
const (
	defaultWithdrawGrace = 30 * time.Second
	sweepInterval        = time.Minute
)

// Defaults returns the subsystem's defaults (it is off: no ListenAddrs).
func Defaults() Config {
	return Config{
		RelayBackoff: p2p.DefaultRelayBackoff,
		ConnLow:      p2p.DefaultConnLow, ConnHigh: p2p.DefaultConnHigh,
		MaxConns: p2p.DefaultMaxConns, MaxStreams: p2p.DefaultMaxStreams, MaxMemory: "512Mi",
		SyncInterval:      listingsync.DefaultInterval,
		RepublishInterval: p2p.DefaultRepublishInterval,
		WithdrawGrace:     defaultWithdrawGrace,
	}
}

// Enabled reports whether the p2p subsystem runs.
func (c Config) Enabled() bool { return len(c.ListenAddrs) > 0 }

// Validate reports the first problem with the configuration. The key
// file is read (and its permissions checked) by New.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if c.KeyFile == "" {
		return errors.New("p2p-key-file: required with --p2p-listen")
	}
	if c.SyncInterval < 0 || c.RepublishInterval < 0 || c.WithdrawGrace < 0 || c.RelayBackoff < 0 {
		return errors.New("p2p intervals must not be negative")
	}
	nc, err := c.node(nil, "")
	if err != nil {
		return err
	}
	if err := nc.Validate(); err != nil {
		return fmt.Errorf("p2p: %w", err)
	}
	return nil
}

// node maps the configuration to the node's.
func (c Config) node(key *ecdsa.PrivateKey, org string) (p2p.Config, error) {
	mem, err := bytesize.Parse(c.MaxMemory)
	if err != nil || mem > 1<<40 {
		return p2p.Config{}, fmt.Errorf("p2p-max-memory: %q: want bytes with an optional Ki, Mi or Gi suffix", c.MaxMemory)
	}
	nc := p2p.Config{
		Key: key, Org: org, ListenAddrs: c.ListenAddrs, Bootstrap: c.Bootstrap, Relays: c.Relays, ForceRelay: c.ForceRelay, RelayBackoff: c.RelayBackoff,
		AllowCIDRs: c.AllowCIDRs, DenyCIDRs: c.DenyCIDRs, AllowPeers: c.AllowPeers, DenyPeers: c.DenyPeers,
		ConnLow: c.ConnLow, ConnHigh: c.ConnHigh, MaxConns: c.MaxConns, MaxStreams: c.MaxStreams, MaxMemory: int64(mem),
		DisableDHT: c.NoDHT, RepublishInterval: c.RepublishInterval,
		Sync: listingsync.Options{Interval: c.SyncInterval},
	}
	return nc, nil
}
