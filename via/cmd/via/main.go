// Command via runs gridnode's via daemon; see package
// github.com/gridnode/gridnode/via.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/via"
)

func main() {
	// A proxy allocates a little per request and keeps little: collecting
	// at 4× the live heap instead of 2× halves the collector's share of the
	// CPU (docs/benchmarks.md, "Via") for a few tens of MiB. GOGC in the
	// environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(service.Main(service.App{
		Name:     "via",
		Usage:    "gridnode via daemon",
		Defaults: via.Defaults().Config,
		Flags:    via.Flags(),
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			d, err := via.New(via.FromCLI(c), log)
			if err != nil {
				return err
			}
			return d.Run(ctx)
		},
	}))
}
