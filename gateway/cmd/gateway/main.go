// Command gateway runs gridnode's gateway daemon; see package
// github.com/gridnode/gridnode/gateway.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

func main() {
	// The app proxy allocates a little per request and keeps little:
	// collecting at 4× the live heap instead of 2× cuts the collector's
	// share of the CPU (as via does). GOGC in the environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(service.Main(service.App{
		Name:     "gateway",
		Usage:    "gridnode gateway daemon",
		Defaults: gateway.Defaults().Config,
		Flags:    gateway.Flags(),
		Commands: []*cli.Command{wallet.Command("gateway", gateway.ProveCommand())},
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			d, err := gateway.New(gateway.FromCLI(c), log)
			if err != nil {
				return err
			}
			return d.Run(ctx)
		},
	}))
}
