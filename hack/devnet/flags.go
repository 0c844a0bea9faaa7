package main

import (
	"fmt"
	"math/big"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/pkg/service"
)

// flags are the devnet's flags, one per devchain.Config field. Each is also
// an environment variable GRIDNODE_DEVNET_<FLAG> and a key of the --config
// file.
func flags() []cli.Flag {
	def := devchain.Defaults()
	return []cli.Flag{
		&cli.StringFlag{Name: "http-addr", Value: def.HTTPAddr, Usage: "loopback `host:port` of the HTTP JSON-RPC endpoint"},
		&cli.StringFlag{Name: "ws-addr", Value: def.WSAddr, Usage: "loopback `host:port` of the WebSocket JSON-RPC endpoint (empty: none)"},
		&cli.DurationFlag{Name: "period", Value: def.Period, Usage: "block interval in whole seconds; 0 seals a block per transaction"},
		&cli.IntFlag{Name: "accounts", Value: def.Accounts, Usage: fmt.Sprintf("number of funded dev accounts (1-%d)", devchain.MaxAccounts)},
		&cli.StringFlag{Name: "token-mint", Value: def.TokenMint.String(), Usage: "Token base units minted to each dev account"},
		&cli.StringFlag{Name: "out", Usage: "`file` to write chain id, endpoints, contract addresses and dev accounts to (mode 0600)"},
		&cli.StringFlag{Name: "data-dir", Usage: "keep the chain in this `dir` (default: in memory)"},
		&cli.BoolFlag{Name: "allow-non-loopback", Usage: "allow RPC on non-loopback addresses (anyone reaching it can spend the dev accounts)"},
	}
}

// fromCLI reads the configuration from the parsed flags and validates it;
// a mistake wraps service.ErrInvalidConfig (exit 2).
func fromCLI(c *cli.Context) (devchain.Config, error) {
	cfg := devchain.Config{
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
		return devchain.Config{}, fmt.Errorf("%w: devnet token-mint %q: want a non-negative integer of base units", service.ErrInvalidConfig, c.String("token-mint"))
	}
	cfg.TokenMint = mint
	if err := cfg.Validate(); err != nil {
		return devchain.Config{}, fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
	}
	return cfg, nil
}
