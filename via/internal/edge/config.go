package edge

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"
)

// Config configures an Edge. Zero durations and sizes are invalid: start
// from Defaults.
type Config struct {
	// PublicAddr is the host:port of the public listener (port 0 in tests).
	PublicAddr string
	// PublicURL is the base URL the organization's gateways are reached at
	// (https://via.example.org); redirects go to its scheme and host.
	PublicURL string
	// RedirectAddr, if set, is a plain HTTP listener that redirects
	// everything to HTTPS. Only with TLS.
	RedirectAddr string
	// AdminRoute routes /admin/… to the org's admin.
	AdminRoute bool
	// TLSCert and TLSKey are PEM files; both or neither. They are reloaded
	// on SIGHUP and when their modification time changes.
	TLSCert, TLSKey string
	// TLSPollInterval is how often the certificate files are checked.
	TLSPollInterval time.Duration
	// RateLimit is requests per second allowed per client IP (0: no
	// limit); RateBurst is the bucket size.
	RateLimit float64
	RateBurst int
	// MaxClients bounds the number of client IPs tracked by the limiter.
	MaxClients int
	// MaxConns bounds concurrent client connections; more wait in the
	// kernel's accept queue.
	MaxConns int
	// MaxBodyBytes bounds a request body; MaxHeaderBytes its headers.
	MaxBodyBytes   int64
	MaxHeaderBytes int
	// ReadHeaderTimeout bounds reading a request's headers, BodyTimeout
	// reading its body, IdleTimeout a keep-alive connection's wait for the
	// next request, DialTimeout connecting to an upstream and
	// UpstreamTimeout waiting for an upstream's response headers.
	ReadHeaderTimeout, BodyTimeout, IdleTimeout time.Duration
	DialTimeout, UpstreamTimeout                time.Duration
	// UpstreamCAFile is a PEM bundle that verifies upstreams speaking TLS
	// (meta protocol=https); empty: the system's roots.
	UpstreamCAFile string
	// Retries is how many other instances an idempotent request is tried
	// on after a connection failure.
	Retries int
	// EjectAfter consecutive failures (connection errors or 5xx) eject an
	// instance for EjectFor; a connection refused ejects at once.
	EjectAfter int
	EjectFor   time.Duration
	// AccessLog logs every request at info level (if the logger logs
	// info).
	AccessLog bool
	// AccessLogFormat, "json" or "console", writes the access log in that
	// format to a buffered stderr (lines out within a second); empty sends
	// it through the daemon's logger, a write per line. The daemon sets it
	// to its --log-format.
	AccessLogFormat string
	// ShutdownGrace bounds draining the public listener.
	ShutdownGrace time.Duration
}

// Defaults returns the edge defaults.
func Defaults() Config {
	return Config{
		PublicAddr:        "0.0.0.0:8443",
		TLSPollInterval:   5 * time.Second,
		RateLimit:         100,
		RateBurst:         200,
		MaxClients:        100_000,
		MaxConns:          10_000,
		MaxBodyBytes:      10 << 20,
		MaxHeaderBytes:    64 << 10,
		ReadHeaderTimeout: 10 * time.Second,
		BodyTimeout:       60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		DialTimeout:       3 * time.Second,
		UpstreamTimeout:   60 * time.Second,
		Retries:           2,
		EjectAfter:        5,
		EjectFor:          10 * time.Second,
		AccessLog:         true,
		ShutdownGrace:     10 * time.Second,
	}
}

// TLS reports whether the public listener serves HTTPS.
func (c Config) TLS() bool { return c.TLSCert != "" }

// Validate reports the first problem, naming the field's flag.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.PublicAddr); err != nil {
		return fmt.Errorf("public-addr %q: %w", c.PublicAddr, err)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("public-url %q: want an absolute http(s) URL", c.PublicURL)
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("tls-cert and tls-key: set both or neither")
	}
	if c.RedirectAddr != "" {
		if !c.TLS() {
			return errors.New("http-redirect-addr: needs tls-cert and tls-key")
		}
		if _, _, err := net.SplitHostPort(c.RedirectAddr); err != nil {
			return fmt.Errorf("http-redirect-addr %q: %w", c.RedirectAddr, err)
		}
	}
	switch c.AccessLogFormat {
	case "", "json", "console":
	default:
		return fmt.Errorf("access log format %q: want json or console", c.AccessLogFormat)
	}
	switch {
	case c.RateLimit < 0:
		return fmt.Errorf("rate-limit %g: must not be negative", c.RateLimit)
	case c.RateLimit > 0 && c.RateBurst < 1:
		return fmt.Errorf("rate-burst %d: want at least 1", c.RateBurst)
	case c.MaxClients < 1:
		return fmt.Errorf("rate-max-clients %d: want at least 1", c.MaxClients)
	case c.MaxConns < 1:
		return fmt.Errorf("max-conns %d: want at least 1", c.MaxConns)
	case c.MaxBodyBytes < 1:
		return fmt.Errorf("max-body-bytes %d: want at least 1", c.MaxBodyBytes)
	case c.MaxHeaderBytes < 1024:
		return fmt.Errorf("max-header-bytes %d: want at least 1024", c.MaxHeaderBytes)
	case c.Retries < 0 || c.Retries > 10:
		return fmt.Errorf("retries %d: want 0-10", c.Retries)
	case c.EjectAfter < 1:
		return fmt.Errorf("eject-after %d: want at least 1", c.EjectAfter)
	}
	for name, d := range map[string]time.Duration{
		"tls-poll-interval": c.TLSPollInterval, "read-header-timeout": c.ReadHeaderTimeout,
		"body-timeout": c.BodyTimeout, "idle-timeout": c.IdleTimeout, "dial-timeout": c.DialTimeout,
		"upstream-timeout": c.UpstreamTimeout, "eject-for": c.EjectFor, "shutdown-grace": c.ShutdownGrace,
	} {
		if d <= 0 {
			return fmt.Errorf("%s %s: must be positive", name, d)
		}
	}
	return nil
}
