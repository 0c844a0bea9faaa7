package wallet

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"go.uber.org/zap/zapcore"

	"github.com/gridnode/gridnode/pkg/secret"
)

// Errors callers test with errors.Is.
var (
	// ErrWrongPassphrase: the passphrase does not decrypt the keystore.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrInsecureFile: a keystore, passphrase or key file is not a regular
	// file owned by the running user and private to it (mode 0600 or
	// stricter).
	ErrInsecureFile = secret.ErrInsecureFile
	// ErrExists: new or import would overwrite a keystore file.
	ErrExists = errors.New("keystore file already exists")
	// ErrNoPassphrase: neither a passphrase file nor a non-empty passphrase
	// environment variable was given.
	ErrNoPassphrase = errors.New("no passphrase")
	// ErrBadKeystore: the keystore file is not a v3 keystore of one key.
	ErrBadKeystore = errors.New("invalid keystore file")
)

// DefaultPassphraseEnv is the environment variable read for the passphrase
// when Options names none and gives no passphrase file.
const DefaultPassphraseEnv = "GRIDNODE_KEYSTORE_PASSPHRASE"

// Options locate the keystore file and its passphrase.
type Options struct {
	// KeystorePath is the keystore file (one key, v3 JSON).
	KeystorePath string
	// PassphraseFile holds the passphrase; one trailing newline is ignored.
	// It wins over PassphraseEnv.
	PassphraseFile string
	// PassphraseEnv names the environment variable holding the passphrase
	// when PassphraseFile is empty; empty means DefaultPassphraseEnv. The
	// passphrase itself is never a flag or option value.
	PassphraseEnv string
	// LightScrypt encrypts keys created by New and Import with scrypt
	// N=4096 instead of N=262144 so that tests run fast. Never for real
	// keys. It does not affect Load, which reads the parameters from the
	// file.
	LightScrypt bool
}

// Wallet is an unlocked org wallet. It formats, marshals and logs as its
// address only.
type Wallet struct {
	addr common.Address
	path string
	key  *ecdsa.PrivateKey
}

// Load opens the keystore at opts.KeystorePath with the passphrase from
// opts, after checking that both files are private to the running user.
func Load(opts Options) (*Wallet, error) {
	b, err := readPrivate("keystore", opts.KeystorePath)
	if err != nil {
		return nil, err
	}
	pass, err := passphrase(opts)
	if err != nil {
		return nil, err
	}
	return decrypt(opts.KeystorePath, b, pass)
}

// New creates a fresh random key, writes it to opts.KeystorePath (mode 0600,
// never overwriting) and returns the wallet.
func New(opts Options) (*Wallet, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("generating key: %w", err)
	}
	return create(opts, key)
}

// Import reads a hex private key (optionally 0x-prefixed) from keyFile, which
// must be private to the running user as the keystore is, and writes it to
// opts.KeystorePath (mode 0600, never overwriting).
func Import(opts Options, keyFile string) (*Wallet, error) {
	b, err := readPrivate("private key", keyFile)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	key, err := parseHexKey(b)
	if err != nil {
		// The error names the file, never its content.
		return nil, fmt.Errorf("private key file %s: %w", keyFile, err)
	}
	return create(opts, key)
}

// ReadAddress returns the address recorded in the keystore file without
// decrypting it, after the same permission check as Load.
func ReadAddress(path string) (common.Address, error) {
	b, err := readPrivate("keystore", path)
	if err != nil {
		return common.Address{}, err
	}
	var v struct {
		Address string `json:"address"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &v); err != nil || !common.IsHexAddress(v.Address) || v.Version != 3 {
		return common.Address{}, fmt.Errorf("keystore %s: %w: want a v3 keystore with an address", path, ErrBadKeystore)
	}
	return common.HexToAddress(v.Address), nil
}

func create(opts Options, key *ecdsa.PrivateKey) (*Wallet, error) {
	if opts.KeystorePath == "" {
		return nil, fmt.Errorf("keystore path: %w", os.ErrInvalid)
	}
	if _, err := os.Lstat(opts.KeystorePath); err == nil {
		return nil, fmt.Errorf("keystore %s: %w; refusing to overwrite it", opts.KeystorePath, ErrExists)
	}
	pass, err := passphrase(opts)
	if err != nil {
		return nil, err
	}
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if opts.LightScrypt {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key, Id: newUUID()}
	b, err := keystore.EncryptKey(k, pass, n, p)
	if err != nil {
		return nil, fmt.Errorf("encrypting key: %w", err)
	}
	if err := writeNew(opts.KeystorePath, b); err != nil {
		return nil, err
	}
	return &Wallet{addr: k.Address, path: opts.KeystorePath, key: key}, nil
}

func decrypt(path string, b []byte, pass string) (*Wallet, error) {
	k, err := keystore.DecryptKey(b, pass)
	switch {
	case errors.Is(err, keystore.ErrDecrypt):
		return nil, fmt.Errorf("%w for keystore %s", ErrWrongPassphrase, path)
	case err != nil:
		// DecryptKey's errors describe the JSON or the KDF, not secrets.
		return nil, fmt.Errorf("keystore %s: %w: %v", path, ErrBadKeystore, err)
	}
	return &Wallet{addr: k.Address, path: path, key: k.PrivateKey}, nil
}

// parseHexKey parses 64 hex digits, optionally 0x-prefixed and surrounded
// by white space.
func parseHexKey(b []byte) (*ecdsa.PrivateKey, error) {
	s := trimSpace(b)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 64 {
		return nil, errors.New("want 64 hex digits of a secp256k1 private key")
	}
	raw := make([]byte, 32)
	defer clear(raw)
	for i := range raw {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return nil, errors.New("want 64 hex digits of a secp256k1 private key")
		}
		raw[i] = hi<<4 | lo
	}
	key, err := crypto.ToECDSA(raw)
	if err != nil {
		return nil, errors.New("not a valid secp256k1 private key")
	}
	return key, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// newUUID is a random (version 4) UUID for the keystore's id field.
func newUUID() [16]byte {
	var id [16]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails on supported platforms
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

// Address is the wallet's account.
func (w *Wallet) Address() common.Address { return w.addr }

// Path is the keystore file the wallet was loaded from or written to.
func (w *Wallet) Path() string { return w.path }

// SignTx signs tx for chainID with the latest signer for that chain
// (EIP-155, EIP-1559 and later transaction types).
func (w *Wallet) SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), w.key)
	if err != nil {
		return nil, fmt.Errorf("signing transaction: %w", err)
	}
	return signed, nil
}

// Transactor returns options for abigen bindings that sign with the wallet.
// Prefer the transaction manager for anything that changes chain state: it
// journals, tracks and fee-bumps; a bare transactor does none of that.
func (w *Wallet) Transactor(chainID *big.Int) *bind.TransactOpts {
	signer := types.LatestSignerForChainID(chainID)
	return &bind.TransactOpts{
		From: w.addr,
		Signer: func(addr common.Address, tx *types.Transaction) (*types.Transaction, error) {
			if addr != w.addr {
				return nil, bind.ErrNotAuthorized
			}
			return types.SignTx(tx, signer, w.key)
		},
	}
}

// SignHash signs a 32-byte digest and returns the 65-byte [R || S || V]
// signature with V 0 or 1 (add 27 for Ethereum's personal-sign convention).
func (w *Wallet) SignHash(hash common.Hash) ([]byte, error) {
	sig, err := crypto.Sign(hash[:], w.key)
	if err != nil {
		return nil, fmt.Errorf("signing hash: %w", err)
	}
	return sig, nil
}

// SignTypedData signs EIP-712 typed data as MetaMask's eth_signTypedData_v4
// does: it returns [R || S || V] with V 27 or 28.
func (w *Wallet) SignTypedData(data apitypes.TypedData) ([]byte, error) {
	hash, _, err := apitypes.TypedDataAndHash(data)
	if err != nil {
		return nil, fmt.Errorf("hashing typed data: %w", err)
	}
	sig, err := w.SignHash(common.BytesToHash(hash))
	if err != nil {
		return nil, err
	}
	sig[crypto.RecoveryIDOffset] += 27
	return sig, nil
}

// SignText signs msg with Ethereum's personal-sign prefix (EIP-191 version
// 0x45), returning [R || S || V] with V 27 or 28.
func (w *Wallet) SignText(msg []byte) ([]byte, error) {
	sig, err := w.SignHash(common.BytesToHash(accounts.TextHash(msg)))
	if err != nil {
		return nil, err
	}
	sig[crypto.RecoveryIDOffset] += 27
	return sig, nil
}

// String shows the address only.
func (w *Wallet) String() string {
	if w == nil {
		return "wallet(nil)"
	}
	return "wallet(" + w.addr.Hex() + ")"
}

// Format makes every verb (%v, %+v, %#v, %s, %x…) print String: nothing
// reflects over the key.
func (w *Wallet) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(w.String())) }

// MarshalJSON encodes the address and the keystore path only.
func (w *Wallet) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Address  common.Address `json:"address"`
		Keystore string         `json:"keystore"`
	}{w.addr, w.path})
}

// MarshalLogObject makes zap.Any and zap.Object log the address only.
func (w *Wallet) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("address", w.addr.Hex())
	enc.AddString("keystore", w.path)
	return nil
}
