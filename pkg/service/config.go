package service

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/urfave/cli/v2"
)

// Config is the part of every daemon's configuration that the lifecycle
// owns. Daemons embed it in their own Config.
type Config struct {
	// HTTPAddr is the host:port the daemon's HTTP server listens on; it
	// serves /healthz, /readyz and /metrics and, later, the daemon's API.
	// Port 0 picks a free port (tests).
	HTTPAddr string `yaml:"http-addr"`
	// ShutdownGrace bounds graceful shutdown: after it, connections still
	// open are closed and Run returns.
	ShutdownGrace time.Duration `yaml:"shutdown-grace"`
}

// Flag names of the lifecycle's own flags.
const (
	FlagConfig        = "config"
	FlagLogLevel      = "log-level"
	FlagLogFormat     = "log-format"
	FlagHTTPAddr      = "http-addr"
	FlagShutdownGrace = "shutdown-grace"
)

// DefaultShutdownGrace is the grace period when none is configured.
const DefaultShutdownGrace = 10 * time.Second

// maxShutdownGrace keeps a typo from making a daemon hang for hours on stop.
const maxShutdownGrace = 5 * time.Minute

// Defaults returns the lifecycle defaults with the given listen address.
func Defaults(httpAddr string) Config {
	return Config{HTTPAddr: httpAddr, ShutdownGrace: DefaultShutdownGrace}
}

// Validate reports the first problem with c, naming the flag to fix.
func (c Config) Validate() error {
	if c.HTTPAddr == "" {
		return fmt.Errorf("%s: must not be empty", FlagHTTPAddr)
	}
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("%s %q: %w", FlagHTTPAddr, c.HTTPAddr, err)
	} else if port == "" {
		return fmt.Errorf("%s %q: missing port", FlagHTTPAddr, c.HTTPAddr)
	}
	if c.ShutdownGrace <= 0 || c.ShutdownGrace > maxShutdownGrace {
		return fmt.Errorf("%s %s: must be between 0 and %s", FlagShutdownGrace, c.ShutdownGrace, maxShutdownGrace)
	}
	return nil
}

// commonFlags are the flags every daemon has. defaults gives the listen
// address default, which differs per role.
func commonFlags(defaults Config) []cli.Flag {
	return append(logFlags(),
		&cli.StringFlag{Name: FlagHTTPAddr, Value: defaults.HTTPAddr, Usage: "`host:port` of the HTTP server (/healthz, /readyz, /metrics)"},
		&cli.DurationFlag{Name: FlagShutdownGrace, Value: defaults.ShutdownGrace, Usage: "how long graceful shutdown may take before connections are closed"},
	)
}

// logFlags are the logger's flags, which every binary of the lifecycle has.
func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: FlagLogLevel, Value: "info", Usage: "log level: debug, info, warn or error"},
		&cli.StringFlag{Name: FlagLogFormat, Value: "json", Usage: "log format: json or console"},
	}
}

// FromCLI reads the lifecycle part of the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	return Config{
		HTTPAddr:      c.String(FlagHTTPAddr),
		ShutdownGrace: c.Duration(FlagShutdownGrace),
	}
}

// ErrInvalidConfig wraps every configuration error, so main can tell a
// configuration mistake (exit 2) from a runtime failure (exit 1).
var ErrInvalidConfig = errors.New("invalid configuration")
