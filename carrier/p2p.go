package carrier

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p"
	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
	"github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
)

// P2P flags.
const (
	FlagP2PListen            = "p2p-listen"
	FlagP2PKeyFile           = "p2p-key-file"
	FlagP2PBootstrap         = "p2p-bootstrap"
	FlagP2PRelay             = "p2p-relay"
	FlagP2PForceRelay        = "p2p-force-relay"
	FlagP2PRelayBackoff      = "p2p-relay-backoff"
	FlagP2PAllowCIDR         = "p2p-allow-cidr"
	FlagP2PDenyCIDR          = "p2p-deny-cidr"
	FlagP2PAllowPeer         = "p2p-allow-peer"
	FlagP2PDenyPeer          = "p2p-deny-peer"
	FlagP2PConnLow           = "p2p-conn-low"
	FlagP2PConnHigh          = "p2p-conn-high"
	FlagP2PMaxConns          = "p2p-max-conns"
	FlagP2PMaxStreams        = "p2p-max-streams"
	FlagP2PMaxMemory         = "p2p-max-memory"
	FlagP2PNoDHT             = "p2p-no-dht"
	FlagP2PSyncInterval      = "p2p-sync-interval"
	FlagP2PRepublishInterval = "p2p-republish-interval"
	FlagP2PWithdrawGrace     = "p2p-withdraw-grace"
)

// Defaults of the p2p subsystem's duties.
const (
	defaultWithdrawGrace = 30 * time.Second
	sweepInterval        = time.Minute
	directoryFile        = "directory.db"
)

// P2PConfig configures the carrier's p2p subsystem: the libp2p host that
// federates with other organizations' carriers, the network-wide listing
// directory (in --data-dir) and the publishing of the organization's own
// listings. It is off unless ListenAddrs is set. Registry checks use the
// chain subsystem's --chain-rpc and --registry-address, else the
// organization's settings in Consul KV. docs/p2p.md is the guide.
type P2PConfig struct {
	// ListenAddrs are the libp2p listen multiaddrs; empty turns the
	// subsystem off.
	ListenAddrs []string `yaml:"p2p-listen"`
	// KeyFile holds the organization's secp256k1 key (hex, mode 0600):
	// the peer identity.
	KeyFile   string   `yaml:"p2p-key-file"`
	Bootstrap []string `yaml:"p2p-bootstrap"`
	// Relays are circuit relays for AutoRelay; empty means the relay of
	// the organization's via, read from Consul KV (viaRelayAddrsKey) at
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

// Enabled reports whether the p2p subsystem runs.
func (c P2PConfig) Enabled() bool { return len(c.ListenAddrs) > 0 }

func p2pFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: FlagP2PListen, Usage: "libp2p listen `multiaddr`, e.g. /ip4/0.0.0.0/tcp/4001 and /ip4/0.0.0.0/udp/4001/quic-v1 (repeatable); without it the p2p subsystem is off"},
		&cli.PathFlag{Name: FlagP2PKeyFile, Usage: "`file` (mode 0600) with the organization's secp256k1 key in hex: the carrier's peer identity"},
		&cli.StringSliceFlag{Name: FlagP2PBootstrap, Usage: "bootstrap peer `multiaddr` ending in /p2p/<peer id> (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PRelay, Usage: "circuit relay `multiaddr` ending in /p2p/<peer id>, used when this carrier is not reachable (repeatable); default: the relay of the organization's via, from Consul KV " + "gridnode/<org>/" + viaRelayAddrsKey},
		&cli.BoolFlag{Name: FlagP2PForceRelay, Usage: "reserve a slot with the relays at once and advertise the relayed addresses, instead of waiting for AutoNAT to find this carrier unreachable"},
		&cli.DurationFlag{Name: FlagP2PRelayBackoff, Value: p2p.DefaultRelayBackoff, Usage: "`wait` before asking a relay again after it refused a reservation or was unreachable (the via's relay admits this carrier once it is on its allow-list or holds a listing)"},
		&cli.StringSliceFlag{Name: FlagP2PAllowCIDR, Usage: "only connect with addresses in this `cidr` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PDenyCIDR, Usage: "never connect with addresses in this `cidr` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PAllowPeer, Usage: "only connect with this `peer id` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PDenyPeer, Usage: "never connect with this `peer id` (repeatable)"},
		&cli.IntFlag{Name: FlagP2PConnLow, Value: p2p.DefaultConnLow, Usage: "connection manager low water `mark`"},
		&cli.IntFlag{Name: FlagP2PConnHigh, Value: p2p.DefaultConnHigh, Usage: "connection manager high water `mark`"},
		&cli.IntFlag{Name: FlagP2PMaxConns, Value: p2p.DefaultMaxConns, Usage: "resource manager limit of `connections`"},
		&cli.IntFlag{Name: FlagP2PMaxStreams, Value: p2p.DefaultMaxStreams, Usage: "resource manager limit of `streams`"},
		&cli.StringFlag{Name: FlagP2PMaxMemory, Value: "512Mi", Usage: "resource manager memory limit, `bytes` (suffixes Ki, Mi, Gi)"},
		&cli.BoolFlag{Name: FlagP2PNoDHT, Usage: "do not use the DHT to discover carriers beyond the bootstrap peers"},
		&cli.DurationFlag{Name: FlagP2PSyncInterval, Value: listingsync.DefaultInterval, Usage: "`interval` of an extra anti-entropy round with a random peer"},
		&cli.DurationFlag{Name: FlagP2PRepublishInterval, Value: p2p.DefaultRepublishInterval, Usage: "`interval` at which the organization's listings are gossiped again"},
		&cli.DurationFlag{Name: FlagP2PWithdrawGrace, Value: defaultWithdrawGrace, Usage: "how long a provider's gateway may be gone from Consul before its listing is withdrawn (0: never)"},
	}
}

func p2pConfigFromCLI(c *cli.Context) P2PConfig {
	return P2PConfig{
		ListenAddrs:       c.StringSlice(FlagP2PListen),
		KeyFile:           c.Path(FlagP2PKeyFile),
		Bootstrap:         c.StringSlice(FlagP2PBootstrap),
		Relays:            c.StringSlice(FlagP2PRelay),
		ForceRelay:        c.Bool(FlagP2PForceRelay),
		RelayBackoff:      c.Duration(FlagP2PRelayBackoff),
		AllowCIDRs:        c.StringSlice(FlagP2PAllowCIDR),
		DenyCIDRs:         c.StringSlice(FlagP2PDenyCIDR),
		AllowPeers:        c.StringSlice(FlagP2PAllowPeer),
		DenyPeers:         c.StringSlice(FlagP2PDenyPeer),
		ConnLow:           c.Int(FlagP2PConnLow),
		ConnHigh:          c.Int(FlagP2PConnHigh),
		MaxConns:          c.Int(FlagP2PMaxConns),
		MaxStreams:        c.Int(FlagP2PMaxStreams),
		MaxMemory:         c.String(FlagP2PMaxMemory),
		NoDHT:             c.Bool(FlagP2PNoDHT),
		SyncInterval:      c.Duration(FlagP2PSyncInterval),
		RepublishInterval: c.Duration(FlagP2PRepublishInterval),
		WithdrawGrace:     c.Duration(FlagP2PWithdrawGrace),
	}
}

// Validate reports the first problem with the configuration. The key
// file is read (and its permissions checked) at setup.
func (c P2PConfig) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if c.KeyFile == "" {
		return fmt.Errorf("%s: required with --%s", FlagP2PKeyFile, FlagP2PListen)
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

// node maps the flags to the node's configuration.
func (c P2PConfig) node(key *ecdsa.PrivateKey, org string) (p2p.Config, error) {
	mem, err := parseBytes(c.MaxMemory)
	if err != nil || mem > 1<<40 {
		return p2p.Config{}, fmt.Errorf("%s: %q: want bytes with an optional Ki, Mi or Gi suffix", FlagP2PMaxMemory, c.MaxMemory)
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

// setupP2P builds the p2p subsystem into d: the directory (opened now, so
// that queries work on a standby too, and handed to the scheduler), the
// API routes, the node as an active duty (one libp2p identity per
// organization) and the directory's closer.
func (d *Carrier) setupP2P() error {
	ps := &p2pSubsystem{d: d, cfg: d.cfg.P2P, log: d.log.Named("p2p")}
	d.p2pRoutes(ps)
	if !ps.cfg.Enabled() {
		return nil
	}
	if d.cfg.DataDir == "" {
		return fmt.Errorf("%s: required with --%s (the listing directory)", FlagDataDir, FlagP2PListen)
	}
	key, err := p2p.ReadKeyFile(ps.cfg.KeyFile)
	if err != nil {
		return fmt.Errorf("%s: %w", FlagP2PKeyFile, err)
	}
	if ps.nodeCfg, err = ps.cfg.node(key, d.cfg.Member.Org); err != nil {
		return err
	}
	if err := os.MkdirAll(d.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("%s: %w", FlagDataDir, err)
	}
	ps.dir, err = directory.Open(filepath.Join(d.cfg.DataDir, directoryFile), ps.log.Named("directory"),
		directory.Options{Registerer: d.http.Registry()})
	if err != nil {
		return err
	}
	d.closers = append(d.closers, ps.dir.Close)
	d.useDirectory(ps.dir)
	id, _ := p2p.PeerID(key)
	ps.log.Info("p2p subsystem on", zap.Stringer("peer_id", id), zap.Strings("listen", ps.cfg.ListenAddrs),
		zap.Int("bootstrap", len(ps.cfg.Bootstrap)), zap.Int("listings", ps.dir.Len()))
	d.active = append(d.active, duty{name: "p2p", run: ps.run})
	return nil
}

// p2pSubsystem is the p2p side of one carrier.
type p2pSubsystem struct {
	d       *Carrier
	cfg     P2PConfig
	nodeCfg p2p.Config
	log     *zap.Logger
	dir     *directory.Directory
	node    atomic.Pointer[p2p.Node]
}

// current is the running node, or why there is none.
func (ps *p2pSubsystem) current() (*p2p.Node, error) {
	if !ps.cfg.Enabled() {
		return nil, errP2POff
	}
	n := ps.node.Load()
	if n == nil {
		return nil, errP2PNotRunning
	}
	return n, nil
}

var (
	errP2POff        = errors.New("the p2p subsystem is off: start the carrier with --" + FlagP2PListen)
	errP2PNotRunning = errors.New("the p2p node is not running: this carrier is a standby, or it waits for the registry settings")
)

// run is the active duty: it resolves the Registry, starts the node and
// runs it, the directory's sweeper and the withdrawal of departed
// gateways' listings until ctx is done, then closes the node.
func (ps *p2pSubsystem) run(ctx context.Context) error {
	registry, closeChain, err := ps.registry(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer closeChain()
	nodeCfg := ps.nodeCfg
	if len(nodeCfg.Relays) == 0 {
		nodeCfg.Relays = ps.viaRelays(ctx)
	}
	n, err := p2p.New(nodeCfg, ps.dir, registry, ps.log, ps.d.http.Registry())
	if err != nil {
		return fmt.Errorf("starting the p2p node: %w", err)
	}
	ps.node.Store(n)
	defer func() {
		ps.node.Store(nil)
		if err := n.Close(); err != nil {
			ps.log.Warn("closing the p2p node", zap.Error(err))
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return n.Run(gctx) })
	g.Go(func() error { return ps.dir.RunSweeper(gctx, sweepInterval) })
	if ps.cfg.WithdrawGrace > 0 {
		w, err := consul.NewWatcher(ps.d.member.Client(), "gateway", consul.WatchOptions{}, ps.log)
		if err != nil {
			return err
		}
		updates, cancel := w.Subscribe()
		defer cancel()
		g.Go(func() error { return w.Run(gctx) })
		g.Go(func() error { n.FollowGateways(gctx, updates, ps.cfg.WithdrawGrace); return nil })
	}
	return g.Wait()
}

// viaRelayAddrsKey is the KV key, under the organization's prefix, where
// the organization's via publishes its relay's multiaddrs (a JSON array);
// via.RelayAddrsKey.
const viaRelayAddrsKey = "via/relay-addrs"

// viaRelays reads the relay multiaddrs the organization's via published
// in Consul KV, skipping malformed ones; nil when there are none (no via
// relay, or Consul unreachable: the node runs without a relay).
func (ps *p2pSubsystem) viaRelays(ctx context.Context) []string {
	prefix, err := consul.OrgPrefix(ps.d.cfg.Member.Org)
	if err != nil {
		return nil
	}
	key := prefix + viaRelayAddrsKey
	value, _, found, err := consul.NewKV(ps.d.member.Client(), ps.log).Get(ctx, key)
	switch {
	case err != nil:
		ps.log.Warn("reading the via's relay addresses; running without a relay", zap.String("key", key), zap.Error(err))
		return nil
	case !found:
		ps.log.Info("no via relay published; running without a relay (--"+FlagP2PRelay+" sets one)", zap.String("key", key))
		return nil
	}
	var addrs []string
	if err := json.Unmarshal(value, &addrs); err != nil {
		ps.log.Warn("the via's relay addresses are not a JSON array of strings; running without a relay", zap.String("key", key), zap.Error(err))
		return nil
	}
	var relays []string
	for _, a := range addrs {
		if _, err := peer.AddrInfoFromString(a); err != nil {
			ps.log.Warn("skipping a malformed via relay address", zap.String("addr", a), zap.Error(err))
			continue
		}
		relays = append(relays, a)
	}
	ps.log.Info("using the via's relay", zap.String("key", key), zap.Strings("relays", relays))
	return relays
}

// registry resolves the chain RPC and Registry address (the chain flags,
// else the organization's settings in Consul KV, waited for) and returns
// the cached Registry reader.
func (ps *p2pSubsystem) registry(ctx context.Context) (listing.RegistryChecker, func(), error) {
	rpc, addr := ps.d.cfg.Chain.RPC, ps.d.cfg.Chain.Registry
	kv := consul.NewKV(ps.d.member.Client(), ps.log)
	warned := false
	for rpc == "" || addr == "" {
		s, err := kv.ReadSettings(ctx, ps.d.cfg.Member.Org)
		if err == nil {
			if rpc == "" {
				rpc = s.ChainRPC
			}
			if addr == "" {
				addr = s.Contracts.Registry
			}
		}
		if rpc != "" && addr != "" {
			break
		}
		if !warned {
			ps.log.Warn("waiting for the chain RPC and Registry address (--"+FlagChainRPC+", --"+FlagRegistryAddress+" or the org settings in Consul KV) to verify listings", zap.Error(err))
			warned = true
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
		rpc, addr = ps.d.cfg.Chain.RPC, ps.d.cfg.Chain.Registry
	}
	if !common.IsHexAddress(addr) {
		return nil, nil, fmt.Errorf("registry address %q: not an address", addr)
	}
	client, err := ethclient.DialContext(ctx, rpc)
	if err != nil {
		return nil, nil, fmt.Errorf("dialling the chain at %s: %w", rpc, err)
	}
	reader, err := chain.NewRegistryReader(client, common.HexToAddress(addr))
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	ps.log.Info("verifying listings against the Registry", zap.String("rpc", rpc), zap.String("registry", addr))
	return listing.NewCachedRegistry(reader, listing.CacheOptions{}), client.Close, nil
}
