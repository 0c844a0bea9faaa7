package gateway

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"

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

// chainSubsystem reads orders from the chain the organization's settings
// name (flags over Consul KV, followed by a gnchain.Follower): it gives the
// order checker its source; the listing's terms and the teardown loop read
// through it.
type chainSubsystem struct {
	follower *gnchain.Follower
	provider common.Address
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

func newChainSubsystem(cfg ChainConfig, org string, provider common.Address, member *consul.Member, checker *orders.Checker, log *zap.Logger) (*chainSubsystem, error) {
	cs := &chainSubsystem{provider: provider, checker: checker, log: log.Named("chain")}
	f, err := gnchain.NewFollower(gnchain.FollowerConfig{
		Org:   org,
		Flags: consul.Settings{ChainRPC: cfg.RPC, Contracts: consul.Contracts{Market: cfg.Market}},
		Needs: gnchain.Needs{Market: true},
		KV:    consul.NewKV(member.Client(), cs.log),
		Log:   cs.log,
		// Orders cannot be checked on incomplete or invalid settings; while
		// new settings fail to connect, the last chain is kept.
		Idle: func(why error) {
			if errors.Is(why, gnchain.ErrIncompleteSettings) || errors.Is(why, gnchain.ErrInvalidSettings) {
				cs.disconnect()
			}
		},
		Session: cs.connect,
	})
	if err != nil {
		return nil, err
	}
	cs.follower = f
	return cs, nil
}

func (cs *chainSubsystem) static() bool { return cs.follower.Static() }

// run follows the settings until ctx is done.
func (cs *chainSubsystem) run(ctx context.Context) error {
	defer cs.disconnect()
	return cs.follower.Run(ctx)
}

// connect checks that c's market is a Market and makes c the order
// checker's source (a gnchain.Follower session: done once connected).
func (cs *chainSubsystem) connect(ctx context.Context, c gnchain.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, gnchain.DialTimeout)
	defer cancel()
	s, client, id := c.Settings, c.Client, c.ChainID
	m := common.HexToAddress(s.Contracts.Market)
	mc, err := marketbind.NewMarketCaller(m, client)
	if err != nil {
		client.Close()
		return err
	}
	// The Market's registry() proves there is a Market at the address.
	reg, err := mc.Registry(&bind.CallOpts{Context: ctx})
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

// Registration reads the provider's owner and nonce in the Registry
// (identity.RegistrationSource).
func (cs *chainSubsystem) Registration(ctx context.Context) (identity.Registration, error) {
	c := cs.cur.Load()
	if c == nil {
		return identity.Registration{}, errNoChain
	}
	return identity.ReadRegistration(ctx, c.client, c.chain.ID, c.registry, cs.provider)
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
	if o.Status > market.StatusClosed {
		return reconcile.State{}, errors.New("unknown order status")
	}
	return reconcile.State{Status: o.Status, End: o.End}, nil
}
