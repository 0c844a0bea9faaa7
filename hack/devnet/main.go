// Command devnet runs the development chain of the gridnode contracts until
// interrupted; see package github.com/gridnode/gridnode/contracts/devchain
// and docs/devnet.md. Its dev accounts' keys are public: DEVNET ONLY.
package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/pkg/service"
)

func main() { os.Exit(service.Main(app())) }

// app is the devnet command: flags, then devchain.New and Run.
func app() service.App {
	return service.App{
		Name:     "devnet",
		Usage:    "run an in-process development chain with the contracts deployed (DEVNET ONLY keys)",
		NoServer: true,
		Flags:    flags(),
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			cfg, err := fromCLI(c)
			if err != nil {
				return err
			}
			d, err := devchain.New(cfg, log)
			if err != nil {
				return err
			}
			return d.Run(ctx)
		},
	}
}
