// Command via runs gridnode's via daemon; see package
// github.com/gridnode/gridnode/via.
package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/via"
)

func main() {
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
