package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier/internal/bytesize"
	"github.com/gridnode/gridnode/carrier/internal/p2p"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// Flags of `carrier listings publish` and `withdraw`.
const (
	flagProviderKeyFile = "provider-key-file"
	flagGatewayURL      = "gateway-url"
	flagListingOrg      = "org"
	flagListingOwner    = "owner"
)

// p2pCommands are the subsystem's `carrier` subcommands: peers and
// listings (search, show, publish, withdraw).
func p2pCommands() []*cli.Command {
	return []*cli.Command{
		{
			Name:  "peers",
			Usage: "show this carrier's peer id and addresses and the carriers it is connected to",
			Flags: clientFlags(),
			Action: func(c *cli.Context) error {
				cl, err := clientFromCLI(c)
				if err != nil {
					return err
				}
				out, err := cl.Peers(c.Context)
				if err != nil {
					return err
				}
				return printJSON(c, out)
			},
		},
		{
			Name:  "listings",
			Usage: "search and show the network's listings; publish or withdraw a provider's listing",
			Subcommands: []*cli.Command{
				{Name: "search", Usage: "list the listings that fit a request, cheapest (or freshest) first", Flags: append(clientFlags(), searchFlags()...), Action: searchListings},
				{Name: "show", Usage: "show the listing of a provider, with its signed bytes", ArgsUsage: "<provider address>", Flags: clientFlags(), Action: showListing},
				{Name: "publish", Usage: "sign a provider's listing with its key file and publish it through the carrier (and a withdrawal the carrier publishes when the provider's gateway leaves)", Flags: append(clientFlags(), publishFlags()...), Action: publishListing},
				{Name: "withdraw", Usage: "sign a provider's withdrawal (a tombstone) with its key file and publish it", Flags: append(clientFlags(), withdrawFlags()...), Action: withdrawListing},
			},
		},
	}
}

func searchFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Uint64Flag{Name: carrierapi.ParamCPU, Usage: "free CPU at least, `millicores`"},
		&cli.StringFlag{Name: carrierapi.ParamMemory, Usage: "free memory at least, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.StringFlag{Name: carrierapi.ParamStorage, Usage: "free storage at least, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.UintFlag{Name: carrierapi.ParamGPUs, Usage: "free GPUs at least"},
		&cli.StringFlag{Name: carrierapi.ParamGPUModel, Usage: "GPU `model`"},
		&cli.StringFlag{Name: carrierapi.ParamRegion, Usage: "`region`"},
		&cli.StringSliceFlag{Name: carrierapi.ParamLabel, Usage: "required label `key=value` (repeatable)"},
		&cli.StringFlag{Name: carrierapi.ParamMaxPrice, Usage: "most the request may cost over --duration, token base `units`"},
		&cli.StringFlag{Name: carrierapi.ParamDuration, Usage: "order length (3600 or 1h) that prices and --max-price are for"},
		&cli.StringFlag{Name: carrierapi.ParamSort, Value: "price", Usage: "`order`: price or freshness"},
		&cli.IntFlag{Name: carrierapi.ParamOffset, Usage: "skip this many matches"},
		&cli.IntFlag{Name: carrierapi.ParamLimit, Usage: "show at most this many (default 100)"},
	}
}

func searchListings(c *cli.Context) error {
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	v := url.Values{}
	for _, name := range []string{carrierapi.ParamMemory, carrierapi.ParamStorage, carrierapi.ParamGPUModel, carrierapi.ParamRegion, carrierapi.ParamMaxPrice, carrierapi.ParamDuration, carrierapi.ParamSort} {
		if s := c.String(name); s != "" {
			v.Set(name, s)
		}
	}
	for _, name := range []string{carrierapi.ParamCPU, carrierapi.ParamGPUs, carrierapi.ParamOffset, carrierapi.ParamLimit} {
		if c.IsSet(name) {
			v.Set(name, fmt.Sprint(c.Value(name)))
		}
	}
	for _, l := range c.StringSlice(carrierapi.ParamLabel) {
		v.Add(carrierapi.ParamLabel, l)
	}
	var out carrierapi.SearchResult
	path := "listings"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	if err := cl.Do(c.Context, "GET", path, nil, &out); err != nil {
		return err
	}
	return printJSON(c, out)
}

func showListing(c *cli.Context) error {
	if c.NArg() != 1 {
		return errors.New("want one provider address")
	}
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	var out carrierapi.Listing
	if err := cl.Do(c.Context, "GET", "listings/"+url.PathEscape(c.Args().First()), nil, &out); err != nil {
		return err
	}
	return printJSON(c, out)
}

func signingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.PathFlag{Name: flagProviderKeyFile, Required: true, Usage: "`file` (mode 0600) with the provider's secp256k1 key in hex"},
		&cli.StringFlag{Name: flagListingOrg, Usage: "organization `id` of the listing (default: the carrier's)"},
		&cli.StringFlag{Name: flagListingOwner, Required: true, Usage: "the organization wallet `address` the provider is registered to in the Registry (its owner, the payee of its orders); carriers refuse a listing naming another"},
		&cli.Uint64Flag{Name: "seq", Usage: "sequence `number` (default: the current time in milliseconds, so that it grows)"},
		&cli.DurationFlag{Name: "ttl", Usage: "lifetime of the record (at most 24h; default 1h, withdrawals 24h)"},
	}
}

func publishFlags() []cli.Flag {
	return append(signingFlags(),
		&cli.StringFlag{Name: flagGatewayURL, Required: true, Usage: "public `URL` of the provider's gateway (through the org's via)"},
		&cli.Uint64Flag{Name: "cpu", Usage: "total CPU, `millicores`"},
		&cli.StringFlag{Name: "memory", Usage: "total memory, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.StringFlag{Name: "storage", Usage: "total storage, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.UintFlag{Name: "gpus", Usage: "total GPUs"},
		&cli.StringFlag{Name: "gpu-model", Usage: "GPU `model`"},
		&cli.Uint64Flag{Name: "free-cpu", Usage: "free CPU, `millicores` (default: all)"},
		&cli.StringFlag{Name: "free-memory", Usage: "free memory, `bytes` (default: all)"},
		&cli.StringFlag{Name: "free-storage", Usage: "free storage, `bytes` (default: all)"},
		&cli.UintFlag{Name: "free-gpus", Usage: "free GPUs (default: all)"},
		&cli.StringFlag{Name: "price-cpu", Value: "0", Usage: "price per millicore per second, token base `units`"},
		&cli.StringFlag{Name: "price-memory", Value: "0", Usage: "price per MiB per second, token base `units`"},
		&cli.StringFlag{Name: "price-storage", Value: "0", Usage: "price per GiB per second, token base `units`"},
		&cli.StringFlag{Name: "price-gpu", Value: "0", Usage: "price per GPU per second, token base `units`"},
		&cli.StringFlag{Name: "region", Usage: "`region`"},
		&cli.StringSliceFlag{Name: "label", Usage: "label `key=value` (repeatable)"},
		&cli.BoolFlag{Name: "no-withdrawal", Usage: "do not hand the carrier a signed withdrawal"},
	)
}

func withdrawFlags() []cli.Flag { return signingFlags() }

// signer reads the provider key and fills what every record has.
func signer(c *cli.Context, tombstone bool) (*listing.Record, func(*listing.Record) ([]byte, error), error) {
	key, err := p2p.ReadHexKeyFile("provider key", c.Path(flagProviderKeyFile))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", flagProviderKeyFile, err)
	}
	o := c.String(flagListingOwner)
	if !common.IsHexAddress(o) || len(strings.TrimPrefix(o, "0x")) != 40 || common.HexToAddress(o) == (common.Address{}) {
		return nil, nil, fmt.Errorf("%s %q: want the owner's address, 0x and 40 hex digits, not zero", flagListingOwner, o)
	}
	owner := common.HexToAddress(o)
	org := c.String(flagListingOrg)
	if org == "" {
		cl, err := clientFromCLI(c)
		if err != nil {
			return nil, nil, err
		}
		s, err := cl.Status(c.Context)
		if err != nil {
			return nil, nil, err
		}
		org = s.Org
	}
	ttl := c.Duration("ttl")
	switch {
	case ttl == 0 && tombstone:
		ttl = listing.DefaultMaxTTL
	case ttl == 0:
		ttl = time.Hour
	case ttl < time.Second || ttl > listing.DefaultMaxTTL:
		return nil, nil, fmt.Errorf("ttl %s: want 1s to %s", ttl, listing.DefaultMaxTTL)
	}
	now := time.Now()
	seq := c.Uint64("seq")
	if seq == 0 {
		seq = uint64(now.UnixMilli())
	}
	r := &listing.Record{
		Version: listing.Version2, Provider: crypto.PubkeyToAddress(key.PublicKey), Owner: owner, Org: org,
		Seq: seq, IssuedAt: now.Unix(), Expires: now.Add(ttl).Unix(), Tombstone: tombstone,
	}
	sign := func(r *listing.Record) ([]byte, error) {
		if err := listing.Sign(r, key); err != nil {
			return nil, err
		}
		return listing.Marshal(r)
	}
	return r, sign, nil
}

func publishListing(c *cli.Context) error {
	r, sign, err := signer(c, false)
	if err != nil {
		return err
	}
	r.GatewayURL = c.String(flagGatewayURL)
	r.Region = c.String("region")
	total := market.Resources{CPUMillis: c.Uint64("cpu"), GPUs: uint32(c.Uint("gpus")), GPUModel: c.String("gpu-model")}
	if total.MemoryBytes, err = bytesize.Parse(c.String("memory")); err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	if total.StorageBytes, err = bytesize.Parse(c.String("storage")); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	free := total
	if c.IsSet("free-cpu") {
		free.CPUMillis = c.Uint64("free-cpu")
	}
	if c.IsSet("free-gpus") {
		free.GPUs = uint32(c.Uint("free-gpus"))
	}
	if c.IsSet("free-memory") {
		if free.MemoryBytes, err = bytesize.Parse(c.String("free-memory")); err != nil {
			return fmt.Errorf("free-memory: %w", err)
		}
	}
	if c.IsSet("free-storage") {
		if free.StorageBytes, err = bytesize.Parse(c.String("free-storage")); err != nil {
			return fmt.Errorf("free-storage: %w", err)
		}
	}
	r.Capacity = listing.Capacity{Total: total, Free: free}
	prices := make([]*big.Int, 4)
	for i, name := range []string{"price-cpu", "price-memory", "price-storage", "price-gpu"} {
		p, ok := new(big.Int).SetString(c.String(name), 10)
		if !ok || p.Sign() < 0 {
			return fmt.Errorf("%s: want a decimal amount of token base units", name)
		}
		prices[i] = p
	}
	r.Prices = market.Prices{CPUMilli: prices[0], MemoryMiB: prices[1], StorageGiB: prices[2], GPU: prices[3]}
	for _, l := range c.StringSlice("label") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("label %q: want key=value", l)
		}
		if r.Labels == nil {
			r.Labels = map[string]string{}
		}
		r.Labels[k] = v
	}
	raw, err := sign(r)
	if err != nil {
		return err
	}
	req := carrierapi.PublishRequest{Record: "0x" + hex.EncodeToString(raw)}
	if !c.Bool("no-withdrawal") {
		w := &listing.Record{Version: listing.Version2, Provider: r.Provider, Owner: r.Owner, Org: r.Org, Seq: r.Seq + 1,
			IssuedAt: r.IssuedAt, Expires: r.IssuedAt + int64(listing.DefaultMaxTTL/time.Second), Tombstone: true}
		wraw, err := sign(w)
		if err != nil {
			return err
		}
		req.Withdrawal = "0x" + hex.EncodeToString(wraw)
	}
	return postListing(c, req)
}

func withdrawListing(c *cli.Context) error {
	r, sign, err := signer(c, true)
	if err != nil {
		return err
	}
	raw, err := sign(r)
	if err != nil {
		return err
	}
	return postListing(c, carrierapi.PublishRequest{Record: "0x" + hex.EncodeToString(raw)})
}

func postListing(c *cli.Context, req carrierapi.PublishRequest) error {
	cl, err := clientFromCLI(c)
	if err != nil {
		return err
	}
	out, err := cl.PublishListing(c.Context, req)
	if err != nil {
		return err
	}
	return printJSON(c, out)
}
