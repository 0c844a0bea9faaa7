package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
)

// ErrFileExists: WriteFile would overwrite a file and force is off.
var ErrFileExists = errors.New("addresses file already exists")

// maxFileSize bounds ReadFile: an addresses file is a few hundred bytes.
const maxFileSize = 64 << 10

// File is the addresses file of a deployment: what the daemons need to use
// the contracts, and nothing secret.
type File struct {
	ChainID uint64 `json:"chainId"`
	// RPC is the JSON-RPC URL the deployment used, when it carries no
	// secret (see carrier contracts deploy); empty otherwise.
	RPC         string         `json:"rpc,omitempty"`
	Contracts   Contracts      `json:"contracts"`
	DeployBlock uint64         `json:"deployBlock"`
	Deployer    common.Address `json:"deployer"`
}

// NewFile is the addresses file of res, reached at rpc.
func NewFile(res Result, rpc string) File {
	return File{ChainID: res.ChainID, RPC: rpc, Contracts: res.Contracts, DeployBlock: res.DeployBlock, Deployer: res.Deployer}
}

// Check reports a file without chain id or with a missing address.
func (f File) Check() error {
	switch {
	case f.ChainID == 0:
		return errors.New("no chainId")
	case f.Contracts.Token == (common.Address{}):
		return errors.New("no contracts.token address")
	case f.Contracts.Registry == (common.Address{}):
		return errors.New("no contracts.registry address")
	case f.Contracts.Market == (common.Address{}):
		return errors.New("no contracts.market address")
	}
	return nil
}

// WriteFile writes f to path atomically with mode 0644 (it holds no
// secret): a temporary file in the same directory, synced, then linked to
// path, which fails with ErrFileExists if path exists, or renamed over it
// with force.
func WriteFile(path string, f File, force bool) (err error) {
	if err := f.Check(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}()
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = os.Link(tmp.Name(), path)
	}
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s: %w (give --force to replace it)", path, ErrFileExists)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// CheckWritable fails if WriteFile(path, …, force) would fail because path
// exists or its directory does not: a deployment checks it before spending
// anything.
func CheckWritable(path string, force bool) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case err == nil && !force:
		return fmt.Errorf("%s: %w (give --force to replace it)", path, ErrFileExists)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: the directory %s does not exist", path, filepath.Dir(path))
	}
	return nil
}

// ReadFile reads and checks an addresses file (at most 64 KiB).
func ReadFile(path string) (File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("reading the addresses file: %w", err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return File{}, fmt.Errorf("reading the addresses file %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return File{}, fmt.Errorf("addresses file %s: larger than %d bytes", path, maxFileSize)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return File{}, fmt.Errorf("addresses file %s: %w", path, err)
	}
	if err := f.Check(); err != nil {
		return File{}, fmt.Errorf("addresses file %s: %w", path, err)
	}
	return f, nil
}
