package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
)

// Errors callers test with errors.Is.
var (
	// ErrInsufficientFunds: the deployer cannot pay for the deployment.
	ErrInsufficientFunds = errors.New("deployer cannot pay for the deployment")
	// ErrNotERC20: Options.Token has no code, or does not answer
	// decimals() and totalSupply().
	ErrNotERC20 = errors.New("not an ERC-20 token contract")
	// ErrUnsupportedEVM: the chain cannot run the contracts, which are
	// compiled for Cancun (transient storage, MCOPY).
	ErrUnsupportedEVM = errors.New("the chain's EVM lacks Cancun's opcodes the contracts use")
)

// cancunProbe is creation code that runs only on a Cancun EVM: PUSH0,
// TLOAD, POP (it returns no code).
var cancunProbe = []byte{0x5f, 0x5c, 0x50}

// Defaults of Options.
const (
	DefaultTokenName    = "Gridnode Token"
	DefaultTokenSymbol  = "GRID"
	DefaultPollInterval = time.Second
)

// Options change what Deploy does. The zero value deploys a new Token named
// DefaultTokenName, owned by the deployer, and waits for one confirmation.
type Options struct {
	// Token is an existing ERC-20 for the Market; zero deploys a new Token.
	Token common.Address
	// TokenName and TokenSymbol name a new Token; empty means the defaults.
	TokenName, TokenSymbol string
	// TokenOwner may mint the new Token; zero means the deployer.
	TokenOwner common.Address
	// Confirmations is N: Deploy returns once the block of the last
	// deployment has N blocks including itself on top of the chain (0 and
	// 1 both mean "mined"), as the carrier's transaction manager counts.
	Confirmations uint64
	// PollInterval is how often receipts and the head are read; 0 means
	// DefaultPollInterval.
	PollInterval time.Duration
	// Progress receives a line for each step (transactions sent and mined,
	// confirmations, code verified); nil discards them.
	Progress io.Writer
}

// Contracts are the addresses of a deployment.
type Contracts struct {
	Token    common.Address `json:"token"`
	Registry common.Address `json:"registry"`
	Market   common.Address `json:"market"`
}

// Result is a confirmed, verified deployment.
type Result struct {
	ChainID   uint64
	Deployer  common.Address
	Contracts Contracts
	// DeployBlock is the block of the first deployment transaction (the
	// Token's, or the Registry's with an existing token): logs of the
	// contracts start there.
	DeployBlock uint64
	// TokenDeployed is false when Options.Token was used.
	TokenDeployed bool
	// Receipts of the deployment transactions, in nonce order.
	Receipts []*types.Receipt
}

// Deploy deploys the contracts from auth.From (signing with auth.Signer) on
// the chain of client:
//
//  1. reads the chain id, checks that the EVM runs Cancun's opcodes
//     (ErrUnsupportedEVM), checks an existing token (code, decimals(),
//     totalSupply()), reads the fees (SuggestFees) and estimates each
//     creation's gas; fails with ErrInsufficientFunds, before sending
//     anything, when the deployer's balance cannot pay the most these cost;
//  2. sends Token (unless Options.Token), Registry and Market back to back;
//  3. waits until they are mined, then Options.Confirmations deep, and
//     reads the receipts again (a reorg that dropped one means waiting
//     again);
//  4. verifies the code at each address (Verify).
//
// On error after step 2 the transactions may still land; the error names
// them.
func Deploy(ctx context.Context, client Backend, auth *bind.TransactOpts, opts Options) (Result, error) {
	p := progress{w: opts.Progress}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if auth == nil || auth.Signer == nil {
		return Result{}, errors.New("deploy: no signer")
	}
	from := auth.From
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("reading the chain id: %w", err)
	}
	res := Result{ChainID: chainID.Uint64(), Deployer: from, TokenDeployed: opts.Token == (common.Address{})}
	if _, err := client.CallContract(ctx, ethereum.CallMsg{From: from, Data: cancunProbe}, nil); err != nil {
		return Result{}, fmt.Errorf("chain %s: %w (transient storage, EIP-1153): a creation using TLOAD failed: %w", chainID, ErrUnsupportedEVM, err)
	}
	if !res.TokenDeployed {
		if err := CheckERC20(ctx, client, opts.Token); err != nil {
			return Result{}, err
		}
		p.printf("token: using the existing ERC-20 at %s", opts.Token)
	}

	s, err := NewSender(ctx, client, auth, chainID)
	if err != nil {
		return Result{}, err
	}
	creations, err := plan(from, s.Nonce(), opts)
	if err != nil {
		return Result{}, err
	}
	res.Contracts = Contracts{Token: opts.Token, Registry: creations[len(creations)-2].Address(), Market: creations[len(creations)-1].Address()}
	if res.TokenDeployed {
		res.Contracts.Token = creations[0].Address()
	}
	p.printf("deployer %s on chain %d, nonce %d; fees: %s", from, res.ChainID, s.Nonce(), s.Fees())

	gas, err := estimate(ctx, client, from, creations)
	if err != nil {
		return Result{}, err
	}
	if err := checkFunds(ctx, client, from, gas, s.Fees()); err != nil {
		return Result{}, err
	}

	steps := make([]Step, 0, len(creations))
	for i, c := range creations {
		tx, err := s.Create(ctx, c.Input, gas[i])
		if err != nil {
			return Result{}, fmt.Errorf("%s: %w%s", c.Name, err, sentSoFar(steps))
		}
		steps = append(steps, Step{Name: c.Name, Tx: tx})
		p.printf("%s: sent transaction %s (nonce %d, gas limit %d) creating %s", c.Name, tx.Hash(), tx.Nonce(), tx.Gas(), c.Address())
	}
	receipts, err := waitConfirmed(ctx, client, steps, opts.Confirmations, opts.PollInterval, p)
	if err != nil {
		return Result{}, err
	}
	res.Receipts = receipts
	res.DeployBlock = receipts[0].BlockNumber.Uint64()
	for i, c := range creations {
		if receipts[i].ContractAddress != c.Address() {
			return Result{}, fmt.Errorf("%s: the receipt of %s reports contract %s, want %s",
				c.Name, steps[i].Tx.Hash(), receipts[i].ContractAddress, c.Address())
		}
		v, err := Verify(ctx, client, chainID, c)
		if err != nil {
			return Result{}, err
		}
		p.printf("%s at %s: code verified, %d bytes, keccak256 %s, the bindings' runtime code", c.Name, v.Address, v.Size, v.CodeHash)
	}
	return res, nil
}

// plan lists the creations Deploy sends from nonce on.
func plan(from common.Address, nonce uint64, opts Options) ([]Creation, error) {
	var out []Creation
	add := func(name string, meta *bind.MetaData, args ...any) error {
		parsed, err := meta.GetAbi()
		if err != nil {
			return fmt.Errorf("%s: reading the binding's ABI: %w", name, err)
		}
		packed, err := parsed.Pack("", args...)
		if err != nil {
			return fmt.Errorf("%s: encoding the constructor arguments: %w", name, err)
		}
		input := append(common.FromHex(meta.Bin), packed...)
		out = append(out, Creation{Name: name, From: from, Nonce: nonce + uint64(len(out)), Input: input})
		return nil
	}
	tokenAddr := opts.Token
	if tokenAddr == (common.Address{}) {
		name, symbol, owner := opts.TokenName, opts.TokenSymbol, opts.TokenOwner
		if name == "" {
			name = DefaultTokenName
		}
		if symbol == "" {
			symbol = DefaultTokenSymbol
		}
		if owner == (common.Address{}) {
			owner = from
		}
		if err := add("token", token.TokenMetaData, name, symbol, owner); err != nil {
			return nil, err
		}
		tokenAddr = out[0].Address()
	}
	if err := add("registry", registry.RegistryMetaData); err != nil {
		return nil, err
	}
	if err := add("market", market.MarketMetaData, tokenAddr, out[len(out)-1].Address()); err != nil {
		return nil, err
	}
	return out, nil
}

// estimate estimates each creation's gas. None of the constructors reads
// another contract, so the Market's estimate does not need the Token and
// Registry to exist yet.
func estimate(ctx context.Context, client Backend, from common.Address, creations []Creation) ([]uint64, error) {
	gas := make([]uint64, len(creations))
	for i, c := range creations {
		g, err := client.EstimateGas(ctx, ethereum.CallMsg{From: from, Data: c.Input})
		if err != nil {
			return nil, fmt.Errorf("%s: estimating the gas of its creation: %w", c.Name, err)
		}
		gas[i] = g
	}
	return gas, nil
}

// checkFunds fails unless from holds what the creations cost at most.
func checkFunds(ctx context.Context, client Backend, from common.Address, gas []uint64, fees Fees) error {
	balance, err := client.BalanceAt(ctx, from, nil)
	if err != nil {
		return fmt.Errorf("reading the balance of %s: %w", from, err)
	}
	var total uint64
	for _, g := range gas {
		total += g
	}
	need := new(big.Int).Mul(new(big.Int).SetUint64(total), fees.Max())
	if balance.Cmp(need) < 0 {
		return fmt.Errorf("%w: deployer %s holds %s wei; the deployment needs up to %s wei (%d gas at %s wei per gas)",
			ErrInsufficientFunds, from, balance, need, total, fees.Max())
	}
	return nil
}

// CheckERC20 checks that addr has code and answers decimals() and
// totalSupply() as an ERC-20 does; errors wrap ErrNotERC20.
func CheckERC20(ctx context.Context, client Backend, addr common.Address) error {
	code, err := client.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("token %s: reading its code: %w", addr, err)
	}
	if len(code) == 0 {
		return fmt.Errorf("token %s: %w: there is no contract code at this address", addr, ErrNotERC20)
	}
	tok, err := token.NewTokenCaller(addr, client)
	if err != nil {
		return err
	}
	call := &bind.CallOpts{Context: ctx}
	if _, err := tok.Decimals(call); err != nil {
		return fmt.Errorf("token %s: %w: decimals() failed: %w", addr, ErrNotERC20, err)
	}
	if _, err := tok.TotalSupply(call); err != nil {
		return fmt.Errorf("token %s: %w: totalSupply() failed: %w", addr, ErrNotERC20, err)
	}
	return nil
}

// waitConfirmed waits until every step is mined and the last one's block
// is confirmations deep, then reads the receipts again: a receipt that
// moved to another block (a reorg) restarts the wait.
func waitConfirmed(ctx context.Context, client Backend, steps []Step, confirmations uint64, poll time.Duration, p progress) ([]*types.Receipt, error) {
	need := max(confirmations, 1)
	for {
		receipts, err := WaitMined(ctx, client, steps, poll)
		if err != nil {
			return nil, fmt.Errorf("%w%s", err, sentSoFar(steps))
		}
		for i, r := range receipts {
			p.printf("%s: transaction %s mined in block %d (gas used %d)", steps[i].Name, steps[i].Tx.Hash(), r.BlockNumber, r.GasUsed)
		}
		last := receipts[len(receipts)-1].BlockNumber.Uint64()
		if err := waitDepth(ctx, client, last, need, poll, p); err != nil {
			return nil, fmt.Errorf("%w%s", err, sentSoFar(steps))
		}
		moved := false
		for i, r := range receipts {
			again, err := client.TransactionReceipt(ctx, steps[i].Tx.Hash())
			if err != nil && !errors.Is(err, ethereum.NotFound) {
				return nil, fmt.Errorf("%s: reading the receipt of %s again: %w", steps[i].Name, steps[i].Tx.Hash(), err)
			}
			if err != nil || again.BlockHash != r.BlockHash {
				p.printf("%s: transaction %s left block %d (a reorg); waiting for it again", steps[i].Name, steps[i].Tx.Hash(), r.BlockNumber)
				moved = true
			}
		}
		if !moved {
			return receipts, nil
		}
	}
}

// waitDepth waits until block has need blocks including itself on top of
// the chain, printing each new count.
func waitDepth(ctx context.Context, client Backend, block, need uint64, poll time.Duration, p progress) error {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var shown uint64
	for {
		head, err := client.HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("reading the head block: %w", err)
		}
		var depth uint64
		if h := head.Number.Uint64(); h >= block {
			depth = h - block + 1
		}
		if depth != shown {
			p.printf("confirmations: %d/%d (block %d, head %d)", min(depth, need), need, block, head.Number)
			shown = depth
		}
		if depth >= need {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d confirmations of block %d (head %d): %w", need, block, head.Number, ctx.Err())
		case <-tick.C:
		}
	}
}

// sentSoFar names the transactions already sent, for errors after some
// were: they may still land.
func sentSoFar(steps []Step) string {
	if len(steps) == 0 {
		return ""
	}
	s := " (transactions sent:"
	for _, st := range steps {
		s += fmt.Sprintf(" %s %s", st.Name, st.Tx.Hash())
	}
	return s + ")"
}

// progress writes progress lines, if it has a writer.
type progress struct{ w io.Writer }

func (p progress) printf(format string, args ...any) {
	if p.w != nil {
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}
