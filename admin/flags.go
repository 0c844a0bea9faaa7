package admin

import (
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Flags of the console.
const (
	FlagCarrierTokenFile      = "carrier-token-file"
	FlagBootstrapUser         = "bootstrap-user"
	FlagBootstrapPasswordFile = "bootstrap-password-file"
	FlagOwnerAddress          = "owner-address"
	FlagSessionTTL            = "session-ttl"
	FlagLoginMaxFailures      = "login-max-failures"
	FlagLoginLockout          = "login-lockout"
	FlagLoginRate             = "login-rate"
	FlagAuditMaxEntries       = "audit-max-entries"
	FlagInsecureCookies       = "insecure-cookies"
	FlagTrustedProxy          = "trusted-proxy"
	FlagGatewayAllowLoopback  = "gateway-allow-loopback"
)

// Flags are the admin's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	d := ConsoleDefaults()
	return append(consul.MemberFlags("admin"),
		&cli.PathFlag{Name: FlagCarrierTokenFile, Usage: "`file` (mode 0600) with the carrier API's bearer token, the one the carrier reads with --api-token-file"},
		&cli.StringFlag{Name: FlagBootstrapUser, Value: d.BootstrapUser, Usage: "`name` of the first admin account, made when the organization has none"},
		&cli.PathFlag{Name: FlagBootstrapPasswordFile, Usage: "`file` (mode 0600) with the first admin's password (12+ characters), to be changed at the first login; read only while the organization has no account"},
		&cli.StringSliceFlag{Name: FlagOwnerAddress, Usage: "Ethereum `address` of an owner allowed to sign in with a wallet, as admin (repeatable); none: wallet sign-in off"},
		&cli.DurationFlag{Name: FlagSessionTTL, Value: d.SessionTTL, Usage: "lifetime of a console session"},
		&cli.IntFlag{Name: FlagLoginMaxFailures, Value: d.LoginMaxFailures, Usage: "consecutive wrong passwords that lock an account"},
		&cli.DurationFlag{Name: FlagLoginLockout, Value: d.LoginLockout, Usage: "how long a locked account stays locked"},
		&cli.IntFlag{Name: FlagLoginRate, Value: d.LoginRate, Usage: "sign-in attempts allowed per client address and minute, on each replica"},
		&cli.IntFlag{Name: FlagAuditMaxEntries, Value: d.AuditMaxEntries, Usage: "audit log entries kept in Consul KV (the oldest go first)"},
		&cli.BoolFlag{Name: FlagInsecureCookies, Usage: "drop the session cookie's Secure flag on plain HTTP (not needed on loopback, or behind TLS)"},
		&cli.StringSliceFlag{Name: FlagTrustedProxy, Value: cli.NewStringSlice(d.TrustedProxies...), Usage: "`CIDR` of proxies (via) whose X-Forwarded-For/-Host/-Proto/-Prefix headers are trusted (repeatable)"},
		&cli.BoolFlag{Name: FlagGatewayAllowLoopback, Usage: "allow calls to gateways on loopback addresses for the organization's bought orders (tests, a devnet on one machine; the carrier needs its own --gateway-allow-loopback); private and metadata addresses stay refused"},
	)
}

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	return Config{Config: service.FromCLI(c), Member: consul.MemberConfigFromCLI(c), Console: ConsoleConfig{
		CarrierTokenFile:      c.Path(FlagCarrierTokenFile),
		BootstrapUser:         c.String(FlagBootstrapUser),
		BootstrapPasswordFile: c.Path(FlagBootstrapPasswordFile),
		Owners:                c.StringSlice(FlagOwnerAddress),
		SessionTTL:            c.Duration(FlagSessionTTL),
		LoginMaxFailures:      c.Int(FlagLoginMaxFailures),
		LoginLockout:          c.Duration(FlagLoginLockout),
		LoginRate:             c.Int(FlagLoginRate),
		AuditMaxEntries:       c.Int(FlagAuditMaxEntries),
		InsecureCookies:       c.Bool(FlagInsecureCookies),
		TrustedProxies:        c.StringSlice(FlagTrustedProxy),
		GatewayAllowLoopback:  c.Bool(FlagGatewayAllowLoopback),
	}}
}
