// Package regproof is the provider key's proof of possession that the
// Registry asks for when a provider is registered or transferred: an EIP-712
// `Registration(provider, owner, nonce, deadline)` in the domain
// {name "gridnode Registry", version "1", chainId, verifyingContract: the
// Registry}, signed by the provider's key. It names the owner it consents
// to, is good for one use (the nonce is the Registry's nonceOf(provider),
// consumed on use) and until its deadline (unix seconds).
//
// The gateway signs proofs (it holds the provider key); the carrier submits
// them with the organization wallet, which must be the owner named.
package regproof

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// The EIP-712 domain and type, as contracts/src/Registry.sol has them.
const (
	DomainName    = "gridnode Registry"
	DomainVersion = "1"
	PrimaryType   = "Registration"
)

// SignatureLength is the length of an [R ‖ S ‖ V] signature.
const SignatureLength = 65

// ErrInvalid: a proof that is malformed or not the provider's signature.
var ErrInvalid = errors.New("invalid registration proof")

// Registration is what the provider key consents to.
type Registration struct {
	ChainID  *big.Int
	Registry common.Address
	Provider common.Address
	Owner    common.Address
	Nonce    *big.Int
	Deadline uint64
}

// TypedData is the registration as eth_signTypedData_v4 takes it.
func (r Registration) TypedData() apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
				{Name: "verifyingContract", Type: "address"},
			},
			PrimaryType: {
				{Name: "provider", Type: "address"},
				{Name: "owner", Type: "address"},
				{Name: "nonce", Type: "uint256"},
				{Name: "deadline", Type: "uint256"},
			},
		},
		PrimaryType: PrimaryType,
		Domain: apitypes.TypedDataDomain{
			Name:              DomainName,
			Version:           DomainVersion,
			ChainId:           (*math.HexOrDecimal256)(new(big.Int).Set(r.chainID())),
			VerifyingContract: r.Registry.Hex(),
		},
		Message: apitypes.TypedDataMessage{
			"provider": r.Provider.Hex(),
			"owner":    r.Owner.Hex(),
			"nonce":    r.nonce().String(),
			"deadline": strconv.FormatUint(r.Deadline, 10),
		},
	}
}

func (r Registration) chainID() *big.Int {
	if r.ChainID == nil {
		return new(big.Int)
	}
	return r.ChainID
}

func (r Registration) nonce() *big.Int {
	if r.Nonce == nil {
		return new(big.Int)
	}
	return r.Nonce
}

// Digest is the EIP-712 digest the provider key signs; the Registry's
// registrationDigest returns the same.
func (r Registration) Digest() (common.Hash, error) {
	h, _, err := apitypes.TypedDataAndHash(r.TypedData())
	if err != nil {
		return common.Hash{}, fmt.Errorf("hashing the registration: %w", err)
	}
	return common.BytesToHash(h), nil
}

// Signer signs typed data as eth_signTypedData_v4 does (V 27 or 28);
// pkg/wallet's Wallet is the real one.
type Signer interface {
	SignTypedData(apitypes.TypedData) ([]byte, error)
}

// Sign signs the registration with the provider key s.
func (r Registration) Sign(s Signer) ([]byte, error) {
	sig, err := s.SignTypedData(r.TypedData())
	if err != nil {
		return nil, fmt.Errorf("signing the registration: %w", err)
	}
	return sig, nil
}

// Recover returns the address whose key made sig over the registration.
// V may be 27/28 or 0/1.
func (r Registration) Recover(sig []byte) (common.Address, error) {
	if len(sig) != SignatureLength {
		return common.Address{}, fmt.Errorf("%w: signature of %d bytes, want %d", ErrInvalid, len(sig), SignatureLength)
	}
	var s [SignatureLength]byte
	copy(s[:], sig)
	switch s[64] {
	case 27, 28:
		s[64] -= 27
	case 0, 1:
	default:
		return common.Address{}, fmt.Errorf("%w: signature V is %d, want 27 or 28", ErrInvalid, sig[64])
	}
	d, err := r.Digest()
	if err != nil {
		return common.Address{}, err
	}
	pub, err := crypto.SigToPub(d[:], s[:])
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Verify checks that sig is the provider key's signature of r.
func (r Registration) Verify(sig []byte) error {
	a, err := r.Recover(sig)
	if err != nil {
		return err
	}
	if a != r.Provider {
		return fmt.Errorf("%w: signed by %s, not by the provider %s", ErrInvalid, a.Hex(), r.Provider.Hex())
	}
	return nil
}

// Proof is the registration's proof argument for Registry.register and
// transfer; V is sent as 27 or 28, what the contract's ecrecover takes.
func (r Registration) Proof(sig []byte) registry.RegistryProof {
	s := append([]byte(nil), sig...)
	if len(s) == SignatureLength && s[64] < 27 {
		s[64] += 27
	}
	return registry.RegistryProof{Nonce: new(big.Int).Set(r.nonce()), Deadline: new(big.Int).SetUint64(r.Deadline), Signature: s}
}

// KeySigner signs with a raw private key (tests and the devnet; daemons use
// a keystore through pkg/wallet).
type KeySigner struct{ Key *ecdsa.PrivateKey }

// SignTypedData signs the EIP-712 digest of data; V is 27 or 28.
func (k KeySigner) SignTypedData(data apitypes.TypedData) ([]byte, error) {
	h, _, err := apitypes.TypedDataAndHash(data)
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(h, k.Key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

// Signed is a registration with its signature, in the JSON form the
// gateway hands out (`gateway keys prove`, its carrier publication) and the
// carrier takes.
type Signed struct {
	ChainID   *hexutil.Big   `json:"chainId"`
	Registry  common.Address `json:"registry"`
	Provider  common.Address `json:"provider"`
	Owner     common.Address `json:"owner"`
	Nonce     *hexutil.Big   `json:"nonce"`
	Deadline  uint64         `json:"deadline"`
	Signature hexutil.Bytes  `json:"signature"`
}

// NewSigned signs r with s.
func NewSigned(r Registration, s Signer) (Signed, error) {
	sig, err := r.Sign(s)
	if err != nil {
		return Signed{}, err
	}
	return Signed{ChainID: (*hexutil.Big)(r.chainID()), Registry: r.Registry, Provider: r.Provider, Owner: r.Owner,
		Nonce: (*hexutil.Big)(r.nonce()), Deadline: r.Deadline, Signature: sig}, nil
}

// Registration is the signed registration.
func (s Signed) Registration() Registration {
	return Registration{ChainID: (*big.Int)(s.ChainID), Registry: s.Registry, Provider: s.Provider, Owner: s.Owner,
		Nonce: (*big.Int)(s.Nonce), Deadline: s.Deadline}
}

// MaxJSON bounds the JSON form of a proof.
const MaxJSON = 1 << 10

// Parse decodes and verifies a proof: every field present, the signature
// the provider's. It does not check the chain, Registry, owner, nonce or
// deadline against anything: the caller compares them with what it expects.
func Parse(b []byte) (Signed, error) {
	if len(b) > MaxJSON {
		return Signed{}, fmt.Errorf("%w: %d bytes, at most %d", ErrInvalid, len(b), MaxJSON)
	}
	var s Signed
	if err := json.Unmarshal(b, &s); err != nil {
		return Signed{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	switch {
	case s.ChainID == nil || s.Nonce == nil:
		return Signed{}, fmt.Errorf("%w: chainId and nonce are required", ErrInvalid)
	case s.Provider == (common.Address{}) || s.Owner == (common.Address{}) || s.Registry == (common.Address{}):
		return Signed{}, fmt.Errorf("%w: provider, owner and registry are required", ErrInvalid)
	case s.Deadline == 0:
		return Signed{}, fmt.Errorf("%w: deadline is required", ErrInvalid)
	}
	if err := s.Registration().Verify(s.Signature); err != nil {
		return Signed{}, err
	}
	return s, nil
}

// ProofForKey signs, with the provider key, its consent to owner with
// nonce until deadline, as the Registry at registry on chainID checks it:
// the proof argument of register and transfer. For tests and tools that
// hold a raw key.
func ProofForKey(key *ecdsa.PrivateKey, chainID *big.Int, registryAddr, owner common.Address, nonce *big.Int, deadline uint64) (registry.RegistryProof, error) {
	r := Registration{ChainID: chainID, Registry: registryAddr, Provider: crypto.PubkeyToAddress(key.PublicKey), Owner: owner,
		Nonce: nonce, Deadline: deadline}
	sig, err := r.Sign(KeySigner{Key: key})
	if err != nil {
		return registry.RegistryProof{}, err
	}
	return r.Proof(sig), nil
}
