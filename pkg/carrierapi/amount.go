package carrierapi

import (
	"encoding/json"
	"math/big"

	"github.com/gridnode/gridnode/pkg/market"
)

// Amount is a token amount in base units. Its JSON is a decimal string so
// that JavaScript clients keep every digit; a JSON number is accepted too
// (market.ParseAmountJSON).
type Amount struct{ v big.Int }

// NewAmount copies v (nil is zero).
func NewAmount(v *big.Int) *Amount {
	a := &Amount{}
	if v != nil {
		a.v.Set(v)
	}
	return a
}

// Big returns a copy of the amount; nil is zero.
func (a *Amount) Big() *big.Int {
	if a == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(&a.v)
}

func (a *Amount) String() string { return a.Big().String() }

// MarshalJSON renders the amount as a decimal string.
func (a *Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.v.String()) }

// UnmarshalJSON accepts a decimal string or a JSON integer, not negative.
func (a *Amount) UnmarshalJSON(b []byte) error {
	v, err := market.ParseAmountJSON(b)
	if err != nil {
		return err
	}
	a.v.Set(v)
	return nil
}
