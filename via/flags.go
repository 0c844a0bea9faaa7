package via

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/via/internal/edge"
	"github.com/gridnode/gridnode/via/internal/relay"
)

// Flag names of the edge and the relay; each maps to one field of
// edge.Config or relay.Config.
const (
	FlagPublicAddr        = "public-addr"
	FlagPublicURL         = "public-url"
	FlagRedirectAddr      = "http-redirect-addr"
	FlagAdminRoute        = "admin-route"
	FlagTLSCert           = "tls-cert"
	FlagTLSKey            = "tls-key"
	FlagTLSPollInterval   = "tls-poll-interval"
	FlagRateLimit         = "rate-limit"
	FlagRateBurst         = "rate-burst"
	FlagRateMaxClients    = "rate-max-clients"
	FlagMaxConns          = "max-conns"
	FlagMaxBodyBytes      = "max-body-bytes"
	FlagMaxHeaderBytes    = "max-header-bytes"
	FlagReadHeaderTimeout = "read-header-timeout"
	FlagBodyTimeout       = "body-timeout"
	FlagIdleTimeout       = "idle-timeout"
	FlagDialTimeout       = "dial-timeout"
	FlagUpstreamTimeout   = "upstream-timeout"
	FlagUpstreamCAFile    = "upstream-ca-file"
	FlagRetries           = "retries"
	FlagEjectAfter        = "eject-after"
	FlagEjectFor          = "eject-for"
	FlagAccessLog         = "access-log"

	FlagRelayListen          = "relay-listen"
	FlagRelayAnnounce        = "relay-announce-addr"
	FlagRelayKeyFile         = "relay-key-file"
	FlagRelayAllowPeer       = "relay-allow-peer"
	FlagRelayAllowListed     = "relay-allow-listed"
	FlagRelayListedRefresh   = "relay-listed-refresh"
	FlagCarrierAPITokenFile  = "carrier-api-token-file"
	FlagRelayMaxReservations = "relay-max-reservations"
	FlagRelayMaxCircuits     = "relay-max-circuits"
	FlagRelayReservationTTL  = "relay-reservation-ttl"
	FlagRelayLimitData       = "relay-limit-data"
	FlagRelayLimitDuration   = "relay-limit-duration"
)

func edgeFlags() []cli.Flag {
	d := edge.Defaults()
	return []cli.Flag{
		&cli.StringFlag{Name: FlagPublicAddr, Value: d.PublicAddr, Usage: "`host:port` of the public listener: /gw/{provider}/…, /admin/… (if enabled) and /healthz"},
		&cli.StringFlag{Name: FlagPublicURL, Usage: "base `URL` the organization's gateways are reached at (https://via.example.org); the carrier's --provider-url-base should equal it"},
		&cli.StringFlag{Name: FlagRedirectAddr, Usage: "`host:port` of a plain HTTP listener that redirects to HTTPS (needs --tls-cert)"},
		&cli.BoolFlag{Name: FlagAdminRoute, Usage: "route /admin/… to the organization's admin"},
		&cli.PathFlag{Name: FlagTLSCert, Usage: "PEM certificate `file` of the public listener; reloaded on SIGHUP and on change"},
		&cli.PathFlag{Name: FlagTLSKey, Usage: "PEM private key `file` of the public listener"},
		&cli.DurationFlag{Name: FlagTLSPollInterval, Value: d.TLSPollInterval, Usage: "how often the TLS files are checked for changes"},
		&cli.Float64Flag{Name: FlagRateLimit, Value: d.RateLimit, Usage: "requests per second allowed per client IP (0: no limit)"},
		&cli.IntFlag{Name: FlagRateBurst, Value: d.RateBurst, Usage: "burst of requests allowed per client IP"},
		&cli.IntFlag{Name: FlagRateMaxClients, Value: d.MaxClients, Usage: "client IPs the rate limiter tracks at most"},
		&cli.IntFlag{Name: FlagMaxConns, Value: d.MaxConns, Usage: "concurrent client connections at most"},
		&cli.Int64Flag{Name: FlagMaxBodyBytes, Value: d.MaxBodyBytes, Usage: "largest request body in bytes (413 beyond)"},
		&cli.IntFlag{Name: FlagMaxHeaderBytes, Value: d.MaxHeaderBytes, Usage: "largest request header block in bytes"},
		&cli.DurationFlag{Name: FlagReadHeaderTimeout, Value: d.ReadHeaderTimeout, Usage: "time to read a request's headers"},
		&cli.DurationFlag{Name: FlagBodyTimeout, Value: d.BodyTimeout, Usage: "time to read a request's body"},
		&cli.DurationFlag{Name: FlagIdleTimeout, Value: d.IdleTimeout, Usage: "how long an idle keep-alive client connection stays open"},
		&cli.DurationFlag{Name: FlagDialTimeout, Value: d.DialTimeout, Usage: "time to connect to an upstream"},
		&cli.DurationFlag{Name: FlagUpstreamTimeout, Value: d.UpstreamTimeout, Usage: "time to wait for an upstream's response headers (504 beyond)"},
		&cli.PathFlag{Name: FlagUpstreamCAFile, Usage: "PEM `file` of the CAs that verify upstreams registered with meta protocol=https (default: the system's roots)"},
		&cli.IntFlag{Name: FlagRetries, Value: d.Retries, Usage: "other instances a failed idempotent request is tried on"},
		&cli.IntFlag{Name: FlagEjectAfter, Value: d.EjectAfter, Usage: "consecutive failures (5xx, errors) that eject an upstream instance"},
		&cli.DurationFlag{Name: FlagEjectFor, Value: d.EjectFor, Usage: "how long an ejected instance is left out (doubling on repeats, up to 8×)"},
		&cli.BoolFlag{Name: FlagAccessLog, Value: d.AccessLog, Usage: "log every request (never Authorization or Cookie headers)"},
	}
}

func edgeConfigFromCLI(c *cli.Context, grace time.Duration) edge.Config {
	return edge.Config{
		PublicAddr:        c.String(FlagPublicAddr),
		PublicURL:         c.String(FlagPublicURL),
		RedirectAddr:      c.String(FlagRedirectAddr),
		AdminRoute:        c.Bool(FlagAdminRoute),
		TLSCert:           c.Path(FlagTLSCert),
		TLSKey:            c.Path(FlagTLSKey),
		TLSPollInterval:   c.Duration(FlagTLSPollInterval),
		RateLimit:         c.Float64(FlagRateLimit),
		RateBurst:         c.Int(FlagRateBurst),
		MaxClients:        c.Int(FlagRateMaxClients),
		MaxConns:          c.Int(FlagMaxConns),
		MaxBodyBytes:      c.Int64(FlagMaxBodyBytes),
		MaxHeaderBytes:    c.Int(FlagMaxHeaderBytes),
		ReadHeaderTimeout: c.Duration(FlagReadHeaderTimeout),
		BodyTimeout:       c.Duration(FlagBodyTimeout),
		IdleTimeout:       c.Duration(FlagIdleTimeout),
		DialTimeout:       c.Duration(FlagDialTimeout),
		UpstreamTimeout:   c.Duration(FlagUpstreamTimeout),
		UpstreamCAFile:    c.Path(FlagUpstreamCAFile),
		Retries:           c.Int(FlagRetries),
		EjectAfter:        c.Int(FlagEjectAfter),
		EjectFor:          c.Duration(FlagEjectFor),
		AccessLog:         c.Bool(FlagAccessLog),
		AccessLogFormat:   c.String(service.FlagLogFormat),
		ShutdownGrace:     grace,
	}
}

func relayFlags() []cli.Flag {
	d := relay.Defaults()
	return []cli.Flag{
		&cli.StringSliceFlag{Name: FlagRelayListen, Usage: "`multiaddr` the libp2p circuit relay listens on (repeatable); the relay is off without it"},
		&cli.StringSliceFlag{Name: FlagRelayAnnounce, Usage: "`multiaddr` to publish instead of the listen addresses (repeatable)"},
		&cli.PathFlag{Name: FlagRelayKeyFile, Usage: "`file` with the relay's libp2p key (mode 0600; created if missing)"},
		&cli.StringSliceFlag{Name: FlagRelayAllowPeer, Usage: "peer `id` allowed to reserve a relay slot: the carriers of known organizations (repeatable)"},
		&cli.BoolFlag{Name: FlagRelayAllowListed, Usage: "also allow every peer that holds a registered listing, as the org's carrier lists them (GET /v1/peers, \"listed\"; needs --" + FlagCarrierAPITokenFile + ")"},
		&cli.DurationFlag{Name: FlagRelayListedRefresh, Value: d.ListedRefresh, Usage: "how often the listing peers are read from the org's carrier"},
		&cli.PathFlag{Name: FlagCarrierAPITokenFile, Usage: "`file` (mode 0600) with the org's carrier API token, for --" + FlagRelayAllowListed},
		&cli.IntFlag{Name: FlagRelayMaxReservations, Value: d.MaxReservations, Usage: "relay reservations at most"},
		&cli.IntFlag{Name: FlagRelayMaxCircuits, Value: d.MaxCircuits, Usage: "relayed connections at most per peer"},
		&cli.DurationFlag{Name: FlagRelayReservationTTL, Value: d.ReservationTTL, Usage: "life of a reservation before renewal"},
		&cli.Int64Flag{Name: FlagRelayLimitData, Value: d.LimitData, Usage: "bytes relayed per connection and direction at most"},
		&cli.DurationFlag{Name: FlagRelayLimitDuration, Value: d.LimitDuration, Usage: "life of a relayed connection at most"},
	}
}

func relayConfigFromCLI(c *cli.Context) relay.Config {
	return relay.Config{
		Listen:           c.StringSlice(FlagRelayListen),
		Announce:         c.StringSlice(FlagRelayAnnounce),
		KeyFile:          c.Path(FlagRelayKeyFile),
		AllowPeers:       c.StringSlice(FlagRelayAllowPeer),
		AllowListed:      c.Bool(FlagRelayAllowListed),
		ListedRefresh:    c.Duration(FlagRelayListedRefresh),
		CarrierTokenFile: c.Path(FlagCarrierAPITokenFile),
		MaxReservations:  c.Int(FlagRelayMaxReservations),
		MaxCircuits:      c.Int(FlagRelayMaxCircuits),
		ReservationTTL:   c.Duration(FlagRelayReservationTTL),
		LimitData:        c.Int64(FlagRelayLimitData),
		LimitDuration:    c.Duration(FlagRelayLimitDuration),
	}
}
