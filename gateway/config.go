package gateway

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/reconcile"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Config is the gateway's configuration. Every field maps to one flag, one
// environment variable (GRIDNODE_GATEWAY_<FLAG>) and one key of the --config file;
// docs/config/gateway.md is the reference.
type Config struct {
	service.Config `yaml:",inline"`
	// Member joins the daemon to its organization's Consul: --org,
	// --advertise-addr and the --consul-* flags.
	Member consul.MemberConfig `yaml:",inline"`
	// Keystore holds the provider key (v3 keystore file, mode 0600): the
	// provider address is the key's, meta "provider" in Consul.
	Keystore       string `yaml:"keystore"`
	PassphraseFile string `yaml:"passphrase-file"`
	PassphraseEnv  string `yaml:"passphrase-env"`
	// Chain is where orders are checked (chain.go).
	Chain ChainConfig `yaml:",inline"`
	// Auth is the buyers' login and sessions.
	Auth AuthConfig `yaml:",inline"`
	// App is the reverse proxy to orders' apps.
	App AppConfig `yaml:",inline"`
	// Listing is the provider's signed listing (listing.go).
	Listing ListingConfig `yaml:",inline"`
	// Deploy is the deployer: the provider's cluster (deploy package).
	Deploy deploy.Config `yaml:",inline"`
	// Reconcile is the teardown loop.
	ReconcileInterval time.Duration `yaml:"reconcile-interval"`
	ReconcileGrace    time.Duration `yaml:"reconcile-grace"`

	flagErr error
}

// ChainConfig says where orders are read.
type ChainConfig struct {
	// RPC and Market override the organization's settings in Consul KV
	// (gridnode/<org>/settings/chain-rpc and contracts/market, written by
	// `carrier settings set`); empty follows them.
	RPC    string `yaml:"chain-rpc"`
	Market string `yaml:"market-address"`
	// Owner is the organization's wallet (its carrier's), the owner the
	// provider is registered to: the only payee whose orders the gateway
	// serves, and the owner its registration proofs name.
	Owner string `yaml:"owner"`
	// OrderCacheTTL is how long an order read from the chain is reused
	// (a cancellation is seen at most this late); OrderCacheSize bounds
	// the cache.
	OrderCacheTTL  time.Duration `yaml:"order-cache-ttl"`
	OrderCacheSize int           `yaml:"order-cache-size"`
}

// AuthConfig configures logins and sessions.
type AuthConfig struct {
	ChallengeTTL  time.Duration `yaml:"challenge-ttl"`
	ChallengeRate int           `yaml:"challenge-rate"`
	SessionTTL    time.Duration `yaml:"session-ttl"`
	SessionMaxAge time.Duration `yaml:"session-max-age"`
	// SessionKeyFile holds the HMAC key of sessions (32+ bytes, mode
	// 0600), the same file on every replica. Empty: the key is generated
	// once into Consul KV (gridnode/<org>/gateway/<provider>/session-key)
	// and shared from there.
	SessionKeyFile string `yaml:"session-key-file"`
	// CookieSameSite is lax or strict.
	CookieSameSite string `yaml:"cookie-samesite"`
}

// AppConfig configures the API's inputs and the app proxy.
type AppConfig struct {
	// TrustedProxies are the CIDRs whose X-Forwarded-* headers (via's)
	// are believed.
	TrustedProxies      []string      `yaml:"trusted-proxies"`
	MaxBody             int64         `yaml:"app-max-body"`
	DialTimeout         time.Duration `yaml:"app-dial-timeout"`
	ResponseTimeout     time.Duration `yaml:"app-response-timeout"`
	IdleTimeout         time.Duration `yaml:"app-idle-timeout"`
	MaxIdleConnsPerHost int           `yaml:"app-max-idle-conns-per-host"`
	H2C                 bool          `yaml:"app-h2c"`
}

// ListingConfig configures the provider's listing.
type ListingConfig struct {
	// CarrierTokenFile holds the carrier API's bearer token; without it
	// the gateway publishes no listing.
	CarrierTokenFile string `yaml:"carrier-token-file"`
	// PublicURL is the organization's public base URL (via's); the
	// listing's gateway URL is PublicURL/gw/<provider>. Empty: the URL the
	// carrier registered in the Registry.
	PublicURL string            `yaml:"public-url"`
	Labels    map[string]string `yaml:"listing-labels"`
	TTL       time.Duration     `yaml:"listing-ttl"`
}

// Defaults and bounds of the configuration.
const (
	defaultAppMaxBody       = 100 << 20
	defaultListingTTL       = time.Hour
	maxChallengeTTL         = time.Hour
	maxSessionTTL           = 24 * time.Hour
	minCarrierTokenLength   = 32
	defaultReconcileGrace   = time.Minute
	defaultReconcileEvery   = 30 * time.Second
	defaultCookieSameSite   = "lax"
	defaultAppMaxIdlePerHst = 512
)

// Defaults returns the gateway's default configuration.
func Defaults() Config {
	return Config{
		Config:        service.Defaults("127.0.0.1:7403"),
		PassphraseEnv: wallet.DefaultPassphraseEnv,
		Chain:         ChainConfig{OrderCacheTTL: orders.DefaultCacheTTL, OrderCacheSize: orders.DefaultCacheSize},
		Auth: AuthConfig{ChallengeTTL: auth.DefaultChallengeTTL, ChallengeRate: auth.DefaultChallengeRate,
			SessionTTL: auth.DefaultSessionTTL, SessionMaxAge: auth.DefaultSessionMaxAge, CookieSameSite: defaultCookieSameSite},
		App: AppConfig{TrustedProxies: api.DefaultTrustedProxies, MaxBody: defaultAppMaxBody, DialTimeout: 5 * time.Second,
			ResponseTimeout: time.Minute, IdleTimeout: 90 * time.Second, MaxIdleConnsPerHost: defaultAppMaxIdlePerHst},
		Listing:           ListingConfig{TTL: defaultListingTTL},
		Deploy:            deploy.Defaults(),
		ReconcileInterval: defaultReconcileEvery,
		ReconcileGrace:    defaultReconcileGrace,
	}
}

// Validate reports the first problem with the configuration, naming the
// flag to fix. It does not unlock the keystore: New does.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.Member.Validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if err := c.validate(); err != nil {
		return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	if c.DeployEnabled() {
		if err := c.Deploy.Validate(); err != nil {
			return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
		}
	}
	return nil
}

func (c Config) validate() error {
	if c.flagErr != nil {
		return c.flagErr
	}
	if c.Keystore == "" {
		return fmt.Errorf("%s: required (the provider key; create one with `gateway keys new`)", FlagKeystore)
	}
	if c.Chain.RPC != "" {
		if err := (consul.Settings{ChainRPC: c.Chain.RPC}).Validate(); err != nil {
			return fmt.Errorf("%s: %w", FlagChainRPC, err)
		}
	}
	if c.Chain.Market != "" && (!common.IsHexAddress(c.Chain.Market) || len(c.Chain.Market) != 42) {
		return fmt.Errorf("%s %q: want 0x and 40 hex digits", FlagMarketAddress, c.Chain.Market)
	}
	if c.Chain.Owner == "" {
		return fmt.Errorf("%s: required: the organization wallet's address, the provider's owner (the carrier's wallet: "+
			"`carrier keys show --keystore FILE` or the account of `carrier chain`)", FlagOwner)
	}
	if !common.IsHexAddress(c.Chain.Owner) || len(c.Chain.Owner) != 42 || common.HexToAddress(c.Chain.Owner) == (common.Address{}) {
		return fmt.Errorf("%s %q: want the organization wallet's address, 0x and 40 hex digits", FlagOwner, c.Chain.Owner)
	}
	a := c.Auth
	switch {
	case c.Chain.OrderCacheTTL < 0 || c.Chain.OrderCacheTTL > time.Minute:
		return fmt.Errorf("%s %s: want 0 (no cache) to 1m", FlagOrderCacheTTL, c.Chain.OrderCacheTTL)
	case c.Chain.OrderCacheSize <= 0:
		return fmt.Errorf("%s %d: must be positive", FlagOrderCacheSize, c.Chain.OrderCacheSize)
	case a.ChallengeTTL <= 0 || a.ChallengeTTL > maxChallengeTTL:
		return fmt.Errorf("%s %s: want more than 0 and at most %s", FlagChallengeTTL, a.ChallengeTTL, maxChallengeTTL)
	case a.ChallengeRate <= 0:
		return fmt.Errorf("%s %d: must be positive", FlagChallengeRate, a.ChallengeRate)
	case a.SessionTTL <= 0 || a.SessionTTL > maxSessionTTL:
		return fmt.Errorf("%s %s: want more than 0 and at most %s", FlagSessionTTL, a.SessionTTL, maxSessionTTL)
	case a.SessionMaxAge < a.SessionTTL:
		return fmt.Errorf("%s %s: must be at least %s (%s)", FlagSessionMaxAge, a.SessionMaxAge, FlagSessionTTL, a.SessionTTL)
	case a.CookieSameSite != "lax" && a.CookieSameSite != "strict":
		return fmt.Errorf("%s %q: want lax or strict", FlagCookieSameSite, a.CookieSameSite)
	case c.App.DialTimeout <= 0 || c.App.ResponseTimeout <= 0 || c.App.IdleTimeout <= 0:
		return fmt.Errorf("%s, %s and %s must be positive", FlagAppDialTimeout, FlagAppResponseTimeout, FlagAppIdleTimeout)
	case c.App.MaxIdleConnsPerHost <= 0:
		return fmt.Errorf("%s %d: must be positive", FlagAppMaxIdlePerHost, c.App.MaxIdleConnsPerHost)
	case c.App.MaxBody == 0 || c.App.MaxBody < -1:
		return fmt.Errorf("%s %d: want a positive size or -1", FlagAppMaxBody, c.App.MaxBody)
	case c.Listing.TTL < time.Minute || c.Listing.TTL > 7*24*time.Hour:
		return fmt.Errorf("%s %s: want 1m to 168h", FlagListingTTL, c.Listing.TTL)
	case c.ReconcileInterval <= 0 || c.ReconcileGrace < 0:
		return fmt.Errorf("%s must be positive and %s not negative", FlagReconcileInterval, FlagReconcileGrace)
	}
	if a.SessionKeyFile != "" {
		if _, err := readSessionKey(a.SessionKeyFile); err != nil {
			return fmt.Errorf("%s: %w", FlagSessionKeyFile, err)
		}
	}
	if _, err := api.ParsePrefixes(c.App.TrustedProxies); err != nil {
		return fmt.Errorf("%s: %w", FlagTrustedProxies, err)
	}
	if c.Listing.CarrierTokenFile != "" {
		if _, err := readCarrierToken(c.Listing.CarrierTokenFile); err != nil {
			return fmt.Errorf("%s: %w", FlagCarrierTokenFile, err)
		}
	}
	if p := c.Listing.PublicURL; p != "" {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%s %q: want an http(s) URL without query", FlagPublicURL, p)
		}
		if len(strings.TrimRight(p, "/"))+len("/gw/0x")+40 > listing.MaxURLLength {
			return fmt.Errorf("%s: too long for a %d-byte listing URL", FlagPublicURL, listing.MaxURLLength)
		}
	}
	probe := &listing.Record{Version: listing.Version2, Provider: common.Address{1}, Owner: common.Address{1}, Org: "x", GatewayURL: "https://x",
		Labels: c.Listing.Labels, Seq: 1, IssuedAt: 1, Expires: 2}
	if err := probe.Validate(); err != nil {
		return fmt.Errorf("%s: %w", FlagListingLabels, err)
	}
	return nil
}

// DeployEnabled reports whether the gateway has a cluster: a kubeconfig,
// or it runs in one.
func (c Config) DeployEnabled() bool {
	return c.Deploy.Kubeconfig != "" || os.Getenv("KUBERNETES_SERVICE_HOST") != ""
}

// readSessionKey reads a session key file: its bytes (one trailing newline
// dropped) are the key, at least auth.SessionKeySize of them.
func readSessionKey(path string) ([]byte, error) {
	b, err := secret.ReadFile("session key", path)
	if err != nil {
		return nil, err
	}
	k := []byte(strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"))
	clear(b)
	if len(k) < auth.SessionKeySize || len(k) > 4096 {
		clear(k)
		return nil, fmt.Errorf("session key file %s: want %d to 4096 bytes (e.g. head -c 32 /dev/urandom | base64 > %s)", path, auth.SessionKeySize, path)
	}
	return k, nil
}

func readCarrierToken(path string) (string, error) {
	b, err := secret.ReadFile("carrier API token", path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	clear(b)
	if len(tok) < minCarrierTokenLength || strings.ContainsAny(tok, " \t\r\n") {
		return "", errors.New("want one line of at least 32 non-space characters (the carrier's --api-token-file)")
	}
	return tok, nil
}

// reconcileConfig is the teardown loop's configuration.
func (c Config) reconcileConfig(provider common.Address) reconcile.Config {
	r := reconcile.Defaults()
	r.Provider, r.Interval, r.Grace = provider, c.ReconcileInterval, c.ReconcileGrace
	return r
}
