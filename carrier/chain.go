package carrier

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/gwclient"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Chain flags.
const (
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
	defaultSettleWindow       = 10 * time.Second
	defaultChainPoll          = 2 * time.Second
	defaultConfirmations      = 3
	maxConfirmations          = 1000
	defaultManifestMaxBytes   = 1 << 20
	defaultManifestTimeout    = 10 * time.Second
)

// ChainConfig configures the chain subsystem: the org wallet, the chain and
// its contracts, transaction tracking, provider registration, settlement
// and the manifest fetch of orders. The subsystem is off unless Keystore
// is set. Chain RPC and contract addresses left empty are read from the
// organization's settings in Consul KV (gridnode/<org>/settings/, written
// by `carrier settings set`) and followed as they change.
type ChainConfig struct {
	// Keystore is the org wallet (v3 keystore file, mode 0600); empty
	// turns the chain subsystem off.
	Keystore string `yaml:"keystore"`
	// PassphraseFile holds the keystore passphrase; without it the
	// environment variable PassphraseEnv names is read.
	PassphraseFile string `yaml:"passphrase-file"`
	PassphraseEnv  string `yaml:"passphrase-env"`
	// RPC is the chain's JSON-RPC URL; Token, Registry and Market the
	// contract addresses. Empty: from Consul KV.
	RPC      string `yaml:"chain-rpc"`
	Token    string `yaml:"token-address"`
	Registry string `yaml:"registry-address"`
	Market   string `yaml:"market-address"`
	// Confirmations is the depth at which transactions count as confirmed
	// and Market events are applied (reorg safety).
	Confirmations uint64 `yaml:"confirmations"`
	// FromBlock is where the first scan of Market events starts: the
	// Market's deployment block on a public chain.
	FromBlock    uint64        `yaml:"chain-from-block"`
	PollInterval time.Duration `yaml:"chain-poll-interval"`
	// SettleWindow is how long an ended order waits for others to settle
	// in one batch.
	SettleWindow time.Duration `yaml:"settle-window"`
	// Provider is what is registered for each of the org's providers.
	Provider ProviderTerms `yaml:",inline"`
	// Manifest limits the fetch of order manifests.
	ManifestMaxBytes      int64         `yaml:"manifest-max-bytes"`
	ManifestTimeout       time.Duration `yaml:"manifest-timeout"`
	ManifestAllowLoopback bool          `yaml:"manifest-allow-loopback"`
	// GatewayAllowLoopback lets the carrier log in at gateways on
	// loopback addresses for the org's orders (a devnet on one machine).
	GatewayAllowLoopback bool `yaml:"gateway-allow-loopback"`
	// SchedulerListings is a file of signed listing records (hex, one per
	// line) the scheduler reads when the p2p subsystem provides no
	// directory: for a devnet, tests, or a closed group of providers.
	SchedulerListings string `yaml:"scheduler-listings-file"`

	// flagErr is a flag value FromCLI could not parse.
	flagErr error
}

// ProviderTerms are the Registry metadata of the org's providers.
type ProviderTerms struct {
	// URLBase is the org's public base URL (its via); a provider's
	// gateway URL is URLBase/gw/<provider>. Empty turns registration off.
	URLBase      string `yaml:"provider-url-base"`
	Region       string `yaml:"provider-region"`
	CPUMillis    uint64 `yaml:"provider-cpu-millis"`
	MemoryBytes  uint64 `yaml:"provider-memory"`
	StorageBytes uint64 `yaml:"provider-storage"`
	GPUs         uint32 `yaml:"provider-gpus"`
	GPUModel     string `yaml:"provider-gpu-model"`
	// Unit prices per second in token base units (decimal strings).
	PriceCPUMilli   string `yaml:"price-cpu-milli"`
	PriceMemoryMiB  string `yaml:"price-memory-mib"`
	PriceStorageGiB string `yaml:"price-storage-gib"`
	PriceGPU        string `yaml:"price-gpu"`
}

func chainFlags() []cli.Flag {
	return []cli.Flag{
		&cli.PathFlag{Name: FlagKeystore, Usage: "org wallet keystore `file` (v3 JSON, mode 0600; see `carrier keys`); without it the chain subsystem is off"},
		&cli.PathFlag{Name: FlagPassphraseFile, Usage: "`file` (mode 0600) with the keystore passphrase"},
		&cli.StringFlag{Name: FlagPassphraseEnv, Value: wallet.DefaultPassphraseEnv, Usage: "`name` of the environment variable with the passphrase when no passphrase file is given"},
		&cli.StringFlag{Name: FlagChainRPC, Usage: "chain JSON-RPC `URL` (default: chain-rpc of the org settings in Consul KV)"},
		&cli.StringFlag{Name: FlagTokenAddress, Usage: "Token contract `address` (default: from Consul KV)"},
		&cli.StringFlag{Name: FlagRegistryAddress, Usage: "Registry contract `address` (default: from Consul KV)"},
		&cli.StringFlag{Name: FlagMarketAddress, Usage: "Market contract `address` (default: from Consul KV)"},
		&cli.Uint64Flag{Name: FlagConfirmations, Value: defaultConfirmations, Usage: "`blocks` that confirm a transaction and make Market events final"},
		&cli.Uint64Flag{Name: FlagChainFromBlock, Usage: "`block` the first scan of Market events starts at (the Market's deployment block)"},
		&cli.DurationFlag{Name: FlagChainPoll, Value: defaultChainPoll, Usage: "how often new blocks are scanned and transactions tracked"},
		&cli.DurationFlag{Name: FlagSettleWindow, Value: defaultSettleWindow, Usage: "how long an ended order waits for others to settle in the same batch"},
		&cli.StringFlag{Name: FlagProviderURLBase, Usage: "public base `URL` of the org's via; providers register as URL/gw/<provider> (empty: no registration)"},
		&cli.StringFlag{Name: FlagProviderRegion, Usage: "`region` registered for the org's providers"},
		&cli.Uint64Flag{Name: FlagProviderCPUMillis, Usage: "CPU capacity registered per provider, in `millicores`"},
		&cli.StringFlag{Name: FlagProviderMemory, Usage: "memory capacity registered per provider, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.StringFlag{Name: FlagProviderStorage, Usage: "storage capacity registered per provider, `bytes` (suffixes Ki, Mi, Gi, Ti)"},
		&cli.UintFlag{Name: FlagProviderGPUs, Usage: "GPUs registered per provider"},
		&cli.StringFlag{Name: FlagProviderGPUModel, Usage: "GPU `model` registered per provider"},
		&cli.StringFlag{Name: FlagPriceCPUMilli, Value: "0", Usage: "price per millicore per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceMemoryMiB, Value: "0", Usage: "price per MiB of memory per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceStorageGiB, Value: "0", Usage: "price per GiB of storage per second in token base `units`"},
		&cli.StringFlag{Name: FlagPriceGPU, Value: "0", Usage: "price per GPU per second in token base `units`"},
		&cli.Int64Flag{Name: FlagManifestMaxBytes, Value: defaultManifestMaxBytes, Usage: "largest order manifest fetched, in `bytes`"},
		&cli.DurationFlag{Name: FlagManifestTimeout, Value: defaultManifestTimeout, Usage: "time limit of a manifest fetch, redirects included"},
		&cli.BoolFlag{Name: FlagManifestAllowLoopback, Usage: "allow manifest URLs on loopback addresses (tests, a devnet on one machine); private and metadata addresses stay refused"},
		&cli.BoolFlag{Name: FlagGatewayAllowLoopback, Usage: "allow gateway URLs (listings', Registry's) on loopback addresses when the carrier logs in at a provider's gateway for an order (tests, a devnet on one machine); private and metadata addresses stay refused"},
		&cli.PathFlag{Name: FlagSchedulerListings, Usage: "`file` of signed listing records (hex, one per line) for the scheduler when the p2p subsystem provides no directory"},
	}
}

func chainConfigFromCLI(c *cli.Context) ChainConfig {
	mem, merr := parseBytes(c.String(FlagProviderMemory))
	if merr != nil {
		merr = fmt.Errorf("%s: %w", FlagProviderMemory, merr)
	}
	sto, serr := parseBytes(c.String(FlagProviderStorage))
	if serr != nil {
		serr = fmt.Errorf("%s: %w", FlagProviderStorage, serr)
	}
	return ChainConfig{
		flagErr:        errors.Join(merr, serr),
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
		Provider: ProviderTerms{
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
	}
}

// Enabled reports whether the chain subsystem runs.
func (c ChainConfig) Enabled() bool { return c.Keystore != "" }

// Validate reports the first problem with the configuration. It does not
// unlock the wallet: New does, and stops the carrier on a wrong passphrase.
func (c ChainConfig) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if c.flagErr != nil {
		return c.flagErr
	}
	if c.RPC != "" {
		if err := (consul.Settings{ChainRPC: c.RPC}).Validate(); err != nil {
			return fmt.Errorf("%s: %w", FlagChainRPC, err)
		}
	}
	for flag, a := range map[string]string{FlagTokenAddress: c.Token, FlagRegistryAddress: c.Registry, FlagMarketAddress: c.Market} {
		if a != "" && !common.IsHexAddress(a) {
			return fmt.Errorf("%s %q: want 0x and 40 hex digits", flag, a)
		}
	}
	switch {
	case c.Confirmations == 0 || c.Confirmations > maxConfirmations:
		return fmt.Errorf("%s %d: want 1 to %d", FlagConfirmations, c.Confirmations, maxConfirmations)
	case c.PollInterval <= 0:
		return fmt.Errorf("%s %s: must be positive", FlagChainPoll, c.PollInterval)
	case c.SettleWindow < 0:
		return fmt.Errorf("%s %s: must not be negative", FlagSettleWindow, c.SettleWindow)
	case c.ManifestMaxBytes <= 0:
		return fmt.Errorf("%s %d: must be positive", FlagManifestMaxBytes, c.ManifestMaxBytes)
	case c.ManifestTimeout <= 0:
		return fmt.Errorf("%s %s: must be positive", FlagManifestTimeout, c.ManifestTimeout)
	}
	if _, err := c.Provider.registration(); err != nil {
		return err
	}
	return nil
}

// registration converts the terms for the mediator.
func (p ProviderTerms) registration() (mediator.Registration, error) {
	r := mediator.Registration{
		GatewayBase: strings.TrimRight(p.URLBase, "/"), Region: p.Region,
		Capacity: market.Resources{CPUMillis: p.CPUMillis, MemoryBytes: p.MemoryBytes, StorageBytes: p.StorageBytes, GPUs: p.GPUs, GPUModel: p.GPUModel},
	}
	if p.URLBase != "" {
		u, err := url.Parse(p.URLBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return r, fmt.Errorf("%s %q: want an http(s) URL without query", FlagProviderURLBase, p.URLBase)
		}
		if len(r.GatewayBase)+len("/gw/0x")+40 > 256 {
			return r, fmt.Errorf("%s: too long for the Registry's 256-byte URLs", FlagProviderURLBase)
		}
	}
	if len(p.Region) > 64 || len(p.GPUModel) > 64 {
		return r, fmt.Errorf("%s and %s: at most 64 bytes each", FlagProviderRegion, FlagProviderGPUModel)
	}
	prices := make([]*big.Int, 4)
	for i, f := range []struct{ flag, v string }{
		{FlagPriceCPUMilli, p.PriceCPUMilli}, {FlagPriceMemoryMiB, p.PriceMemoryMiB},
		{FlagPriceStorageGiB, p.PriceStorageGiB}, {FlagPriceGPU, p.PriceGPU},
	} {
		v := f.v
		if v == "" {
			v = "0"
		}
		n, ok := new(big.Int).SetString(v, 10)
		if !ok || n.Sign() < 0 || n.BitLen() > 128 {
			return r, fmt.Errorf("%s %q: want a non-negative integer of token base units below 2^128", f.flag, f.v)
		}
		prices[i] = n
	}
	r.Prices = market.Prices{CPUMilli: prices[0], MemoryMiB: prices[1], StorageGiB: prices[2], GPU: prices[3]}
	if p.URLBase != "" && prices[0].Sign()+prices[1].Sign()+prices[2].Sign()+prices[3].Sign() == 0 {
		return r, fmt.Errorf("%s is set but every price is zero: the Market refuses orders that cost nothing", FlagProviderURLBase)
	}
	return r, nil
}

// chainSubsystem is the chain subsystem of one carrier: the wallet, the settings it
// follows and, while the carrier is active and the settings are complete,
// a running mediator.
type chainSubsystem struct {
	cfg    ChainConfig
	org    string
	dir    string
	log    *zap.Logger
	d      *Carrier
	wallet *wallet.Wallet
	reg    mediator.Registration
	fetch  *manifest.Fetcher
	sched  *scheduler.Scheduler
	gw     *gwclient.Client

	cur atomic.Pointer[chainSession]
	mu  sync.Mutex
	// problem says why no mediator runs ("" while one does).
	problem string
}

// chainSession is a running mediator and the settings it runs with.
type chainSession struct {
	m        *mediator.Mediator
	settings consul.Settings
}

// setupChain builds the chain subsystem into d: its routes on d.api, its
// active duty (the mediator) on d.active, its closers on d.closers.
func (d *Carrier) setupChain() error {
	cs := &chainSubsystem{cfg: d.cfg.Chain, org: d.cfg.Member.Org, dir: d.cfg.DataDir, log: d.log.Named("chain"), d: d}
	d.chainRoutes(cs)
	if !cs.cfg.Enabled() {
		cs.problem = "the chain subsystem is off: start the carrier with --" + FlagKeystore
		return nil
	}
	if cs.dir == "" {
		return fmt.Errorf("%s: required with --%s (transaction journal and chain state)", FlagDataDir, FlagKeystore)
	}
	w, err := wallet.Load(wallet.Options{KeystorePath: cs.cfg.Keystore, PassphraseFile: cs.cfg.PassphraseFile, PassphraseEnv: cs.cfg.PassphraseEnv})
	if err != nil {
		return fmt.Errorf("unlocking the org wallet: %w", err)
	}
	cs.wallet = w
	if cs.reg, err = cs.cfg.Provider.registration(); err != nil {
		return err
	}
	if cs.fetch, err = manifest.New(manifest.Options{
		MaxBytes: cs.cfg.ManifestMaxBytes, Timeout: cs.cfg.ManifestTimeout, MaxRedirects: 3, AllowLoopback: cs.cfg.ManifestAllowLoopback,
	}); err != nil {
		return err
	}
	if cs.gw, err = gwclient.New(gwclient.Options{AllowLoopback: cs.cfg.GatewayAllowLoopback}); err != nil {
		return err
	}
	if err := cs.setupScheduler(); err != nil {
		return err
	}
	cs.problem = "standby: another carrier of the organization is active"
	cs.log.Info("chain subsystem on", zap.Stringer("wallet", w.Address()),
		zap.Bool("registration", cs.reg.GatewayBase != ""), zap.Bool("scheduler", cs.sched != nil))
	d.active = append(d.active, duty{name: "chain", run: cs.run})
	return nil
}

// setupScheduler uses the directory the p2p subsystem provides, else the
// scheduler listings file.
func (cs *chainSubsystem) setupScheduler() error {
	if dir := cs.d.directory; dir != nil {
		cs.sched = scheduler.New(dir)
		if cs.cfg.SchedulerListings != "" {
			cs.log.Warn("ignoring --" + FlagSchedulerListings + ": the p2p directory is in use")
		}
		return nil
	}
	if cs.cfg.SchedulerListings == "" {
		return nil
	}
	dir, err := openStaticListings(cs.cfg.SchedulerListings, filepath.Join(cs.dir, "scheduler-listings.db"), cs.log)
	if err != nil {
		return fmt.Errorf("%s: %w", FlagSchedulerListings, err)
	}
	cs.d.closers = append(cs.d.closers, dir.Close)
	cs.sched = scheduler.New(dir)
	return nil
}

// useDirectory is the hook through which the p2p subsystem (setupP2P,
// which runs first) gives the scheduler the network directory. It must be
// called before setupChain.
func (d *Carrier) useDirectory(dir scheduler.Directory) { d.directory = dir }

// mediator returns the running mediator, or why there is none.
func (cs *chainSubsystem) mediator() (*mediator.Mediator, error) {
	if s := cs.cur.Load(); s != nil {
		return s.m, nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return nil, fmt.Errorf("%w: %s", mediator.ErrUnavailable, cs.problem)
}

func (cs *chainSubsystem) setProblem(p string) {
	cs.mu.Lock()
	cs.problem = p
	cs.mu.Unlock()
}

// run is the active duty: it follows the settings (flags over Consul KV)
// and runs a mediator for each complete set until ctx is done.
func (cs *chainSubsystem) run(ctx context.Context) error {
	defer cs.setProblem("standby: another carrier of the organization is active")
	updates := make(chan consul.Settings, 1)
	if cs.staticSettings() {
		updates <- cs.merge(consul.Settings{})
	} else {
		cs.setProblem("waiting for the org settings in Consul KV (carrier settings set)")
		kv := consul.NewKV(cs.d.member.Client(), cs.log)
		go func() {
			_ = kv.WatchSettings(ctx, cs.org, func(s consul.Settings) {
				select {
				case <-updates:
				default:
				}
				updates <- cs.merge(s)
			})
		}()
	}
	var (
		stop func()
		have consul.Settings
	)
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case s := <-updates:
			if stop != nil && s == have {
				continue
			}
			if stop != nil {
				cs.log.Info("chain settings changed; restarting the mediator")
				stop()
				stop = nil
			}
			have = s
			if missing := missingSettings(s); missing != "" {
				cs.setProblem("chain settings incomplete: no " + missing + " (flags or carrier settings set)")
				cs.log.Warn("chain settings incomplete; waiting", zap.String("missing", missing))
				continue
			}
			if err := s.Validate(); err != nil {
				cs.setProblem("chain settings invalid: " + err.Error())
				cs.log.Error("chain settings invalid; waiting for a fix", zap.Error(err))
				continue
			}
			sctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); cs.session(sctx, s) }()
			stop = func() { cancel(); <-done }
		}
	}
}

func (cs *chainSubsystem) staticSettings() bool {
	c := cs.cfg
	return c.RPC != "" && c.Token != "" && c.Registry != "" && c.Market != ""
}

// merge lays the flags over the KV settings.
func (cs *chainSubsystem) merge(s consul.Settings) consul.Settings {
	c := cs.cfg
	for _, f := range []struct {
		flag string
		dst  *string
	}{{c.RPC, &s.ChainRPC}, {c.Token, &s.Contracts.Token}, {c.Registry, &s.Contracts.Registry}, {c.Market, &s.Contracts.Market}} {
		if f.flag != "" {
			*f.dst = f.flag
		}
	}
	s.OrgName = ""
	return s
}

func missingSettings(s consul.Settings) string {
	var missing []string
	for name, v := range map[string]string{"chain RPC": s.ChainRPC, "token address": s.Contracts.Token,
		"registry address": s.Contracts.Registry, "market address": s.Contracts.Market} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	return strings.Join(missing, ", ")
}

// session runs a mediator with s until ctx is done, reconnecting with
// backoff when the chain cannot be reached.
func (cs *chainSubsystem) session(ctx context.Context, s consul.Settings) {
	gnchain.Retry(ctx, func(ctx context.Context) error { return cs.runMediator(ctx, s) }, func(err error, wait time.Duration) {
		err = gnchain.RedactError(err)
		cs.setProblem("chain unavailable: " + err.Error())
		cs.log.Warn("chain mediator stopped; retrying", zap.Error(err), zap.Duration("in", wait))
	})
}

func (cs *chainSubsystem) runMediator(ctx context.Context, s consul.Settings) error {
	dctx, cancel := context.WithTimeout(ctx, gnchain.DialTimeout)
	defer cancel()
	client, chainID, err := gnchain.Dial(dctx, s.ChainRPC)
	if err != nil {
		return err
	}
	defer client.Close()
	market := common.HexToAddress(s.Contracts.Market)
	base := filepath.Join(cs.dir, fmt.Sprintf("chain-%s-%s", chainID, strings.ToLower(market.Hex()[2:10])))
	cfg := mediator.Defaults()
	cfg.Org = cs.org
	cfg.StatePath = base + ".state.db"
	cfg.Tx.Path = base + ".journal.db"
	cfg.Tx.Confirmations = cs.cfg.Confirmations
	cfg.Tx.PollInterval = min(cs.cfg.PollInterval, time.Second)
	cfg.PollInterval = cs.cfg.PollInterval
	cfg.SettleWindow = cs.cfg.SettleWindow
	cfg.FromBlock = cs.cfg.FromBlock
	cfg.Registration = cs.reg
	var gateways mediator.Gateways
	gctx, gcancel := context.WithCancel(ctx)
	defer gcancel()
	g, gctx := errgroup.WithContext(gctx)
	if cs.reg.GatewayBase != "" {
		w, err := consul.NewWatcher(cs.d.member.Client(), "gateway", consul.WatchOptions{}, cs.log)
		if err != nil {
			return err
		}
		g.Go(func() error { return w.Run(gctx) })
		gateways = w
	}
	m, err := mediator.New(dctx, cfg, mediator.Options{
		Chain: client, Signer: cs.wallet, Contracts: mediator.Contracts{
			Token: common.HexToAddress(s.Contracts.Token), Registry: common.HexToAddress(s.Contracts.Registry), Market: market,
		},
		Scheduler: cs.sched, Manifests: cs.fetch, Gateways: gateways,
		Registerer: cs.d.http.Registry(), Log: cs.log,
	})
	if err != nil {
		gcancel()
		_ = g.Wait()
		return err
	}
	cs.log.Info("chain mediator running", zap.Stringer("chain_id", chainID), zap.String("rpc", gnchain.RedactURL(s.ChainRPC)),
		zap.String("market", s.Contracts.Market), zap.Stringer("wallet", cs.wallet.Address()))
	cs.cur.Store(&chainSession{m: m, settings: s})
	g.Go(func() error { return m.Run(gctx) })
	err = g.Wait()
	cs.cur.Store(nil)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if ctx.Err() != nil {
		return nil
	}
	if err == nil {
		err = errors.New("mediator stopped")
	}
	return err
}
