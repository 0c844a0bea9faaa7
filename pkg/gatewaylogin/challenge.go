package gatewaylogin

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"golang.org/x/crypto/sha3"
)

// The EIP-712 domain and type of a login challenge (docs/gateway-api.yaml).
const (
	DomainName    = "gridnode gateway"
	DomainVersion = "1"
	PrimaryType   = "GatewayLogin"
)

// Type strings as EIP-712 encodes them.
const (
	domainTypeString = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
	loginTypeString  = PrimaryType + "(address gateway,uint256 orderId,bytes32 nonce,uint64 expires)"
)

var (
	domainTypeHash = crypto.Keccak256([]byte(domainTypeString))
	loginTypeHash  = crypto.Keccak256([]byte(loginTypeString))
	nameHash       = crypto.Keccak256([]byte(DomainName))
	versionHash    = crypto.Keccak256([]byte(DomainVersion))
)

// Challenge is what a buyer signs to log in: EIP-712 typed data with the
// chain id and the Market (verifyingContract) in the domain, and the
// gateway's provider address, the order id, a single-use nonce and an
// expiry (unix seconds) in the message.
type Challenge struct {
	ChainID *big.Int
	Market  common.Address
	Gateway common.Address
	OrderID *big.Int
	Nonce   [32]byte
	Expires uint64
}

// TypedData is the challenge as eth_signTypedData_v4 takes it (MetaMask,
// ethers' signTypedData with domain, types without EIP712Domain, message).
func (c Challenge) TypedData() apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
				{Name: "verifyingContract", Type: "address"},
			},
			PrimaryType: {
				{Name: "gateway", Type: "address"},
				{Name: "orderId", Type: "uint256"},
				{Name: "nonce", Type: "bytes32"},
				{Name: "expires", Type: "uint64"},
			},
		},
		PrimaryType: PrimaryType,
		Domain: apitypes.TypedDataDomain{
			Name:              DomainName,
			Version:           DomainVersion,
			ChainId:           (*math.HexOrDecimal256)(new(big.Int).Set(c.ChainID)),
			VerifyingContract: c.Market.Hex(),
		},
		Message: apitypes.TypedDataMessage{
			"gateway": c.Gateway.Hex(),
			"orderId": c.OrderID.String(),
			"nonce":   hexutil.Encode(c.Nonce[:]),
			"expires": strconv.FormatUint(c.Expires, 10),
		},
	}
}

// Digest is the EIP-712 digest keccak256(0x1901 ‖ domainSeparator ‖
// hashStruct(message)) that the buyer's key signs. It is computed directly
// (no reflection over the typed data); tests hold it equal to
// apitypes.TypedDataAndHash of TypedData and to what ethers signs.
func (c Challenge) Digest() [32]byte {
	var buf [1 + 1 + 32 + 32]byte
	buf[0], buf[1] = 0x19, 0x01
	d := domainSeparator(c.ChainID, c.Market)
	copy(buf[2:34], d[:])
	s := c.structHash()
	copy(buf[34:66], s[:])
	return crypto.Keccak256Hash(buf[:])
}

func domainSeparator(chainID *big.Int, market common.Address) [32]byte {
	var b [5 * 32]byte
	copy(b[0:32], domainTypeHash)
	copy(b[32:64], nameHash)
	copy(b[64:96], versionHash)
	chainID.FillBytes(b[96:128])
	copy(b[128+12:160], market[:])
	return crypto.Keccak256Hash(b[:])
}

func (c Challenge) structHash() [32]byte {
	var b [5 * 32]byte
	copy(b[0:32], loginTypeHash)
	copy(b[32+12:64], c.Gateway[:])
	c.OrderID.FillBytes(b[64:96])
	copy(b[96:128], c.Nonce[:])
	binary.BigEndian.PutUint64(b[160-8:160], c.Expires)
	h := sha3.NewLegacyKeccak256()
	h.Write(b[:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Signer signs typed data as eth_signTypedData_v4 does; *wallet.Wallet is
// the real one.
type Signer interface {
	SignTypedData(apitypes.TypedData) ([]byte, error)
}

// Sign signs the challenge's typed data with s: the signature a login
// request carries.
func (c Challenge) Sign(s Signer) ([]byte, error) {
	sig, err := s.SignTypedData(c.TypedData())
	if err != nil {
		return nil, fmt.Errorf("signing the challenge: %w", err)
	}
	return sig, nil
}

// SignatureLength is the length of an [R ‖ S ‖ V] signature.
const SignatureLength = 65

// Recover returns the address whose key made sig over the challenge. sig
// is [R ‖ S ‖ V] as eth_signTypedData_v4 returns it, V 27 or 28 (0 or 1 is
// accepted too); S must be in the lower half of the curve order, as every
// Ethereum signer produces it.
func (c Challenge) Recover(sig []byte) (common.Address, error) {
	if len(sig) != SignatureLength {
		return common.Address{}, fmt.Errorf("%w: signature of %d bytes, want %d", ErrMalformed, len(sig), SignatureLength)
	}
	var s [SignatureLength]byte
	copy(s[:], sig)
	switch s[64] {
	case 27, 28:
		s[64] -= 27
	case 0, 1:
	default:
		return common.Address{}, fmt.Errorf("%w: signature recovery id %d, want 27 or 28", ErrMalformed, s[64])
	}
	r, ss := new(big.Int).SetBytes(s[:32]), new(big.Int).SetBytes(s[32:64])
	if !crypto.ValidateSignatureValues(s[64], r, ss, true) {
		return common.Address{}, fmt.Errorf("%w: signature values out of range (zero, or S in the upper half)", ErrMalformed)
	}
	d := c.Digest()
	pub, err := crypto.Ecrecover(d[:], s[:])
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: signature does not recover a key: %v", ErrMalformed, err)
	}
	var a common.Address
	copy(a[:], crypto.Keccak256(pub[1:])[12:])
	return a, nil
}

// ChallengeJSON is a challenge as the API returns it: the typed data to
// pass to eth_signTypedData_v4 (MetaMask) as it is, or to ethers'
// signTypedData(domain, types without EIP712Domain, message); and the
// fields the login echoes back.
type ChallengeJSON struct {
	TypedData TypedDataJSON `json:"typedData"`
	OrderID   string        `json:"orderId"`
	Nonce     string        `json:"nonce"`
	Expires   uint64        `json:"expires"`
}

// TypedDataJSON is EIP-712 typed data as wallets take it: the domain has
// exactly the fields its type lists (no empty salt), chainId and expires
// are JSON numbers, the uint256 order id a decimal string.
type TypedDataJSON struct {
	Types       map[string][]FieldJSON `json:"types"`
	PrimaryType string                 `json:"primaryType"`
	Domain      DomainJSON             `json:"domain"`
	Message     MessageJSON            `json:"message"`
}

// FieldJSON is one field of a type.
type FieldJSON struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// DomainJSON is the EIP-712 domain.
type DomainJSON struct {
	Name              string      `json:"name"`
	Version           string      `json:"version"`
	ChainID           json.Number `json:"chainId"`
	VerifyingContract string      `json:"verifyingContract"`
}

// MessageJSON is the login message.
type MessageJSON struct {
	Gateway string `json:"gateway"`
	OrderID string `json:"orderId"`
	Nonce   string `json:"nonce"`
	Expires uint64 `json:"expires"`
}

// JSON is c for the API.
func (c Challenge) JSON() ChallengeJSON {
	td := c.TypedData()
	types := make(map[string][]FieldJSON, len(td.Types))
	for name, fields := range td.Types {
		for _, f := range fields {
			types[name] = append(types[name], FieldJSON{Name: f.Name, Type: f.Type})
		}
	}
	nonce := hexutil.Encode(c.Nonce[:])
	return ChallengeJSON{
		TypedData: TypedDataJSON{
			Types:       types,
			PrimaryType: PrimaryType,
			Domain: DomainJSON{Name: DomainName, Version: DomainVersion, ChainID: json.Number(c.ChainID.String()),
				VerifyingContract: c.Market.Hex()},
			Message: MessageJSON{Gateway: c.Gateway.Hex(), OrderID: c.OrderID.String(), Nonce: nonce, Expires: c.Expires},
		},
		OrderID: c.OrderID.String(), Nonce: nonce, Expires: c.Expires,
	}
}

// LoginRequest is the body of a login: the challenge's nonce and expiry
// as the gateway issued them, and the buyer's signature over the typed
// data.
type LoginRequest struct {
	Nonce     [32]byte
	Expires   uint64
	Signature [SignatureLength]byte
}

// MaxLoginBody bounds a login request body.
const MaxLoginBody = 1 << 10

// loginJSON is the wire form of LoginRequest.
type loginJSON struct {
	Nonce     string          `json:"nonce"`
	Expires   json.RawMessage `json:"expires"`
	Signature string          `json:"signature"`
}

// ParseLogin parses a login request body: {"nonce": "0x" + 64 hex digits,
// "expires": unix seconds (number or decimal string), "signature": "0x" +
// 130 hex digits}. Unknown fields, trailing data and bodies over
// MaxLoginBody are refused. Every error wraps ErrMalformed.
func ParseLogin(body []byte) (LoginRequest, error) {
	var req LoginRequest
	if len(body) > MaxLoginBody {
		return req, fmt.Errorf("%w: body over %d bytes", ErrMalformed, MaxLoginBody)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var in loginJSON
	if err := dec.Decode(&in); err != nil {
		return req, fmt.Errorf("%w: body: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return req, fmt.Errorf("%w: body: trailing data after the JSON object", ErrMalformed)
	}
	if err := decodeHex(in.Nonce, req.Nonce[:]); err != nil {
		return req, fmt.Errorf("%w: nonce: %v", ErrMalformed, err)
	}
	if err := decodeHex(in.Signature, req.Signature[:]); err != nil {
		return req, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	exp, err := parseExpires(in.Expires)
	if err != nil {
		return req, fmt.Errorf("%w: expires: %v", ErrMalformed, err)
	}
	req.Expires = exp
	return req, nil
}

// decodeHex decodes "0x" + exactly 2·len(dst) hex digits into dst.
func decodeHex(s string, dst []byte) error {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok {
		if h, ok = strings.CutPrefix(s, "0X"); !ok {
			return fmt.Errorf("want 0x and %d hex digits", 2*len(dst))
		}
	}
	if len(h) != 2*len(dst) {
		return fmt.Errorf("%d hex digits, want %d", len(h), 2*len(dst))
	}
	if _, err := hex.Decode(dst, []byte(h)); err != nil {
		return fmt.Errorf("want hex digits")
	}
	return nil
}

// parseExpires accepts a JSON number or a decimal string, 1 to 2^63-1.
func parseExpires(raw json.RawMessage) (uint64, error) {
	s := string(raw)
	if s == "" || s == "null" {
		return 0, fmt.Errorf("required")
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if len(s) == 0 || len(s) > 19 || s[0] == '0' {
		return 0, fmt.Errorf("want unix seconds")
	}
	v, err := strconv.ParseUint(s, 10, 63)
	if err != nil {
		return 0, fmt.Errorf("want unix seconds")
	}
	return v, nil
}
