package devnet

import (
	"fmt"
	"math/big"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/service"
)

// Command is `carrier devnet`: it runs the devnet until interrupted. Its
// flags are also environment variables GRIDNODE_CARRIER_DEVNET_<FLAG>.
func Command() *cli.Command {
	def := Defaults()
	return &cli.Command{
		Name:  "devnet",
		Usage: "run an in-process development chain with the contracts deployed (DEVNET ONLY keys)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "http-addr", Value: def.HTTPAddr, Usage: "loopback `host:port` of the HTTP JSON-RPC endpoint"},
			&cli.StringFlag{Name: "ws-addr", Value: def.WSAddr, Usage: "loopback `host:port` of the WebSocket JSON-RPC endpoint (empty: none)"},
			&cli.DurationFlag{Name: "period", Value: def.Period, Usage: "block interval in whole seconds; 0 seals a block per transaction"},
			&cli.IntFlag{Name: "accounts", Value: def.Accounts, Usage: fmt.Sprintf("number of funded dev accounts (1-%d)", MaxAccounts)},
			&cli.StringFlag{Name: "token-mint", Value: def.TokenMint.String(), Usage: "Token base units minted to each dev account"},
			&cli.StringFlag{Name: "out", Usage: "`file` to write chain id, endpoints, contract addresses and dev accounts to (mode 0600)"},
			&cli.StringFlag{Name: "data-dir", Usage: "keep the chain in this `dir` (default: in memory)"},
			&cli.BoolFlag{Name: "allow-non-loopback", Usage: "allow RPC on non-loopback addresses (anyone reaching it can spend the dev accounts)"},
		},
		Action: func(c *cli.Context) error {
			cfg := Config{
				HTTPAddr:         c.String("http-addr"),
				WSAddr:           c.String("ws-addr"),
				Period:           c.Duration("period"),
				Accounts:         c.Int("accounts"),
				OutFile:          c.String("out"),
				DataDir:          c.String("data-dir"),
				AllowNonLoopback: c.Bool("allow-non-loopback"),
			}
			mint, ok := new(big.Int).SetString(c.String("token-mint"), 10)
			if !ok || mint.Sign() < 0 {
				return fmt.Errorf("%w: devnet token-mint %q: want a non-negative integer of base units", service.ErrInvalidConfig, c.String("token-mint"))
			}
			cfg.TokenMint = mint
			d, err := New(cfg, service.Logger(c))
			if err != nil {
				return err
			}
			return d.Run(c.Context)
		},
	}
}
