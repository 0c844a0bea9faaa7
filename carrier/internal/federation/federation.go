package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	consulapi "github.com/hashicorp/consul/api"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p"
	"github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
)

// Deps are what the subsystem is built from.
type Deps struct {
	Config Config
	// Org is the carrier's organization.
	Org string
	// ChainRPC and Registry are the chain flags (--chain-rpc,
	// --registry-address) the Registry checks use; empty ones are read
	// from the organization's settings in Consul KV.
	ChainRPC, Registry string
	// Directory is the network directory the carrier opened; required
	// when the subsystem is on. It stays the carrier's to close.
	Directory *directory.Directory
	// Consul is the organization's Consul (settings, the via's relay,
	// the gateways).
	Consul *consulapi.Client
	// Registerer takes the node's metrics.
	Registerer prometheus.Registerer
	Log        *zap.Logger
}

// Federation is the p2p side of one carrier: while the carrier is active
// (Run), a libp2p node that fills the directory; at any time, the API
// routes (Register) that read it.
type Federation struct {
	deps    Deps
	cfg     Config
	nodeCfg p2p.Config
	log     *zap.Logger
	dir     *directory.Directory
	node    atomic.Pointer[p2p.Node]
}

// New builds the subsystem. When it is on, it reads the organization's
// key; the node starts with Run.
func New(deps Deps) (*Federation, error) {
	f := &Federation{deps: deps, cfg: deps.Config, log: deps.Log.Named("p2p")}
	if !f.cfg.Enabled() {
		return f, nil
	}
	if deps.Directory == nil {
		return nil, errors.New("p2p: no directory")
	}
	f.dir = deps.Directory
	key, err := p2p.ReadKeyFile(f.cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("p2p-key-file: %w", err)
	}
	if f.nodeCfg, err = f.cfg.node(key, deps.Org); err != nil {
		return nil, err
	}
	id, _ := p2p.PeerID(key)
	f.log.Info("p2p subsystem on", zap.Stringer("peer_id", id), zap.Strings("listen", f.cfg.ListenAddrs),
		zap.Int("bootstrap", len(f.cfg.Bootstrap)), zap.Int("listings", f.dir.Len()))
	return f, nil
}

// Close releases what New took: nothing today (the node closes when Run
// returns; the directory is the carrier's).
func (f *Federation) Close() error { return nil }

// current is the running node, or why there is none.
func (f *Federation) current() (*p2p.Node, error) {
	if !f.cfg.Enabled() {
		return nil, errOff
	}
	n := f.node.Load()
	if n == nil {
		return nil, errNotRunning
	}
	return n, nil
}

var (
	errOff        = errors.New("the p2p subsystem is off: start the carrier with --p2p-listen")
	errNotRunning = errors.New("the p2p node is not running: this carrier is a standby, or it waits for the registry settings")
)

// Run is the active duty (one libp2p identity per organization): it
// resolves the Registry, starts the node and runs it, the directory's
// sweeper and the withdrawal of departed gateways' listings until ctx is
// done, then closes the node. It needs the subsystem on.
func (f *Federation) Run(ctx context.Context) error {
	if !f.cfg.Enabled() {
		return errOff
	}
	registry, closeChain, err := f.registry(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer closeChain()
	nodeCfg := f.nodeCfg
	if len(nodeCfg.Relays) == 0 {
		nodeCfg.Relays = f.viaRelays(ctx)
	}
	n, err := p2p.New(nodeCfg, f.dir, registry, f.log, f.deps.Registerer)
	if err != nil {
		return fmt.Errorf("starting the p2p node: %w", err)
	}
	f.node.Store(n)
	defer func() {
		f.node.Store(nil)
		if err := n.Close(); err != nil {
			f.log.Warn("closing the p2p node", zap.Error(err))
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return n.Run(gctx) })
	g.Go(func() error { return f.dir.RunSweeper(gctx, sweepInterval) })
	if f.cfg.WithdrawGrace > 0 {
		w, err := consul.NewWatcher(f.deps.Consul, "gateway", consul.WatchOptions{}, f.log)
		if err != nil {
			return err
		}
		updates, cancel := w.Subscribe()
		defer cancel()
		g.Go(func() error { return w.Run(gctx) })
		g.Go(func() error { n.FollowGateways(gctx, updates, f.cfg.WithdrawGrace); return nil })
	}
	return g.Wait()
}

// ViaRelayAddrsKey is the KV key, under the organization's prefix, where
// the organization's via publishes its relay's multiaddrs (a JSON array);
// via.RelayAddrsKey.
const ViaRelayAddrsKey = "via/relay-addrs"

// viaRelays reads the relay multiaddrs the organization's via published
// in Consul KV, skipping malformed ones; nil when there are none (no via
// relay, or Consul unreachable: the node runs without a relay).
func (f *Federation) viaRelays(ctx context.Context) []string {
	prefix, err := consul.OrgPrefix(f.deps.Org)
	if err != nil {
		return nil
	}
	key := prefix + ViaRelayAddrsKey
	value, _, found, err := consul.NewKV(f.deps.Consul, f.log).Get(ctx, key)
	switch {
	case err != nil:
		f.log.Warn("reading the via's relay addresses; running without a relay", zap.String("key", key), zap.Error(err))
		return nil
	case !found:
		f.log.Info("no via relay published; running without a relay (--p2p-relay sets one)", zap.String("key", key))
		return nil
	}
	var addrs []string
	if err := json.Unmarshal(value, &addrs); err != nil {
		f.log.Warn("the via's relay addresses are not a JSON array of strings; running without a relay", zap.String("key", key), zap.Error(err))
		return nil
	}
	var relays []string
	for _, a := range addrs {
		if _, err := peer.AddrInfoFromString(a); err != nil {
			f.log.Warn("skipping a malformed via relay address", zap.String("addr", a), zap.Error(err))
			continue
		}
		relays = append(relays, a)
	}
	f.log.Info("using the via's relay", zap.String("key", key), zap.Strings("relays", relays))
	return relays
}

// registry resolves the chain RPC and Registry address (the chain flags,
// else the organization's settings in Consul KV, waited for) and returns
// the cached Registry reader.
func (f *Federation) registry(ctx context.Context) (listing.RegistryReader, func(), error) {
	rpc, addr := f.deps.ChainRPC, f.deps.Registry
	kv := consul.NewKV(f.deps.Consul, f.log)
	warned := false
	for rpc == "" || addr == "" {
		s, err := kv.ReadSettings(ctx, f.deps.Org)
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
			f.log.Warn("waiting for the chain RPC and Registry address (--chain-rpc, --registry-address or the org settings in Consul KV) to verify listings", zap.Error(err))
			warned = true
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
		rpc, addr = f.deps.ChainRPC, f.deps.Registry
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
	f.log.Info("verifying listings against the Registry", zap.String("rpc", rpc), zap.String("registry", addr))
	return listing.NewCachedRegistry(reader, listing.CacheOptions{}), client.Close, nil
}
