// Package service is the lifecycle every gridnode daemon shares: a
// signal-aware context, the urfave/cli application with flags, environment
// variables and a --config YAML file, the zap logger, the HTTP server that
// answers /healthz, /readyz and /metrics, graceful shutdown with a bounded
// grace period, and the version subcommand.
//
// A daemon's main calls Main with an App; the App's Run builds the daemon's
// Config from the parsed flags, validates it, and runs the daemon until the
// context is cancelled. Tests start daemons in-process the same way.
package service
