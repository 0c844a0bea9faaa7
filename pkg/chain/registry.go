package chain

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// RegistryReader reads the Registry contract. It is a
// listing.RegistryReader.
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

// OwnerOf returns provider's owner (Registry.ownerOf) as of the latest
// block: the zero address if it is not registered. An address without
// contract code is an error, not "unregistered".
func (r *RegistryReader) OwnerOf(ctx context.Context, provider common.Address) (common.Address, error) {
	owner, err := r.caller.OwnerOf(&bind.CallOpts{Context: ctx}, provider)
	if err != nil {
		return common.Address{}, fmt.Errorf("registry %s: ownerOf(%s): %w", r.addr, provider, err)
	}
	return owner, nil
}
