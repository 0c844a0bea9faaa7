package carrier

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier/internal/bytesize"
	"github.com/gridnode/gridnode/carrier/internal/chain"
	"github.com/gridnode/gridnode/carrier/internal/federation"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Flag names of the carrier; each maps to one field of Config, of
// federation.Config (p2p) or of chain.Config.
const (
	FlagDataDir      = "data-dir"
	FlagAPITokenFile = "api-token-file"

	FlagP2PListen            = "p2p-listen"
	FlagP2PKeyFile           = "p2p-key-file"
	FlagP2PBootstrap         = "p2p-bootstrap"
	FlagP2PRelay             = "p2p-relay"
	FlagP2PForceRelay        = "p2p-force-relay"
	FlagP2PRelayBackoff      = "p2p-relay-backoff"
	FlagP2PAllowCIDR         = "p2p-allow-cidr"
	FlagP2PDenyCIDR          = "p2p-deny-cidr"
	FlagP2PAllowPeer         = "p2p-allow-peer"
	FlagP2PDenyPeer          = "p2p-deny-peer"
	FlagP2PConnLow           = "p2p-conn-low"
	FlagP2PConnHigh          = "p2p-conn-high"
	FlagP2PMaxConns          = "p2p-max-conns"
	FlagP2PMaxStreams        = "p2p-max-streams"
	FlagP2PMaxMemory         = "p2p-max-memory"
	FlagP2PNoDHT             = "p2p-no-dht"
	FlagP2PSyncInterval      = "p2p-sync-interval"
	FlagP2PRepublishInterval = "p2p-republish-interval"
	FlagP2PWithdrawGrace     = "p2p-withdraw-grace"

	FlagKeystore              = "keystore"
	FlagPassphraseFile        = "passphrase-file"
	FlagPassphraseEnv         = "passphrase-env"
	FlagChainRPC              = "chain-rpc"
	FlagTokenAddress          = "token-address"
	FlagRegistryAddress       = "registry-address"
	FlagMarketAddress         = "market-address"
	FlagConfirmations         = "confirmations"
	FlagChainFromBlock        = "chain-from-block"
	FlagChainPoll             = "chain-poll-interval"
	FlagSettleWindow          = "settle-window"
	FlagProviderURLBase       = "provider-url-base"
	FlagProviderRegion        = "provider-region"
	FlagProviderCPUMillis     = "provider-cpu-millis"
	FlagProviderMemory        = "provider-memory"
	FlagProviderStorage       = "provider-storage"
	FlagProviderGPUs          = "provider-gpus"
	FlagProviderGPUModel      = "provider-gpu-model"
	FlagPriceCPUMilli         = "price-cpu-milli"
	FlagPriceMemoryMiB        = "price-memory-mib"
	FlagPriceStorageGiB       = "price-storage-gib"
	FlagPriceGPU              = "price-gpu"
	FlagManifestMaxBytes      = "manifest-max-bytes"
	FlagManifestTimeout       = "manifest-timeout"
	FlagManifestAllowLoopback = "manifest-allow-loopback"
	FlagGatewayAllowLoopback  = "gateway-allow-loopback"
	FlagSchedulerListings     = "scheduler-listings-file"
)

// Flags are the carrier's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	flags := append(consul.MemberFlags("carrier"), &cli.PathFlag{
		Name:  FlagDataDir,
		Usage: "`dir` for the carrier's durable state (directory, transaction journal, chain cursor); required by the p2p and chain subsystems",
	}, &cli.PathFlag{
		Name:  FlagAPITokenFile,
		Usage: "`file` (mode 0600) with the API's bearer token, 32+ characters; without it the API under /v1/ is off",
	})
	flags = append(flags, p2pFlags()...)
	return append(flags, chainFlags()...)
}

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	ch, err := chainConfigFromCLI(c)
	return Config{
		Config:  service.FromCLI(c),
		Member:  consul.MemberConfigFromCLI(c),
		DataDir: c.Path(FlagDataDir),
		API:     APIConfig{TokenFile: c.Path(FlagAPITokenFile)},
		P2P:     p2pConfigFromCLI(c),
		Chain:   ch,
		flagErr: err,
	}
}

func p2pFlags() []cli.Flag {
	d := federation.Defaults()
	return []cli.Flag{
		&cli.StringSliceFlag{Name: FlagP2PListen, Usage: "libp2p listen `multiaddr`, e.g. /ip4/0.0.0.0/tcp/4001 and /ip4/0.0.0.0/udp/4001/quic-v1 (repeatable); without it the p2p subsystem is off"},
		&cli.PathFlag{Name: FlagP2PKeyFile, Usage: "`file` (mode 0600) with the organization's secp256k1 key in hex: the carrier's peer identity"},
		&cli.StringSliceFlag{Name: FlagP2PBootstrap, Usage: "bootstrap peer `multiaddr` ending in /p2p/<peer id> (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PRelay, Usage: "circuit relay `multiaddr` ending in /p2p/<peer id>, used when this carrier is not reachable (repeatable); default: the relay of the organization's via, from Consul KV " + "gridnode/<org>/" + federation.ViaRelayAddrsKey},
		&cli.BoolFlag{Name: FlagP2PForceRelay, Usage: "reserve a slot with the relays at once and advertise the relayed addresses, instead of waiting for AutoNAT to find this carrier unreachable"},
		&cli.DurationFlag{Name: FlagP2PRelayBackoff, Value: d.RelayBackoff, Usage: "`wait` before asking a relay again after it refused a reservation or was unreachable (the via's relay admits this carrier once it is on its allow-list or holds a listing)"},
		&cli.StringSliceFlag{Name: FlagP2PAllowCIDR, Usage: "only connect with addresses in this `cidr` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PDenyCIDR, Usage: "never connect with addresses in this `cidr` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PAllowPeer, Usage: "only connect with this `peer id` (repeatable)"},
		&cli.StringSliceFlag{Name: FlagP2PDenyPeer, Usage: "never connect with this `peer id` (repeatable)"},
		&cli.IntFlag{Name: FlagP2PConnLow, Value: d.ConnLow, Usage: "connection manager low water `mark`"},
		&cli.IntFlag{Name: FlagP2PConnHigh, Value: d.ConnHigh, Usage: "connection manager high water `mark`"},
		&cli.IntFlag{Name: FlagP2PMaxConns, Value: d.MaxConns, Usage: "resource manager limit of `connections`"},
		&cli.IntFlag{Name: FlagP2PMaxStreams, Value: d.MaxStreams, Usage: "resource manager limit of `streams`"},
		&cli.StringFlag{Name: FlagP2PMaxMemory, Value: d.MaxMemory, Usage: "resource manager memory limit, `bytes` (suffixes Ki, Mi, Gi)"},
		&cli.BoolFlag{Name: FlagP2PNoDHT, Usage: "do not use the DHT to discover carriers beyond the bootstrap peers"},
		&cli.DurationFlag{Name: FlagP2PSyncInterval, Value: d.SyncInterval, Usage: "`interval` of an extra anti-entropy round with a random peer"},
		&cli.DurationFlag{Name: FlagP2PRepublishInterval, Value: d.RepublishInterval, Usage: "`interval` at which the organization's listings are gossiped again"},
		&cli.DurationFlag{Name: FlagP2PWithdrawGrace, Value: d.WithdrawGrace, Usage: "how long a provider's gateway may be gone from Consul before its listing is withdrawn (0: never)"},
	}
}

func p2pConfigFromCLI(c *cli.Context) federation.Config {
	return federation.Config{
		ListenAddrs:       c.StringSlice(FlagP2PListen),
		KeyFile:           c.Path(FlagP2PKeyFile),
		Bootstrap:         c.StringSlice(FlagP2PBootstrap),
		Relays:            c.StringSlice(FlagP2PRelay),
		ForceRelay:        c.Bool(FlagP2PForceRelay),
		RelayBackoff:      c.Duration(FlagP2PRelayBackoff),
		AllowCIDRs:        c.StringSlice(FlagP2PAllowCIDR),
		DenyCIDRs:         c.StringSlice(FlagP2PDenyCIDR),
		AllowPeers:        c.StringSlice(FlagP2PAllowPeer),
		DenyPeers:         c.StringSlice(FlagP2PDenyPeer),
		ConnLow:           c.Int(FlagP2PConnLow),
		ConnHigh:          c.Int(FlagP2PConnHigh),
		MaxConns:          c.Int(FlagP2PMaxConns),
		MaxStreams:        c.Int(FlagP2PMaxStreams),
		MaxMemory:         c.String(FlagP2PMaxMemory),
		NoDHT:             c.Bool(FlagP2PNoDHT),
		SyncInterval:      c.Duration(FlagP2PSyncInterval),
		RepublishInterval: c.Duration(FlagP2PRepublishInterval),
		WithdrawGrace:     c.Duration(FlagP2PWithdrawGrace),
	}
}

func chainFlags() []cli.Flag {
	d := chain.Defaults()
	return []cli.Flag{
		&cli.PathFlag{Name: FlagKeystore, Usage: "org wallet keystore `file` (v3 JSON, mode 0600; see `carrier keys`); without it the chain subsystem is off"},
		&cli.PathFlag{Name: FlagPassphraseFile, Usage: "`file` (mode 0600) with the keystore passphrase"},
		&cli.StringFlag{Name: FlagPassphraseEnv, Value: d.PassphraseEnv, Usage: "`name` of the environment variable with the passphrase when no passphrase file is given"},
		&cli.StringFlag{Name: FlagChainRPC, Usage: "chain JSON-RPC `URL` (default: chain-rpc of the org settings in Consul KV)"},
		&cli.StringFlag{Name: FlagTokenAddress, Usage: "Token contract `address` (default: from Consul KV)"},
		&cli.StringFlag{Name: FlagRegistryAddress, Usage: "Registry contract `address` (default: from Consul KV)"},
		&cli.StringFlag{Name: FlagMarketAddress, Usage: "Market contract `address` (default: from Consul KV)"},
		&cli.Uint64Flag{Name: FlagConfirmations, Value: d.Confirmations, Usage: "`blocks` that confirm a transaction and make Market events final"},
		&cli.Uint64Flag{Name: FlagChainFromBlock, Usage: "`block` the first scan of Market events starts at (the Market's deployment block)"},
		&cli.DurationFlag{Name: FlagChainPoll, Value: d.PollInterval, Usage: "how often new blocks are scanned and transactions tracked"},
		&cli.DurationFlag{Name: FlagSettleWindow, Value: d.SettleWindow, Usage: "how long an ended order waits for others to settle in the same batch"},
		&cli.StringFlag{Name: FlagProviderURLBase, Usage: "public base `URL` of the org's via; providers register as URL/gw/<provider> (empty: no registration)"},
		&cli.StringFlag{Name: FlagProviderRegion, Usage: "`region` registered for the org's providers"},
		&cli.Uint64Flag{Name: FlagProviderCPUMillis, Usage: "CPU capacity registered per provider, in `millicores`"},
		&cli.StringFlag{Name: FlagProviderMemory, Usage: "memory capacity registered per provider, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.StringFlag{Name: FlagProviderStorage, Usage: "storage capacity registered per provider, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.UintFlag{Name: FlagProviderGPUs, Usage: "GPUs registered per provider"},
		&cli.StringFlag{Name: FlagProviderGPUModel, Usage: "GPU `model` registered per provider"},
		&cli.StringFlag{Name: FlagPriceCPUMilli, Value: d.Provider.PriceCPUMilli, Usage: "price per millicore per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceMemoryMiB, Value: d.Provider.PriceMemoryMiB, Usage: "price per MiB of memory per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceStorageGiB, Value: d.Provider.PriceStorageGiB, Usage: "price per GiB of storage per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceGPU, Value: d.Provider.PriceGPU, Usage: "price per GPU per second in token base `units`"},
		&cli.Int64Flag{Name: FlagManifestMaxBytes, Value: d.ManifestMaxBytes, Usage: "largest order manifest fetched, in `bytes`"},
		&cli.DurationFlag{Name: FlagManifestTimeout, Value: d.ManifestTimeout, Usage: "time limit of a manifest fetch, redirects included"},
		&cli.BoolFlag{Name: FlagManifestAllowLoopback, Usage: "allow manifest URLs on loopback addresses (tests, a devnet on one machine); private and metadata addresses stay refused"},
		&cli.BoolFlag{Name: FlagGatewayAllowLoopback, Usage: "allow gateway URLs (listings', Registry's) on loopback addresses when the carrier logs in at a provider's gateway for an order (tests, a devnet on one machine); private and metadata addresses stay refused"},
		&cli.PathFlag{Name: FlagSchedulerListings, Usage: "`file` of signed listing records (hex, one per line) for the scheduler when the p2p subsystem provides no directory"},
	}
}

// chainConfigFromCLI reads the chain flags; the error is a byte count that
// does not parse.
func chainConfigFromCLI(c *cli.Context) (chain.Config, error) {
	mem, merr := bytesize.Parse(c.String(FlagProviderMemory))
	if merr != nil {
		merr = fmt.Errorf("%s: %w", FlagProviderMemory, merr)
	}
	sto, serr := bytesize.Parse(c.String(FlagProviderStorage))
	if serr != nil {
		serr = fmt.Errorf("%s: %w", FlagProviderStorage, serr)
	}
	return chain.Config{
		Keystore:       c.Path(FlagKeystore),
		PassphraseFile: c.Path(FlagPassphraseFile),
		PassphraseEnv:  c.String(FlagPassphraseEnv),
		RPC:            c.String(FlagChainRPC),
		Token:          c.String(FlagTokenAddress),
		Registry:       c.String(FlagRegistryAddress),
		Market:         c.String(FlagMarketAddress),
		Confirmations:  c.Uint64(FlagConfirmations),
		FromBlock:      c.Uint64(FlagChainFromBlock),
		PollInterval:   c.Duration(FlagChainPoll),
		SettleWindow:   c.Duration(FlagSettleWindow),
		Provider: chain.ProviderTerms{
			URLBase: c.String(FlagProviderURLBase), Region: c.String(FlagProviderRegion),
			CPUMillis: c.Uint64(FlagProviderCPUMillis), MemoryBytes: mem, StorageBytes: sto,
			GPUs: uint32(min(c.Uint(FlagProviderGPUs), 1<<32-1)), GPUModel: c.String(FlagProviderGPUModel),
			PriceCPUMilli: c.String(FlagPriceCPUMilli), PriceMemoryMiB: c.String(FlagPriceMemoryMiB),
			PriceStorageGiB: c.String(FlagPriceStorageGiB), PriceGPU: c.String(FlagPriceGPU),
		},
		ManifestMaxBytes:      c.Int64(FlagManifestMaxBytes),
		ManifestTimeout:       c.Duration(FlagManifestTimeout),
		ManifestAllowLoopback: c.Bool(FlagManifestAllowLoopback),
		GatewayAllowLoopback:  c.Bool(FlagGatewayAllowLoopback),
		SchedulerListings:     c.Path(FlagSchedulerListings),
	}, errors.Join(merr, serr)
}
