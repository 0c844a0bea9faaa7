package gateway

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/gateway/internal/identity"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/reconcile"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/market"
)

// chainSubsystem follows the chain settings (flags over the organization's
// settings in Consul KV), connects to the chain and gives the order checker
// its source; the listing's terms and the teardown loop read through it.
type chainSubsystem struct {
	cfg      ChainConfig
	org      string
	provider common.Address
	member   *consul.Member
	checker  *orders.Checker
	log      *zap.Logger

	cur atomic.Pointer[chainConn]
}

// chainConn is a connected chain.
type chainConn struct {
	client   *ethclient.Client
	chain    orders.Chain
	registry common.Address
	settings consul.Settings
}

func newChainSubsystem(cfg ChainConfig, org string, provider common.Address, member *consul.Member, checker *orders.Checker, log *zap.Logger) *chainSubsystem {
	return &chainSubsystem{cfg: cfg, org: org, provider: provider, member: member, checker: checker, log: log.Named("chain")}
}

func (cs *chainSubsystem) static() bool { return cs.cfg.RPC != "" && cs.cfg.Market != "" }

// merge lays the flags over the KV settings.
func (cs *chainSubsystem) merge(s consul.Settings) consul.Settings {
	out := consul.Settings{ChainRPC: s.ChainRPC, Contracts: consul.Contracts{Market: s.Contracts.Market}}
	if cs.cfg.RPC != "" {
		out.ChainRPC = cs.cfg.RPC
	}
	if cs.cfg.Market != "" {
		out.Contracts.Market = cs.cfg.Market
	}
	return out
}

// run follows the settings until ctx is done.
func (cs *chainSubsystem) run(ctx context.Context) error {
	updates := make(chan consul.Settings, 1)
	if cs.static() {
		updates <- cs.merge(consul.Settings{})
	} else {
		cs.log.Info("following the chain settings in Consul KV", zap.String("org", cs.org))
		kv := consul.NewKV(cs.member.Client(), cs.log)
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
		set  bool
	)
	defer func() {
		if stop != nil {
			stop()
		}
		cs.disconnect()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case s := <-updates:
			if set && s == have {
				continue
			}
			have, set = s, true
			if stop != nil {
				stop()
				stop = nil
			}
			if s.ChainRPC == "" || s.Contracts.Market == "" {
				cs.disconnect()
				cs.log.Warn("chain settings incomplete: orders cannot be checked until chain-rpc and contracts/market are set",
					zap.Bool("rpc", s.ChainRPC != ""), zap.Bool("market", s.Contracts.Market != ""))
				continue
			}
			if err := s.Validate(); err != nil {
				cs.disconnect()
				cs.log.Error("chain settings invalid; waiting for a fix", zap.Error(err))
				continue
			}
			cctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); cs.connectLoop(cctx, s) }()
			stop = func() { cancel(); <-done }
		}
	}
}

// connectLoop connects with s, retrying with backoff until it succeeds or
// ctx is done.
func (cs *chainSubsystem) connectLoop(ctx context.Context, s consul.Settings) {
	gnchain.Retry(ctx, func(ctx context.Context) error { return cs.connect(ctx, s) }, func(err error, wait time.Duration) {
		cs.log.Warn("connecting to the chain failed; retrying", zap.Error(gnchain.RedactError(err)), zap.Duration("in", wait))
	})
}

func (cs *chainSubsystem) connect(ctx context.Context, s consul.Settings) error {
	dctx, cancel := context.WithTimeout(ctx, gnchain.DialTimeout)
	defer cancel()
	client, id, err := gnchain.Dial(dctx, s.ChainRPC)
	if err != nil {
		return err
	}
	m := common.HexToAddress(s.Contracts.Market)
	mc, err := marketbind.NewMarketCaller(m, client)
	if err != nil {
		client.Close()
		return err
	}
	// The Market's registry() proves there is a Market at the address.
	reg, err := mc.Registry(&bind.CallOpts{Context: dctx})
	if err != nil {
		client.Close()
		return fmt.Errorf("reading the Market at %s: %w (is it the Market's address?)", m.Hex(), err)
	}
	chain := orders.Chain{ID: id, Market: m}
	reader, err := orders.NewMarketReader(client, chain)
	if err != nil {
		client.Close()
		return err
	}
	old := cs.cur.Swap(&chainConn{client: client, chain: chain, registry: reg, settings: s})
	cs.checker.SetSource(reader, chain)
	if old != nil {
		old.client.Close()
	}
	cs.log.Info("reading orders from the chain", zap.Stringer("chain_id", id), zap.String("rpc", gnchain.RedactURL(s.ChainRPC)),
		zap.String("market", m.Hex()), zap.String("registry", reg.Hex()))
	return nil
}

func (cs *chainSubsystem) disconnect() {
	cs.checker.SetSource(nil, orders.Chain{})
	if old := cs.cur.Swap(nil); old != nil {
		old.client.Close()
	}
}

var errNoChain = fmt.Errorf("%w: not connected to a chain yet", orders.ErrChainUnavailable)

// Terms reads the provider's Registry record (identity.TermsSource).
func (cs *chainSubsystem) Terms(ctx context.Context) (identity.Terms, error) {
	c := cs.cur.Load()
	if c == nil {
		return identity.Terms{}, errNoChain
	}
	t, err := identity.NewRegistryTerms(c.client, c.registry, cs.provider)
	if err != nil {
		return identity.Terms{}, err
	}
	return t.Terms(ctx)
}

// reconcileChain is the teardown loop's view of the chain: uncached reads.
type reconcileChain struct{ checker *orders.Checker }

func (r reconcileChain) Market() (*big.Int, common.Address, bool) {
	c, ok := r.checker.Chain()
	return c.ID, c.Market, ok
}

func (r reconcileChain) OrderState(ctx context.Context, id *big.Int) (reconcile.State, error) {
	o, err := r.checker.Read(ctx, id)
	if err != nil {
		return reconcile.State{}, err
	}
	if o.Status > market.StatusSettled {
		return reconcile.State{}, errors.New("unknown order status")
	}
	return reconcile.State{Status: o.Status, End: o.End}, nil
}
