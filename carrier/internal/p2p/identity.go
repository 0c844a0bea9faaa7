package p2p

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/pkg/secret"
)

// ReadKeyFile reads a secp256k1 private key from a file holding its 32
// bytes in hex (an optional 0x prefix and surrounding whitespace allowed),
// after checking that only the running user can read it (mode 0600). The
// key is never logged.
func ReadKeyFile(path string) (*ecdsa.PrivateKey, error) { return ReadHexKeyFile("p2p key", path) }

// ReadHexKeyFile is ReadKeyFile for any key; what names it in errors
// ("provider key").
func ReadHexKeyFile(what, path string) (*ecdsa.PrivateKey, error) {
	b, err := secret.ReadFile(what, path)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	s := strings.TrimPrefix(strings.TrimSpace(string(b)), "0x")
	raw, err := hex.DecodeString(s)
	if err != nil || len(raw) != 32 {
		clear(raw)
		return nil, fmt.Errorf("%s file %s: want 64 hex digits (a secp256k1 private key)", what, path)
	}
	defer clear(raw)
	key, err := ethcrypto.ToECDSA(raw)
	if err != nil {
		return nil, fmt.Errorf("%s file %s: not a valid secp256k1 key", what, path)
	}
	return key, nil
}

// Identity converts an Ethereum secp256k1 key to the libp2p key of the
// same secret; the peer id follows from it.
func Identity(key *ecdsa.PrivateKey) (crypto.PrivKey, error) {
	if key == nil {
		return nil, errors.New("no identity key")
	}
	raw := ethcrypto.FromECDSA(key)
	defer clear(raw)
	k, err := crypto.UnmarshalSecp256k1PrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("converting the identity key: %w", err)
	}
	return k, nil
}

// PeerID is the peer id of key.
func PeerID(key *ecdsa.PrivateKey) (peer.ID, error) {
	k, err := Identity(key)
	if err != nil {
		return "", err
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		return "", fmt.Errorf("deriving the peer id: %w", err)
	}
	return id, nil
}
