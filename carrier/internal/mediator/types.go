package mediator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/pkg/listing"
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
const MaxAmountDigits = 78

// UnmarshalJSON accepts a decimal string or a JSON integer, not negative.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || len(s) > MaxAmountDigits {
		return fmt.Errorf("amount %q: want 1 to %d decimal digits", s, MaxAmountDigits)
	}
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || v.Sign() < 0 {
		return fmt.Errorf("amount %q: want a non-negative integer of token base units", s)
	}
	a.v.Set(v)
	return nil
}

// Resources are an amount of compute, as the Market bills it.
type Resources struct {
	CPUMillis    uint64 `json:"cpuMillis"`
	MemoryBytes  uint64 `json:"memoryBytes"`
	StorageBytes uint64 `json:"storageBytes"`
	GPUs         uint32 `json:"gpus"`
	GPUModel     string `json:"gpuModel,omitempty"`
}

// Listing converts r for the directory and the scheduler.
func (r Resources) Listing() listing.Resources {
	return listing.Resources{CPUMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, GPUs: r.GPUs, GPUModel: r.GPUModel}
}

func (r Resources) market() market.MarketResources {
	return market.MarketResources{CpuMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, Gpus: r.GPUs}
}

func resourcesOf(m market.MarketResources) Resources {
	return Resources{CPUMillis: m.CpuMillis, MemoryBytes: m.MemoryBytes, StorageBytes: m.StorageBytes, GPUs: m.Gpus}
}

// Prices are unit prices per second in token base units, as the Registry
// stores them.
type Prices struct {
	CPUMilli   *Amount `json:"cpuMilli"`
	MemoryMiB  *Amount `json:"memoryMiB"`
	StorageGiB *Amount `json:"storageGiB"`
	GPU        *Amount `json:"gpu"`
}

func pricesOf(p registry.RegistryPrices) Prices {
	return Prices{CPUMilli: NewAmount(p.CpuMilli), MemoryMiB: NewAmount(p.MemoryMiB), StorageGiB: NewAmount(p.StorageGiB), GPU: NewAmount(p.Gpu)}
}

func (p Prices) registry() registry.RegistryPrices {
	return registry.RegistryPrices{CpuMilli: p.CPUMilli.Big(), MemoryMiB: p.MemoryMiB.Big(), StorageGiB: p.StorageGiB.Big(), Gpu: p.GPU.Big()}
}

func (p Prices) listing() listing.Prices {
	return listing.Prices{CPUMilli: p.CPUMilli.Big(), MemoryMiB: p.MemoryMiB.Big(), StorageGiB: p.StorageGiB.Big(), GPU: p.GPU.Big()}
}

// Market order statuses (Market.Status).
const (
	statusNone      = 0
	statusOpen      = 1
	statusCancelled = 2
	statusSettled   = 3
)

// Order states as the API shows them.
const (
	OrderActive    = "active"    // open, before its end
	OrderEnded     = "ended"     // open, past its end: to be settled
	OrderCancelled = "cancelled" // closed by the buyer; paid for the time used
	OrderSettled   = "settled"   // closed after its end; paid in full
)

// Order is an order of this organization, as buyer or as payee.
type Order struct {
	ID           uint64         `json:"id"`
	Buyer        common.Address `json:"buyer"`
	Provider     common.Address `json:"provider"`
	Payee        common.Address `json:"payee"`
	Resources    Resources      `json:"resources"`
	Escrow       *Amount        `json:"escrow"`
	ManifestHash common.Hash    `json:"manifestHash"`
	Start        uint64         `json:"start"`
	End          uint64         `json:"end"`
	// Closed is "", "cancelled" or "settled" as last seen on chain.
	Closed string `json:"closed,omitempty"`
	// Paid went to the payee, Refund back to the buyer, once closed.
	Paid      *Amount     `json:"paid,omitempty"`
	Refund    *Amount     `json:"refund,omitempty"`
	CreatedTx common.Hash `json:"createdTx"`
	ClosedTx  common.Hash `json:"closedTx,omitzero"`
	// Batch is the last settlement batch that included the order.
	Batch uint64 `json:"batch,omitempty"`

	// Filled in for the API.
	Role  string `json:"role,omitempty"`
	State string `json:"state,omitempty"`
}

// state is the order's API state at unix time now.
func (o *Order) state(now uint64) string {
	switch {
	case o.Closed != "":
		return o.Closed
	case now >= o.End:
		return OrderEnded
	default:
		return OrderActive
	}
}

func (o *Order) role(self common.Address) string {
	switch {
	case o.Buyer == self && o.Payee == self:
		return "buyer+seller"
	case o.Buyer == self:
		return "buyer"
	default:
		return "seller"
	}
}
