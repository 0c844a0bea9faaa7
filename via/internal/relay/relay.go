package relay

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	circuit "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	ma "github.com/multiformats/go-multiaddr"
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
	// of known organizations. Connections are relayed only to them.
	AllowPeers []string
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
	if len(c.AllowPeers) == 0 {
		return errors.New("relay-allow-peer: at least one peer id with relay-listen (the org's carriers)")
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

// acl lets only allowed peers reserve, and relays only to them.
type acl struct{ allow map[peer.ID]bool }

func (a acl) AllowReserve(p peer.ID, _ ma.Multiaddr) bool { return a.allow[p] }

func (a acl) AllowConnect(_ peer.ID, _ ma.Multiaddr, dest peer.ID) bool { return a.allow[dest] }

// Relay is a running relay service.
type Relay struct {
	host host.Host
	svc  *circuit.Relay
	log  *zap.Logger
}

// New starts the relay host and service.
func New(cfg Config, log *zap.Logger) (*Relay, error) {
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
	svc, err := circuit.New(h, circuit.WithResources(rc), circuit.WithACL(acl{allow: allow}))
	if err != nil {
		_ = h.Close()
		return nil, fmt.Errorf("starting relay service: %w", err)
	}
	r := &Relay{host: h, svc: svc, log: log}
	log.Info("relay listening", zap.String("peer_id", h.ID().String()), zap.Strings("addrs", r.Addrs()),
		zap.Int("allowed_peers", len(allow)))
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
