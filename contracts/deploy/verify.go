package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm/runtime"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
)

// ErrCodeMismatch: the code at a deployed address is not the runtime code
// the bindings produce.
var ErrCodeMismatch = errors.New("code on chain differs from the bindings' runtime code")

// Creation is a contract creation transaction as a deployment sends it.
type Creation struct {
	Name  string
	From  common.Address
	Nonce uint64
	// Input is the creation code from the bindings followed by the
	// ABI-encoded constructor arguments: the transaction's data.
	Input []byte
}

// Address is where the creation puts the contract: keccak256(rlp(From,
// Nonce)).
func (c Creation) Address() common.Address { return crypto.CreateAddress(c.From, c.Nonce) }

// RuntimeCode is the code c leaves at c.Address() on a chain with id
// chainID: it runs c.Input in go-ethereum's EVM (Osaka rules) on an empty
// state, from c.From at nonce c.Nonce, and returns what the creation code
// returns.
//
// This reproduces the chain's result because the gridnode constructors
// read nothing but their arguments: the runtime code depends only on the
// creation code, the arguments (Market embeds its token and registry
// addresses as immutables), and at most on address(this) and
// block.chainid, which are the same here as on the chain. A constructor
// that read other state (another contract, the block time) would make the
// results differ, and Verify would fail loudly rather than pass wrongly.
func RuntimeCode(chainID *big.Int, c Creation) ([]byte, error) {
	db := rawdb.NewMemoryDatabase()
	st, err := state.New(types.EmptyRootHash, state.NewDatabase(triedb.NewDatabase(db, nil), state.NewCodeDB(db)))
	if err != nil {
		return nil, fmt.Errorf("%s: creating an empty state: %w", c.Name, err)
	}
	st.SetNonce(c.From, c.Nonce, tracing.NonceChangeUnspecified)
	rules := *params.MergedTestChainConfig // every fork to Osaka, from genesis
	rules.ChainID = new(big.Int).Set(chainID)
	code, addr, _, err := runtime.Create(c.Input, &runtime.Config{
		ChainConfig: &rules,
		Origin:      c.From,
		BlockNumber: big.NewInt(1),
		Time:        1,
		GasLimit:    params.MaxTxGas,
		Random:      &common.Hash{},
		State:       st,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: running the creation code: %w", c.Name, err)
	}
	if addr != c.Address() {
		return nil, fmt.Errorf("%s: the creation ran at %s, not at %s", c.Name, addr, c.Address())
	}
	return code, nil
}

// Verified describes code that Verify found as expected.
type Verified struct {
	Address  common.Address
	Size     int
	CodeHash common.Hash
}

// Verify checks that the code at c.Address() on the chain (latest block)
// equals RuntimeCode(chainID, c). A difference wraps ErrCodeMismatch.
func Verify(ctx context.Context, client Backend, chainID *big.Int, c Creation) (Verified, error) {
	want, err := RuntimeCode(chainID, c)
	if err != nil {
		return Verified{}, err
	}
	addr := c.Address()
	got, err := client.CodeAt(ctx, addr, nil)
	if err != nil {
		return Verified{}, fmt.Errorf("%s: reading the code at %s: %w", c.Name, addr, err)
	}
	if !bytes.Equal(got, want) {
		return Verified{}, fmt.Errorf("%s at %s: %w: %d bytes with keccak256 %s on chain, want %d bytes with keccak256 %s",
			c.Name, addr, ErrCodeMismatch, len(got), crypto.Keccak256Hash(got), len(want), crypto.Keccak256Hash(want))
	}
	return Verified{Address: addr, Size: len(got), CodeHash: crypto.Keccak256Hash(got)}, nil
}
