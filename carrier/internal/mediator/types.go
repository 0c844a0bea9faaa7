package mediator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// Errors callers test with errors.Is.
var (
	// ErrBadInput: the request cannot be carried out as stated; nothing
	// was sent. The message says what to fix.
	ErrBadInput = errors.New("bad input")
	// ErrInsufficientCredits: the buyer's Market credit does not cover the
	// order's escrow. It is also ErrBadInput.
	ErrInsufficientCredits = fmt.Errorf("%w: insufficient credits", ErrBadInput)
	// ErrUnknownProvider: the provider is not in the directory or not
	// registered on chain. It is also ErrBadInput.
	ErrUnknownProvider = fmt.Errorf("%w: unknown provider", ErrBadInput)
	// ErrNotFound: no such order, operation or provider.
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: a part the call needs is missing (no directory, no
	// registration settings); the message says which.
	ErrUnavailable = errors.New("unavailable")
)

func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadInput, fmt.Sprintf(format, args...))
}

// amountOf is v as an Amount, nil for nil.
func amountOf(v *big.Int) *carrierapi.Amount {
	if v == nil {
		return nil
	}
	return carrierapi.NewAmount(v)
}

// orZero is v, or zero for nil.
func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// bigOf is a's value, nil for nil.
func bigOf(a *carrierapi.Amount) *big.Int {
	if a == nil {
		return nil
	}
	return a.Big()
}

// OrderRecord is an order of this organization, as buyer or as payee: the
// order as the Market holds it (its Status as last seen on chain) and
// what the carrier learned of its life. Its JSON is the carrier API's
// order, carrierapi.OrderInfo, in the units the API has always had (a
// uint64 id, unix seconds, amounts as decimal strings, "closed" instead
// of the status); the state file keeps orders in the same form. The chain
// and Market are not in it: the state file belongs to one of each
// (ErrStateMismatch), and the store fills them in.
type OrderRecord struct {
	market.Order
	// MaxEscrow is the buyer's maximum the Market checked the escrow
	// against (createOrder's maxEscrow), when the carrier read it from the
	// placing transaction; nil otherwise.
	MaxEscrow *big.Int
	// Paid went to the payee, Refund back to the buyer, once closed.
	Paid, Refund *big.Int
	// CreatedTx placed the order; ClosedTx cancelled, settled or closed it.
	CreatedTx, ClosedTx common.Hash
	// Extensions and ManifestUpdates count the buyer's extend and
	// updateManifest calls seen.
	Extensions, ManifestUpdates int
	// Batch is the last settlement batch that included the order.
	Batch uint64

	// Filled in for the API: the organization's role and the state at the
	// chain's time.
	Role, State string
}

// MarshalJSON writes the carrier API's order.
func (o OrderRecord) MarshalJSON() ([]byte, error) {
	w := carrierapi.OrderInfo{
		ID: o.id(), Buyer: o.Buyer, Provider: o.Provider, Payee: o.Payee, Resources: o.Resources,
		Escrow: amountOf(o.Escrow), MaxEscrow: amountOf(o.MaxEscrow), ManifestHash: o.ManifestHash, Start: unixOf(o.Start), End: unixOf(o.End),
		Closed: o.closed(), Paid: amountOf(o.Paid), Refund: amountOf(o.Refund),
		CreatedTx: o.CreatedTx, ClosedTx: o.ClosedTx, Extensions: o.Extensions, ManifestUpdates: o.ManifestUpdates,
		Batch: o.Batch, Role: o.Role, State: o.State,
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads the carrier API's order.
func (o *OrderRecord) UnmarshalJSON(b []byte) error {
	var w carrierapi.OrderInfo
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	status := market.StatusOpen
	switch w.Closed {
	case "":
	case carrierapi.OrderCancelled:
		status = market.StatusCancelled
	case carrierapi.OrderSettled:
		status = market.StatusSettled
	case carrierapi.OrderClosed:
		status = market.StatusClosed
	default:
		return fmt.Errorf("order %d: closed %q, want %q, %q or %q", w.ID, w.Closed, carrierapi.OrderCancelled, carrierapi.OrderSettled, carrierapi.OrderClosed)
	}
	*o = OrderRecord{
		Order: market.Order{
			ID: new(big.Int).SetUint64(w.ID), Buyer: w.Buyer, Provider: w.Provider, Payee: w.Payee,
			Resources: w.Resources, Escrow: bigOf(w.Escrow), ManifestHash: w.ManifestHash,
			Start: market.Unix(w.Start), End: market.Unix(w.End), Status: status,
		},
		MaxEscrow: bigOf(w.MaxEscrow), Paid: bigOf(w.Paid), Refund: bigOf(w.Refund), CreatedTx: w.CreatedTx, ClosedTx: w.ClosedTx,
		Extensions: w.Extensions, ManifestUpdates: w.ManifestUpdates, Batch: w.Batch, Role: w.Role, State: w.State,
	}
	return nil
}

func unixOf(t time.Time) uint64 { return uint64(max(t.Unix(), 0)) }

// id is the order's id; the Market numbers orders from 1, and the
// mediator keeps only those that fit 64 bits.
func (o *OrderRecord) id() uint64 {
	if o.ID == nil {
		return 0
	}
	return o.ID.Uint64()
}

// end is the order's end in unix seconds.
func (o *OrderRecord) end() uint64 { return unixOf(o.End) }

// closed is "", carrierapi.OrderCancelled, carrierapi.OrderSettled or
// carrierapi.OrderClosed.
func (o *OrderRecord) closed() string {
	switch o.Status {
	case market.StatusCancelled:
		return carrierapi.OrderCancelled
	case market.StatusSettled:
		return carrierapi.OrderSettled
	case market.StatusClosed:
		return carrierapi.OrderClosed
	}
	return ""
}

// state is the order's API state at unix time now.
func (o *OrderRecord) state(now uint64) string {
	switch {
	case o.closed() != "":
		return o.closed()
	case now >= o.end():
		return carrierapi.OrderEnded
	default:
		return carrierapi.OrderActive
	}
}

func (o *OrderRecord) role(self common.Address) string {
	switch {
	case o.Buyer == self && o.Payee == self:
		return "buyer+seller"
	case o.Buyer == self:
		return "buyer"
	default:
		return "seller"
	}
}
