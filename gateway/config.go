package gateway

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Config is the gateway's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_GATEWAY_<FLAG>) and one key of the --config file;
// docs/config/gateway.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
	// Provider is the provider's Ethereum address (0x + 40 hex digits) that
	// this gateway serves: meta "provider" in Consul. The gateway issue
	// replaces it with the address of the gateway's provider keystore.
	Provider string `yaml:"provider"`
}

// Defaults returns the gateway's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7403")}
}

// Flags are the gateway's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	return append(consul.MemberFlags("gateway"),
		&cli.StringFlag{Name: FlagProvider, Usage: "provider `address` (0x…) this gateway serves; required"})
}

// FlagProvider is the gateway's provider address flag.
const FlagProvider = "provider"

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	return Config{Config: service.FromCLI(c), Member: consul.MemberConfigFromCLI(c), Provider: c.String(FlagProvider)}
}

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.Member.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if !common.IsHexAddress(c.Provider) || len(c.Provider) != 42 {
		return fmt.Errorf("%w: %s %q: want the provider's address, 0x and 40 hex digits", service.ErrInvalidConfig, FlagProvider, c.Provider)
	}
	return nil
}
