package main

import (
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/secret"
)

// flagCarrierURL is the client flag of the subcommands that call a running
// carrier's API; the other is carrier.FlagAPITokenFile.
const flagCarrierURL = "carrier-url"

// commands are the `carrier` subcommands that operate a running carrier
// through its API: status, and those of each subsystem.
func commands() []*cli.Command {
	cmds := []*cli.Command{{
		Name:  "status",
		Usage: "show the running carrier's organization, version and state (active or standby)",
		Flags: clientFlags(),
		Action: func(c *cli.Context) error {
			cl, err := clientFromCLI(c)
			if err != nil {
				return err
			}
			s, err := cl.Status(c.Context)
			if err != nil {
				return err
			}
			return printJSON(c, s)
		},
	}}
	cmds = append(cmds, p2pCommands()...)
	cmds = append(cmds, chainCommands()...)
	return append(cmds, contractsCommand())
}

// clientFlags locate the carrier API: its URL and the token file.
func clientFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagCarrierURL, Value: "http://" + carrier.Defaults().HTTPAddr, Usage: "`URL` of the carrier's HTTP server"},
		&cli.PathFlag{Name: carrier.FlagAPITokenFile, Usage: "`file` (mode 0600) with the carrier API's bearer token", Required: true},
	}
}

// clientFromCLI builds an API client from clientFlags, reading the token.
func clientFromCLI(c *cli.Context) (*carrierapi.Client, error) {
	tok, err := secret.ReadToken("API token", c.Path(carrier.FlagAPITokenFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", carrier.FlagAPITokenFile, err)
	}
	return &carrierapi.Client{BaseURL: c.String(flagCarrierURL), Token: tok}, nil
}

// printJSON prints v indented to the command's output.
func printJSON(c *cli.Context, v any) error {
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
