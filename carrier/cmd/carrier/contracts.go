package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/contracts/deploy"
	"github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Flags of `carrier contracts deploy` besides the keystore's.
const (
	flagRPC           = "rpc"
	flagToken         = "token"
	flagTokenName     = "token-name"
	flagTokenSymbol   = "token-symbol"
	flagConfirmations = "confirmations"
	flagOut           = "out"
	flagForce         = "force"
	flagTimeout       = "timeout"
)

// Bounds of `carrier contracts deploy`.
const (
	maxConfirmations = 1000
	// devConfirmations and chainConfirmations are the defaults: dev chains
	// (geth --dev, anvil, hardhat: chain ids 1337 and 31337) do not
	// reorganize; on others three blocks, the carrier's own default.
	devConfirmations   = 1
	chainConfirmations = 3
	deployPoll         = 500 * time.Millisecond
)

// contractsCommand is `carrier contracts`: deploying the gridnode contracts
// to a chain. docs/contracts.md ("Deploying to another chain") walks
// through it.
func contractsCommand() *cli.Command {
	return &cli.Command{
		Name:  "contracts",
		Usage: "deploy the gridnode contracts to an EVM chain",
		Subcommands: []*cli.Command{{
			Name: "deploy",
			Usage: "deploy Token (or use --token), Registry and Market from a keystore account, wait for confirmations, " +
				"verify the code at each address and write the addresses file (read by `carrier settings set --contracts-file`)",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: flagRPC, Required: true, Usage: "chain JSON-RPC `URL` (never printed beyond scheme and host)"},
				&cli.PathFlag{Name: wallet.FlagKeystore, Required: true, Usage: "deployer keystore `file` (v3 JSON, mode 0600; see `carrier keys`); it pays for the deployment and owns a deployed Token"},
				&cli.PathFlag{Name: wallet.FlagPassphraseFile, Usage: "`file` (mode 0600) with the keystore passphrase"},
				&cli.StringFlag{Name: wallet.FlagPassphraseEnv, Value: wallet.DefaultPassphraseEnv, Usage: "`name` of the environment variable with the passphrase when no passphrase file is given"},
				&cli.StringFlag{Name: flagToken, Usage: "existing ERC-20 token `address` for the Market instead of deploying Token (checked: code, decimals(), totalSupply())"},
				&cli.StringFlag{Name: flagTokenName, Value: deploy.DefaultTokenName, Usage: "`name` of a deployed Token"},
				&cli.StringFlag{Name: flagTokenSymbol, Value: deploy.DefaultTokenSymbol, Usage: "`symbol` of a deployed Token"},
				&cli.Uint64Flag{Name: flagConfirmations, Usage: "`blocks`, the deployment's included, before the code is verified and the file written",
					DefaultText: fmt.Sprintf("%d on dev chains 1337 and 31337, %d elsewhere", devConfirmations, chainConfirmations)},
				&cli.PathFlag{Name: flagOut, Usage: "addresses `file` to write (JSON, mode 0644; also printed on stdout)"},
				&cli.BoolFlag{Name: flagForce, Usage: "replace an existing --out file"},
				&cli.DurationFlag{Name: flagTimeout, Value: 15 * time.Minute, Usage: "give up after this `duration` (transactions already sent may still land)"},
			},
			Action: deployContracts,
		}},
	}
}

func deployContracts(c *cli.Context) error {
	opts := deploy.Options{TokenName: c.String(flagTokenName), TokenSymbol: c.String(flagTokenSymbol),
		PollInterval: deployPoll, Progress: c.App.ErrWriter}
	if s := c.String(flagToken); s != "" {
		if !common.IsHexAddress(s) {
			return fmt.Errorf("%w: --%s %q: want 0x and 40 hex digits", service.ErrInvalidConfig, flagToken, s)
		}
		opts.Token = common.HexToAddress(s)
		if opts.Token == (common.Address{}) {
			return fmt.Errorf("%w: --%s: the zero address is not a token", service.ErrInvalidConfig, flagToken)
		}
	}
	if n := c.Uint64(flagConfirmations); n > maxConfirmations {
		return fmt.Errorf("%w: --%s %d: at most %d", service.ErrInvalidConfig, flagConfirmations, n, maxConfirmations)
	}
	timeout := c.Duration(flagTimeout)
	if timeout <= 0 {
		return fmt.Errorf("%w: --%s must be positive", service.ErrInvalidConfig, flagTimeout)
	}
	rpc := c.String(flagRPC)
	if u, err := url.Parse(rpc); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
		return fmt.Errorf("%w: --%s %s: want an http(s) or ws(s) URL", service.ErrInvalidConfig, flagRPC, chain.RedactURL(rpc))
	}
	out, force := c.Path(flagOut), c.Bool(flagForce)
	if out != "" {
		// Before anything is spent.
		if err := deploy.CheckWritable(out, force); err != nil {
			return fmt.Errorf("--%s: %w", flagOut, err)
		}
	}

	w, err := wallet.Load(wallet.Options{KeystorePath: c.Path(wallet.FlagKeystore),
		PassphraseFile: c.Path(wallet.FlagPassphraseFile), PassphraseEnv: c.String(wallet.FlagPassphraseEnv)})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, timeout)
	defer cancel()
	progress := func(format string, args ...any) { fmt.Fprintf(c.App.ErrWriter, format+"\n", args...) }
	client, chainID, err := chain.Dial(ctx, rpc)
	if err != nil {
		return err
	}
	defer client.Close()
	opts.Confirmations = c.Uint64(flagConfirmations)
	if !c.IsSet(flagConfirmations) {
		opts.Confirmations = defaultConfirmations(chainID)
	}
	progress("chain %s at %s; deployer keystore %s; confirmations required: %d", chainID, chain.RedactURL(rpc), w.Path(), max(opts.Confirmations, 1))

	res, err := deploy.Deploy(ctx, client, w.Transactor(chainID), opts)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && c.Context.Err() == nil {
			err = fmt.Errorf("%w (--%s %s)", err, flagTimeout, timeout)
		}
		return chain.RedactError(err)
	}
	recorded := fileRPC(rpc)
	if recorded == "" {
		progress("the RPC URL carries a path, query or user info that may hold an API key: the addresses file records no rpc; give --chain-rpc to `carrier settings set`")
	}
	f := deploy.NewFile(res, recorded)
	if out != "" {
		if err := deploy.WriteFile(out, f, force); err != nil {
			return err
		}
		progress("addresses written to %s", out)
	}
	return printJSON(c, f)
}

// defaultConfirmations is --confirmations when not given: devConfirmations
// on the dev chains' ids, chainConfirmations elsewhere.
func defaultConfirmations(chainID *big.Int) uint64 {
	if chainID.IsUint64() && (chainID.Uint64() == 1337 || chainID.Uint64() == 31337) {
		return devConfirmations
	}
	return chainConfirmations
}

// fileRPC is rpc as the addresses file records it: as given when it is
// only a scheme, a host and a port, else empty, because the path, the
// query or the user info of provider URLs often hold an API key and the
// file is readable by all (mode 0644).
func fileRPC(rpc string) string {
	u, err := url.Parse(rpc)
	if err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return ""
	}
	return rpc
}
