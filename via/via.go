package via

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/via/internal/edge"
	"github.com/gridnode/gridnode/via/internal/relay"
)

// KV keys, under the org's prefix gridnode/<org>/, where via publishes
// what the org's other daemons need of it. Each is written at start and
// again every republish interval (in case the KV store lost it: a restored
// or restarted dev agent); with several vias the last writer wins.
const (
	// RelayAddrsKey holds the relay's multiaddrs as a JSON array of
	// strings (…/p2p/<id>): the org's carrier reads it for its relays.
	RelayAddrsKey = "via/relay-addrs"
	// PublicURLKey holds --public-url as plain text: the base URL of the
	// org's gateways in listings (<url>/gw/<provider>).
	PublicURLKey = "via/public-url"
)

// republish is how often the KV keys are written again.
const republish = time.Minute

// Via is a running via daemon.
type Via struct {
	cfg      Config
	log      *zap.Logger
	http     *service.Server
	member   *consul.Member
	gateways *consul.Watcher
	admin    *consul.Watcher
	carriers *consul.Watcher // with --relay-allow-listed
	edge     *edge.Edge
	relay    *relay.Relay
}

// New builds the daemon and binds its listeners; Run starts it.
func New(cfg Config, log *zap.Logger) (*Via, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	srv, err := service.NewServer(cfg.Config, "via", log)
	if err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	member, err := consul.Join(cfg.Member, "via", "", srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	d := &Via{cfg: cfg, log: log, http: srv, member: member}
	opts := consul.WatchOptions{Tag: cfg.Member.Org}
	if d.gateways, err = consul.NewWatcher(member.Client(), consul.ServiceGateway, opts, log); err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	srv.AddCheck("gateways", d.gateways.Ready)
	var admin edge.Source
	if cfg.Edge.AdminRoute {
		if d.admin, err = consul.NewWatcher(member.Client(), consul.ServiceAdmin, opts, log); err != nil {
			return nil, fmt.Errorf("starting via: %w", err)
		}
		admin = d.admin
	}
	if d.edge, err = edge.New(cfg.Edge, cfg.Member.Org, d.gateways, admin, srv.Registry(), log); err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	if cfg.Relay.Enabled() {
		if d.relay, err = relay.New(cfg.Relay, srv.Registry(), log); err != nil {
			return nil, fmt.Errorf("starting via: %w", err)
		}
		if cfg.Relay.AllowListed {
			if d.carriers, err = consul.NewWatcher(member.Client(), consul.ServiceCarrier, opts, log); err != nil {
				_ = d.relay.Close()
				return nil, fmt.Errorf("starting via: %w", err)
			}
		}
	}
	return d, nil
}

// HTTP is the daemon's lifecycle HTTP server (its address, registry and
// checks).
func (d *Via) HTTP() *service.Server { return d.http }

// Edge is the public listener.
func (d *Via) Edge() *edge.Edge { return d.edge }

// RelayAddrs are the relay's multiaddrs, nil when the relay is off.
func (d *Via) RelayAddrs() []string {
	if d.relay == nil {
		return nil
	}
	return d.relay.Addrs()
}

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters, drains the public listener, closes the
// relay and drains the lifecycle HTTP server, each within the grace period.
func (d *Via) Run(ctx context.Context) error {
	runners := []func(context.Context) error{d.member.Run, d.gateways.Run, d.edge.Run}
	if d.admin != nil {
		runners = append(runners, d.admin.Run)
	}
	if d.cfg.Edge.PublicURL != "" {
		runners = append(runners, func(ctx context.Context) error {
			return d.publish(ctx, PublicURLKey, []byte(d.cfg.Edge.PublicURL))
		})
	}
	if d.relay != nil {
		runners = append(runners, d.runRelay)
		if d.carriers != nil {
			runners = append(runners, d.carriers.Run, func(ctx context.Context) error { return d.relay.RunListed(ctx, d.carriers) })
		}
	}
	return d.http.ServeWith(ctx, runners...)
}

// runRelay publishes the relay's addresses in Consul KV until ctx is done,
// then closes the relay.
func (d *Via) runRelay(ctx context.Context) error {
	defer func() {
		if err := d.relay.Close(); err != nil {
			d.log.Warn("closing relay", zap.Error(err))
		}
	}()
	value, err := json.Marshal(d.relay.Addrs())
	if err != nil {
		return fmt.Errorf("publishing relay addresses: %w", err)
	}
	return d.publish(ctx, RelayAddrsKey, value)
}

// publish writes value at key under the org's prefix, and again every
// republish interval (every 2 s while it fails), until ctx is done.
func (d *Via) publish(ctx context.Context, key string, value []byte) error {
	prefix, err := consul.OrgPrefix(d.cfg.Member.Org)
	if err != nil {
		return fmt.Errorf("publishing %s: %w", key, err)
	}
	key = prefix + key
	kv := consul.NewKV(d.member.Client(), d.log)
	published, failing := false, false
	for {
		if err := kv.Put(ctx, key, value); err != nil {
			if !failing && ctx.Err() == nil {
				d.log.Warn("publishing in Consul KV failed; retrying", zap.String("key", key), zap.Error(err))
			}
			failing = true
		} else {
			if !published || failing {
				d.log.Info("published in Consul KV", zap.String("key", key), zap.ByteString("value", value))
			}
			published, failing = true, false
		}
		wait := republish
		if failing {
			wait = 2 * time.Second
		}
		if !service.Sleep(ctx, wait) {
			return nil
		}
	}
}
