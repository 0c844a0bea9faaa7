package devnet

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Info is what other daemons and tests need to use a running devnet: it is
// the content of the info file. It holds the dev keys: DEVNET ONLY.
type Info struct {
	ChainID     uint64        `json:"chainId"`
	RPC         RPC           `json:"rpc"`
	Contracts   Contracts     `json:"contracts"`
	DeployBlock uint64        `json:"deployBlock"`
	Accounts    []AccountInfo `json:"accounts"`
	Warning     string        `json:"warning"`
}

// RPC holds the JSON-RPC endpoint URLs; WS is empty when disabled.
type RPC struct {
	HTTP string `json:"http"`
	WS   string `json:"ws,omitempty"`
}

// Contracts holds the deployed contract addresses.
type Contracts struct {
	Token    common.Address `json:"token"`
	Registry common.Address `json:"registry"`
	Market   common.Address `json:"market"`
}

// AccountInfo is a funded dev account. PrivateKey is 0x-prefixed hex of a
// public test key: DEVNET ONLY.
type AccountInfo struct {
	Name       string         `json:"name"`
	Address    common.Address `json:"address"`
	PrivateKey string         `json:"privateKey"`
}

// Key decodes the account's private key. DEVNET ONLY.
func (a AccountInfo) Key() (*ecdsa.PrivateKey, error) {
	b, err := hexutil.Decode(a.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("account %s: private key: %w", a.Name, err)
	}
	key, err := crypto.ToECDSA(b)
	if err != nil {
		return nil, fmt.Errorf("account %s: private key: %w", a.Name, err)
	}
	if crypto.PubkeyToAddress(key.PublicKey) != a.Address {
		return nil, fmt.Errorf("account %s: private key does not match address %s", a.Name, a.Address)
	}
	return key, nil
}

// Account returns the account named name.
func (i Info) Account(name string) (AccountInfo, bool) {
	for _, a := range i.Accounts {
		if a.Name == name {
			return a, true
		}
	}
	return AccountInfo{}, false
}

// ReadInfo reads an info file written by a devnet.
func ReadInfo(path string) (Info, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Info{}, fmt.Errorf("reading devnet info: %w", err)
	}
	var info Info
	if err := json.Unmarshal(b, &info); err != nil {
		return Info{}, fmt.Errorf("reading devnet info %s: %w", path, err)
	}
	if err := info.check(); err != nil {
		return Info{}, fmt.Errorf("reading devnet info %s: %w", path, err)
	}
	return info, nil
}

func (i Info) check() error {
	switch {
	case i.ChainID == 0:
		return errors.New("no chainId")
	case i.RPC.HTTP == "":
		return errors.New("no rpc.http endpoint")
	case i.Contracts.Token == (common.Address{}) || i.Contracts.Registry == (common.Address{}) || i.Contracts.Market == (common.Address{}):
		return errors.New("a contract address is missing")
	case len(i.Accounts) == 0:
		return errors.New("no accounts")
	}
	return nil
}

// writeJSON writes v to path atomically (temporary file and rename in the
// same directory) with mode 0600: the info file holds the dev keys.
func writeJSON(path string, v any) (err error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// newInfo assembles the info of a ready devnet.
func newInfo(chainID uint64, rpc RPC, contracts Contracts, deployBlock uint64, accounts []Account) Info {
	info := Info{
		ChainID:     chainID,
		RPC:         rpc,
		Contracts:   contracts,
		DeployBlock: deployBlock,
		Accounts:    make([]AccountInfo, len(accounts)),
		Warning:     Warning,
	}
	for i, a := range accounts {
		info.Accounts[i] = AccountInfo{
			Name:       a.Name,
			Address:    a.Address,
			PrivateKey: hexutil.Encode(crypto.FromECDSA(a.Key)),
		}
	}
	return info
}
