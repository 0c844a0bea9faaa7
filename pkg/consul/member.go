package consul

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/hashicorp/consul/api"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Flags every daemon has for its membership in the organization's Consul,
// besides the client flags of Flags.
const (
	FlagOrg           = "org"
	FlagAdvertiseAddr = "advertise-addr"
)

// MemberConfig joins a daemon to its organization's Consul: who it belongs
// to, where others reach it, and how to talk to the agent.
type MemberConfig struct {
	// Org is the organization id (a lowercase DNS label): meta "org" and
	// the KV prefix gridnode/<org>/.
	Org string
	// AdvertiseAddr is the host:port registered for others to reach the
	// daemon's HTTP server; empty means the address the server is bound to,
	// which must then be a specific address, not 0.0.0.0 or [::].
	AdvertiseAddr string
	// Consul is the agent client configuration.
	Consul Options
}

// MemberFlags returns --org, --advertise-addr and the Consul client flags
// of a role.
func MemberFlags(role string) []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: FlagOrg, Usage: "organization `id` (lowercase DNS label) this daemon belongs to; required"},
		&cli.StringFlag{Name: FlagAdvertiseAddr, Usage: "`host:port` registered in Consul for others to reach this daemon (default: the HTTP listen address)"},
	}, Flags(role)...)
}

// MemberConfigFromCLI reads the flags MemberFlags returned.
func MemberConfigFromCLI(c *cli.Context) MemberConfig {
	return MemberConfig{
		Org:           c.String(FlagOrg),
		AdvertiseAddr: c.String(FlagAdvertiseAddr),
		Consul:        OptionsFromCLI(c),
	}
}

// Validate reports the first problem, naming the flag to fix.
func (m MemberConfig) Validate() error {
	if m.Org == "" {
		return fmt.Errorf("%s: required", FlagOrg)
	}
	if err := ValidateOrg(m.Org); err != nil {
		return fmt.Errorf("%s: %w", FlagOrg, err)
	}
	if m.AdvertiseAddr != "" {
		if _, _, err := splitAdvertise(m.AdvertiseAddr); err != nil {
			return fmt.Errorf("%s %q: %w", FlagAdvertiseAddr, m.AdvertiseAddr, err)
		}
	}
	return m.Consul.Validate()
}

func splitAdvertise(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("port %q: want 1-65535", p)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return "", 0, fmt.Errorf("host %q is not an address others can reach", host)
	}
	return host, port, nil
}

// Member is a daemon's membership in its organization's Consul: the agent
// client and the registration that keeps the daemon listed while it runs.
type Member struct {
	client *api.Client
	reg    *Registrar
}

// Join registers a daemon's HTTP server under name (carrier, admin,
// gateway or via) and adds a "consul" readiness check to it. provider is
// the gateway's provider address, empty for the other roles. Nothing is
// sent to the agent until Run.
func Join(cfg MemberConfig, name, provider string, srv *service.Server, log *zap.Logger) (*Member, error) {
	addr := cfg.AdvertiseAddr
	if addr == "" {
		addr = srv.Addr().String()
	}
	host, port, err := splitAdvertise(addr)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w (set --%s)", FlagAdvertiseAddr, addr, err, FlagAdvertiseAddr)
	}
	client, err := NewClient(cfg.Consul)
	if err != nil {
		return nil, err
	}
	reg, err := NewRegistrar(client, Registration{
		Name:     name,
		Org:      cfg.Org,
		Provider: provider,
		Address:  host,
		Port:     port,
	}, log)
	if err != nil {
		return nil, err
	}
	srv.AddCheck("consul", reg.Ready)
	return &Member{client: client, reg: reg}, nil
}

// Client is the agent client, for the daemon's other Consul uses (KV,
// watches, locks).
func (m *Member) Client() *api.Client { return m.client }

// Registration is what Run keeps registered.
func (m *Member) Registration() Registration { return m.reg.Registration() }

// Run keeps the daemon registered until ctx is cancelled, then deregisters
// it. Give it to service.Server.ServeWith so that it deregisters before the
// HTTP server drains.
func (m *Member) Run(ctx context.Context) error { return m.reg.Run(ctx) }

// CheckID is the agent's id of the daemon's health check, to tie a lock's
// session to it (LeaderOptions.HealthCheckID).
func (m *Member) CheckID() string { return "service:" + m.reg.Registration().ID }

// Ready reports whether the daemon is registered.
func (m *Member) Ready(ctx context.Context) error { return m.reg.Ready(ctx) }
