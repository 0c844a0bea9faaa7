package admin

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/admin/internal/audit"
	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
)

// Config is the admin's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_ADMIN_<FLAG>) and one key of the --config file;
// docs/config/admin.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
	// Console is the web console: carrier access, accounts, sessions.
	Console ConsoleConfig `yaml:",inline"`
}

// ConsoleConfig configures the console's backend.
type ConsoleConfig struct {
	// CarrierTokenFile holds the carrier API's bearer token (the file the
	// carrier reads with --api-token-file; mode 0600). Without it the
	// console shows the carrier as not configured.
	CarrierTokenFile string `yaml:"carrier-token-file"`
	// BootstrapUser and BootstrapPasswordFile make the first admin account
	// when the organization has none; its password must be changed at the
	// first login. Ignored once any account exists.
	BootstrapUser         string `yaml:"bootstrap-user"`
	BootstrapPasswordFile string `yaml:"bootstrap-password-file"`
	// Owners may sign in with their Ethereum wallet (EIP-4361), as admins.
	Owners []string `yaml:"owner-address"`
	// SessionTTL is a session's lifetime.
	SessionTTL time.Duration `yaml:"session-ttl"`
	// LoginMaxFailures consecutive wrong passwords lock an account for
	// LoginLockout.
	LoginMaxFailures int           `yaml:"login-max-failures"`
	LoginLockout     time.Duration `yaml:"login-lockout"`
	// LoginRate is the sign-in attempts allowed per client address and
	// minute on each replica (also the burst).
	LoginRate int `yaml:"login-rate"`
	// AuditMaxEntries is the audit log's size (the oldest entries go).
	AuditMaxEntries int `yaml:"audit-max-entries"`
	// InsecureCookies drops the session cookie's Secure flag on plain
	// HTTP.
	InsecureCookies bool `yaml:"insecure-cookies"`
	// TrustedProxies are the CIDRs whose X-Forwarded-* headers count.
	TrustedProxies []string `yaml:"trusted-proxy"`
	// GatewayAllowLoopback lets the console call gateways on loopback
	// addresses for the org's bought orders (a devnet on one machine).
	GatewayAllowLoopback bool `yaml:"gateway-allow-loopback"`
}

// Defaults returns the admin's default configuration.
func Defaults() Config {
	return Config{Config: service.Defaults("127.0.0.1:7402"), Console: ConsoleDefaults()}
}

// ConsoleDefaults are the console's defaults.
func ConsoleDefaults() ConsoleConfig {
	return ConsoleConfig{
		BootstrapUser:    "admin",
		SessionTTL:       8 * time.Hour,
		LoginMaxFailures: 5,
		LoginLockout:     15 * time.Minute,
		LoginRate:        10,
		AuditMaxEntries:  audit.DefaultMax,
		TrustedProxies:   []string{"127.0.0.0/8", "::1/128"},
	}
}

// Validate reports the first problem with the configuration.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.Member.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.Console.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	return nil
}

// Validate checks the console settings and reads the secret files, so
// that a missing or unsafe file stops admin at start.
func (c ConsoleConfig) Validate() error {
	if c.CarrierTokenFile != "" {
		if _, err := readCarrierToken(c.CarrierTokenFile); err != nil {
			return fmt.Errorf("%s: %w", FlagCarrierTokenFile, err)
		}
	}
	if !auth.ValidName(c.BootstrapUser) {
		return fmt.Errorf("%s %q: want a lowercase letter, then up to 31 of a-z 0-9 . _ -", FlagBootstrapUser, c.BootstrapUser)
	}
	if c.BootstrapPasswordFile != "" {
		pw, err := readPassword(c.BootstrapPasswordFile)
		if err != nil {
			return fmt.Errorf("%s: %w", FlagBootstrapPasswordFile, err)
		}
		if err := auth.CheckPassword(c.BootstrapUser, pw); err != nil {
			return fmt.Errorf("%s: %w", FlagBootstrapPasswordFile, err)
		}
	}
	if _, err := c.owners(); err != nil {
		return err
	}
	if _, err := c.proxies(); err != nil {
		return err
	}
	switch {
	case c.SessionTTL < time.Minute || c.SessionTTL > 30*24*time.Hour:
		return fmt.Errorf("%s %s: want 1m to 720h", FlagSessionTTL, c.SessionTTL)
	case c.LoginMaxFailures < 1 || c.LoginMaxFailures > 100:
		return fmt.Errorf("%s %d: want 1 to 100", FlagLoginMaxFailures, c.LoginMaxFailures)
	case c.LoginLockout < time.Second || c.LoginLockout > 24*time.Hour:
		return fmt.Errorf("%s %s: want 1s to 24h", FlagLoginLockout, c.LoginLockout)
	case c.LoginRate < 1 || c.LoginRate > 10000:
		return fmt.Errorf("%s %d: want 1 to 10000", FlagLoginRate, c.LoginRate)
	case c.AuditMaxEntries < 10 || c.AuditMaxEntries > 100000:
		return fmt.Errorf("%s %d: want 10 to 100000", FlagAuditMaxEntries, c.AuditMaxEntries)
	}
	return nil
}

func (c ConsoleConfig) owners() ([]common.Address, error) {
	var out []common.Address
	for _, o := range c.Owners {
		if !common.IsHexAddress(o) {
			return nil, fmt.Errorf("%s %q: want 0x and 40 hex digits", FlagOwnerAddress, o)
		}
		out = append(out, common.HexToAddress(o))
	}
	return out, nil
}

func (c ConsoleConfig) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range c.TrustedProxies {
		pre, err := netip.ParsePrefix(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("%s %q: want a CIDR such as 10.0.0.0/8", FlagTrustedProxy, p)
		}
		out = append(out, pre.Masked())
	}
	return out, nil
}

// minTokenLen is the carrier's own minimum.
const minTokenLen = 32

func readCarrierToken(path string) (string, error) {
	b, err := secret.ReadFile("carrier API token", path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	clear(b)
	if len(tok) < minTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("carrier API token file %s: want one line of at least %d non-space characters", path, minTokenLen)
	}
	return tok, nil
}

func readPassword(path string) (string, error) {
	b, err := secret.ReadFile("bootstrap password", path)
	if err != nil {
		return "", err
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	clear(b)
	if pw == "" {
		return "", errors.New("the bootstrap password file is empty")
	}
	return pw, nil
}
