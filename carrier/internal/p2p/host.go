package p2p

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/host/autorelay"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridnode/gridnode/carrier/internal/p2p/listingsync"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// newHost builds the libp2p host of cfg (defaults set) with gater.
func newHost(cfg Config, gater *Gater, reg prometheus.Registerer) (host.Host, error) {
	priv, err := Identity(cfg.Key)
	if err != nil {
		return nil, err
	}
	cm, err := connmgr.NewConnManager(cfg.ConnLow, cfg.ConnHigh, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("connection manager: %w", err)
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits(cfg)))
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	relays, err := parsePeerAddrs(cfg.Relays)
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(cfg.ListenAddrs...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionGater(gater),
		libp2p.Ping(true),
		libp2p.EnableRelay(),
		libp2p.UserAgent("gridnode-carrier"),
	}
	var ra *relayAddrs
	if len(relays) > 0 {
		ra = &relayAddrs{relays: relays}
		// The static relays are offered again after each backoff (AutoRelay
		// asks its peer source at most every min interval: 30 s by default).
		opts = append(opts, libp2p.EnableAutoRelayWithStaticRelays(relays,
			autorelay.WithBackoff(cfg.RelayBackoff), autorelay.WithMinInterval(cfg.RelayBackoff)), libp2p.AddrsFactory(ra.add))
		if cfg.ForceRelay {
			opts = append(opts, libp2p.ForceReachabilityPrivate())
		}
	}
	if reg != nil {
		opts = append(opts, libp2p.PrometheusRegisterer(reg))
	} else {
		opts = append(opts, libp2p.DisableMetrics())
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		_ = rm.Close()
		_ = cm.Close()
		return nil, fmt.Errorf("starting libp2p host: %w", err)
	}
	if ra != nil {
		ra.cm.Store(cm)
	}
	return h, nil
}

// relayAddrs adds <relay addr>/p2p-circuit for every configured relay this
// host holds a reservation with to the host's addresses, and so to its
// signed peer record (identify) and DHT records. AutoRelay does so only
// for relays with public addresses; an organization's via may well be on
// a private network shared with other organizations (and is on loopback
// in the tests).
type relayAddrs struct {
	relays []peer.AddrInfo
	cm     atomic.Pointer[connmgr.BasicConnMgr] // set once the host is up
}

func (r *relayAddrs) add(addrs []ma.Multiaddr) []ma.Multiaddr {
	cm := r.cm.Load()
	if cm == nil {
		return addrs
	}
	for _, rel := range r.relays {
		if !cm.IsProtected(rel.ID, autorelayTag) {
			continue
		}
		circuit, err := ma.NewMultiaddr("/p2p/" + rel.ID.String() + "/p2p-circuit")
		if err != nil {
			continue
		}
		for _, a := range rel.Addrs {
			c := a.Encapsulate(circuit)
			if !slices.ContainsFunc(addrs, c.Equal) {
				addrs = append(addrs, c)
			}
		}
	}
	return addrs
}

// limits are the resource manager's limits: libp2p's defaults scaled to
// the configured memory, with the configured connection and stream
// ceilings for the whole system and a bound on concurrent sync streams.
func limits(cfg Config) rcmgr.ConcreteLimitConfig {
	scaled := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&scaled)
	base := scaled.Scale(cfg.MaxMemory, 4096)
	syncStreams := rcmgr.LimitVal(4 * listingsync.DefaultMaxConcurrent)
	partial := rcmgr.PartialLimitConfig{
		System: rcmgr.ResourceLimits{
			Conns:   rcmgr.LimitVal(cfg.MaxConns),
			Streams: rcmgr.LimitVal(cfg.MaxStreams),
			Memory:  rcmgr.LimitVal64(cfg.MaxMemory),
		},
		Protocol: map[protocol.ID]rcmgr.ResourceLimits{
			listingsync.ID: {Streams: syncStreams, StreamsInbound: syncStreams, StreamsOutbound: syncStreams},
		},
	}
	return partial.Build(base)
}

// peerInfo describes a connected peer as the carrier API shows it.
func peerInfo(h host.Host, p peer.ID, scores map[peer.ID]float64, topicPeers map[peer.ID]bool) carrierapi.PeerInfo {
	pi := carrierapi.PeerInfo{ID: p.String(), Score: scores[p], Listings: topicPeers[p], Protected: h.ConnManager().IsProtected(p, "")}
	for _, c := range h.Network().ConnsToPeer(p) {
		pi.Addrs = append(pi.Addrs, c.RemoteMultiaddr().String())
		if pi.Direction == "" || c.Stat().Direction == network.DirOutbound {
			pi.Direction = c.Stat().Direction.String()
		}
	}
	if l := h.Peerstore().LatencyEWMA(p); l > 0 {
		pi.Latency = l.Round(time.Microsecond).String()
	}
	return pi
}
