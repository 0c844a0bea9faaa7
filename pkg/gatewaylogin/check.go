package gatewaylogin

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/service"
)

// field is one field of an EIP-712 type.
type field struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// The only types a login challenge may have, in this order (EIP-712
// encodes fields in their declared order).
var (
	domainFields = []field{{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}}
	loginFields  = []field{{"gateway", "address"}, {"orderId", "uint256"}, {"nonce", "bytes32"}, {"expires", "uint64"}}
)

// challengeWire is the gateway's answer to POST /v1/orders/{id}/challenge.
type challengeWire struct {
	TypedData json.RawMessage `json:"typedData"`
	OrderID   json.RawMessage `json:"orderId"`
	Nonce     string          `json:"nonce"`
	Expires   json.RawMessage `json:"expires"`
}

// typedDataWire is EIP-712 typed data as wallets take it; its domain and
// message are read key by key so that no extra key goes unnoticed.
type typedDataWire struct {
	Types       map[string][]field         `json:"types"`
	PrimaryType string                     `json:"primaryType"`
	Domain      map[string]json.RawMessage `json:"domain"`
	Message     map[string]json.RawMessage `json:"message"`
}

// refuse is the error of a challenge a wallet must not sign.
func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrChallengeRefused, fmt.Sprintf(format, args...))
}

// CheckChallenge parses a gateway's challenge answer (ChallengeJSON, as
// the gateway sent it) and checks that it is a GatewayLogin for exactly
// want's chain id, Market, gateway and order — domain "gridnode gateway"
// version 1 — with no other type, domain or message field, and an expiry
// after now and at most maxTTL ahead. It returns the challenge built from
// those checked values, so that a wallet signs only what it built itself.
// Anything else is refused (ErrChallengeRefused) with what differs; an
// answer that is not JSON is ErrMalformedChallenge.
func CheckChallenge(raw []byte, want Challenge, now time.Time, maxTTL time.Duration) (Challenge, error) {
	var w challengeWire
	if err := json.Unmarshal(raw, &w); err != nil {
		return Challenge{}, fmt.Errorf("%w: %v", ErrMalformedChallenge, err)
	}
	if len(w.TypedData) == 0 {
		return Challenge{}, refuse("the answer has no typedData")
	}
	var td typedDataWire
	dec := json.NewDecoder(bytes.NewReader(w.TypedData))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&td); err != nil {
		return Challenge{}, refuse("typedData: %v", err)
	}
	if td.PrimaryType != PrimaryType {
		return Challenge{}, refuse("primaryType %q, want %q", clip(td.PrimaryType), PrimaryType)
	}
	if err := checkTypes(td.Types); err != nil {
		return Challenge{}, err
	}
	if err := checkKeys("domain", td.Domain, domainFields); err != nil {
		return Challenge{}, err
	}
	if err := checkKeys("message", td.Message, loginFields); err != nil {
		return Challenge{}, err
	}

	// The domain: ours, on our chain, for our Market.
	if s, err := str(td.Domain["name"]); err != nil || s != DomainName {
		return Challenge{}, refuse("domain name %s, want %q", clipRaw(td.Domain["name"]), DomainName)
	}
	if s, err := str(td.Domain["version"]); err != nil || s != DomainVersion {
		return Challenge{}, refuse("domain version %s, want %q", clipRaw(td.Domain["version"]), DomainVersion)
	}
	chainID, err := uint256(td.Domain["chainId"])
	if err != nil {
		return Challenge{}, refuse("domain chainId %s: %v", clipRaw(td.Domain["chainId"]), err)
	}
	if chainID.Cmp(want.ChainID) != 0 {
		return Challenge{}, refuse("the challenge is for chain %s, not this carrier's chain %s", chainID, want.ChainID)
	}
	market, err := address(td.Domain["verifyingContract"])
	if err != nil {
		return Challenge{}, refuse("domain verifyingContract %s: %v", clipRaw(td.Domain["verifyingContract"]), err)
	}
	if market != want.Market {
		return Challenge{}, refuse("the challenge is for Market %s, not this carrier's Market %s", market.Hex(), want.Market.Hex())
	}

	// The message: the order's provider, the order, a nonce, a near expiry.
	gw, err := address(td.Message["gateway"])
	if err != nil {
		return Challenge{}, refuse("message gateway %s: %v", clipRaw(td.Message["gateway"]), err)
	}
	if gw != want.Gateway {
		return Challenge{}, refuse("the challenge names gateway %s, but order %s's provider is %s", gw.Hex(), want.OrderID, want.Gateway.Hex())
	}
	id, err := uint256(td.Message["orderId"])
	if err != nil {
		return Challenge{}, refuse("message orderId %s: %v", clipRaw(td.Message["orderId"]), err)
	}
	if id.Cmp(want.OrderID) != 0 {
		return Challenge{}, refuse("the challenge is for order %s, not order %s", id, want.OrderID)
	}
	if len(w.OrderID) > 0 {
		if top, err := uint256(w.OrderID); err != nil || top.Cmp(want.OrderID) != 0 {
			return Challenge{}, refuse("the answer's orderId %s is not order %s", clipRaw(w.OrderID), want.OrderID)
		}
	}
	c := Challenge{ChainID: want.ChainID, Market: want.Market, Gateway: want.Gateway, OrderID: want.OrderID}
	ns, err := str(td.Message["nonce"])
	if err == nil {
		err = decodeHex32(ns, &c.Nonce)
	}
	if err != nil {
		return Challenge{}, refuse("message nonce %s: %v", clipRaw(td.Message["nonce"]), err)
	}
	var top [32]byte
	if err := decodeHex32(w.Nonce, &top); err != nil || top != c.Nonce {
		return Challenge{}, refuse("the answer's nonce %q is not the message's", clip(w.Nonce))
	}
	exp, err := uint256(td.Message["expires"])
	if err != nil || !exp.IsUint64() {
		return Challenge{}, refuse("message expires %s: want unix seconds", clipRaw(td.Message["expires"]))
	}
	c.Expires = exp.Uint64()
	if topExp, err := uint256(w.Expires); err != nil || topExp.Cmp(exp) != 0 {
		return Challenge{}, refuse("the answer's expires %s is not the message's %d", clipRaw(w.Expires), c.Expires)
	}
	nowS := now.Unix()
	if c.Expires > 1<<62 || int64(c.Expires) <= nowS {
		return Challenge{}, refuse("the challenge expired at %s (now %s)", unix(c.Expires), now.UTC().Format(time.RFC3339))
	}
	if int64(c.Expires) > nowS+int64(maxTTL/time.Second) {
		return Challenge{}, refuse("the challenge expires at %s, more than %s from now: a signature must not stay usable that long", unix(c.Expires), maxTTL)
	}
	return c, nil
}

func unix(s uint64) string {
	if s > 1<<62 {
		return strconv.FormatUint(s, 10)
	}
	return time.Unix(int64(s), 0).UTC().Format(time.RFC3339)
}

// checkTypes wants exactly EIP712Domain and GatewayLogin with their fields.
func checkTypes(types map[string][]field) error {
	want := map[string][]field{"EIP712Domain": domainFields, PrimaryType: loginFields}
	for name := range types {
		if _, ok := want[name]; !ok {
			return refuse("typedData has the type %q; a login has only EIP712Domain and %s", clip(name), PrimaryType)
		}
	}
	for name, fs := range want {
		got, ok := types[name]
		if !ok {
			return refuse("typedData lacks the type %s", name)
		}
		if !equalFields(got, fs) {
			return refuse("type %s is %s, want %s", name, typeString(got), typeString(fs))
		}
	}
	return nil
}

func equalFields(a, b []field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func typeString(fs []field) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = clip(f.Type) + " " + clip(f.Name)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// checkKeys wants exactly the fields' names as keys.
func checkKeys(what string, m map[string]json.RawMessage, fs []field) error {
	want := map[string]bool{}
	for _, f := range fs {
		want[f.Name] = true
		if _, ok := m[f.Name]; !ok {
			return refuse("the %s has no %s", what, f.Name)
		}
	}
	var extra []string
	for k := range m {
		if !want[k] {
			extra = append(extra, clip(k))
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return refuse("the %s has unexpected fields %v", what, extra)
	}
	return nil
}

func str(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errors.New("want a string")
	}
	return s, nil
}

// uint256 reads a JSON number of digits only, or a string of decimal
// digits or 0x and hex digits, below 2^256.
func uint256(raw json.RawMessage) (*big.Int, error) {
	s := strings.TrimSpace(string(raw))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if s == "" || len(s) > 80 {
		return nil, errors.New("want an unsigned integer")
	}
	var v *big.Int
	var ok bool
	if h, isHex := strings.CutPrefix(s, "0x"); isHex {
		if h == "" || strings.Trim(h, "0123456789abcdefABCDEF") != "" {
			return nil, errors.New("want an unsigned integer")
		}
		v, ok = new(big.Int).SetString(h, 16)
	} else {
		if strings.Trim(s, "0123456789") != "" {
			return nil, errors.New("want an unsigned integer")
		}
		v, ok = new(big.Int).SetString(s, 10)
	}
	if !ok || v.BitLen() > 256 {
		return nil, errors.New("want an unsigned integer below 2^256")
	}
	return v, nil
}

func address(raw json.RawMessage) (common.Address, error) {
	s, err := str(raw)
	if err != nil {
		return common.Address{}, err
	}
	if !strings.HasPrefix(s, "0x") || !common.IsHexAddress(s) {
		return common.Address{}, errors.New("want 0x and 40 hex digits")
	}
	return common.HexToAddress(s), nil
}

func decodeHex32(s string, dst *[32]byte) error {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || len(h) != 64 {
		return errors.New("want 0x and 64 hex digits")
	}
	if _, err := hex.Decode(dst[:], []byte(h)); err != nil {
		return errors.New("want 0x and 64 hex digits")
	}
	return nil
}

// clip shortens untrusted text for an error message and drops control
// characters.
func clip(s string) string { return service.ClipText(s, 80) }

func clipRaw(raw json.RawMessage) string { return clip(string(raw)) }
