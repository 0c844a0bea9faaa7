package via

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/via/internal/edge"
	"github.com/gridnode/gridnode/via/internal/relay"
)

// Config is the via's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_VIA_<FLAG>) and one key of the --config file;
// docs/config/via.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
	// Edge is the public HTTP(S) listener (flags.go); its ShutdownGrace
	// is the lifecycle's.
	Edge edge.Config `yaml:",inline"`
	// Relay is the libp2p circuit relay, off unless --relay-listen is set.
	Relay relay.Config `yaml:",inline"`
}

// Defaults returns the via's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7404"), Edge: edge.Defaults(), Relay: relay.Defaults()}
}

// Flags are the via's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	flags := append(consul.MemberFlags("via"), edgeFlags()...)
	return append(flags, relayFlags()...)
}

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	cfg := service.FromCLI(c)
	return Config{
		Config: cfg,
		Member: consul.MemberConfigFromCLI(c),
		Edge:   edgeConfigFromCLI(c, cfg.ShutdownGrace),
		Relay:  relayConfigFromCLI(c),
	}
}

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	for _, v := range []interface{ Validate() error }{c.Config, c.Member, c.Edge, c.Relay} {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
		}
	}
	return nil
}
