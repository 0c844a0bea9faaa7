package deploy

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
)

// Backend is the chain as a deployment uses it; *ethclient.Client
// implements it.
type Backend interface {
	bind.ContractBackend
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
	ChainID(ctx context.Context) (*big.Int, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// Fees are the fees a Sender offers, read from the chain once.
type Fees struct {
	// TipCap and FeeCap are set on a chain with a base fee (EIP-1559):
	// the suggested tip, and twice the head's base fee plus the tip, which
	// covers the base fee's rise over the few blocks of a deployment.
	TipCap, FeeCap *big.Int
	// GasPrice is set instead on a chain without a base fee: the
	// suggested legacy gas price.
	GasPrice *big.Int
}

// Max is the most one unit of gas may cost.
func (f Fees) Max() *big.Int {
	if f.GasPrice != nil {
		return f.GasPrice
	}
	return f.FeeCap
}

// String describes the fees for progress lines.
func (f Fees) String() string {
	if f.GasPrice != nil {
		return fmt.Sprintf("legacy gas price %s wei (the chain has no base fee)", f.GasPrice)
	}
	return fmt.Sprintf("tip %s wei, fee cap %s wei per gas", f.TipCap, f.FeeCap)
}

// SuggestFees reads the fees a transaction sent now should offer: on a
// chain with a base fee the node's suggested tip and a fee cap of twice the
// head's base fee plus that tip; on a chain without one (no London fork)
// the node's suggested legacy gas price.
func SuggestFees(ctx context.Context, client Backend) (Fees, error) {
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return Fees{}, fmt.Errorf("reading the head block: %w", err)
	}
	if head.BaseFee == nil {
		price, err := client.SuggestGasPrice(ctx)
		if err != nil {
			return Fees{}, fmt.Errorf("reading the suggested gas price: %w", err)
		}
		return Fees{GasPrice: price}, nil
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		return Fees{}, fmt.Errorf("reading the suggested tip: %w", err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	return Fees{TipCap: tip, FeeCap: feeCap}, nil
}

// Sender sends one account's transactions with nonces it assigns itself,
// so that they need not wait for each other, at fees read once.
type Sender struct {
	client  Backend
	auth    bind.TransactOpts
	chainID *big.Int
	fees    Fees
	nonce   uint64
}

// NewSender reads the pending nonce of auth.From and the fees (SuggestFees)
// for transactions signed by auth.Signer for chainID.
func NewSender(ctx context.Context, client Backend, auth *bind.TransactOpts, chainID *big.Int) (*Sender, error) {
	if auth == nil || auth.Signer == nil {
		return nil, errors.New("deploy: no signer")
	}
	nonce, err := client.PendingNonceAt(ctx, auth.From)
	if err != nil {
		return nil, fmt.Errorf("reading the nonce of %s: %w", auth.From, err)
	}
	fees, err := SuggestFees(ctx, client)
	if err != nil {
		return nil, err
	}
	s := &Sender{client: client, auth: *auth, chainID: new(big.Int).Set(chainID), fees: fees, nonce: nonce}
	// Fixed fees, so that bind asks the node for nothing but gas estimates.
	s.auth.Context = ctx
	s.auth.GasPrice, s.auth.GasTipCap, s.auth.GasFeeCap = fees.GasPrice, fees.TipCap, fees.FeeCap
	return s, nil
}

// From is the sending account.
func (s *Sender) From() common.Address { return s.auth.From }

// Fees are the fees the sender offers.
func (s *Sender) Fees() Fees { return s.fees }

// Nonce is the nonce of the next transaction.
func (s *Sender) Nonce() uint64 { return s.nonce }

// Opts returns transact options for the next nonce, for abigen bindings;
// gas 0 means estimate.
func (s *Sender) Opts(gas uint64) *bind.TransactOpts {
	o := s.auth
	o.Nonce = new(big.Int).SetUint64(s.nonce)
	o.GasLimit = gas
	s.nonce++
	return &o
}

// Create signs and sends a contract creation with input (creation code and
// constructor arguments) and the gas limit given, at the next nonce.
func (s *Sender) Create(ctx context.Context, input []byte, gas uint64) (*types.Transaction, error) {
	var data types.TxData
	if s.fees.GasPrice != nil {
		data = &types.LegacyTx{Nonce: s.nonce, GasPrice: s.fees.GasPrice, Gas: gas, Data: input}
	} else {
		data = &types.DynamicFeeTx{ChainID: s.chainID, Nonce: s.nonce, GasTipCap: s.fees.TipCap,
			GasFeeCap: s.fees.FeeCap, Gas: gas, Data: input}
	}
	tx, err := s.auth.Signer(s.auth.From, types.NewTx(data))
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	if err := s.client.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("sending: %w", err)
	}
	s.nonce++
	return tx, nil
}

// Step is a sent transaction and what it was for, for errors and progress.
type Step struct {
	Name string
	Tx   *types.Transaction
}

// WaitMined polls every poll for the receipts of steps, which are one
// sender's transactions in nonce order, and fails on the first one that
// reverted.
func WaitMined(ctx context.Context, client Backend, steps []Step, poll time.Duration) ([]*types.Receipt, error) {
	receipts := make([]*types.Receipt, 0, len(steps))
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for len(receipts) < len(steps) {
		st := steps[len(receipts)]
		r, err := client.TransactionReceipt(ctx, st.Tx.Hash())
		switch {
		case err == nil && r.Status != types.ReceiptStatusSuccessful:
			return nil, fmt.Errorf("%s: transaction %s failed in block %s (gas used %d of %d)",
				st.Name, st.Tx.Hash(), r.BlockNumber, r.GasUsed, st.Tx.Gas())
		case err == nil:
			receipts = append(receipts, r)
			continue
		case errors.Is(err, ethereum.NotFound), strings.Contains(err.Error(), "indexing is in progress"):
			// not mined (or not indexed) yet
		default:
			return nil, fmt.Errorf("%s: reading the receipt of %s: %w", st.Name, st.Tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: waiting for transaction %s: %w", st.Name, st.Tx.Hash(), ctx.Err())
		case <-tick.C:
		}
	}
	// A node can answer a receipt a moment before its head (what calls on
	// "latest", balances and nonces read) reaches the receipt's block: wait
	// for the head, so that the caller's next read sees the transactions.
	var last uint64
	for _, r := range receipts {
		last = max(last, r.BlockNumber.Uint64())
	}
	for len(receipts) > 0 {
		h, err := client.HeaderByNumber(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("reading the head: %w", err)
		}
		if h.Number.Uint64() >= last {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the head to reach block %d: %w", last, ctx.Err())
		case <-tick.C:
		}
	}
	return receipts, nil
}
