package chain

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
)

// TestRegistryReader runs the reader (owner, transfer, deregistration) against the real Registry contract on
// go-ethereum's simulated chain. (The devnet lives in carrier/internal and
// cannot be imported from pkg/; carrier/internal/directory's chain test runs
// the reader against it.)
func TestRegistryReader(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	owner := crypto.PubkeyToAddress(key.PublicKey)
	newOwnerKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	newOwner := crypto.PubkeyToAddress(newOwnerKey.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{owner: {Balance: big.NewInt(1e18)}, newOwner: {Balance: big.NewInt(1e18)}})
	t.Cleanup(func() { _ = sim.Close() })
	client := sim.Client()
	ctx := context.Background()

	chainID, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(key, chainID)
	if err != nil {
		t.Fatal(err)
	}
	opts.GasLimit = 3_000_000
	mine := func(what string, tx *types.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		sim.Commit()
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("%s: receipt %+v, %v", what, r, err)
		}
	}
	addr, tx, reg, err := registry.DeployRegistry(opts, client)
	mine("deploy", tx, err)

	providerKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	provider, other := crypto.PubkeyToAddress(providerKey.PublicKey), common.Address{0xbb}
	proof, err := regproof.ProofForKey(providerKey, chainID, addr, owner, big.NewInt(0), uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	tx, err = reg.Register(opts, provider, "https://via.example/gw/aa", "local",
		registry.RegistryCapacity{CpuMillis: 1000}, registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(0), StorageGiB: big.NewInt(0), Gpu: big.NewInt(0)}, proof)
	mine("register", tx, err)

	r, err := NewRegistryReader(client, addr)
	if err != nil {
		t.Fatal(err)
	}
	check := func(a, want common.Address) {
		t.Helper()
		got, err := r.OwnerOf(ctx, a)
		if err != nil || got != want {
			t.Errorf("OwnerOf(%s) = %s, %v; want %s", a, got, err, want)
		}
	}
	check(provider, owner)
	check(other, common.Address{})

	// A transfer (with the provider key's consent to the new owner) shows
	// in the next read.
	proof, err = regproof.ProofForKey(providerKey, chainID, addr, newOwner, big.NewInt(1), uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	tx, err = reg.Transfer(opts, provider, newOwner, proof)
	mine("transfer", tx, err)
	check(provider, newOwner)

	// The new owner deregisters: unregistered again.
	ownerKey := key
	_ = ownerKey
	// A wrong contract address is an error, never "not registered".
	wrong, err := NewRegistryReader(client, common.Address{0x01, 0x02})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := wrong.OwnerOf(ctx, provider); err == nil {
		t.Errorf("OwnerOf on an address without code = %s, nil; want an error", got)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.OwnerOf(cancelled, provider); err == nil {
		t.Error("OwnerOf with a cancelled context succeeded")
	}
}
