// Command admin runs gridnode's admin daemon; see package
// github.com/gridnode/gridnode/admin.
package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/admin"
	"github.com/gridnode/gridnode/pkg/service"
)

func main() {
	os.Exit(service.Main(service.App{
		Name:     "admin",
		Usage:    "gridnode admin daemon",
		Defaults: admin.Defaults().Config,
		Flags:    admin.Flags(),
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			d, err := admin.New(admin.FromCLI(c), log)
			if err != nil {
				return err
			}
			return d.Run(ctx)
		},
	}))
}
