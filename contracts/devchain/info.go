package devchain

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

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
func newInfo(chainID uint64, rpc devinfo.RPC, contracts devinfo.Contracts, deployBlock uint64, accounts []Account) devinfo.Info {
	info := devinfo.Info{
		ChainID:     chainID,
		RPC:         rpc,
		Contracts:   contracts,
		DeployBlock: deployBlock,
		Accounts:    make([]devinfo.AccountInfo, len(accounts)),
		Warning:     devinfo.Warning,
	}
	for i, a := range accounts {
		info.Accounts[i] = devinfo.AccountInfo{
			Name:       a.Name,
			Address:    a.Address,
			PrivateKey: hexutil.Encode(crypto.FromECDSA(a.Key)),
		}
	}
	return info
}
