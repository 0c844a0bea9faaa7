package via

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Config is the via's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_VIA_<FLAG>) and one key of the --config file;
// docs/config/via.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
}

// Defaults returns the via's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7404")}
}

// Flags are the via's own flags, beyond the lifecycle's.
func Flags() []cli.Flag { return consul.MemberFlags("via") }

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	return Config{Config: service.FromCLI(c), Member: consul.MemberConfigFromCLI(c)}
}

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.Member.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	return nil
}
