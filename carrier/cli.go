package carrier

import (
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier/internal/api"
)

// Client flags of the subcommands that call a running carrier's API.
const (
	FlagCarrierURL = "carrier-url"
)

// Commands are the `carrier` subcommands that operate a running carrier
// through its API: status, and those of each subsystem.
func Commands() []*cli.Command {
	cmds := []*cli.Command{{
		Name:  "status",
		Usage: "show the running carrier's organization, version and state (active or standby)",
		Flags: ClientFlags(),
		Action: func(c *cli.Context) error {
			cl, err := ClientFromCLI(c)
			if err != nil {
				return err
			}
			var s Status
			if err := cl.Do(c.Context, "GET", "status", nil, &s); err != nil {
				return err
			}
			return PrintJSON(c, s)
		},
	}}
	cmds = append(cmds, p2pCommands()...)
	return append(cmds, chainCommands()...)
}

// ClientFlags locate the carrier API: its URL and the token file.
func ClientFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: FlagCarrierURL, Value: "http://" + Defaults().HTTPAddr, Usage: "`URL` of the carrier's HTTP server"},
		&cli.PathFlag{Name: FlagAPITokenFile, Usage: "`file` (mode 0600) with the carrier API's bearer token", Required: true},
	}
}

// ClientFromCLI builds an API client from ClientFlags, reading the token.
func ClientFromCLI(c *cli.Context) (*api.Client, error) {
	tok, err := readToken(c.Path(FlagAPITokenFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FlagAPITokenFile, err)
	}
	return &api.Client{BaseURL: c.String(FlagCarrierURL), Token: tok}, nil
}

// PrintJSON prints v indented to the command's output.
func PrintJSON(c *cli.Context, v any) error {
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
