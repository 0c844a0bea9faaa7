package chain

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// RegistryReader reads the Registry contract. It is a
// listing.RegistryChecker.
type RegistryReader struct {
	addr   common.Address
	caller *registry.RegistryCaller
}

// NewRegistryReader reads the Registry at addr through client (an
// *ethclient.Client, or a simulated backend's client).
func NewRegistryReader(client bind.ContractCaller, addr common.Address) (*RegistryReader, error) {
	c, err := registry.NewRegistryCaller(addr, client)
	if err != nil {
		return nil, fmt.Errorf("binding registry at %s: %w", addr, err)
	}
	return &RegistryReader{addr: addr, caller: c}, nil
}

// IsRegistered reports whether provider is registered, as of the latest
// block. An address without contract code is an error, not "unregistered".
func (r *RegistryReader) IsRegistered(ctx context.Context, provider common.Address) (bool, error) {
	ok, err := r.caller.IsRegistered(&bind.CallOpts{Context: ctx}, provider)
	if err != nil {
		return false, fmt.Errorf("registry %s: isRegistered(%s): %w", r.addr, provider, err)
	}
	return ok, nil
}
