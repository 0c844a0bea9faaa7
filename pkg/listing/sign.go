package listing

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// SigningDomain prefixes the signed bytes, so that a listing signature can
// never be mistaken for a transaction or any other message signed with the
// provider key.
const SigningDomain = "gridnode/listing/v1"

// SigningDigest is keccak256(SigningDomain || encoding without signature).
func SigningDigest(r *Record) ([32]byte, error) {
	if err := r.Validate(); err != nil {
		return [32]byte{}, err
	}
	return digest(r), nil
}

func digest(r *Record) [32]byte {
	b := appendBody(make([]byte, 0, 512), r)
	return crypto.Keccak256Hash([]byte(SigningDomain), b[:len(b)-SignatureSize])
}

// Sign sets r.Signature, signing with key, which must be the key of
// r.Provider. go-ethereum signs deterministically (RFC 6979) with low S, so
// signing the same record twice gives the same bytes.
func Sign(r *Record, key *ecdsa.PrivateKey) error {
	if addr := crypto.PubkeyToAddress(key.PublicKey); addr != r.Provider {
		return fmt.Errorf("signing listing of %s with the key of %s", r.Provider, addr)
	}
	d, err := SigningDigest(r)
	if err != nil {
		return err
	}
	sig, err := crypto.Sign(d[:], key)
	if err != nil {
		return fmt.Errorf("signing listing: %w", err)
	}
	copy(r.Signature[:], sig)
	return nil
}

// Signer recovers the address that signed r. The record is authentic when
// it equals r.Provider. Errors wrap ErrInvalidField or ErrBadSignature.
func Signer(r *Record) (common.Address, error) {
	if err := checkSignatureForm(r.Signature); err != nil {
		return common.Address{}, err
	}
	d, err := SigningDigest(r)
	if err != nil {
		return common.Address{}, err
	}
	pub, err := crypto.SigToPub(d[:], r.Signature[:])
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// CheckSignature returns nil if r is signed by r.Provider and an error
// wrapping ErrBadSignature (or ErrInvalidField) otherwise.
func CheckSignature(r *Record) error {
	signer, err := Signer(r)
	if err != nil {
		return err
	}
	if signer != r.Provider {
		return fmt.Errorf("%w: signed by %s, not by provider %s", ErrBadSignature, signer, r.Provider)
	}
	return nil
}

// Hash is keccak256 of a record's full encoding, signature included: the
// record's identity, and its gossip message id.
func Hash(encoded []byte) [32]byte {
	return crypto.Keccak256Hash(encoded)
}
