package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier/internal/bytesize"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/deploy"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// chainCommands are the chain subsystem's `carrier` subcommands; all but
// `settings` call a running carrier's API. docs/carrier-cli.md walks
// through them.
func chainCommands() []*cli.Command {
	return []*cli.Command{
		{
			Name: "chain", Usage: "show the chain subsystem: wallet address, chain, contracts, or why it is not running",
			Flags: clientFlags(), Action: get("chain"),
		},
		{
			Name: "providers", Usage: "list the organization's providers and their registration; register (with a proof) or deregister one",
			Flags: parentFlags(clientFlags()), Action: get("providers"),
			Subcommands: []*cli.Command{
				{Name: "list", Usage: "list the providers (the default)", Flags: clientFlags(), Action: get("providers")},
				{
					Name: "deregister", Usage: "remove a provider from the Registry; it is not registered again until `providers register`",
					ArgsUsage: "<provider address>", Flags: waitFlags(), Action: providerAction("deregister"),
				},
				{
					Name: "register", Usage: "let the carrier register a provider (again after deregister); with --proof, " +
						"hand it the provider key's proof of possession first (`gateway keys prove`)",
					ArgsUsage: "<provider address>", Flags: append(clientFlags(), &cli.PathFlag{
						Name:  "proof",
						Usage: "`file` with the proof JSON that `gateway keys prove --owner <this carrier's wallet>` printed",
					}), Action: providerAction("register"),
				},
				{
					Name: "transfer", Usage: "move a provider to another organization's wallet (Registry.transfer) with the provider key's " +
						"proof naming it (`gateway keys prove --owner <new owner>`); orders already placed keep paying this wallet",
					ArgsUsage: "<provider address>",
					Flags: append(waitFlags(),
						&cli.StringFlag{Name: "to", Required: true, Usage: "the new owner's wallet `address`"},
						&cli.PathFlag{Name: "proof", Required: true, Usage: "`file` with the proof JSON naming the new owner"}),
					Action: transferProvider,
				},
			},
		},
		{
			Name: "credits", Usage: "show the org's tokens, credit, escrow and earnings; deposit or withdraw credit",
			Flags: parentFlags(clientFlags()), Action: get("credits"),
			Subcommands: []*cli.Command{
				{Name: "balance", Usage: "show the balances (the default)", Flags: clientFlags(), Action: get("credits")},
				{Name: "deposit", Usage: "approve and deposit tokens as Market credit", ArgsUsage: "<amount in base units>", Flags: opFlags(), Action: creditAction("deposit")},
				{Name: "withdraw", Usage: "withdraw Market credit back to the wallet", ArgsUsage: "<amount in base units>", Flags: opFlags(), Action: creditAction("withdraw")},
			},
		},
		{
			Name: "match", Usage: "rank the directory's providers for a request, with costs and reasons for the excluded",
			Flags:  append(clientFlags(), append(requestFlags(), &cli.IntFlag{Name: "limit", Usage: "number of candidates (default 10)"})...),
			Action: matchAction,
		},
		{
			Name: "orders", Usage: "list, create, extend, cancel or close the organization's orders, update an order's manifest, or open a gateway session for one",
			Flags: parentFlags(listOrderFlags()), Action: listOrders,
			Subcommands: []*cli.Command{
				{Name: "list", Usage: "list orders, newest first (the default)", Flags: listOrderFlags(), Action: listOrders},
				{Name: "show", Usage: "show one order", ArgsUsage: "<order id>", Flags: clientFlags(), Action: showOrder},
				{
					Name: "create", Usage: "place an order with the best fitting provider or a chosen one",
					Flags: append(opFlags(), append(requestFlags(),
						&cli.StringFlag{Name: "manifest-url", Required: true, Usage: "`URL` of the Kubernetes manifest (hashed into the order)"},
						&cli.StringFlag{Name: "provider", Usage: "chosen provider `address` (default: the best candidate)"})...),
					Action: createOrder,
				},
				{Name: "cancel", Usage: "cancel an order before its end: the provider is paid for the time used, the rest refunded", ArgsUsage: "<order id>", Flags: waitFlags(), Action: cancelOrder},
				{
					Name: "extend", Usage: "add time to an order the organization bought, at its rate, escrowed from the credit",
					ArgsUsage: "<order id>", Action: orderChange("extend"),
					Flags: append(opFlags(), &cli.DurationFlag{Name: "duration", Required: true, Usage: "time added, whole seconds (e.g. 1h)"}),
				},
				{
					Name: "close", Usage: "end an order the organization sold (it is the payee) before its end: paid for the time served, the buyer refunded the rest",
					ArgsUsage: "<order id>", Flags: waitFlags(), Action: orderChange("close"),
				},
				{
					Name: "update-manifest", Usage: "replace the manifest of an order the organization bought and roll it out to the order's gateway once mined",
					ArgsUsage: "<order id>", Action: orderChange("manifest"),
					Flags: append(opFlags(), &cli.StringFlag{Name: "manifest-url", Required: true, Usage: "`URL` of the new Kubernetes manifest (hashed into the order)"}),
				},
				{
					Name:      "gateway-session",
					Usage:     "log the org wallet in at the gateway of an order the organization bought and print the session as JSON (its token is a secret: Authorization: Bearer <token> at gatewayBase/v1/…)",
					ArgsUsage: "<order id>", Flags: clientFlags(), Action: gatewaySession,
				},
			},
		},
		{
			Name: "settlements", Usage: "show earnings, ended orders awaiting settlement and recent settlement batches",
			Flags: append(clientFlags(), &cli.IntFlag{Name: "limit", Usage: "batches shown (default 20)"}),
			Action: func(c *cli.Context) error {
				return getPath(c, "settlements"+query("limit", c.Int("limit")))
			},
		},
		{
			Name: "txs", Usage: "list transaction intents, or show one (`carrier txs <key>`) with --wait for a live progress line",
			ArgsUsage: "[key]",
			Flags: append(waitFlags(),
				&cli.StringFlag{Name: "prefix", Usage: "only keys starting with `text`, such as \"settle\""},
				&cli.StringFlag{Name: "state", Usage: "only intents in `state` pending, mined, confirmed or failed"},
				&cli.IntFlag{Name: "limit", Usage: "page size (default 50)"}),
			Action: txsAction,
		},
		settingsCommand(),
	}
}

// parentFlags are flags of a command that has subcommands: urfave/cli
// checks a parent's required flags before running a subcommand, so none
// is required there (clientFromCLI still refuses a missing token file).
func parentFlags(flags []cli.Flag) []cli.Flag {
	out := make([]cli.Flag, len(flags))
	for i, f := range flags {
		if p, ok := f.(*cli.PathFlag); ok && p.Required {
			c := *p
			c.Required = false
			f = &c
		}
		out[i] = f
	}
	return out
}

func waitFlags() []cli.Flag {
	return append(clientFlags(), &cli.BoolFlag{Name: "wait", Usage: "follow the transactions to confirmation with a progress line on stderr"})
}

func opFlags() []cli.Flag {
	return append(waitFlags(), &cli.StringFlag{Name: "operation", Usage: "`id` that makes a retry of this command idempotent"})
}

func requestFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Uint64Flag{Name: "cpu-millis", Usage: "CPU in `millicores`"},
		&cli.StringFlag{Name: "memory", Usage: "memory in `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.StringFlag{Name: "storage", Usage: "storage in `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.UintFlag{Name: "gpus", Usage: "number of GPUs"},
		&cli.StringFlag{Name: "gpu-model", Usage: "GPU `model`"},
		&cli.DurationFlag{Name: "duration", Usage: "order length, whole seconds (e.g. 1h)"},
		&cli.StringSliceFlag{Name: "label", Usage: "required listing label `key=value` (repeatable)"},
		&cli.StringFlag{Name: "region", Usage: "required `region`"},
		&cli.StringFlag{Name: "max-price", Usage: "most the order may cost, token base `units`"},
	}
}

func listOrderFlags() []cli.Flag {
	return append(clientFlags(),
		&cli.StringFlag{Name: "role", Usage: "buyer or seller"},
		&cli.StringFlag{Name: "state", Usage: "active, ended, cancelled, settled or closed"},
		&cli.IntFlag{Name: "limit", Usage: "most orders shown"})
}

func query(name string, v int) string {
	if v == 0 {
		return ""
	}
	return "?" + name + "=" + strconv.Itoa(v)
}

func get(path string) cli.ActionFunc {
	return func(c *cli.Context) error { return getPath(c, path) }
}

func getPath(c *cli.Context, path string) error {
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var v any
	if err := cl.Do(c.Context, "GET", path, nil, &v); err != nil {
		return err
	}
	return printJSON(c, v)
}

func oneArg(c *cli.Context, what string) (string, error) {
	if c.NArg() != 1 {
		return "", fmt.Errorf("want one argument: the %s", what)
	}
	return c.Args().First(), nil
}

func providerAction(verb string) cli.ActionFunc {
	return func(c *cli.Context) error {
		p, err := oneArg(c, "provider address")
		if err != nil {
			return err
		}
		if !common.IsHexAddress(p) {
			return fmt.Errorf("provider %q: want 0x and 40 hex digits", p)
		}
		cl, err := clientFromCLI(c)
		if err != nil {
			return err
		}
		if verb == "register" {
			if f := c.Path("proof"); f != "" {
				proof, err := readProof(f)
				if err != nil {
					return err
				}
				if !strings.EqualFold(proof.Provider.Hex(), p) {
					return fmt.Errorf("--proof %s is for provider %s, not %s", f, proof.Provider.Hex(), p)
				}
				if _, err := cl.PostProof(c.Context, proof); err != nil {
					return fmt.Errorf("handing over the proof: %w", err)
				}
			}
			var info carrierapi.ProviderInfo
			if err := cl.Do(c.Context, "POST", "providers/"+p+"/register", nil, &info); err != nil {
				return err
			}
			return printJSON(c, info)
		}
		var st txmgr.Status
		if err := cl.Do(c.Context, "POST", "providers/"+p+"/deregister", nil, &st); err != nil {
			return err
		}
		return finish(c, cl, []txmgr.Status{st}, st)
	}
}

func transferProvider(c *cli.Context) error {
	p, err := oneArg(c, "provider address")
	if err != nil {
		return err
	}
	if !common.IsHexAddress(p) {
		return fmt.Errorf("provider %q: want 0x and 40 hex digits", p)
	}
	to := c.String("to")
	if !common.IsHexAddress(to) || len(to) != 42 {
		return fmt.Errorf("--to %q: want 0x and 40 hex digits", to)
	}
	proof, err := readProof(c.Path("proof"))
	if err != nil {
		return err
	}
	if !strings.EqualFold(proof.Provider.Hex(), p) || proof.Owner != common.HexToAddress(to) {
		return fmt.Errorf("--proof is for provider %s and owner %s, not %s and %s", proof.Provider.Hex(), proof.Owner.Hex(), p, to)
	}
	raw, err := json.Marshal(proof)
	if err != nil {
		return err
	}
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var st txmgr.Status
	if err := cl.Do(c.Context, "POST", "providers/"+p+"/transfer", carrierapi.TransferRequest{To: common.HexToAddress(to), Proof: raw}, &st); err != nil {
		return err
	}
	return finish(c, cl, []txmgr.Status{st}, st)
}

// readProof reads and checks (shape, the provider's signature) a
// registration proof file.
func readProof(path string) (regproof.Signed, error) {
	f, err := os.Open(path)
	if err != nil {
		return regproof.Signed{}, fmt.Errorf("--proof: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, regproof.MaxJSON+1))
	if err != nil {
		return regproof.Signed{}, fmt.Errorf("--proof %s: %w", path, err)
	}
	s, err := regproof.Parse(bytes.TrimSpace(b))
	if err != nil {
		return regproof.Signed{}, fmt.Errorf("--proof %s: %w", path, err)
	}
	return s, nil
}

func creditAction(kind string) cli.ActionFunc {
	return func(c *cli.Context) error {
		arg, err := oneArg(c, "amount in token base units")
		if err != nil {
			return err
		}
		amount, ok := new(big.Int).SetString(arg, 10)
		if !ok || amount.Sign() <= 0 {
			return fmt.Errorf("amount %q: want a positive integer of token base units", arg)
		}
		cl, err := clientFromCLI(c)
		if err != nil {
			return err
		}
		var op mediator.Operation
		req := carrierapi.AmountRequest{Amount: carrierapi.NewAmount(amount), Operation: c.String("operation")}
		if err := cl.Do(c.Context, "POST", "credits/"+kind, req, &op); err != nil {
			return err
		}
		return finish(c, cl, op.Intents, op)
	}
}

// finish prints out, after following intents to the end with --wait.
func finish(c *cli.Context, cl *carrierapi.Client, intents []txmgr.Status, out any) error {
	if c.Bool("wait") {
		for _, st := range intents {
			if _, err := follow(c, cl, st); err != nil {
				return err
			}
		}
	}
	return printJSON(c, out)
}

// follow long-polls an intent until it is final, printing a progress line
// on stderr at every change.
func follow(c *cli.Context, cl *carrierapi.Client, st txmgr.Status) (txmgr.Status, error) {
	w := c.App.ErrWriter
	fmt.Fprintln(w, st.String())
	for !st.Final() {
		path := "txs/" + url.PathEscape(st.Key) + "?wait=15s&since=" + url.QueryEscape(st.Updated.Format(time.RFC3339Nano))
		var next txmgr.Status
		if err := cl.Do(c.Context, "GET", path, nil, &next); err != nil {
			return st, err
		}
		if !next.Updated.Equal(st.Updated) || next.State != st.State {
			fmt.Fprintln(w, next.String())
		}
		st = next
	}
	return st, st.Err()
}

func readRequest(c *cli.Context) (carrierapi.MatchRequest, error) {
	var r carrierapi.MatchRequest
	mem, err := bytesize.Parse(c.String("memory"))
	if err != nil {
		return r, fmt.Errorf("memory: %w", err)
	}
	sto, err := bytesize.Parse(c.String("storage"))
	if err != nil {
		return r, fmt.Errorf("storage: %w", err)
	}
	d := c.Duration("duration")
	if d%time.Second != 0 || d < 0 {
		return r, fmt.Errorf("duration %s: want whole seconds", d)
	}
	r.Resources = market.Resources{CPUMillis: c.Uint64("cpu-millis"), MemoryBytes: mem, StorageBytes: sto,
		GPUs: uint32(min(c.Uint("gpus"), 1<<32-1)), GPUModel: c.String("gpu-model")}
	r.Duration = uint64(d / time.Second)
	r.Region = c.String("region")
	for _, kv := range c.StringSlice("label") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return r, fmt.Errorf("label %q: want key=value", kv)
		}
		if r.Labels == nil {
			r.Labels = map[string]string{}
		}
		r.Labels[k] = v
	}
	if s := c.String("max-price"); s != "" {
		p, ok := new(big.Int).SetString(s, 10)
		if !ok || p.Sign() < 0 {
			return r, fmt.Errorf("max-price %q: want an integer of token base units", s)
		}
		r.MaxPrice = carrierapi.NewAmount(p)
	}
	return r, nil
}

func matchAction(c *cli.Context) error {
	r, err := readRequest(c)
	if err != nil {
		return err
	}
	r.Limit = c.Int("limit")
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var res scheduler.Result
	if err := cl.Do(c.Context, "POST", "match", r, &res); err != nil {
		return err
	}
	return printJSON(c, res)
}

func listOrders(c *cli.Context) error {
	return getPath(c, listPath(c, "orders", "role", "state"))
}

// listPath is the API path of a list: base with the given string flags
// and --limit as query parameters, where set.
func listPath(c *cli.Context, base string, flags ...string) string {
	q := url.Values{}
	for _, k := range flags {
		if v := c.String(k); v != "" {
			q.Set(k, v)
		}
	}
	if n := c.Int("limit"); n > 0 {
		q.Set("limit", strconv.Itoa(n))
	}
	if len(q) > 0 {
		base += "?" + q.Encode()
	}
	return base
}

func showOrder(c *cli.Context) error {
	id, err := oneArg(c, "order id")
	if err != nil {
		return err
	}
	return getPath(c, "orders/"+url.PathEscape(id))
}

func createOrder(c *cli.Context) error {
	r, err := readRequest(c)
	if err != nil {
		return err
	}
	req := carrierapi.OrderRequest{
		Operation: c.String("operation"), Resources: r.Resources, Duration: r.Duration, Labels: r.Labels,
		Region: r.Region, MaxPrice: r.MaxPrice, ManifestURL: c.String("manifest-url"),
	}
	if p := c.String("provider"); p != "" {
		if !common.IsHexAddress(p) {
			return fmt.Errorf("provider %q: want 0x and 40 hex digits", p)
		}
		a := common.HexToAddress(p)
		req.Provider = &a
	}
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var pl mediator.Placement
	if err := cl.Do(c.Context, "POST", "orders", req, &pl); err != nil {
		return err
	}
	if c.Bool("wait") && pl.Order == nil {
		if _, err := follow(c, cl, pl.Intent); err != nil {
			return err
		}
		// Ask again: the answer now carries the order.
		req.Operation = pl.Operation
		if err := cl.Do(c.Context, "POST", "orders", req, &pl); err != nil {
			return err
		}
	}
	return printJSON(c, pl)
}

func cancelOrder(c *cli.Context) error {
	id, err := oneArg(c, "order id")
	if err != nil {
		return err
	}
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var st txmgr.Status
	if err := cl.Do(c.Context, "POST", "orders/"+url.PathEscape(id)+"/cancel", nil, &st); err != nil {
		return err
	}
	return finish(c, cl, []txmgr.Status{st}, st)
}

// orderChange is `orders extend`, `orders close` and `orders
// update-manifest`: POST /v1/orders/{id}/<kind>; with --wait it follows
// the transaction to the end and asks again (the same operation, or the
// same order's close) for the answer with the order, and for an update
// the rollout to the gateway.
func orderChange(kind string) cli.ActionFunc {
	return func(c *cli.Context) error {
		id, err := oneArg(c, "order id")
		if err != nil {
			return err
		}
		if n, err := strconv.ParseUint(id, 10, 64); err != nil || n == 0 {
			return fmt.Errorf("order id %q: want a positive integer", id)
		}
		var req any
		switch kind {
		case "extend":
			d := c.Duration("duration")
			if d <= 0 || d%time.Second != 0 {
				return fmt.Errorf("duration %s: want a positive number of whole seconds", d)
			}
			req = &carrierapi.ExtendRequest{Duration: uint64(d / time.Second), Operation: c.String("operation")}
		case "manifest":
			req = &carrierapi.ManifestRequest{ManifestURL: c.String("manifest-url"), Operation: c.String("operation")}
		}
		cl, err := clientFromCLI(c)
		if err != nil {
			return err
		}
		path := "orders/" + url.PathEscape(id) + "/" + kind
		var ch mediator.OrderChange
		if err := cl.Do(c.Context, "POST", path, req, &ch); err != nil {
			return err
		}
		if c.Bool("wait") && !ch.Intent.Final() {
			st, err := follow(c, cl, ch.Intent)
			if err != nil {
				return err
			}
			if ch.Intent.State != txmgr.StatePending { // the answer has the order (and rollout) already
				ch.Intent = st
				return printChange(c, ch)
			}
			switch r := req.(type) { // ask again: the answer carries the order
			case *carrierapi.ExtendRequest:
				r.Operation = ch.Operation
			case *carrierapi.ManifestRequest:
				r.Operation = ch.Operation
			}
			if err := cl.Do(c.Context, "POST", path, req, &ch); err != nil {
				return err
			}
		}
		return printChange(c, ch)
	}
}

// printChange prints an order change; a manifest update that did not
// reach the gateway is an error after the print.
func printChange(c *cli.Context, ch mediator.OrderChange) error {
	if err := printJSON(c, ch); err != nil {
		return err
	}
	if ch.Rollout != nil && ch.Rollout.Error != "" {
		return fmt.Errorf("the manifest is updated on chain, but not rolled out to the gateway: %s", ch.Rollout.Error)
	}
	return nil
}

func gatewaySession(c *cli.Context) error {
	id, err := oneArg(c, "order id")
	if err != nil {
		return err
	}
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var s carrierapi.GatewaySession
	if err := cl.Do(c.Context, "POST", "orders/"+url.PathEscape(id)+"/gateway-session", nil, &s); err != nil {
		return err
	}
	return printJSON(c, s)
}

func txsAction(c *cli.Context) error {
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	if c.NArg() == 1 {
		var st txmgr.Status
		if err := cl.Do(c.Context, "GET", "txs/"+url.PathEscape(c.Args().First()), nil, &st); err != nil {
			return err
		}
		return finish(c, cl, []txmgr.Status{st}, st)
	}
	return getPath(c, listPath(c, "txs", "prefix", "state"))
}

// settingsCommand reads and writes the organization's chain settings in
// Consul KV, which every carrier of the org follows.
func settingsCommand() *cli.Command {
	flags := func(extra ...cli.Flag) []cli.Flag {
		return append(append([]cli.Flag{&cli.StringFlag{Name: consul.FlagOrg, Required: true, Usage: "organization `id`"}}, consul.Flags("carrier")...), extra...)
	}
	return &cli.Command{
		Name:  "settings",
		Usage: "show or set the organization's chain settings in Consul KV (gridnode/<org>/settings/)",
		Subcommands: []*cli.Command{
			{
				Name: "show", Usage: "print the settings", Flags: flags(),
				Action: func(c *cli.Context) error {
					kv, err := settingsKV(c)
					if err != nil {
						return err
					}
					s, err := kv.ReadSettings(c.Context, c.String(consul.FlagOrg))
					if err != nil {
						return err
					}
					return printJSON(c, s)
				},
			},
			{
				Name:  "set",
				Usage: "write the settings given; others keep their value (--contracts-file or --devnet-info fills the chain RPC and contracts from `carrier contracts deploy --out` or `devnet --out`)",
				Flags: flags(
					&cli.StringFlag{Name: "chain-rpc", Usage: "chain JSON-RPC `URL`"},
					&cli.StringFlag{Name: "token", Usage: "Token contract `address`"},
					&cli.StringFlag{Name: "registry", Usage: "Registry contract `address`"},
					&cli.StringFlag{Name: "market", Usage: "Market contract `address`"},
					&cli.StringFlag{Name: "org-name", Usage: "organization display `name`"},
					&cli.PathFlag{Name: "devnet-info", Usage: "devnet info `file` to take the chain RPC and contract addresses from"},
					&cli.PathFlag{Name: "contracts-file", Usage: "addresses `file` of `carrier contracts deploy` to take the contract addresses and the chain RPC (if it records one) from"},
				),
				Action: func(c *cli.Context) error {
					if c.Path("devnet-info") != "" && c.Path("contracts-file") != "" {
						return fmt.Errorf("%w: give --devnet-info or --contracts-file, not both", service.ErrInvalidConfig)
					}
					kv, err := settingsKV(c)
					if err != nil {
						return err
					}
					org := c.String(consul.FlagOrg)
					ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
					defer cancel()
					s, err := kv.ReadSettings(ctx, org)
					if err != nil {
						return err
					}
					if p := c.Path("devnet-info"); p != "" {
						info, err := devinfo.Read(p)
						if err != nil {
							return err
						}
						s.ChainRPC = info.RPC.HTTP
						s.Contracts = consul.Contracts{Token: info.Contracts.Token.Hex(), Registry: info.Contracts.Registry.Hex(), Market: info.Contracts.Market.Hex()}
					}
					if p := c.Path("contracts-file"); p != "" {
						f, err := deploy.ReadFile(p)
						if err != nil {
							return err
						}
						if f.RPC != "" {
							s.ChainRPC = f.RPC
						}
						s.Contracts = consul.Contracts{Token: f.Contracts.Token.Hex(), Registry: f.Contracts.Registry.Hex(), Market: f.Contracts.Market.Hex()}
					}
					for flag, dst := range map[string]*string{"chain-rpc": &s.ChainRPC, "token": &s.Contracts.Token,
						"registry": &s.Contracts.Registry, "market": &s.Contracts.Market, "org-name": &s.OrgName} {
						if c.IsSet(flag) {
							*dst = c.String(flag)
						}
					}
					if err := kv.WriteSettings(ctx, org, s); err != nil {
						return fmt.Errorf("%w: %w", service.ErrInvalidConfig, err)
					}
					return printJSON(c, s)
				},
			},
		},
	}
}

func settingsKV(c *cli.Context) (*consul.KV, error) {
	if err := consul.ValidateOrg(c.String(consul.FlagOrg)); err != nil {
		return nil, err
	}
	opts := consul.OptionsFromCLI(c)
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	client, err := consul.NewClient(opts)
	if err != nil {
		return nil, err
	}
	return consul.NewKV(client, service.Logger(c)), nil
}
