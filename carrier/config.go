package carrier

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Config is the carrier's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_CARRIER_<FLAG>) and one key of the --config file;
// docs/config/carrier.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
	// DataDir holds the carrier's durable state: one bbolt file per
	// subsystem (directory, transaction journal, chain cursor), mode 0700.
	// Every subsystem that keeps state uses this one directory.
	DataDir string `yaml:"data-dir"`
	// API is the carrier's JSON API (api.go).
	API APIConfig `yaml:",inline"`
	// P2P is the libp2p side: identity, listeners, peers, directory (p2p.go).
	P2P P2PConfig `yaml:",inline"`
	// Chain is the chain mediator: wallet, RPC, transactions (chain.go).
	Chain ChainConfig `yaml:",inline"`
}

// Defaults returns the carrier's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7401")}
}

// Flags are the carrier's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	flags := append(consul.MemberFlags("carrier"), &cli.PathFlag{
		Name:  FlagDataDir,
		Usage: "`dir` for the carrier's durable state (directory, transaction journal, chain cursor); required by the p2p and chain subsystems",
	})
	flags = append(flags, apiFlags()...)
	flags = append(flags, p2pFlags()...)
	return append(flags, chainFlags()...)
}

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	return Config{
		Config:  service.FromCLI(c),
		Member:  consul.MemberConfigFromCLI(c),
		DataDir: c.Path(FlagDataDir),
		API:     apiConfigFromCLI(c),
		P2P:     p2pConfigFromCLI(c),
		Chain:   chainConfigFromCLI(c),
	}
}

// FlagDataDir is the carrier's state directory flag; subsystems share it.
const FlagDataDir = "data-dir"

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	for _, v := range []interface{ Validate() error }{c.Member, c.API, c.P2P, c.Chain} {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
		}
	}
	return nil
}
