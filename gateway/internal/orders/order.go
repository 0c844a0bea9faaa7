package orders

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/pkg/market"
)

// Sentinel errors of the order check, for errors.Is. Each is a distinct
// reason a buyer cannot use an order at this gateway.
var (
	// ErrNotFound: the Market has no order with this id.
	ErrNotFound = errors.New("order not found")
	// ErrNotStarted: the order's start is still ahead (clock skew between
	// the chain and this gateway beyond the tolerance).
	ErrNotStarted = errors.New("order not started")
	// ErrEnded: the order's end has passed (or it was settled).
	ErrEnded = errors.New("order ended")
	// ErrCancelled: the buyer cancelled the order.
	ErrCancelled = errors.New("order cancelled")
	// ErrClosed: the provider's owner (the order's payee) closed the
	// order before its end.
	ErrClosed = errors.New("order closed by the provider")
	// ErrWrongProvider: the order is for another provider.
	ErrWrongProvider = errors.New("order is not for this provider")
	// ErrWrongPayee: the order pays another wallet than this gateway's
	// organization (the provider was registered to another owner when the
	// order was placed, or the gateway's --owner is not the provider's
	// owner).
	ErrWrongPayee = errors.New("order pays another organization")
	// ErrChainUnavailable: the chain could not be read (no settings yet,
	// RPC down, wrong contract address). It says nothing about the order.
	ErrChainUnavailable = errors.New("chain unavailable")
)

// MaxClockSkew is how far an order's start may be ahead of this gateway's
// clock and still count as started: the Market sets start to the block's
// timestamp, so a later start only means the two clocks disagree.
const MaxClockSkew = 30 * time.Second

// Usable reports why o cannot be used at provider's gateway at now, or nil
// when it is open, started, not ended, for provider and pays owner. A zero
// owner skips the payee check (a gateway without --owner).
func Usable(o market.Order, provider, owner common.Address, now time.Time) error {
	switch o.Status {
	case market.StatusNone:
		return fmt.Errorf("order %s: %w", o.ID, ErrNotFound)
	case market.StatusCancelled:
		return fmt.Errorf("order %s: %w", o.ID, ErrCancelled)
	case market.StatusClosed:
		return fmt.Errorf("order %s: %w", o.ID, ErrClosed)
	case market.StatusSettled:
		return fmt.Errorf("order %s: settled: %w", o.ID, ErrEnded)
	case market.StatusOpen:
	default:
		return fmt.Errorf("order %s: unknown status %d: %w", o.ID, o.Status, ErrChainUnavailable)
	}
	if o.Provider != provider {
		return fmt.Errorf("order %s is for provider %s, this gateway serves %s: %w", o.ID, o.Provider.Hex(), provider.Hex(), ErrWrongProvider)
	}
	if owner != (common.Address{}) && o.Payee != owner {
		return fmt.Errorf("order %s pays %s, this gateway's organization is %s: %w", o.ID, o.Payee.Hex(), owner.Hex(), ErrWrongPayee)
	}
	if o.Start.After(now.Add(MaxClockSkew)) {
		return fmt.Errorf("order %s starts at %s: %w", o.ID, o.Start.UTC().Format(time.RFC3339), ErrNotStarted)
	}
	if !now.Before(o.End) {
		return fmt.Errorf("order %s ended at %s: %w", o.ID, o.End.UTC().Format(time.RFC3339), ErrEnded)
	}
	return nil
}

// MaxID bounds order ids accepted from callers: the Market's ids are
// uint256.
var MaxID = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// ParseID parses a decimal order id (1 to 2^256-1, no sign, no leading
// zeros, at most 78 digits).
func ParseID(s string) (*big.Int, error) {
	if s == "" || len(s) > 78 || s[0] == '0' {
		return nil, fmt.Errorf("order id %q: want a positive decimal integer without leading zeros", truncate(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, fmt.Errorf("order id %q: want a positive decimal integer", truncate(s))
		}
	}
	id, _ := new(big.Int).SetString(s, 10)
	if id.Cmp(MaxID) > 0 {
		return nil, fmt.Errorf("order id %q: larger than 2^256-1", truncate(s))
	}
	return id, nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// Chain is the chain and Market the gateway reads orders from.
type Chain struct {
	ID     *big.Int
	Market common.Address
}

// Reader reads one order from the chain; an unknown id is an Order with
// market.StatusNone, not an error. Errors mean the chain could not be read.
type Reader interface {
	ReadOrder(ctx context.Context, id *big.Int) (market.Order, error)
}

// MarketReader reads orders from a Market contract through its bindings.
type MarketReader struct {
	chain  Chain
	caller *marketbind.MarketCaller
}

// NewMarketReader returns a reader of the Market at chain.Market through
// caller (an *ethclient.Client).
func NewMarketReader(caller bind.ContractCaller, chain Chain) (*MarketReader, error) {
	c, err := marketbind.NewMarketCaller(chain.Market, caller)
	if err != nil {
		return nil, fmt.Errorf("binding the market contract: %w", err)
	}
	return &MarketReader{chain: chain, caller: c}, nil
}

// Chain is the chain the reader reads.
func (r *MarketReader) Chain() Chain { return r.chain }

// ReadOrder calls Market.getOrder.
func (r *MarketReader) ReadOrder(ctx context.Context, id *big.Int) (market.Order, error) {
	v, err := r.caller.GetOrder(&bind.CallOpts{Context: ctx}, id)
	if err != nil {
		return market.Order{}, fmt.Errorf("reading order %s from market %s: %w", id, r.chain.Market.Hex(), err)
	}
	return market.OrderFromView(r.chain.ID, r.chain.Market, id, v), nil
}
