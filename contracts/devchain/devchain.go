package devchain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

// ErrStarted is returned by Start on a devnet already started or closed.
var ErrStarted = errors.New("devnet already started or closed")

// stateFile, in the data dir, records what the bootstrap left on a chain
// kept on disk, so that a restart reuses the contracts.
const stateFile = "gridnode-devnet.json"

// Devnet is an in-process dev chain with the gridnode contracts deployed
// and dev accounts funded.
type Devnet struct {
	cfg Config
	log *zap.Logger

	mu      sync.Mutex
	started bool
	chain   *chain
	info    devinfo.Info
}

// New checks cfg and returns a devnet that Start (or Run) brings up.
func New(cfg Config, log *zap.Logger) (*Devnet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	cfg.TokenMint = new(big.Int).Set(cfg.TokenMint)
	return &Devnet{cfg: cfg, log: log.Named("devnet")}, nil
}

// Run starts the devnet, serves until ctx is done, then stops it. A ctx
// done during the start is a clean stop, not an error.
func (d *Devnet) Run(ctx context.Context) error {
	if err := d.Start(ctx); err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	<-ctx.Done()
	return d.Close()
}

// Start starts the chain and returns once it answers JSON-RPC, the
// contracts are deployed, the accounts funded and the info file written.
// On error nothing is left running. Start may be called once.
func (d *Devnet) Start(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return ErrStarted
	}
	d.started = true
	begin := time.Now()
	d.log.Info("starting devnet",
		zap.String("http_addr", d.cfg.HTTPAddr), zap.String("ws_addr", d.cfg.WSAddr),
		zap.Duration("period", d.cfg.Period), zap.Int("accounts", d.cfg.Accounts),
		zap.String("data_dir", d.cfg.DataDir))

	all, err := DevAccounts(MaxAccounts)
	if err != nil {
		return err
	}
	accounts := all[:d.cfg.Accounts]
	d.log.Warn("DEVNET ONLY: dev accounts use public test keys; never use them outside a local devnet",
		zap.Strings("accounts", accountLabels(accounts)))

	funded := make([]common.Address, len(all))
	for i, a := range all {
		funded[i] = a.Address
	}
	c, err := startChain(d.cfg, accounts[0].Address, funded)
	if err != nil {
		return err
	}
	d.chain = c
	endpoints := c.endpoints(d.cfg.WSAddr != "")
	d.log.Info("chain serving json-rpc", zap.String("http", endpoints.HTTP), zap.String("ws", endpoints.WS))

	// A stuck bootstrap must not hang the CLI; with period P a bootstrap
	// needs at most a few blocks.
	bctx, cancel := context.WithTimeout(ctx, 30*time.Second+4*d.cfg.Period)
	defer cancel()
	dep, err := d.bootstrap(bctx, accounts)
	if err != nil {
		status := c.status()
		_ = d.closeLocked()
		return fmt.Errorf("bootstrapping devnet (%s): %w", status, err)
	}
	info := newInfo(ChainID, endpoints, dep.contracts, dep.deployBlock, accounts)
	if d.cfg.OutFile != "" {
		if err := writeJSON(d.cfg.OutFile, info); err != nil {
			_ = d.closeLocked()
			return fmt.Errorf("writing devnet info: %w", err)
		}
	}
	d.info = info
	d.log.Info("devnet ready",
		zap.Int64("elapsed_ms", time.Since(begin).Milliseconds()),
		zap.String("http", endpoints.HTTP), zap.String("ws", endpoints.WS),
		zap.Stringer("token", dep.contracts.Token), zap.Stringer("registry", dep.contracts.Registry),
		zap.Stringer("market", dep.contracts.Market), zap.Uint64("deploy_block", dep.deployBlock),
		zap.String("info_file", d.cfg.OutFile))
	return nil
}

// Info describes the running devnet; it is the zero Info before Start
// succeeds.
func (d *Devnet) Info() devinfo.Info {
	d.mu.Lock()
	defer d.mu.Unlock()
	info := d.info
	info.Accounts = slices.Clone(d.info.Accounts)
	return info
}

// Close stops the chain and frees its ports. It is idempotent; after it
// the devnet cannot be started again. The info file is left in place.
func (d *Devnet) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.started = true
	return d.closeLocked()
}

func (d *Devnet) closeLocked() error {
	if d.chain == nil {
		return nil
	}
	d.log.Info("stopping devnet")
	err := d.chain.close()
	d.chain = nil
	if err != nil {
		return err
	}
	d.log.Info("devnet stopped")
	return nil
}

// state is the content of the data dir's state file.
type state struct {
	ChainID     uint64            `json:"chainId"`
	Contracts   devinfo.Contracts `json:"contracts"`
	DeployBlock uint64            `json:"deployBlock"`
	// Minted is how many accounts (0 to Minted-1) got their tokens.
	Minted int `json:"minted"`
}

// bootstrap deploys the contracts and mints, or, on a chain kept in a data
// dir, finds the contracts of an earlier run and mints to accounts added
// since.
func (d *Devnet) bootstrap(ctx context.Context, accounts []Account) (deployment, error) {
	client, amount := d.chain.client, d.cfg.TokenMint
	var prev *state
	if d.cfg.DataDir != "" {
		prev = d.previous(ctx)
	}
	var (
		dep    deployment
		minted int
	)
	if prev == nil {
		var err error
		if dep, err = deployAll(ctx, client, accounts[0], accounts, amount); err != nil {
			return deployment{}, err
		}
		if amount.Sign() > 0 {
			minted = len(accounts)
		}
		d.log.Info("contracts deployed", zap.Stringer("token", dep.contracts.Token),
			zap.Stringer("registry", dep.contracts.Registry), zap.Stringer("market", dep.contracts.Market))
	} else {
		dep = deployment{contracts: prev.Contracts, deployBlock: prev.DeployBlock}
		minted = prev.Minted
		if amount.Sign() > 0 && minted < len(accounts) {
			if err := mint(ctx, client, accounts[0], dep.contracts.Token, accounts[minted:], amount); err != nil {
				return deployment{}, err
			}
			minted = len(accounts)
		}
		d.log.Info("reusing contracts from data dir", zap.Stringer("token", dep.contracts.Token),
			zap.Stringer("registry", dep.contracts.Registry), zap.Stringer("market", dep.contracts.Market))
	}
	if d.cfg.DataDir != "" {
		s := state{ChainID: ChainID, Contracts: dep.contracts, DeployBlock: dep.deployBlock, Minted: minted}
		if err := writeJSON(filepath.Join(d.cfg.DataDir, stateFile), s); err != nil {
			return deployment{}, err
		}
	}
	return dep, nil
}

// previous returns the state recorded in the data dir if its contracts are
// on the chain, nil otherwise.
func (d *Devnet) previous(ctx context.Context) *state {
	path := filepath.Join(d.cfg.DataDir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var s state
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		d.log.Warn("ignoring unreadable devnet state; deploying afresh", zap.String("path", path), zap.Error(err))
		return nil
	}
	for _, addr := range []common.Address{s.Contracts.Token, s.Contracts.Registry, s.Contracts.Market} {
		code, err := d.chain.client.CodeAt(ctx, addr, nil)
		if err != nil || len(code) == 0 || s.ChainID != ChainID {
			d.log.Warn("contracts recorded in the data dir are not on the chain; deploying afresh",
				zap.String("path", path), zap.Stringer("address", addr))
			return nil
		}
	}
	return &s
}

// accountLabels renders accounts as name=address, for logs; never keys.
func accountLabels(accounts []Account) []string {
	labels := make([]string, len(accounts))
	for i, a := range accounts {
		labels[i] = a.Name + "=" + a.Address.Hex()
	}
	return labels
}
