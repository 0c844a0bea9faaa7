package p2p

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	drouting "github.com/libp2p/go-libp2p/p2p/discovery/routing"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p/gossip"
	"github.com/gridnode/gridnode/carrier/internal/p2p/ingest"
	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/service"
)

// Node is a running p2p side of a carrier: host, DHT, gossip and sync
// over one directory.
type Node struct {
	cfg   Config
	log   *zap.Logger
	dir   *directory.Directory
	reg   *trackingRegisterer
	gater *Gater
	boot  []peer.AddrInfo

	host   host.Host
	dht    *dht.IpfsDHT
	in     *ingest.Ingest
	gossip *gossip.Gossip
	sync   *listingsync.Service

	mu          sync.Mutex
	withdrawals map[common.Address][]byte
	// origins are the peers that first published each provider's current
	// record on the listings topic (or this node, for its own).
	origins map[common.Address]origin
}

// origin is the publisher of a provider's record with sequence number seq.
type origin struct {
	peer peer.ID
	seq  uint64
}

// New starts a node: it listens at once; Run keeps it connected and
// republishes; Close stops it. registry reads providers' owners (wrap it
// in a listing.CachedRegistry). reg may be nil.
func New(cfg Config, dir *directory.Directory, registry listing.RegistryReader, log *zap.Logger, reg prometheus.Registerer) (_ *Node, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Key == nil || cfg.Org == "" || dir == nil || registry == nil {
		return nil, errors.New("p2p node: key, org, directory and registry are required")
	}
	cfg.setDefaults()
	n := &Node{cfg: cfg, log: log, dir: dir, reg: &trackingRegisterer{r: reg}, withdrawals: map[common.Address][]byte{},
		origins: map[common.Address]origin{}}
	defer func() {
		if err != nil {
			_ = n.Close()
		}
	}()
	if n.gater, err = NewGater(cfg.AllowCIDRs, cfg.DenyCIDRs, cfg.AllowPeers, cfg.DenyPeers); err != nil {
		return nil, err
	}
	if n.boot, err = parsePeerAddrs(cfg.Bootstrap); err != nil {
		return nil, err
	}
	if n.host, err = newHost(cfg, n.gater, n.reg.orNil()); err != nil {
		return nil, err
	}
	for _, b := range n.boot {
		n.host.Peerstore().AddAddrs(b.ID, b.Addrs, time.Hour)
		n.host.ConnManager().Protect(b.ID, "bootstrap")
	}
	verifier := &listing.Verifier{Registry: registry}
	if n.in, err = ingest.New(verifier, dir, n.reg.orNil()); err != nil {
		return nil, err
	}
	gopts := cfg.Gossip
	if next := gopts.OnOrigin; next != nil {
		gopts.OnOrigin = func(p peer.ID, rec *listing.Record) { n.noteOrigin(p, rec); next(p, rec) }
	} else {
		gopts.OnOrigin = n.noteOrigin
	}
	if n.gossip, err = gossip.New(n.host, n.in, log.Named("gossip"), gopts); err != nil {
		return nil, err
	}
	so := cfg.Sync
	so.Registerer = n.reg.orNil()
	if n.sync, err = listingsync.New(n.host, dir, n.in, log.Named("sync"), so); err != nil {
		return nil, err
	}
	// The DHT starts last: its routing-table refresh dials the bootstrap
	// peers at once, and a connection made before gossip and sync follow
	// the host's events would miss its first sync round.
	if !cfg.DisableDHT {
		n.dht, err = dht.New(n.host, dht.Mode(dht.ModeServer), dht.ProtocolPrefix(DHTPrefix),
			dht.BootstrapPeers(n.boot...), dht.DisableValues())
		if err != nil {
			return nil, fmt.Errorf("starting the DHT: %w", err)
		}
	}
	if reg != nil {
		peers := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gridnode_p2p_peers",
			Help: "Peers this carrier is connected to.",
		}, func() float64 { return float64(len(n.host.Network().Peers())) })
		if err := n.reg.Register(peers); err != nil {
			return nil, fmt.Errorf("registering p2p metrics: %w", err)
		}
	}
	log.Info("p2p node listening", zap.Stringer("peer_id", n.host.ID()), zap.Strings("addrs", n.Addrs()),
		zap.Int("bootstrap", len(n.boot)), zap.Bool("dht", n.dht != nil), zap.Int("relays", len(cfg.Relays)))
	return n, nil
}

// Close stops sync, gossip, the DHT and the host, in that order.
func (n *Node) Close() error {
	var errs []error
	if n.sync != nil {
		errs = append(errs, n.sync.Close())
	}
	if n.gossip != nil {
		errs = append(errs, n.gossip.Close())
	}
	if n.dht != nil {
		if err := n.dht.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the DHT: %w", err))
		}
	}
	if n.host != nil {
		if err := n.host.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the libp2p host: %w", err))
		}
	}
	n.reg.unregisterAll()
	return errors.Join(errs...)
}

// ID is the node's peer id.
func (n *Node) ID() peer.ID { return n.host.ID() }

// Host is the libp2p host.
func (n *Node) Host() host.Host { return n.host }

// Gater is the host's connection gater.
func (n *Node) Gater() *Gater { return n.gater }

// Gossip is the listings topic.
func (n *Node) Gossip() *gossip.Gossip { return n.gossip }

// Sync is the anti-entropy protocol.
func (n *Node) Sync() *listingsync.Service { return n.sync }

// Addrs are the node's listen addresses with its peer id, to give to
// other carriers as a bootstrap address.
func (n *Node) Addrs() []string {
	var out []string
	for _, a := range n.host.Addrs() {
		out = append(out, a.String()+"/p2p/"+n.host.ID().String())
	}
	return out
}

// Block disconnects p and refuses it until Unblock.
func (n *Node) Block(p peer.ID) {
	n.gater.Block(p)
	_ = n.host.Network().ClosePeer(p)
}

// Unblock admits p again.
func (n *Node) Unblock(p peer.ID) { n.gater.Unblock(p) }

// Run keeps the bootstrap peers connected, discovers carriers through the
// DHT and republishes the organization's listings until ctx is done.
func (n *Node) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { n.reconnect(ctx); return nil })
	if n.dht != nil {
		g.Go(func() error { n.discover(ctx); return nil })
	}
	g.Go(func() error { n.republish(ctx); return nil })
	if len(n.cfg.Relays) > 0 {
		g.Go(func() error { n.logReservations(ctx); return nil })
	}
	return g.Wait()
}

// autorelayTag is the connection manager tag AutoRelay protects a relay
// with while it holds a reservation there (libp2p's relay finder).
const autorelayTag = "autorelay"

// logReservations logs, until ctx is done, when AutoRelay gets or loses a
// reservation with one of the configured relays, with the relayed
// (/p2p-circuit) addresses the host then advertises. libp2p advertises
// relayed addresses only for relays with public addresses; with a relay
// on a private or loopback address the reservation is made all the same,
// and peers dial <relay addr>/p2p-circuit/p2p/<this peer> explicitly.
func (n *Node) logReservations(ctx context.Context) {
	relays, _ := parsePeerAddrs(n.cfg.Relays)
	held := map[peer.ID]bool{}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		for _, r := range relays {
			now := n.host.ConnManager().IsProtected(r.ID, autorelayTag)
			switch {
			case now && !held[r.ID]:
				var circuit []string
				for _, a := range n.host.Addrs() {
					if strings.Contains(a.String(), "/p2p-circuit") {
						circuit = append(circuit, a.String())
					}
				}
				n.log.Info("relay reservation", zap.Stringer("relay", r.ID), zap.Strings("relayed_addrs", circuit))
			case !now && held[r.ID]:
				n.log.Warn("relay reservation lost", zap.Stringer("relay", r.ID))
			}
			held[r.ID] = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// reconnect dials every bootstrap peer that is not connected, now and
// every ReconnectInterval.
func (n *Node) reconnect(ctx context.Context) {
	t := time.NewTicker(n.cfg.ReconnectInterval)
	defer t.Stop()
	for {
		var wg sync.WaitGroup
		for _, b := range n.boot {
			// A relayed connection is Limited: connected all the same.
			if c := n.host.Network().Connectedness(b.ID); b.ID == n.host.ID() || c == network.Connected || c == network.Limited {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				if err := n.host.Connect(cctx, b); err != nil && ctx.Err() == nil {
					n.log.Debug("bootstrap peer not reached", zap.Stringer("peer", b.ID), zap.Error(err))
				}
			}()
		}
		wg.Wait()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// discover advertises this carrier in the DHT and connects to carriers it
// finds there, while below the connection manager's low water mark.
func (n *Node) discover(ctx context.Context) {
	rd := drouting.NewRoutingDiscovery(n.dht)
	if err := n.dht.Bootstrap(ctx); err != nil {
		n.log.Warn("DHT bootstrap failed", zap.Error(err))
	}
	interval := time.Second // quickly at first, while the routing table fills
	var lastAdvert time.Time
	for {
		if !service.Sleep(ctx, interval) {
			return
		}
		if n.dht.RoutingTable().Size() == 0 {
			continue
		}
		interval = n.cfg.DiscoveryInterval
		if time.Since(lastAdvert) > 10*time.Minute {
			actx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if _, err := rd.Advertise(actx, Namespace); err != nil {
				n.log.Debug("DHT advertise failed", zap.Error(err))
			} else {
				lastAdvert = time.Now()
			}
			cancel()
		}
		if len(n.host.Network().Peers()) >= n.cfg.ConnLow {
			continue
		}
		fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		found, err := rd.FindPeers(fctx, Namespace)
		if err != nil {
			cancel()
			continue
		}
		for p := range found {
			if p.ID == n.host.ID() || len(p.Addrs) == 0 || n.host.Network().Connectedness(p.ID) == network.Connected {
				continue
			}
			if err := n.host.Connect(fctx, p); err == nil {
				n.log.Debug("connected to a carrier found in the DHT", zap.Stringer("peer", p.ID))
			}
		}
		cancel()
	}
}

// noteOrigin records p as the publisher of rec: the first one seen for
// each sequence number of a provider wins (a replay by another peer later
// changes nothing), a withdrawal forgets the provider.
func (n *Node) noteOrigin(p peer.ID, rec *listing.Record) {
	n.mu.Lock()
	defer n.mu.Unlock()
	o, ok := n.origins[rec.Provider]
	if ok && rec.Seq <= o.seq {
		return
	}
	if rec.Tombstone {
		delete(n.origins, rec.Provider)
		return
	}
	n.origins[rec.Provider] = origin{peer: p, seq: rec.Seq}
}

// ListingPeers are the peers (this node included) that published a
// listing the directory holds now, neither withdrawn nor expired: the
// carriers of organizations with providers registered in the Registry
// (every held record was verified against it). Sorted; origins of records
// no longer held are forgotten on the way.
func (n *Node) ListingPeers() []peer.ID {
	now := time.Now().Unix()
	n.mu.Lock()
	set := map[peer.ID]bool{}
	for prov, o := range n.origins {
		rec, ok := n.dir.Get(prov)
		if !ok || rec.Seq != o.seq {
			// Gone, or replaced by a record whose publisher is unknown
			// (it came by sync).
			delete(n.origins, prov)
			continue
		}
		if !rec.Tombstone && rec.Expires > now {
			set[o.peer] = true
		}
	}
	n.mu.Unlock()
	out := make([]peer.ID, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Peers lists the connected peers, sorted by id.
func (n *Node) Peers() []carrierapi.PeerInfo {
	scores := n.gossip.Scores()
	topic := map[peer.ID]bool{}
	for _, p := range n.gossip.Peers() {
		topic[p] = true
	}
	ids := n.host.Network().Peers()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]carrierapi.PeerInfo, 0, len(ids))
	for _, p := range ids {
		out = append(out, peerInfo(n.host, p, scores, topic))
	}
	return out
}

// trackingRegisterer registers with r (if any) and remembers what, so
// that a node's metrics go away with it and the next node (the carrier
// may become active again) can register its own.
type trackingRegisterer struct {
	r  prometheus.Registerer
	mu sync.Mutex
	cs []prometheus.Collector
}

func (t *trackingRegisterer) Register(c prometheus.Collector) error {
	if err := t.r.Register(c); err != nil {
		return err
	}
	t.mu.Lock()
	t.cs = append(t.cs, c)
	t.mu.Unlock()
	return nil
}

func (t *trackingRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := t.Register(c); err != nil {
			panic(err)
		}
	}
}

func (t *trackingRegisterer) Unregister(c prometheus.Collector) bool { return t.r.Unregister(c) }

func (t *trackingRegisterer) orNil() prometheus.Registerer {
	if t.r == nil {
		return nil
	}
	return t
}

func (t *trackingRegisterer) unregisterAll() {
	if t.r == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.cs {
		t.r.Unregister(c)
	}
	t.cs = nil
}
