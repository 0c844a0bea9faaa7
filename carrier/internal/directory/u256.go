package directory

import (
	"encoding/binary"
	"math/big"
	"math/bits"
)

// u256 is an unsigned 256-bit integer, w0 least significant. Rates (sums of
// four products of a 64-bit quantity and a 128-bit price, < 2^194) fit with
// room to spare; computing them this way instead of with big.Int keeps a
// scan over 100k listings allocation-free and fast. It is a struct, not an
// array, so that the compiler keeps it in registers.
type u256 struct{ w0, w1, w2, w3 uint64 }

// u128 is a 128-bit unit price.
type u128 struct{ hi, lo uint64 }

// u128Of converts a price of at most 128 bits (listing.Record.Validate
// guarantees it); nil is zero.
func u128Of(x *big.Int) u128 {
	if x == nil {
		return u128{}
	}
	var b [16]byte
	x.FillBytes(b[:])
	return u128{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:])}
}

// mulAdd adds q·p to z. The caller keeps the sum below 2^256.
func (z *u256) mulAdd(q uint64, p u128) {
	h0, l0 := bits.Mul64(q, p.lo)
	h1, l1 := bits.Mul64(q, p.hi)
	w1, c := bits.Add64(h0, l1, 0)
	w2 := h1 + c // h1 ≤ 2^64−2: no overflow
	var carry uint64
	z.w0, carry = bits.Add64(z.w0, l0, 0)
	z.w1, carry = bits.Add64(z.w1, w1, carry)
	z.w2, carry = bits.Add64(z.w2, w2, carry)
	z.w3 += carry
}

// cmp returns −1, 0 or +1 as z is less than, equal to or greater than x.
func (z u256) cmp(x u256) int {
	switch {
	case z.w3 != x.w3:
		return cmpWord(z.w3, x.w3)
	case z.w2 != x.w2:
		return cmpWord(z.w2, x.w2)
	case z.w1 != x.w1:
		return cmpWord(z.w1, x.w1)
	default:
		return cmpWord(z.w0, x.w0)
	}
}

func cmpWord(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// u256Of converts x ≥ 0; ok is false if x needs more than 256 bits.
func u256Of(x *big.Int) (z u256, ok bool) {
	if x.Sign() < 0 || x.BitLen() > 256 {
		return z, false
	}
	var b [32]byte
	x.FillBytes(b[:])
	return u256{
		w3: binary.BigEndian.Uint64(b[0:]), w2: binary.BigEndian.Uint64(b[8:]),
		w1: binary.BigEndian.Uint64(b[16:]), w0: binary.BigEndian.Uint64(b[24:]),
	}, true
}

func (z u256) big() *big.Int {
	var b [32]byte
	binary.BigEndian.PutUint64(b[0:], z.w3)
	binary.BigEndian.PutUint64(b[8:], z.w2)
	binary.BigEndian.PutUint64(b[16:], z.w1)
	binary.BigEndian.PutUint64(b[24:], z.w0)
	return new(big.Int).SetBytes(b[:])
}
