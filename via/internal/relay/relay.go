package relay

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	circuit "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/secret"
)

// Config configures the relay. It is off unless Listen is set.
type Config struct {
	// Listen are the multiaddrs the relay host listens on, e.g.
	// /ip4/0.0.0.0/tcp/4002 and /ip4/0.0.0.0/udp/4002/quic-v1.
	Listen []string
	// Announce, if set, replaces the listen addresses in what is
	// published (the public addresses behind NAT or a load balancer).
	Announce []string
	// KeyFile holds the relay's libp2p private key (protobuf, as
	// crypto.MarshalPrivateKey writes it); created with a new Ed25519 key,
	// mode 0600, if missing.
	KeyFile string
	// AllowPeers are the peer IDs that may reserve a slot: the carriers
	// of known organizations. Connections are relayed only to peers that
	// may reserve.
	AllowPeers []string
	// AllowListed also admits every peer that holds a registered listing:
	// the "listed" peers of the org's carrier (GET /v1/peers), asked every
	// ListedRefresh with the API token in CarrierTokenFile. The last good
	// set stays while no carrier answers.
	AllowListed      bool
	CarrierTokenFile string
	ListedRefresh    time.Duration
	// MaxReservations and MaxCircuits bound the relay's reservations and
	// concurrent relayed connections; ReservationTTL is a reservation's
	// life before renewal.
	MaxReservations, MaxCircuits int
	ReservationTTL               time.Duration
	// LimitData and LimitDuration bound each relayed connection (bytes in
	// each direction, time).
	LimitData     int64
	LimitDuration time.Duration
}

// Defaults are libp2p's relay defaults, a little wider for an org's
// carriers.
func Defaults() Config {
	return Config{
		MaxReservations: 128,
		MaxCircuits:     16,
		ReservationTTL:  time.Hour,
		LimitData:       1 << 20,
		LimitDuration:   2 * time.Minute,
		ListedRefresh:   time.Minute,
	}
}

// Enabled reports whether the relay runs.
func (c Config) Enabled() bool { return len(c.Listen) > 0 }

// Validate reports the first problem, naming the flag.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	for _, s := range append(append([]string{}, c.Listen...), c.Announce...) {
		if _, err := ma.NewMultiaddr(s); err != nil {
			return fmt.Errorf("relay address %q: %w", s, err)
		}
	}
	if c.KeyFile == "" {
		return errors.New("relay-key-file: required with relay-listen")
	}
	if len(c.AllowPeers) == 0 && !c.AllowListed {
		return errors.New("relay-allow-peer or relay-allow-listed: the relay admits nobody (list the org's carrier peer id, or admit the peers holding registered listings)")
	}
	if c.AllowListed {
		if c.CarrierTokenFile == "" {
			return errors.New("carrier-api-token-file: required with relay-allow-listed (the org's carrier says who holds listings)")
		}
		if _, err := secret.ReadToken(carrierTokenWhat, c.CarrierTokenFile); err != nil {
			return fmt.Errorf("carrier-api-token-file: %w", err)
		}
		if c.ListedRefresh < 100*time.Millisecond {
			return fmt.Errorf("relay-listed-refresh %s: want at least 100ms", c.ListedRefresh)
		}
	}
	if _, err := parsePeers(c.AllowPeers); err != nil {
		return err
	}
	switch {
	case c.MaxReservations < 1:
		return fmt.Errorf("relay-max-reservations %d: want at least 1", c.MaxReservations)
	case c.MaxCircuits < 1:
		return fmt.Errorf("relay-max-circuits %d: want at least 1", c.MaxCircuits)
	case c.ReservationTTL < time.Minute:
		return fmt.Errorf("relay-reservation-ttl %s: want at least 1m", c.ReservationTTL)
	case c.LimitData < 1<<10:
		return fmt.Errorf("relay-limit-data %d: want at least 1024 bytes", c.LimitData)
	case c.LimitDuration < time.Second:
		return fmt.Errorf("relay-limit-duration %s: want at least 1s", c.LimitDuration)
	}
	return nil
}

func parsePeers(in []string) (map[peer.ID]bool, error) {
	out := map[peer.ID]bool{}
	for _, s := range in {
		id, err := peer.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("relay-allow-peer %q: %w", s, err)
		}
		out[id] = true
	}
	return out, nil
}

// acl lets only allowed peers reserve (the configured ones and, with
// AllowListed, the carrier's listing peers), and relays only to them.
type acl struct {
	allow  map[peer.ID]bool
	listed atomic.Pointer[map[peer.ID]bool]
	m      *metrics
}

func (a *acl) allowed(p peer.ID) bool {
	if a.allow[p] {
		return true
	}
	if l := a.listed.Load(); l != nil {
		return (*l)[p]
	}
	return false
}

func (a *acl) AllowReserve(p peer.ID, _ ma.Multiaddr) bool {
	ok := a.allowed(p)
	if ok {
		a.m.reserveAllowed.Inc()
	} else {
		a.m.reserveRefused.Inc()
	}
	return ok
}

func (a *acl) AllowConnect(_ peer.ID, _ ma.Multiaddr, dest peer.ID) bool { return a.allowed(dest) }

// setListed replaces the listing peers; it returns how many there were.
func (a *acl) setListed(ids []peer.ID) int {
	m := make(map[peer.ID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	old := a.listed.Swap(&m)
	if old == nil {
		return -1
	}
	return len(*old)
}

func (a *acl) listedCount() int {
	if l := a.listed.Load(); l != nil {
		return len(*l)
	}
	return 0
}

// metrics are the relay's Prometheus metrics.
type metrics struct {
	reserveAllowed, reserveRefused prometheus.Counter
	listedErrors                   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, a *acl) *metrics {
	res := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gridnode_via_relay_reservations_total",
		Help: "Relay reservation requests, by result (allowed, refused by the ACL).",
	}, []string{"result"})
	errs := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "gridnode_via_relay_listed_errors_total",
		Help: "Failed reads of the listing peers from the org's carrier (the last good set stays).",
	})
	m := &metrics{reserveAllowed: res.WithLabelValues("allowed"), reserveRefused: res.WithLabelValues("refused"), listedErrors: errs}
	if reg != nil {
		reg.MustRegister(res, errs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gridnode_via_relay_listed_peers",
			Help: "Peers holding registered listings, as the org's carrier last said, admitted to the relay.",
		}, func() float64 { return float64(a.listedCount()) }))
	}
	return m
}

// Relay is a running relay service.
type Relay struct {
	cfg  Config
	host host.Host
	svc  *circuit.Relay
	acl  *acl
	m    *metrics
	log  *zap.Logger
}

// New starts the relay host and service; its metrics go to reg (may be
// nil).
func New(cfg Config, reg prometheus.Registerer, log *zap.Logger) (*Relay, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log = log.Named("relay")
	priv, err := loadOrCreateKey(cfg.KeyFile, log)
	if err != nil {
		return nil, err
	}
	allow, _ := parsePeers(cfg.AllowPeers)
	opts := []libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(cfg.Listen...),
		libp2p.DisableRelay(), // the relay transport (as a client) is not needed
		libp2p.UserAgent("gridnode-via"),
		libp2p.DisableMetrics(),
	}
	if len(cfg.Announce) > 0 {
		announce := make([]ma.Multiaddr, 0, len(cfg.Announce))
		for _, s := range cfg.Announce {
			a, _ := ma.NewMultiaddr(s)
			announce = append(announce, a)
		}
		opts = append(opts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return announce }))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting relay host: %w", err)
	}
	rc := circuit.DefaultResources()
	rc.MaxReservations = cfg.MaxReservations
	rc.MaxCircuits = cfg.MaxCircuits
	rc.ReservationTTL = cfg.ReservationTTL
	rc.Limit = &circuit.RelayLimit{Data: cfg.LimitData, Duration: cfg.LimitDuration}
	a := &acl{allow: allow}
	a.m = newMetrics(reg, a)
	svc, err := circuit.New(h, circuit.WithResources(rc), circuit.WithACL(a))
	if err != nil {
		_ = h.Close()
		return nil, fmt.Errorf("starting relay service: %w", err)
	}
	r := &Relay{cfg: cfg, host: h, svc: svc, acl: a, m: a.m, log: log}
	log.Info("relay listening", zap.String("peer_id", h.ID().String()), zap.Strings("addrs", r.Addrs()),
		zap.Int("allowed_peers", len(allow)), zap.Bool("allow_listed", cfg.AllowListed))
	return r, nil
}

// Host is the relay's libp2p host.
func (r *Relay) Host() host.Host { return r.host }

// Addrs are the relay's addresses with its peer id (…/p2p/<id>): what
// carriers put in their relay list.
func (r *Relay) Addrs() []string {
	info := peer.AddrInfo{ID: r.host.ID(), Addrs: r.host.Addrs()}
	addrs, err := peer.AddrInfoToP2pAddrs(&info)
	if err != nil {
		return nil
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out
}

// Close stops the service and the host.
func (r *Relay) Close() error {
	err := r.svc.Close()
	if herr := r.host.Close(); err == nil {
		err = herr
	}
	return err
}

// loadOrCreateKey reads the relay key, or creates one if the file does not
// exist.
func loadOrCreateKey(path string, log *zap.Logger) (crypto.PrivKey, error) {
	b, err := secret.ReadFile("relay key", path)
	if errors.Is(err, fs.ErrNotExist) {
		priv, _, gerr := crypto.GenerateEd25519Key(nil)
		if gerr != nil {
			return nil, fmt.Errorf("generating relay key: %w", gerr)
		}
		raw, gerr := crypto.MarshalPrivateKey(priv)
		if gerr != nil {
			return nil, fmt.Errorf("generating relay key: %w", gerr)
		}
		f, gerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if gerr != nil {
			return nil, fmt.Errorf("creating relay key file: %w", gerr)
		}
		if _, gerr = f.Write(raw); gerr == nil {
			gerr = f.Sync()
		}
		if cerr := f.Close(); gerr == nil {
			gerr = cerr
		}
		if gerr != nil {
			return nil, fmt.Errorf("writing relay key file %s: %w", path, gerr)
		}
		log.Info("created a new relay key", zap.String("file", path))
		return priv, nil
	}
	if err != nil {
		return nil, err
	}
	defer clear(b)
	priv, err := crypto.UnmarshalPrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("relay key file %s: %w", path, err)
	}
	return priv, nil
}
