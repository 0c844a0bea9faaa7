package market

import (
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
)

// OrderStatus is the Market's order status (its Status enum).
type OrderStatus uint8

// The Market's Status enum.
const (
	// StatusNone: no such order.
	StatusNone OrderStatus = iota
	// StatusOpen: placed, not closed (it may be past its end, to be
	// settled).
	StatusOpen
	// StatusCancelled: closed by the buyer before its end; the provider
	// was paid for the time used.
	StatusCancelled
	// StatusSettled: closed after its end; the provider was paid in full.
	StatusSettled
	// StatusClosed: closed by the provider's owner (the payee) before its
	// end; the provider was paid for the time served, the buyer refunded
	// the rest.
	StatusClosed
)

func (s OrderStatus) String() string {
	switch s {
	case StatusNone:
		return "none"
	case StatusOpen:
		return "open"
	case StatusCancelled:
		return "cancelled"
	case StatusSettled:
		return "settled"
	case StatusClosed:
		return "closed"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Order is an order as the Market stores it, with the chain and the Market
// it lives on. Orders are values: ID, ChainID and Escrow must not be
// modified through a copy.
type Order struct {
	ChainID  *big.Int
	Market   common.Address
	ID       *big.Int
	Buyer    common.Address
	Provider common.Address
	Payee    common.Address
	// Resources is what the buyer paid for (no GPU model: the Market does
	// not store one).
	Resources Resources
	// Start and End bound the order; the Market counts in unix seconds.
	Start, End time.Time
	// Escrow is what the buyer paid into the Market for the whole order.
	Escrow *big.Int
	// ManifestHash is keccak256 of the manifest's bytes, as the buyer's
	// carrier computed it when it placed the order.
	ManifestHash common.Hash
	Status       OrderStatus
}

// String names the order for logs and errors: "<chain>/<market>/<id>".
func (o Order) String() string {
	return fmt.Sprintf("%s/%s/%s", o.ChainID, o.Market.Hex(), o.ID)
}

// Unix converts a Market time (unix seconds) to a time.Time; values beyond
// 2^62 are clamped there.
func Unix(s uint64) time.Time { return time.Unix(int64(min(s, 1<<62)), 0) }

// OrderFromView converts the Market's getOrder answer for id on chainID's
// Market at addr. An unknown id is an Order with StatusNone.
func OrderFromView(chainID *big.Int, addr common.Address, id *big.Int, v marketbind.MarketOrderView) Order {
	return Order{
		ChainID: chainID, Market: addr, ID: new(big.Int).Set(id),
		Buyer: v.Buyer, Provider: v.Provider, Payee: v.Payee,
		Resources: ResourcesFromMarket(v.Resources),
		Start:     Unix(v.Start), End: Unix(v.End),
		Escrow: v.Escrow, ManifestHash: v.ManifestHash,
		Status: OrderStatus(v.Status),
	}
}

// OrderFromCreated converts the Market's OrderCreated event on chainID's
// Market at addr: an open order.
func OrderFromCreated(chainID *big.Int, addr common.Address, ev *marketbind.MarketOrderCreated) Order {
	return Order{
		ChainID: chainID, Market: addr, ID: new(big.Int).Set(ev.Id),
		Buyer: ev.Buyer, Provider: ev.Provider, Payee: ev.Payee,
		Resources: ResourcesFromMarket(ev.Resources),
		Start:     Unix(ev.Start), End: Unix(ev.End),
		Escrow: ev.Escrow, ManifestHash: ev.ManifestHash,
		Status: StatusOpen,
	}
}
