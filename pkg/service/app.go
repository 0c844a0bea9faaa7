package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/urfave/cli/v2/altsrc"
	"go.uber.org/zap"
	"gopkg.in/yaml.v3"
)

// App describes one daemon binary.
type App struct {
	// Name is the role: carrier, admin, gateway or via (or a tool, such as
	// devnet). It prefixes every environment variable: flag --http-addr of
	// the carrier is also GRIDNODE_CARRIER_HTTP_ADDR.
	Name  string
	Usage string
	// Defaults are the lifecycle defaults (the role's listen address).
	Defaults Config
	// NoServer leaves out the lifecycle's server flags (http-addr,
	// shutdown-grace) for a binary that serves no /healthz, /readyz and
	// /metrics, such as the devnet; its own flags may then take those names.
	NoServer bool
	// Flags are the daemon's own flags, added to the lifecycle's.
	Flags []cli.Flag
	// Commands are extra subcommands (the carrier's keys, for example).
	// They get the same logger, environment variables and config file.
	Commands []*cli.Command
	// Run builds the daemon from the parsed flags and runs it until ctx is
	// cancelled. It returns nil on a clean shutdown.
	Run func(ctx context.Context, c *cli.Context, log *zap.Logger) error
}

// maxConfigFile bounds the --config file.
const maxConfigFile = 1 << 20

// Main runs the app with os.Args and returns the process exit code: 0 on a
// clean shutdown, 2 for a usage or configuration error, 1 otherwise.
func Main(app App) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, restore default handling so that a second
		// Ctrl-C kills a daemon whose shutdown is stuck.
		<-ctx.Done()
		stop()
	}()
	return RunApp(ctx, app, os.Args, os.Stdout, os.Stderr)
}

// RunApp is Main with the context, arguments and output streams given: it is
// what tests call to start a daemon in-process exactly as main does.
func RunApp(ctx context.Context, app App, args []string, stdout, stderr io.Writer) int {
	cliApp, err := app.build(stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
		return 1
	}
	err = cliApp.RunContext(ctx, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrInvalidConfig) || isUsageError(err):
		fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
		return 1
	}
}

type usageError struct{ error }

func isUsageError(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func (app App) build(stdout, stderr io.Writer) (*cli.App, error) {
	if app.Name == "" || app.Run == nil {
		return nil, errors.New("app needs a name and a run function")
	}
	resetHelp()
	flags, err := app.AllFlags()
	if err != nil {
		return nil, err
	}
	configFlag := &cli.StringFlag{
		Name:    FlagConfig,
		Usage:   "YAML `file` whose keys are flag names; flags and environment variables override it",
		EnvVars: []string{EnvVar(app.Name, FlagConfig)},
	}
	all, err := withFileSource(flags)
	if err != nil {
		return nil, err
	}
	all = append([]cli.Flag{configFlag}, all...)

	var logger *zap.Logger
	before := func(c *cli.Context) error {
		if err := loadConfigFile(c, all); err != nil {
			return err
		}
		l, err := NewLogger(c.String(FlagLogLevel), c.String(FlagLogFormat))
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
		logger = l.With(zap.String("role", app.Name))
		return nil
	}
	after := func(*cli.Context) error {
		if logger != nil {
			_ = logger.Sync()
		}
		return nil
	}
	commands := []*cli.Command{{
		Name:  "version",
		Usage: "print the version and exit",
		Action: func(c *cli.Context) error {
			_, err := fmt.Fprintln(c.App.Writer, VersionString(app.Name))
			return err
		},
	}}
	for _, cmd := range app.Commands {
		// A subcommand's own flags come from its command line or from
		// environment variables prefixed with its path
		// (GRIDNODE_CARRIER_KEYS_NEW_OUT);
		// the daemon's flags, the config file and the logger are set up
		// before it runs.
		if err := wrapCommand(app.Name, cmd, &logger); err != nil {
			return nil, err
		}
		commands = append(commands, cmd)
	}
	return &cli.App{
		Name:                 app.Name,
		Usage:                app.Usage,
		Version:              Version(),
		HideVersion:          true,
		Writer:               stdout,
		ErrWriter:            stderr,
		Flags:                all,
		Commands:             commands,
		Before:               before,
		After:                after,
		EnableBashCompletion: false,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		ExitErrHandler: func(*cli.Context, error) {}, // never os.Exit from inside the library
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError{fmt.Errorf("unknown command %q (see --help)", c.Args().First())}
			}
			logger.Info("starting", zap.String("version", Version()), zap.String("commit", Commit()))
			err := app.Run(c.Context, c, logger)
			signalled := c.Context.Err() != nil
			if err != nil {
				// The one line that says why the daemon exits non-zero.
				logger.Error("stopped with error", zap.Error(err), zap.Bool("signalled", signalled),
					zap.NamedError("cause", context.Cause(c.Context)))
				return err
			}
			logger.Info("stopped", zap.NamedError("cause", context.Cause(c.Context)))
			return nil
		},
	}, nil
}

// wrapCommand gives cmd and its nested subcommands their environment
// variables and hands their actions the daemon's logger.
func wrapCommand(prefix string, cmd *cli.Command, logger **zap.Logger) error {
	prefix += "-" + cmd.Name
	if err := withEnv(prefix, cmd.Flags); err != nil {
		return err
	}
	if inner := cmd.Action; inner != nil {
		cmd.Action = func(c *cli.Context) error {
			c.Context = withLogger(c.Context, *logger)
			return inner(c)
		}
	}
	for _, sub := range cmd.Subcommands {
		if err := wrapCommand(prefix, sub, logger); err != nil {
			return err
		}
	}
	return nil
}

type loggerKey struct{}

func withLogger(ctx context.Context, l *zap.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger returns the logger Main built, for subcommands' actions.
func Logger(c *cli.Context) *zap.Logger {
	if l, ok := c.Context.Value(loggerKey{}).(*zap.Logger); ok && l != nil {
		return l
	}
	return zap.NewNop()
}

// AllFlags are the daemon's flags as its binary has them: the lifecycle's
// and the daemon's own, each with its environment variables (without
// --config). The configuration reference in docs/config is rendered from it.
func (app App) AllFlags() ([]cli.Flag, error) {
	flags := commonFlags(app.Defaults)
	if app.NoServer {
		flags = logFlags()
	}
	flags = append(flags, app.Flags...)
	if err := withEnv(app.Name, flags); err != nil {
		return nil, err
	}
	return flags, nil
}

// EnvVar is the environment variable that mirrors a role's flag:
// EnvVar("carrier", "http-addr") is GRIDNODE_CARRIER_HTTP_ADDR.
func EnvVar(role, flag string) string {
	r := strings.NewReplacer("-", "_", ".", "_")
	return "GRIDNODE_" + strings.ToUpper(r.Replace(role)) + "_" + strings.ToUpper(r.Replace(flag))
}

// withEnv gives every flag that has none its role-prefixed environment
// variable.
func withEnv(role string, flags []cli.Flag) error {
	for _, f := range flags {
		name := f.Names()[0]
		env := []string{EnvVar(role, name)}
		switch f := f.(type) {
		case *cli.StringFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.BoolFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.IntFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.Int64Flag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.UintFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.Uint64Flag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.DurationFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.StringSliceFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.PathFlag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *cli.Float64Flag:
			f.EnvVars = orDefault(f.EnvVars, env)
		case *altsrc.StringFlag, *altsrc.BoolFlag, *altsrc.IntFlag, *altsrc.Int64Flag, *altsrc.UintFlag,
			*altsrc.Uint64Flag, *altsrc.DurationFlag, *altsrc.StringSliceFlag, *altsrc.PathFlag, *altsrc.Float64Flag:
			// already wrapped: its inner flag got its variable before.
		default:
			return fmt.Errorf("flag --%s: unsupported flag type %T", name, f)
		}
	}
	return nil
}

func orDefault(have, def []string) []string {
	if len(have) > 0 {
		return have
	}
	return def
}

// withFileSource wraps each flag so that it can take its value from the
// --config file.
func withFileSource(flags []cli.Flag) ([]cli.Flag, error) {
	out := make([]cli.Flag, 0, len(flags))
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			out = append(out, altsrc.NewStringFlag(f))
		case *cli.BoolFlag:
			out = append(out, altsrc.NewBoolFlag(f))
		case *cli.IntFlag:
			out = append(out, altsrc.NewIntFlag(f))
		case *cli.Int64Flag:
			out = append(out, altsrc.NewInt64Flag(f))
		case *cli.UintFlag:
			out = append(out, altsrc.NewUintFlag(f))
		case *cli.Uint64Flag:
			out = append(out, altsrc.NewUint64Flag(f))
		case *cli.DurationFlag:
			out = append(out, altsrc.NewDurationFlag(f))
		case *cli.StringSliceFlag:
			out = append(out, altsrc.NewStringSliceFlag(f))
		case *cli.PathFlag:
			out = append(out, altsrc.NewPathFlag(f))
		case *cli.Float64Flag:
			out = append(out, altsrc.NewFloat64Flag(f))
		default:
			return nil, fmt.Errorf("flag --%s: unsupported flag type %T", f.Names()[0], f)
		}
	}
	return out, nil
}

// loadConfigFile applies the --config YAML file, if any, to the flags that
// neither the command line nor the environment set. Unknown keys are an
// error: a misspelt setting must not be silently ignored.
func loadConfigFile(c *cli.Context, flags []cli.Flag) error {
	path := c.String(FlagConfig)
	if path == "" {
		return nil
	}
	values, err := readConfigFile(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	known := map[string]bool{}
	for _, f := range flags {
		for _, n := range f.Names() {
			known[n] = true
		}
	}
	var unknown []string
	for k := range values {
		ks, ok := k.(string)
		if !ok || !known[ks] || ks == FlagConfig {
			unknown = append(unknown, fmt.Sprint(k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("%w: config file %s: unknown keys %s (keys are flag names, see --help)",
			ErrInvalidConfig, path, strings.Join(unknown, ", "))
	}
	src := altsrc.NewMapInputSource(path, values)
	if err := altsrc.ApplyInputSourceValues(c, src, flags); err != nil {
		return fmt.Errorf("%w: config file %s: %w", ErrInvalidConfig, path, err)
	}
	return nil
}

func readConfigFile(path string) (map[any]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading config file %s: %w", path, err)
	}
	if len(data) > maxConfigFile {
		return nil, fmt.Errorf("config file %s: larger than %d bytes", path, maxConfigFile)
	}
	values := map[any]any{}
	if err := yaml.Unmarshal(data, &values); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return values, nil
}
