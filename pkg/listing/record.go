package listing

import (
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/market"
)

// Record versions: the first byte after the magic in the encoding and the
// value of Record.Version.
const (
	// Version1 is the first encoding, without the owner. It is refused
	// (ErrUnsupportedVersion): nothing in it says whom an order pays, so it
	// cannot be checked against the Registry. The network is upgraded as a
	// whole (the gossip topic and sync protocol ids changed with it).
	Version1 uint8 = 1
	// Version2 is the current encoding: version 1 plus the owner.
	Version2 uint8 = 2
)

// Field limits. Every record within them encodes to at most MaxRecordSize
// bytes.
const (
	MaxOrgLength      = 63
	MaxURLLength      = 256 // as Registry.MAX_URL_LENGTH
	MaxRegionLength   = 64  // as Registry.MAX_REGION_LENGTH
	MaxGPUModelLength = 64  // as Registry.MAX_GPU_MODEL_LENGTH
	MaxLabels         = 32
	MaxLabelKeyLength = 63
	MaxLabelValLength = 128
	// MaxPriceBits is the width of a unit price: the Registry stores uint128.
	MaxPriceBits = 128
)

// Capacity is what a provider has in total and what is free now. Free never
// exceeds Total and has the same GPU model.
type Capacity struct {
	Total market.Resources
	Free  market.Resources
}

// Record is a provider's listing. Records are treated as immutable once
// signed: the directory and the verifier share them between goroutines.
type Record struct {
	// Version is the encoding version; Version2.
	Version uint8
	// Provider is the provider's address; the record must be signed by its
	// key.
	Provider common.Address
	// Owner is the organization wallet the provider is registered to in
	// the Registry (ownerOf(Provider)): the payee of the orders it takes.
	// Never zero. Verifier refuses a listing whose owner is not the
	// Registry's (ErrOwnerMismatch), and buyers refuse to order from a
	// provider whose on-chain owner is not the listing's.
	Owner common.Address
	// Org is the organisation id: lowercase letters, digits and '-', not
	// starting or ending with '-', 1 to MaxOrgLength bytes.
	Org string
	// GatewayURL is the provider gateway's public http(s) URL (through the
	// org's via). Required unless Tombstone.
	GatewayURL string
	Capacity   Capacity
	Prices     market.Prices
	// Region is empty or lowercase letters, digits, '.', '_' and '-'.
	Region string
	// Labels are at most MaxLabels key/value pairs; see Validate for the
	// charsets.
	Labels map[string]string
	// Seq increases with every record the provider issues; at least 1.
	Seq uint64
	// IssuedAt and Expires are unix seconds; IssuedAt > 0 and
	// Expires > IssuedAt.
	IssuedAt int64
	Expires  int64
	// Tombstone marks a withdrawal: the provider's listing is gone. It keeps
	// its Seq so that older records cannot come back until it expires;
	// it should expire no earlier than the records it withdraws.
	Tombstone bool
	// Signature is the provider's secp256k1 signature, [R || S || V] with
	// V in {0, 1} and low S, over SigningDigest.
	Signature [65]byte
}

// Validate checks every field against its limits and charset. It does not
// check the signature or the times against a clock (see Verifier).
func (r *Record) Validate() error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidField, err)
	}
	return nil
}

type fieldError struct {
	field, problem string
}

func (e *fieldError) Error() string { return e.field + ": " + e.problem }

func bad(field, format string, args ...any) error {
	return &fieldError{field: field, problem: fmt.Sprintf(format, args...)}
}

func (r *Record) validate() error {
	if r.Version != Version2 {
		return bad("version", "%d, want %d", r.Version, Version2)
	}
	if r.Provider == (common.Address{}) {
		return bad("provider", "zero address")
	}
	if r.Owner == (common.Address{}) {
		return bad("owner", "zero address")
	}
	if err := checkOrg(r.Org); err != nil {
		return err
	}
	if err := checkURL(r.GatewayURL, r.Tombstone); err != nil {
		return err
	}
	if err := checkResources("capacity.total", r.Capacity.Total); err != nil {
		return err
	}
	if err := checkResources("capacity.free", r.Capacity.Free); err != nil {
		return err
	}
	t, f := r.Capacity.Total, r.Capacity.Free
	if f.CPUMillis > t.CPUMillis || f.MemoryBytes > t.MemoryBytes || f.StorageBytes > t.StorageBytes || f.GPUs > t.GPUs {
		return bad("capacity.free", "exceeds capacity.total")
	}
	if f.GPUModel != t.GPUModel {
		return bad("capacity.free.gpuModel", "%q differs from capacity.total's %q", f.GPUModel, t.GPUModel)
	}
	for _, p := range []struct {
		name string
		v    *big.Int
	}{{"prices.cpuMilli", r.Prices.CPUMilli}, {"prices.memoryMiB", r.Prices.MemoryMiB}, {"prices.storageGiB", r.Prices.StorageGiB}, {"prices.gpu", r.Prices.GPU}} {
		if p.v == nil {
			continue
		}
		if p.v.Sign() < 0 {
			return bad(p.name, "negative")
		}
		if p.v.BitLen() > MaxPriceBits {
			return bad(p.name, "wider than %d bits", MaxPriceBits)
		}
	}
	if len(r.Region) > MaxRegionLength {
		return bad("region", "%d bytes, max %d", len(r.Region), MaxRegionLength)
	}
	if !allIn(r.Region, isRegionChar) {
		return bad("region", "%q: only a-z, 0-9, '.', '_' and '-'", r.Region)
	}
	if len(r.Labels) > MaxLabels {
		return bad("labels", "%d labels, max %d", len(r.Labels), MaxLabels)
	}
	for k, v := range r.Labels {
		if err := checkLabel(k, v); err != nil {
			return err
		}
	}
	if r.Seq == 0 {
		return bad("seq", "zero")
	}
	if r.IssuedAt <= 0 {
		return bad("issuedAt", "%d, must be positive", r.IssuedAt)
	}
	if r.Expires <= r.IssuedAt {
		return bad("expires", "%d, not after issuedAt %d", r.Expires, r.IssuedAt)
	}
	return nil
}

func checkOrg(org string) error {
	if org == "" || len(org) > MaxOrgLength {
		return bad("org", "%d bytes, want 1 to %d", len(org), MaxOrgLength)
	}
	if !allIn(org, isOrgChar) || org[0] == '-' || org[len(org)-1] == '-' {
		return bad("org", "%q: only a-z, 0-9 and inner '-'", org)
	}
	return nil
}

func checkURL(s string, tombstone bool) error {
	if s == "" {
		if tombstone {
			return nil
		}
		return bad("gatewayURL", "empty")
	}
	if len(s) > MaxURLLength {
		return bad("gatewayURL", "%d bytes, max %d", len(s), MaxURLLength)
	}
	if !allIn(s, isPrintableASCII) {
		return bad("gatewayURL", "non-printable or non-ASCII byte")
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("gatewayURL", "%v", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return bad("gatewayURL", "scheme %q, want https or http", u.Scheme)
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return bad("gatewayURL", "%q: want scheme://host[:port][/path][?query]", s)
	}
	return nil
}

func checkResources(field string, r market.Resources) error {
	if len(r.GPUModel) > MaxGPUModelLength {
		return bad(field+".gpuModel", "%d bytes, max %d", len(r.GPUModel), MaxGPUModelLength)
	}
	if !allIn(r.GPUModel, isPrintableASCII) {
		return bad(field+".gpuModel", "non-printable or non-ASCII byte")
	}
	return nil
}

func checkLabel(k, v string) error {
	if k == "" || len(k) > MaxLabelKeyLength {
		return bad("labels", "key %q: %d bytes, want 1 to %d", k, len(k), MaxLabelKeyLength)
	}
	if !allIn(k, isLabelKeyChar) || !isAlnum(k[0]) {
		return bad("labels", "key %q: only a-z, 0-9, '.', '_', '/' and '-', starting with a-z or 0-9", k)
	}
	if len(v) > MaxLabelValLength {
		return bad("labels", "value of %q: %d bytes, max %d", k, len(v), MaxLabelValLength)
	}
	if !allIn(v, isLabelValueChar) {
		return bad("labels", "value of %q: only A-Z, a-z, 0-9 and '.', '_', '-', ':', '/', '+', '=', '@'", k)
	}
	return nil
}

func allIn(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool          { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
func isOrgChar(c byte) bool        { return isAlnum(c) || c == '-' }
func isRegionChar(c byte) bool     { return isAlnum(c) || c == '.' || c == '_' || c == '-' }
func isLabelKeyChar(c byte) bool   { return isRegionChar(c) || c == '/' }
func isPrintableASCII(c byte) bool { return 0x20 <= c && c < 0x7f }
func isLabelValueChar(c byte) bool {
	return isAlnum(c) || 'A' <= c && c <= 'Z' || strings.IndexByte("._-:/+=@", c) >= 0
}

// sortedLabelKeys returns the label keys in ascending byte order, the order
// of the encoding.
func sortedLabelKeys(labels map[string]string) []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
