package carrier

import (
	"fmt"

	"github.com/gridnode/gridnode/carrier/internal/chain"
	"github.com/gridnode/gridnode/carrier/internal/federation"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/secret"
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
	// P2P is the libp2p side: identity, listeners, peers, directory.
	P2P federation.Config `yaml:",inline"`
	// Chain is the chain mediator: wallet, RPC, transactions.
	Chain chain.Config `yaml:",inline"`

	// flagErr is a flag value FromCLI could not parse (--provider-memory,
	// --provider-storage); it stops the carrier when the chain subsystem,
	// which uses them, is on.
	flagErr error
}

// APIConfig configures the carrier's JSON API under /v1/ on --http-addr.
// The API is for the organization's own operators and admin console: bind
// --http-addr to an org-internal address. Every request carries
// "Authorization: Bearer <token>"; the token is read from a file (mode 0600)
// that admin and the CLI read too.
type APIConfig struct {
	// TokenFile holds the bearer token (at least 32 characters; one
	// trailing newline is ignored). Empty disables the API: /v1/ answers
	// 503.
	TokenFile string `yaml:"api-token-file"`
}

// Validate reads the token file, so that a missing or unsafe file stops
// the carrier at start with a message naming the flag.
func (a APIConfig) Validate() error {
	if a.TokenFile == "" {
		return nil
	}
	if _, err := secret.ReadToken("API token", a.TokenFile); err != nil {
		return fmt.Errorf("%s: %w", FlagAPITokenFile, err)
	}
	return nil
}

// Defaults returns the carrier's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7401"), P2P: federation.Defaults(), Chain: chain.Defaults()}
}

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	for _, v := range []interface{ Validate() error }{c.Config, c.Member, c.API, c.P2P} {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
		}
	}
	if c.Chain.Enabled() && c.flagErr != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, c.flagErr)
	}
	if err := c.Chain.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	return nil
}
