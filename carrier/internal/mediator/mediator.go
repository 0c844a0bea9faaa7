package mediator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
)

// Chain is the part of the JSON-RPC API the mediator uses;
// *ethclient.Client is the real one.
type Chain interface {
	txmgr.Client
	bind.ContractCaller
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
}

// Gateways follows the organization's gateway instances (meta "provider");
// *consul.Watcher is the real one.
type Gateways interface {
	Subscribe() (<-chan []consul.Instance, func())
}

// Contracts are the addresses the mediator talks to.
type Contracts struct {
	Token, Registry, Market common.Address
}

// Registration is what the registrar writes for each provider.
type Registration struct {
	// GatewayBase is the org's public base URL (its via); a provider's
	// URL is GatewayBase + "/gw/" + provider address. Empty turns the
	// registrar off.
	GatewayBase string
	Region      string
	Capacity    market.Resources
	Prices      market.Prices
}

// Config configures a Mediator. Start from Defaults.
type Config struct {
	// Org is the organization id; only gateways with meta org equal to it
	// (or without org meta) are registered.
	Org string
	// StatePath is the bbolt file for the cursor, orders and batches.
	StatePath string
	// Tx configures the transaction manager (its Path is the journal).
	Tx txmgr.Config
	// FromBlock is where the first scan of Market events starts.
	FromBlock uint64
	// MaxLogRange bounds the blocks of one eth_getLogs call.
	MaxLogRange uint64
	// PollInterval is how often new blocks are scanned and due orders
	// looked for.
	PollInterval time.Duration
	// SettleWindow is how long an ended order may wait for others to
	// settle in the same batch.
	SettleWindow time.Duration
	// ClockSlack is how far behind the wall clock the chain's head may be
	// before the wall clock decides whether an order has ended (a dev
	// chain that seals blocks only for transactions).
	ClockSlack time.Duration
	// OrderWait is how long creating or cancelling an order waits for the
	// transaction to be mined before answering with its pending status.
	OrderWait time.Duration
	// ResyncInterval is how often the registrar re-checks every provider.
	ResyncInterval time.Duration
	Registration   Registration
}

// MaxBatch is the Market's MAX_BATCH.
const MaxBatch = 100

// Defaults suits a public chain.
func Defaults() Config {
	return Config{
		Tx:             txmgr.Defaults(),
		MaxLogRange:    2000,
		PollInterval:   2 * time.Second,
		SettleWindow:   10 * time.Second,
		ClockSlack:     15 * time.Second,
		OrderWait:      30 * time.Second,
		ResyncInterval: 5 * time.Minute,
	}
}

// Validate reports the first problem with c.
func (c Config) Validate() error {
	switch {
	case c.StatePath == "":
		return errors.New("state path: must not be empty")
	case c.MaxLogRange == 0:
		return errors.New("max log range: must be positive")
	case c.PollInterval <= 0:
		return fmt.Errorf("poll interval %s: must be positive", c.PollInterval)
	case c.SettleWindow < 0:
		return fmt.Errorf("settle window %s: must not be negative", c.SettleWindow)
	case c.ClockSlack <= 0:
		return fmt.Errorf("clock slack %s: must be positive", c.ClockSlack)
	case c.OrderWait < 0:
		return fmt.Errorf("order wait %s: must not be negative", c.OrderWait)
	case c.ResyncInterval <= 0:
		return fmt.Errorf("resync interval %s: must be positive", c.ResyncInterval)
	}
	return c.Tx.Validate()
}

// Options are a Mediator's collaborators.
type Options struct {
	Chain     Chain
	Signer    txmgr.Signer
	Contracts Contracts
	// Scheduler ranks the directory's listings; nil makes match and
	// orders without a chosen provider unavailable.
	Scheduler *scheduler.Scheduler
	// Manifests fetches manifests; nil uses manifest.Defaults.
	Manifests *manifest.Fetcher
	// Gateways are the org's gateways; nil turns the registrar off.
	Gateways   Gateways
	Registerer prometheus.Registerer
	Log        *zap.Logger
}

// Mediator mediates the chain for the organization. Its methods are safe
// for concurrent use; Run must be running for intents to progress and
// events to be followed.
type Mediator struct {
	cfg       Config
	log       *zap.Logger
	chain     Chain
	tx        *txmgr.Manager
	store     *store
	self      common.Address
	contracts Contracts
	sched     *scheduler.Scheduler
	fetch     *manifest.Fetcher
	gateways  Gateways

	token                            *token.TokenCaller
	registry                         *registry.RegistryCaller
	market                           *marketbind.MarketCaller
	events                           *marketbind.MarketFilterer
	owners                           *listing.CachedRegistry // providers' owners for match (payee.go)
	tokenABI, registryABI, marketABI *abi.ABI

	creditMu sync.Mutex // serialises approve+deposit pairs

	provMu   sync.Mutex
	gwSet    map[common.Address]int // provider → healthy gateway instances
	gwSynced bool
	// proofs are the providers' freshest registration proofs (PostProof);
	// in memory: the gateways post them again.
	proofs map[common.Address]regproof.Signed
	// kick wakes the registrar (a proof arrived).
	kick chan struct{}

	// dueSince is when each due order was first seen due (settler memory).
	dueMu    sync.Mutex
	dueSince map[uint64]time.Time
	headMu   sync.Mutex
	head     *types.Header
}

// New opens the journal and the state file and checks that the contracts
// are there. Close releases them.
func New(ctx context.Context, cfg Config, opts Options) (*Mediator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("chain mediator config: %w", err)
	}
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	c := opts.Contracts
	if c.Token == (common.Address{}) || c.Registry == (common.Address{}) || c.Market == (common.Address{}) {
		return nil, errors.New("chain mediator: token, registry and market addresses are all required")
	}
	m := &Mediator{
		cfg: cfg, log: log, chain: opts.Chain, self: opts.Signer.Address(), contracts: c,
		sched: opts.Scheduler, fetch: opts.Manifests, gateways: opts.Gateways,
		gwSet: map[common.Address]int{}, dueSince: map[uint64]time.Time{},
		proofs: map[common.Address]regproof.Signed{}, kick: make(chan struct{}, 1),
	}
	if m.fetch == nil {
		f, err := manifest.New(manifest.Defaults())
		if err != nil {
			return nil, err
		}
		m.fetch = f
	}
	var err error
	if m.tokenABI, err = token.TokenMetaData.GetAbi(); err != nil {
		return nil, err
	}
	if m.registryABI, err = registry.RegistryMetaData.GetAbi(); err != nil {
		return nil, err
	}
	if m.marketABI, err = marketbind.MarketMetaData.GetAbi(); err != nil {
		return nil, err
	}
	if m.token, err = token.NewTokenCaller(c.Token, opts.Chain); err != nil {
		return nil, err
	}
	if m.registry, err = registry.NewRegistryCaller(c.Registry, opts.Chain); err != nil {
		return nil, err
	}
	if m.market, err = marketbind.NewMarketCaller(c.Market, opts.Chain); err != nil {
		return nil, err
	}
	if m.owners, err = newOwnerCache(opts.Chain, c.Registry); err != nil {
		return nil, err
	}
	if m.events, err = marketbind.NewMarketFilterer(c.Market, nil); err != nil {
		return nil, err
	}
	if err := m.checkContracts(ctx); err != nil {
		return nil, err
	}
	chainID, err := opts.Chain.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading chain id: %w", err)
	}
	st, err := openStore(cfg.StatePath, fmt.Sprintf("chain %s market %s account %s", chainID, c.Market, m.self))
	if err != nil {
		return nil, err
	}
	st.chainID, st.market = chainID, c.Market
	cfg.Tx.Confirmations = max(cfg.Tx.Confirmations, 1)
	m.cfg.Tx = cfg.Tx
	tx, err := txmgr.New(ctx, cfg.Tx, opts.Chain, opts.Signer, txmgr.Options{Registerer: opts.Registerer, Log: log})
	if err != nil {
		_ = st.close()
		return nil, err
	}
	m.store, m.tx = st, tx
	return m, nil
}

// checkContracts makes sure the addresses hold the Market wired to the
// Token and Registry given.
func (m *Mediator) checkContracts(ctx context.Context) error {
	mc, opts := m.market, &bind.CallOpts{Context: ctx}
	tok, err := mc.Token(opts)
	if err != nil {
		return fmt.Errorf("reading the market at %s (is it deployed on this chain?): %w", m.contracts.Market, err)
	}
	reg, err := mc.Registry(opts)
	if err != nil {
		return fmt.Errorf("reading the market at %s: %w", m.contracts.Market, err)
	}
	if tok != m.contracts.Token || reg != m.contracts.Registry {
		return fmt.Errorf("the market at %s uses token %s and registry %s, not the configured %s and %s",
			m.contracts.Market, tok, reg, m.contracts.Token, m.contracts.Registry)
	}
	return nil
}

// Address is the org wallet's address.
func (m *Mediator) Address() common.Address { return m.self }

// Contracts are the contract addresses in use.
func (m *Mediator) Contracts() Contracts { return m.contracts }

// ChainID is the chain's id.
func (m *Mediator) ChainID() *big.Int { return m.tx.ChainID() }

// Close releases the journal and the state file.
func (m *Mediator) Close() error {
	err := m.tx.Close()
	if serr := m.store.close(); err == nil {
		err = serr
	}
	return err
}

// Run tracks transactions, follows the Market's events, settles and keeps
// the providers registered until ctx is done.
func (m *Mediator) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return m.tx.Run(ctx) })
	g.Go(func() error { return m.runSettler(ctx) })
	g.Go(func() error { return m.runRegistrar(ctx) })
	return g.Wait()
}

func (m *Mediator) call(ctx context.Context) *bind.CallOpts {
	return &bind.CallOpts{Context: ctx, From: m.self}
}

func pack(a *abi.ABI, method string, args ...any) ([]byte, error) {
	data, err := a.Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("encoding %s call: %w", method, err)
	}
	return data, nil
}

// Txs exposes the transaction manager's status.
func (m *Mediator) Txs() *txmgr.Manager { return m.tx }

// latestHead reads the chain's head.
func (m *Mediator) latestHead(ctx context.Context) (*types.Header, error) {
	h, err := m.chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the chain head: %w", err)
	}
	m.headMu.Lock()
	m.head = h
	m.headMu.Unlock()
	return h, nil
}

// chainNow is the time to judge orders by: the head's time, or the wall
// clock less the slack when the head is older than that (a chain that
// seals blocks only for transactions).
func (m *Mediator) chainNow(head *types.Header) uint64 {
	now := time.Now()
	wall := now.Add(-m.cfg.ClockSlack).Unix()
	if head == nil {
		return uint64(max(wall, 0))
	}
	return max(head.Time, uint64(max(wall, 0)))
}
