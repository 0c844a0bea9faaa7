package devinfo

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Warning labels everything that carries the dev keys.
const Warning = "DEVNET ONLY: these private keys are public test keys; never use them or this file outside a local devnet"

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

// Read reads an info file written by a devnet.
func Read(path string) (Info, error) {
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
