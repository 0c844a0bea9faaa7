package mediator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// depositGas is the gas limit of a deposit sent right after its approve,
// which cannot be estimated before the approve is mined (measured: 57,314
// for an account's first deposit).
const depositGas = 120_000

// MaxOperationIDLength bounds a caller's operation id.
const MaxOperationIDLength = 64

// Operation is a credit operation or an order placement: one or more
// intents under one id.
type Operation struct {
	ID      string             `json:"id"`
	Kind    string             `json:"kind"`
	Amount  *carrierapi.Amount `json:"amount,omitempty"`
	Intents []txmgr.Status     `json:"intents"`
}

// Done reports whether every intent is final.
func (o Operation) Done() bool {
	for _, st := range o.Intents {
		if !st.Final() {
			return false
		}
	}
	return true
}

// checkOpID validates a caller's operation id, or makes one.
func checkOpID(id string) (string, error) {
	if id == "" {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("making an operation id: %w", err)
		}
		return hex.EncodeToString(b), nil
	}
	if len(id) > MaxOperationIDLength {
		return "", badInput("operation id longer than %d characters", MaxOperationIDLength)
	}
	for _, c := range id {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "", badInput("operation id %q: only letters, digits, '-', '_' and '.'", id)
		}
	}
	return id, nil
}

// Deposit approves the Market to pull amount of the wallet's tokens and
// deposits them as credit: two intents, "deposit <op> approve" and
// "deposit <op> deposit", sent back to back. The same op returns the
// operation already started.
func (m *Mediator) Deposit(ctx context.Context, op string, amount *big.Int) (Operation, error) {
	op, err := checkOpID(op)
	if err != nil {
		return Operation{}, err
	}
	if amount == nil || amount.Sign() <= 0 {
		return Operation{}, badInput("deposit amount must be positive")
	}
	approveKey, depositKey := "deposit "+op+" approve", "deposit "+op+" deposit"
	m.creditMu.Lock()
	defer m.creditMu.Unlock()
	if _, err := m.tx.Get(approveKey); errors.Is(err, txmgr.ErrUnknownIntent) {
		bal, err := m.token.BalanceOf(m.call(ctx), m.self)
		if err != nil {
			return Operation{}, fmt.Errorf("reading the token balance: %w", err)
		}
		if bal.Cmp(amount) < 0 {
			return Operation{}, badInput("insufficient token balance: the wallet %s holds %s, the deposit needs %s", m.self, bal, amount)
		}
	}
	approve, err := pack(m.tokenABI, "approve", m.contracts.Market, amount)
	if err != nil {
		return Operation{}, err
	}
	deposit, err := pack(m.marketABI, "deposit", amount)
	if err != nil {
		return Operation{}, err
	}
	res := Operation{ID: op, Kind: "deposit", Amount: carrierapi.NewAmount(amount)}
	st, err := m.tx.Submit(ctx, txmgr.Intent{Key: approveKey, To: m.contracts.Token, Data: approve})
	if err != nil {
		return res, opError(err)
	}
	res.Intents = append(res.Intents, st)
	st, err = m.tx.Submit(ctx, txmgr.Intent{Key: depositKey, To: m.contracts.Market, Data: deposit, GasLimit: depositGas, SkipPreflight: true})
	if err != nil {
		return res, opError(err)
	}
	res.Intents = append(res.Intents, st)
	return res, nil
}

// Withdraw moves amount of credit back to the wallet as tokens: intent
// "withdraw <op>".
func (m *Mediator) Withdraw(ctx context.Context, op string, amount *big.Int) (Operation, error) {
	op, err := checkOpID(op)
	if err != nil {
		return Operation{}, err
	}
	if amount == nil || amount.Sign() <= 0 {
		return Operation{}, badInput("withdraw amount must be positive")
	}
	key := "withdraw " + op
	if _, err := m.tx.Get(key); errors.Is(err, txmgr.ErrUnknownIntent) {
		credit, err := m.market.CreditOf(m.call(ctx), m.self)
		if err != nil {
			return Operation{}, fmt.Errorf("reading the credit: %w", err)
		}
		if credit.Cmp(amount) < 0 {
			return Operation{}, fmt.Errorf("%w: the credit is %s, the withdrawal asks %s", ErrInsufficientCredits, credit, amount)
		}
	}
	data, err := pack(m.marketABI, "withdraw", amount)
	if err != nil {
		return Operation{}, err
	}
	res := Operation{ID: op, Kind: "withdraw", Amount: carrierapi.NewAmount(amount)}
	st, err := m.tx.Submit(ctx, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
	if err != nil {
		return res, opError(err)
	}
	res.Intents = []txmgr.Status{st}
	return res, nil
}

// opError makes a pre-flight revert or a reused key the caller's problem.
func opError(err error) error {
	var rev *txmgr.RevertError
	switch {
	case errors.As(err, &rev) && rev.Preflight:
		return badInput("the chain refuses it: %s (nothing sent)", rev.Reason)
	case errors.Is(err, txmgr.ErrIntentMismatch):
		return badInput("operation id already used for a different request: %v", err)
	}
	return err
}

// Balance is the organization's money.
type Balance struct {
	Account string `json:"account"`
	// Tokens is the wallet's token balance; Credit its Market credit.
	Tokens *carrierapi.Amount `json:"tokens"`
	Credit *carrierapi.Amount `json:"credit"`
	// Allowance is what the Market may still pull from the wallet.
	Allowance *carrierapi.Amount `json:"allowance"`
	// Escrowed is held in the org's open orders as buyer.
	Escrowed *carrierapi.Amount `json:"escrowed"`
	// Earned is what the org's orders as payee paid so far.
	Earned *carrierapi.Amount `json:"earned"`
	// Gas is the wallet's ether balance in wei, for transaction fees.
	Gas *carrierapi.Amount `json:"gas"`
}

// Balance reads the wallet's tokens, credit and allowance, and sums the
// org's escrow and earnings from its orders.
func (m *Mediator) Balance(ctx context.Context) (Balance, error) {
	opts := m.call(ctx)
	tokens, err := m.token.BalanceOf(opts, m.self)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the token balance: %w", err)
	}
	allowance, err := m.token.Allowance(opts, m.self, m.contracts.Market)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the allowance: %w", err)
	}
	credit, err := m.market.CreditOf(opts, m.self)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the credit: %w", err)
	}
	gas, err := m.chain.BalanceAt(ctx, m.self, nil)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the ether balance: %w", err)
	}
	escrowed, earned := new(big.Int), new(big.Int)
	if _, err := m.store.orders(func(o *OrderRecord) bool {
		if o.Buyer == m.self && o.Status == market.StatusOpen {
			escrowed.Add(escrowed, orZero(o.Escrow))
		}
		if o.Payee == m.self && o.Status != market.StatusOpen {
			earned.Add(earned, orZero(o.Paid))
		}
		return false
	}); err != nil {
		return Balance{}, err
	}
	return Balance{
		Account: m.self.Hex(), Tokens: carrierapi.NewAmount(tokens), Credit: carrierapi.NewAmount(credit), Allowance: carrierapi.NewAmount(allowance),
		Escrowed: carrierapi.NewAmount(escrowed), Earned: carrierapi.NewAmount(earned), Gas: carrierapi.NewAmount(gas),
	}, nil
}
