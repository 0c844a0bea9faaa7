package chain

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	consulapi "github.com/hashicorp/consul/api"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/gwclient"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Deps are what the subsystem is built from.
type Deps struct {
	Config Config
	// Org is the carrier's organization.
	Org string
	// DataDir holds the transaction journal and the chain state; required
	// when the subsystem is on.
	DataDir string
	// Directory is the network directory of the p2p subsystem, nil when
	// it is off: the scheduler matches against it and gateway sessions
	// find providers' listings in it. Without it the scheduler reads
	// Config.SchedulerListings, if set. It stays the carrier's to close.
	Directory *directory.Directory
	// Consul is the organization's Consul (the settings, the gateways).
	Consul *consulapi.Client
	// Registerer takes the mediator's metrics.
	Registerer prometheus.Registerer
	Log        *zap.Logger
}

// Chain is the chain subsystem of one carrier: the wallet, the settings it
// follows and, while the carrier is active and the settings are complete,
// a running mediator.
type Chain struct {
	deps   Deps
	cfg    Config
	log    *zap.Logger
	wallet *wallet.Wallet
	reg    mediator.Registration
	fetch  *manifest.Fetcher
	sched  *scheduler.Scheduler
	gw     *gwclient.Client
	// listings is the directory of Config.SchedulerListings, opened (and
	// closed) here when there is no network directory.
	listings *directory.Directory
	// follower follows the chain settings and runs runMediator on them.
	follower *gnchain.Follower

	cur atomic.Pointer[running]
	mu  sync.Mutex
	// problem says why no mediator runs ("" while one does).
	problem string
}

// running is a running mediator and the settings it runs with.
type running struct {
	m        *mediator.Mediator
	settings consul.Settings
}

// New builds the subsystem. When it is on, it unlocks the org wallet and
// sets up the scheduler; the mediator runs with Run.
func New(deps Deps) (*Chain, error) {
	cs := &Chain{deps: deps, cfg: deps.Config, log: deps.Log.Named("chain")}
	if !cs.cfg.Enabled() {
		cs.problem = "the chain subsystem is off: start the carrier with --keystore"
		return cs, nil
	}
	if deps.DataDir == "" {
		return nil, errors.New("data-dir: required with --keystore (transaction journal and chain state)")
	}
	w, err := wallet.Load(wallet.Options{KeystorePath: cs.cfg.Keystore, PassphraseFile: cs.cfg.PassphraseFile, PassphraseEnv: cs.cfg.PassphraseEnv})
	if err != nil {
		return nil, fmt.Errorf("unlocking the org wallet: %w", err)
	}
	cs.wallet = w
	if cs.reg, err = cs.cfg.Provider.registration(); err != nil {
		return nil, err
	}
	if cs.fetch, err = manifest.New(manifest.Options{
		MaxBytes: cs.cfg.ManifestMaxBytes, Timeout: cs.cfg.ManifestTimeout, MaxRedirects: 3, AllowLoopback: cs.cfg.ManifestAllowLoopback,
	}); err != nil {
		return nil, err
	}
	if cs.gw, err = gwclient.New(gwclient.Options{AllowLoopback: cs.cfg.GatewayAllowLoopback}); err != nil {
		return nil, err
	}
	if cs.follower, err = gnchain.NewFollower(gnchain.FollowerConfig{
		Org: deps.Org,
		Flags: consul.Settings{ChainRPC: cs.cfg.RPC, Contracts: consul.Contracts{
			Token: cs.cfg.Token, Registry: cs.cfg.Registry, Market: cs.cfg.Market,
		}},
		Needs:   gnchain.Needs{Token: true, Registry: true, Market: true},
		KV:      consul.NewKV(deps.Consul, cs.log),
		Log:     cs.log,
		Session: cs.runMediator,
		Idle:    cs.idle,
	}); err != nil {
		return nil, err
	}
	if err := cs.setupScheduler(); err != nil {
		return nil, err
	}
	cs.problem = "standby: another carrier of the organization is active"
	cs.log.Info("chain subsystem on", zap.Stringer("wallet", w.Address()),
		zap.Bool("registration", cs.reg.GatewayBase != ""), zap.Bool("scheduler", cs.sched != nil))
	return cs, nil
}

// setupScheduler uses the network directory, else the scheduler listings
// file.
func (cs *Chain) setupScheduler() error {
	if dir := cs.deps.Directory; dir != nil {
		cs.sched = scheduler.New(dir)
		if cs.cfg.SchedulerListings != "" {
			cs.log.Warn("ignoring --scheduler-listings-file: the p2p directory is in use")
		}
		return nil
	}
	if cs.cfg.SchedulerListings == "" {
		return nil
	}
	dir, err := openStaticListings(cs.cfg.SchedulerListings, filepath.Join(cs.deps.DataDir, "scheduler-listings.db"), cs.log)
	if err != nil {
		return fmt.Errorf("scheduler-listings-file: %w", err)
	}
	cs.listings = dir
	cs.sched = scheduler.New(dir)
	return nil
}

// Close releases what New opened: the scheduler listings' directory.
func (cs *Chain) Close() error {
	if cs.listings == nil {
		return nil
	}
	err := cs.listings.Close()
	cs.listings = nil
	return err
}

// mediator returns the running mediator, or why there is none.
func (cs *Chain) mediator() (*mediator.Mediator, error) {
	if s := cs.cur.Load(); s != nil {
		return s.m, nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return nil, fmt.Errorf("%w: %s", mediator.ErrUnavailable, cs.problem)
}

func (cs *Chain) setProblem(p string) {
	cs.mu.Lock()
	cs.problem = p
	cs.mu.Unlock()
}

// Run is the active duty: it follows the settings (flags over Consul KV,
// a gnchain.Follower) and runs a mediator for each complete set until ctx
// is done. It needs the subsystem on.
func (cs *Chain) Run(ctx context.Context) error {
	if !cs.cfg.Enabled() {
		return errors.New("the chain subsystem is off")
	}
	defer cs.setProblem("standby: another carrier of the organization is active")
	return cs.follower.Run(ctx)
}

// idle shows why no mediator runs (the follower's Idle), with a hint at
// where the missing settings are given.
func (cs *Chain) idle(why error) {
	switch {
	case errors.Is(why, gnchain.ErrAwaitingSettings):
		cs.setProblem(why.Error() + " (carrier settings set)")
	case errors.Is(why, gnchain.ErrIncompleteSettings):
		cs.setProblem(why.Error() + " (flags or carrier settings set)")
	default: // ErrInvalidSettings, ErrUnavailable
		cs.setProblem(why.Error())
	}
}

// runMediator runs a mediator on c until ctx is done (a gnchain.Follower
// session): an error makes the follower dial again after a backoff.
func (cs *Chain) runMediator(ctx context.Context, c gnchain.Conn) error {
	defer c.Client.Close()
	s, client, chainID := c.Settings, c.Client, c.ChainID
	// mediator.New reads the chain: bounded like a dial.
	dctx, cancel := context.WithTimeout(ctx, gnchain.DialTimeout)
	defer cancel()
	market := common.HexToAddress(s.Contracts.Market)
	base := filepath.Join(cs.deps.DataDir, fmt.Sprintf("chain-%s-%s", chainID, strings.ToLower(market.Hex()[2:10])))
	cfg := mediator.Defaults()
	cfg.Org = cs.deps.Org
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
		w, err := consul.NewWatcher(cs.deps.Consul, "gateway", consul.WatchOptions{}, cs.log)
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
		Registerer: cs.deps.Registerer, Log: cs.log,
	})
	if err != nil {
		gcancel()
		_ = g.Wait()
		return err
	}
	cs.log.Info("chain mediator running", zap.Stringer("chain_id", chainID), zap.String("rpc", gnchain.RedactURL(s.ChainRPC)),
		zap.String("market", s.Contracts.Market), zap.Stringer("wallet", cs.wallet.Address()))
	cs.cur.Store(&running{m: m, settings: s})
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
