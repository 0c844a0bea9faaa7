package listing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/market"
)

// The version-2 encoding, all integers big-endian, in this fixed order:
//
//	magic        3 bytes  "GNL"
//	version      1 byte   2
//	provider     20 bytes
//	owner        20 bytes nonzero: the provider's owner in the Registry
//	flags        1 byte   bit 0: tombstone; other bits zero
//	seq          8 bytes
//	issuedAt     8 bytes  unix seconds, < 2^63
//	expires      8 bytes  unix seconds, < 2^63
//	org          1-byte length + bytes
//	gatewayURL   2-byte length + bytes
//	region       1-byte length + bytes
//	total, free  each: cpuMillis 8, memoryBytes 8, storageBytes 8, gpus 4,
//	             gpuModel 1-byte length + bytes
//	prices       cpuMilli, memoryMiB, storageGiB, gpu: each a 1-byte length
//	             (0 to 16) + minimal big-endian magnitude (no leading zero
//	             byte; zero is the empty string)
//	labels       1-byte count, then per label, keys strictly ascending:
//	             1-byte key length + key, 1-byte value length + value
//	signature    65 bytes [R || S || V], V in {0, 1}, S in the lower half
//
// Every length is bounded by its field limit and nothing may follow the
// signature, so a record has exactly one encoding. The signed body is the
// encoding without its last 65 bytes.
//
// Version 1 was the same without the owner. Unmarshal refuses it
// (ErrUnsupportedVersion): a version-1 record names no payee, so no carrier
// can check it against the Registry, and buyers could not tell whom an
// order would pay. Carriers and gateways are upgraded together.

// MaxRecordSize bounds an encoded record. Every record within the field
// limits fits (the largest possible is 6,952 bytes, most of it labels; the
// owner added 20 bytes to version 1's 6,932).
const MaxRecordSize = 8 << 10

// SignatureSize is the length of Record.Signature.
const SignatureSize = 65

var magic = [3]byte{'G', 'N', 'L'}

const (
	flagTombstone = 1 << 0
	fixedHeader   = len(magic) + 1 + 2*common.AddressLength + 1 + 3*8
	maxPriceBytes = MaxPriceBits / 8
)

// Marshal returns the canonical encoding of r, signature included (zero if
// r is unsigned). It fails if r is not valid.
func Marshal(r *Record) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return appendBody(make([]byte, 0, 512), r), nil
}

// appendBody appends the encoding of r including its signature; r must be
// valid.
func appendBody(b []byte, r *Record) []byte {
	b = append(b, magic[:]...)
	b = append(b, r.Version)
	b = append(b, r.Provider[:]...)
	b = append(b, r.Owner[:]...)
	var flags byte
	if r.Tombstone {
		flags |= flagTombstone
	}
	b = append(b, flags)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(r.IssuedAt))
	b = binary.BigEndian.AppendUint64(b, uint64(r.Expires))
	b = appendString8(b, r.Org)
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.GatewayURL)))
	b = append(b, r.GatewayURL...)
	b = appendString8(b, r.Region)
	b = appendResources(b, r.Capacity.Total)
	b = appendResources(b, r.Capacity.Free)
	for _, p := range []*big.Int{r.Prices.CPUMilli, r.Prices.MemoryMiB, r.Prices.StorageGiB, r.Prices.GPU} {
		var mag []byte
		if p != nil {
			mag = p.Bytes() // minimal big-endian; empty for zero
		}
		b = append(b, byte(len(mag)))
		b = append(b, mag...)
	}
	b = append(b, byte(len(r.Labels)))
	for _, k := range sortedLabelKeys(r.Labels) {
		b = appendString8(b, k)
		b = appendString8(b, r.Labels[k])
	}
	return append(b, r.Signature[:]...)
}

func appendString8(b []byte, s string) []byte {
	b = append(b, byte(len(s)))
	return append(b, s...)
}

func appendResources(b []byte, r market.Resources) []byte {
	b = binary.BigEndian.AppendUint64(b, r.CPUMillis)
	b = binary.BigEndian.AppendUint64(b, r.MemoryBytes)
	b = binary.BigEndian.AppendUint64(b, r.StorageBytes)
	b = binary.BigEndian.AppendUint32(b, r.GPUs)
	return appendString8(b, r.GPUModel)
}

// Unmarshal decodes a canonical encoding and validates its fields and the
// form of its signature (not whose it is: see Signer). It returns an error
// wrapping ErrTooLarge, ErrMalformed, ErrUnsupportedVersion, ErrInvalidField
// or ErrBadSignature.
func Unmarshal(b []byte) (*Record, error) {
	if len(b) > MaxRecordSize {
		return nil, fmt.Errorf("%w: %d bytes, max %d", ErrTooLarge, len(b), MaxRecordSize)
	}
	r, err := decode(b)
	if err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := checkSignatureForm(r.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

var errShort = errors.New("truncated")

type reader struct {
	b   []byte
	err error
}

func (d *reader) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.err = errShort
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *reader) u8() uint8 {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *reader) u16() uint16 {
	if v := d.take(2); v != nil {
		return binary.BigEndian.Uint16(v)
	}
	return 0
}

func (d *reader) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.BigEndian.Uint32(v)
	}
	return 0
}

func (d *reader) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// str8 reads a 1-byte length and that many bytes, failing past max.
func (d *reader) str8(field string, max int) string {
	n := int(d.u8())
	if d.err == nil && n > max {
		d.err = fmt.Errorf("%s: length %d, max %d", field, n, max)
	}
	return string(d.take(n))
}

func (d *reader) resources(field string) market.Resources {
	return market.Resources{
		CPUMillis:    d.u64(),
		MemoryBytes:  d.u64(),
		StorageBytes: d.u64(),
		GPUs:         d.u32(),
		GPUModel:     d.str8(field+".gpuModel", MaxGPUModelLength),
	}
}

func (d *reader) price(field string) *big.Int {
	n := int(d.u8())
	if d.err == nil && n > maxPriceBytes {
		d.err = fmt.Errorf("%s: %d bytes, max %d", field, n, maxPriceBytes)
	}
	mag := d.take(n)
	if d.err == nil && n > 0 && mag[0] == 0 {
		d.err = fmt.Errorf("%s: leading zero byte", field)
	}
	return new(big.Int).SetBytes(mag)
}

func (d *reader) unixTime(field string) int64 {
	v := d.u64()
	if d.err == nil && v > math.MaxInt64 {
		d.err = fmt.Errorf("%s: %d out of range", field, v)
	}
	return int64(v)
}

func decode(b []byte) (*Record, error) {
	d := &reader{b: b}
	if len(b) <= len(magic) || [3]byte(b[:3]) != magic {
		return nil, fmt.Errorf("%w: no record magic", ErrMalformed)
	}
	d.take(len(magic))
	r := &Record{Version: d.u8()}
	switch r.Version {
	case Version2:
	case Version1:
		return nil, fmt.Errorf("%w: %d, a listing without its owner; the provider must publish a version-%d listing (upgrade its gateway)",
			ErrUnsupportedVersion, r.Version, Version2)
	default:
		return nil, fmt.Errorf("%w: %d", ErrUnsupportedVersion, r.Version)
	}
	if len(b) < fixedHeader {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the fixed header", ErrMalformed, len(b))
	}
	r.Provider = common.Address(d.take(common.AddressLength))
	r.Owner = common.Address(d.take(common.AddressLength))
	flags := d.u8()
	if flags&^flagTombstone != 0 {
		return nil, fmt.Errorf("%w: unknown flags %#x", ErrMalformed, flags)
	}
	r.Tombstone = flags&flagTombstone != 0
	r.Seq = d.u64()
	r.IssuedAt = d.unixTime("issuedAt")
	r.Expires = d.unixTime("expires")
	r.Org = d.str8("org", MaxOrgLength)
	if n := int(d.u16()); d.err == nil && n > MaxURLLength {
		d.err = fmt.Errorf("gatewayURL: length %d, max %d", n, MaxURLLength)
	} else {
		r.GatewayURL = string(d.take(n))
	}
	r.Region = d.str8("region", MaxRegionLength)
	r.Capacity.Total = d.resources("capacity.total")
	r.Capacity.Free = d.resources("capacity.free")
	r.Prices = market.Prices{
		CPUMilli:   d.price("prices.cpuMilli"),
		MemoryMiB:  d.price("prices.memoryMiB"),
		StorageGiB: d.price("prices.storageGiB"),
		GPU:        d.price("prices.gpu"),
	}
	n := int(d.u8())
	if d.err == nil && n > MaxLabels {
		d.err = fmt.Errorf("labels: %d, max %d", n, MaxLabels)
	}
	if d.err == nil && n > 0 {
		r.Labels = make(map[string]string, n)
		prev := ""
		for i := 0; i < n && d.err == nil; i++ {
			k := d.str8("labels key", MaxLabelKeyLength)
			v := d.str8("labels value", MaxLabelValLength)
			if d.err == nil && i > 0 && k <= prev {
				d.err = fmt.Errorf("labels: key %q not after %q", k, prev)
			}
			r.Labels[k], prev = v, k
		}
	}
	copy(r.Signature[:], d.take(SignatureSize))
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, d.err)
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(d.b))
	}
	return r, nil
}

// checkSignatureForm rejects the malleable forms of a signature (high S, V
// other than 0 or 1, R or S out of range), so that a record has one valid
// signature per key.
func checkSignatureForm(sig [65]byte) error {
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	if !crypto.ValidateSignatureValues(sig[64], r, s, true) {
		return fmt.Errorf("%w: not a canonical secp256k1 signature", ErrBadSignature)
	}
	return nil
}
