// Command carrier runs gridnode's carrier daemon; see package
// github.com/gridnode/gridnode/carrier.
package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

func main() { os.Exit(service.Main(app())) }

// app is the carrier binary: the daemon and its subcommands.
func app() service.App {
	return service.App{
		Name:     "carrier",
		Usage:    "gridnode carrier daemon",
		Defaults: carrier.Defaults().Config,
		Flags:    carrier.Flags(),
		Commands: append([]*cli.Command{wallet.Command("carrier")}, commands()...),
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			d, err := carrier.New(carrier.FromCLI(c), log)
			if err != nil {
				return err
			}
			return d.Run(ctx)
		},
	}
}
