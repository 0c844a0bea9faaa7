package mediator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/market"
)

// Errors of ActivePurchase.
var (
	// ErrNotBuyer: the order was not placed by this organization's wallet,
	// so the wallet cannot log in at its gateway. It is also ErrBadInput.
	ErrNotBuyer = fmt.Errorf("%w: not the order's buyer", ErrBadInput)
	// ErrOrderInactive: the order is cancelled, settled, not started or
	// ended: its gateway serves it no more (or not yet).
	ErrOrderInactive = errors.New("order not active")
)

// Purchase is an active order this organization bought, with what a login
// at its provider's gateway must name.
type Purchase struct {
	ID       *big.Int
	Provider common.Address
	ChainID  *big.Int
	Market   common.Address
	End      time.Time
	// RegistryURL is the provider's gateway URL in the Registry ("" when
	// the provider is not registered any more).
	RegistryURL string
}

// ActivePurchase reads order id on chain and returns it if the org wallet
// is its buyer and the Market says it is active now.
func (m *Mediator) ActivePurchase(ctx context.Context, id uint64) (Purchase, error) {
	bid := new(big.Int).SetUint64(id)
	o, err := m.market.GetOrder(m.call(ctx), bid)
	if err != nil {
		return Purchase{}, fmt.Errorf("%w: reading order %d on chain: %v", ErrUnavailable, id, err)
	}
	switch {
	case market.OrderStatus(o.Status) == market.StatusNone:
		return Purchase{}, fmt.Errorf("%w: order %d is not on chain", ErrNotFound, id)
	case o.Buyer != m.self:
		return Purchase{}, fmt.Errorf("%w: order %d was placed by %s, not by this organization's wallet %s; only its buyer's key can log in at the gateway",
			ErrNotBuyer, id, o.Buyer.Hex(), m.self.Hex())
	case market.OrderStatus(o.Status) == market.StatusCancelled:
		return Purchase{}, fmt.Errorf("%w: order %d is cancelled", ErrOrderInactive, id)
	case market.OrderStatus(o.Status) == market.StatusSettled:
		return Purchase{}, fmt.Errorf("%w: order %d is settled", ErrOrderInactive, id)
	}
	active, err := m.market.IsActive(m.call(ctx), bid)
	if err != nil {
		return Purchase{}, fmt.Errorf("%w: reading order %d on chain: %v", ErrUnavailable, id, err)
	}
	if !active {
		return Purchase{}, fmt.Errorf("%w: order %d runs from %s to %s, and the chain's time is outside that", ErrOrderInactive, id,
			time.Unix(int64(o.Start), 0).UTC().Format(time.RFC3339), time.Unix(int64(o.End), 0).UTC().Format(time.RFC3339))
	}
	p, err := m.registry.GetProvider(m.call(ctx), o.Provider)
	if err != nil {
		return Purchase{}, fmt.Errorf("%w: reading provider %s in the Registry: %v", ErrUnavailable, o.Provider.Hex(), err)
	}
	return Purchase{
		ID: bid, Provider: o.Provider, ChainID: m.ChainID(), Market: m.contracts.Market,
		End: time.Unix(int64(o.End), 0).UTC(), RegistryURL: p.Url,
	}, nil
}
