package mediator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

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

// Amount is a token amount in base units. Its JSON is a decimal string so
// that JavaScript clients keep every digit; a JSON number is accepted too.
type Amount struct{ v big.Int }

// NewAmount copies v (nil is zero).
func NewAmount(v *big.Int) *Amount {
	a := &Amount{}
	if v != nil {
		a.v.Set(v)
	}
	return a
}

// Big returns a copy of the amount.
func (a *Amount) Big() *big.Int {
	if a == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(&a.v)
}

func (a *Amount) String() string { return a.Big().String() }

// MarshalJSON renders the amount as a decimal string.
func (a *Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.v.String()) }

// MaxAmountDigits bounds an amount's decimal digits (2^256 has 78).
const MaxAmountDigits = market.MaxAmountDigits

// UnmarshalJSON accepts a decimal string or a JSON integer, not negative.
func (a *Amount) UnmarshalJSON(b []byte) error {
	v, err := market.ParseAmountJSON(b)
	if err != nil {
		return err
	}
	a.v.Set(v)
	return nil
}

// amountOf is v as an Amount, nil for nil.
func amountOf(v *big.Int) *Amount {
	if v == nil {
		return nil
	}
	return NewAmount(v)
}

// orZero is v, or zero for nil.
func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// bigOf is a's value, nil for nil.
func bigOf(a *Amount) *big.Int {
	if a == nil {
		return nil
	}
	return a.Big()
}

// Order states as the API shows them.
const (
	OrderActive    = "active"    // open, before its end
	OrderEnded     = "ended"     // open, past its end: to be settled
	OrderCancelled = "cancelled" // closed by the buyer; paid for the time used
	OrderSettled   = "settled"   // closed after its end; paid in full
)

// OrderRecord is an order of this organization, as buyer or as payee: the
// order as the Market holds it (its Status as last seen on chain) and
// what the carrier learned of its life. Its JSON is the carrier API's
// order (see orderJSON).
type OrderRecord struct {
	market.Order
	// Paid went to the payee, Refund back to the buyer, once closed.
	Paid, Refund *big.Int
	// CreatedTx placed the order; ClosedTx cancelled or settled it.
	CreatedTx, ClosedTx common.Hash
	// Batch is the last settlement batch that included the order.
	Batch uint64

	// Filled in for the API: the organization's role and the state at the
	// chain's time.
	Role, State string
}

// orderJSON is the wire form of OrderRecord in the API and the state file.
// It keeps the units the carrier API has always had: a uint64 id, unix
// seconds, amounts as decimal strings, "closed" instead of the status.
// The chain and Market are not in it: the state file belongs to one of
// each (ErrStateMismatch), and the store fills them in.
type orderJSON struct {
	ID           uint64           `json:"id"`
	Buyer        common.Address   `json:"buyer"`
	Provider     common.Address   `json:"provider"`
	Payee        common.Address   `json:"payee"`
	Resources    market.Resources `json:"resources"`
	Escrow       *Amount          `json:"escrow"`
	ManifestHash common.Hash      `json:"manifestHash"`
	Start        uint64           `json:"start"`
	End          uint64           `json:"end"`
	// Closed is "", "cancelled" or "settled" as last seen on chain.
	Closed    string      `json:"closed,omitempty"`
	Paid      *Amount     `json:"paid,omitempty"`
	Refund    *Amount     `json:"refund,omitempty"`
	CreatedTx common.Hash `json:"createdTx"`
	ClosedTx  common.Hash `json:"closedTx,omitzero"`
	Batch     uint64      `json:"batch,omitempty"`
	Role      string      `json:"role,omitempty"`
	State     string      `json:"state,omitempty"`
}

// MarshalJSON writes the carrier API's order.
func (o OrderRecord) MarshalJSON() ([]byte, error) {
	w := orderJSON{
		ID: o.id(), Buyer: o.Buyer, Provider: o.Provider, Payee: o.Payee, Resources: o.Resources,
		Escrow: amountOf(o.Escrow), ManifestHash: o.ManifestHash, Start: unixOf(o.Start), End: unixOf(o.End),
		Closed: o.closed(), Paid: amountOf(o.Paid), Refund: amountOf(o.Refund),
		CreatedTx: o.CreatedTx, ClosedTx: o.ClosedTx, Batch: o.Batch, Role: o.Role, State: o.State,
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads the carrier API's order.
func (o *OrderRecord) UnmarshalJSON(b []byte) error {
	var w orderJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	status := market.StatusOpen
	switch w.Closed {
	case "":
	case OrderCancelled:
		status = market.StatusCancelled
	case OrderSettled:
		status = market.StatusSettled
	default:
		return fmt.Errorf("order %d: closed %q, want %q or %q", w.ID, w.Closed, OrderCancelled, OrderSettled)
	}
	*o = OrderRecord{
		Order: market.Order{
			ID: new(big.Int).SetUint64(w.ID), Buyer: w.Buyer, Provider: w.Provider, Payee: w.Payee,
			Resources: w.Resources, Escrow: bigOf(w.Escrow), ManifestHash: w.ManifestHash,
			Start: market.Unix(w.Start), End: market.Unix(w.End), Status: status,
		},
		Paid: bigOf(w.Paid), Refund: bigOf(w.Refund), CreatedTx: w.CreatedTx, ClosedTx: w.ClosedTx,
		Batch: w.Batch, Role: w.Role, State: w.State,
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

// closed is "", OrderCancelled or OrderSettled.
func (o *OrderRecord) closed() string {
	switch o.Status {
	case market.StatusCancelled:
		return OrderCancelled
	case market.StatusSettled:
		return OrderSettled
	}
	return ""
}

// state is the order's API state at unix time now.
func (o *OrderRecord) state(now uint64) string {
	switch {
	case o.closed() != "":
		return o.closed()
	case now >= o.end():
		return OrderEnded
	default:
		return OrderActive
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
