package devchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

// The devnet Token's name and symbol.
const (
	TokenName   = "Gridnode Dev Token"
	TokenSymbol = "GDT"
)

// receiptPoll is how often the bootstrap polls the in-process client for
// receipts; bind.WaitMined's one second would dominate the start time.
const receiptPoll = 20 * time.Millisecond

// deployment is what the bootstrap leaves on chain.
type deployment struct {
	contracts   devinfo.Contracts
	deployBlock uint64
}

// step is a sent transaction and what it was for, for errors.
type step struct {
	name string
	tx   *types.Transaction
}

// sender sends the deployer's transactions with nonces it assigns itself,
// so that they need not wait for each other.
type sender struct {
	client *ethclient.Client
	auth   bind.TransactOpts
	nonce  uint64
}

func newSender(ctx context.Context, client *ethclient.Client, deployer Account) (*sender, error) {
	auth, err := bind.NewKeyedTransactorWithChainID(deployer.Key, big.NewInt(ChainID))
	if err != nil {
		return nil, err
	}
	nonce, err := client.PendingNonceAt(ctx, deployer.Address)
	if err != nil {
		return nil, fmt.Errorf("reading deployer nonce: %w", err)
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading head: %w", err)
	}
	// Fixed fees, so that bind asks the node for nothing but gas estimates:
	// twice the base fee covers its rise over the few blocks of a bootstrap.
	auth.Context = ctx
	auth.GasTipCap = big.NewInt(params.GWei)
	auth.GasFeeCap = new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), auth.GasTipCap)
	return &sender{client: client, auth: *auth, nonce: nonce}, nil
}

// opts returns transact options for the next nonce; gas 0 means estimate.
func (s *sender) opts(gas uint64) *bind.TransactOpts {
	o := s.auth
	o.Nonce = new(big.Int).SetUint64(s.nonce)
	o.GasLimit = gas
	s.nonce++
	return &o
}

// deploy deploys Token (owned by the deployer), Registry and Market, and
// mints amount to each of mintTo. The deploys go out back to back; the
// mints go out, back to back, once the Token has code (their gas is
// estimated against it).
func deploy(ctx context.Context, client *ethclient.Client, deployer Account, mintTo []Account, amount *big.Int) (deployment, error) {
	s, err := newSender(ctx, client, deployer)
	if err != nil {
		return deployment{}, err
	}
	tokenAddr, tokenTx, tok, err := token.DeployToken(s.opts(0), client, TokenName, TokenSymbol, deployer.Address)
	if err != nil {
		return deployment{}, fmt.Errorf("deploy token: %w", err)
	}
	registryAddr, registryTx, _, err := registry.DeployRegistry(s.opts(0), client)
	if err != nil {
		return deployment{}, fmt.Errorf("deploy registry: %w", err)
	}
	marketAddr, marketTx, _, err := market.DeployMarket(s.opts(0), client, tokenAddr, registryAddr)
	if err != nil {
		return deployment{}, fmt.Errorf("deploy market: %w", err)
	}
	receipts, err := waitReceipts(ctx, client, []step{{"deploy token", tokenTx}})
	if err != nil {
		return deployment{}, err
	}
	d := deployment{
		contracts:   devinfo.Contracts{Token: tokenAddr, Registry: registryAddr, Market: marketAddr},
		deployBlock: receipts[0].BlockNumber.Uint64(),
	}
	steps := []step{{"deploy registry", registryTx}, {"deploy market", marketTx}}
	mints, err := sendMints(s, tok, mintTo, amount)
	if err != nil {
		return deployment{}, err
	}
	if _, err := waitReceipts(ctx, client, append(steps, mints...)); err != nil {
		return deployment{}, err
	}
	return d, nil
}

// mint mints amount to each of to on an existing Token.
func mint(ctx context.Context, client *ethclient.Client, deployer Account, tokenAddr common.Address, to []Account, amount *big.Int) error {
	if len(to) == 0 || amount.Sign() == 0 {
		return nil
	}
	s, err := newSender(ctx, client, deployer)
	if err != nil {
		return err
	}
	tok, err := token.NewToken(tokenAddr, client)
	if err != nil {
		return err
	}
	steps, err := sendMints(s, tok, to, amount)
	if err != nil {
		return err
	}
	_, err = waitReceipts(ctx, client, steps)
	return err
}

// sendMints sends the mints without waiting for them. The first one's gas
// is estimated; it is the dearest (it also takes totalSupply from zero, on
// a fresh Token), so the others reuse its limit.
func sendMints(s *sender, tok *token.Token, to []Account, amount *big.Int) ([]step, error) {
	if amount.Sign() == 0 {
		return nil, nil
	}
	var (
		steps []step
		gas   uint64
	)
	for _, a := range to {
		name := "mint to " + a.Name
		tx, err := tok.Mint(s.opts(gas), a.Address, amount)
		if err != nil {
			return steps, fmt.Errorf("%s: %w", name, err)
		}
		gas = tx.Gas()
		steps = append(steps, step{name, tx})
	}
	return steps, nil
}

// waitReceipts polls for the receipts of steps, which are one sender's
// transactions in nonce order, and fails on the first one that reverted.
func waitReceipts(ctx context.Context, client *ethclient.Client, steps []step) ([]*types.Receipt, error) {
	receipts := make([]*types.Receipt, 0, len(steps))
	tick := time.NewTicker(receiptPoll)
	defer tick.Stop()
	for len(receipts) < len(steps) {
		st := steps[len(receipts)]
		r, err := client.TransactionReceipt(ctx, st.tx.Hash())
		switch {
		case err == nil && r.Status != types.ReceiptStatusSuccessful:
			return nil, fmt.Errorf("%s: transaction %s failed in block %s (gas used %d of %d)",
				st.name, st.tx.Hash(), r.BlockNumber, r.GasUsed, st.tx.Gas())
		case err == nil:
			receipts = append(receipts, r)
			continue
		case errors.Is(err, ethereum.NotFound), strings.Contains(err.Error(), "indexing is in progress"):
			// not mined (or not indexed) yet
		default:
			return nil, fmt.Errorf("%s: reading receipt of %s: %w", st.name, st.tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: waiting for transaction %s: %w", st.name, st.tx.Hash(), ctx.Err())
		case <-tick.C:
		}
	}
	return receipts, nil
}
