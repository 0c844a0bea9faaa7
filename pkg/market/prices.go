package market

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// Billing units of the Market contract: memory is billed per MiB and storage
// per GiB, each rounded up.
const (
	MiB = 1 << 20
	GiB = 1 << 30
)

// MaxDuration is the Market's longest order, in seconds (365 days).
const MaxDuration = 365 * 24 * 60 * 60

// Prices are unit prices in token base units per second, exactly as the
// Registry stores them: per millicore, per MiB of memory, per GiB of storage
// and per GPU. A nil price is zero. The Registry stores each in 128 bits.
//
// In JSON each price is a decimal string, so that JavaScript clients keep
// every digit; a JSON number is accepted too.
type Prices struct {
	CPUMilli   *big.Int
	MemoryMiB  *big.Int
	StorageGiB *big.Int
	GPU        *big.Int
}

// PricesFromRegistry converts the Registry's Prices.
func PricesFromRegistry(p registry.RegistryPrices) Prices {
	return Prices{CPUMilli: clone(p.CpuMilli), MemoryMiB: clone(p.MemoryMiB), StorageGiB: clone(p.StorageGiB), GPU: clone(p.Gpu)}
}

// Registry converts p for the Registry contract; nil prices become zero.
func (p Prices) Registry() registry.RegistryPrices {
	return registry.RegistryPrices{CpuMilli: orZero(p.CPUMilli), MemoryMiB: orZero(p.MemoryMiB), StorageGiB: orZero(p.StorageGiB), Gpu: orZero(p.GPU)}
}

// Equal reports whether p and o are the same prices (nil equals zero).
func (p Prices) Equal(o Prices) bool {
	return orZero(p.CPUMilli).Cmp(orZero(o.CPUMilli)) == 0 && orZero(p.MemoryMiB).Cmp(orZero(o.MemoryMiB)) == 0 &&
		orZero(p.StorageGiB).Cmp(orZero(o.StorageGiB)) == 0 && orZero(p.GPU).Cmp(orZero(o.GPU)) == 0
}

func clone(v *big.Int) *big.Int {
	if v == nil {
		return nil
	}
	return new(big.Int).Set(v)
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(v)
}

// Rate is what req costs per second at these prices, exactly as the Market
// computes an order's rate: cpuMillis·CPUMilli + ceil(memory/MiB)·MemoryMiB +
// ceil(storage/GiB)·StorageGiB + gpus·GPU. req.GPUModel is ignored.
func (p Prices) Rate(req Resources) *big.Int {
	rate := new(big.Int)
	term := new(big.Int)
	add := func(qty uint64, price *big.Int) {
		if price == nil || qty == 0 {
			return
		}
		rate.Add(rate, term.Mul(term.SetUint64(qty), price))
	}
	add(req.CPUMillis, p.CPUMilli)
	add(ceilDiv(req.MemoryBytes, MiB), p.MemoryMiB)
	add(ceilDiv(req.StorageBytes, GiB), p.StorageGiB)
	add(uint64(req.GPUs), p.GPU)
	return rate
}

// Cost is Rate(req) × duration seconds: the escrow the Market takes for an
// order of req over duration.
func (p Prices) Cost(req Resources, duration uint64) *big.Int {
	r := p.Rate(req)
	return r.Mul(r, new(big.Int).SetUint64(duration))
}

func ceilDiv(a, b uint64) uint64 {
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
}

// pricesJSON is the wire form of Prices: decimal strings, null for nil.
type pricesJSON struct {
	CPUMilli   *decimal `json:"cpuMilli"`
	MemoryMiB  *decimal `json:"memoryMiB"`
	StorageGiB *decimal `json:"storageGiB"`
	GPU        *decimal `json:"gpu"`
}

// MarshalJSON renders each price as a decimal string (null when nil).
func (p Prices) MarshalJSON() ([]byte, error) {
	return json.Marshal(pricesJSON{CPUMilli: (*decimal)(p.CPUMilli), MemoryMiB: (*decimal)(p.MemoryMiB),
		StorageGiB: (*decimal)(p.StorageGiB), GPU: (*decimal)(p.GPU)})
}

// UnmarshalJSON reads each price as a decimal string or a JSON integer, not
// negative, at most MaxAmountDigits digits; a missing or null price is nil.
func (p *Prices) UnmarshalJSON(b []byte) error {
	var w pricesJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Prices{CPUMilli: (*big.Int)(w.CPUMilli), MemoryMiB: (*big.Int)(w.MemoryMiB),
		StorageGiB: (*big.Int)(w.StorageGiB), GPU: (*big.Int)(w.GPU)}
	return nil
}

// MaxAmountDigits bounds a token amount's decimal digits in JSON (2^256
// has 78).
const MaxAmountDigits = 78

// decimal is a token amount whose JSON is a decimal string.
type decimal big.Int

func (d *decimal) MarshalJSON() ([]byte, error) { return json.Marshal((*big.Int)(d).String()) }

func (d *decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseAmountJSON(b)
	if err != nil {
		return err
	}
	(*big.Int)(d).Set(v)
	return nil
}

// ParseAmountJSON reads a token amount in base units from JSON: a decimal
// string or a JSON integer, not negative, 1 to MaxAmountDigits digits.
func ParseAmountJSON(b []byte) (*big.Int, error) {
	s := strings.Trim(string(b), `"`)
	if s == "" || len(s) > MaxAmountDigits {
		return nil, fmt.Errorf("amount %q: want 1 to %d decimal digits", s, MaxAmountDigits)
	}
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || v.Sign() < 0 {
		return nil, fmt.Errorf("amount %q: want a non-negative integer of token base units", s)
	}
	return v, nil
}
