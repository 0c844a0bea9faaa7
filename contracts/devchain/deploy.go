package devchain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/deploy"
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

// deployAll deploys Token (owned by the deployer), Registry and Market with
// package deploy, as on any other chain (code verified against the
// bindings), then mints amount to each of mintTo, back to back.
func deployAll(ctx context.Context, client *ethclient.Client, deployer Account, mintTo []Account, amount *big.Int) (deployment, error) {
	auth, err := bind.NewKeyedTransactorWithChainID(deployer.Key, big.NewInt(ChainID))
	if err != nil {
		return deployment{}, err
	}
	res, err := deploy.Deploy(ctx, client, auth, deploy.Options{
		TokenName: TokenName, TokenSymbol: TokenSymbol, Confirmations: 1, PollInterval: receiptPoll,
	})
	if err != nil {
		return deployment{}, err
	}
	d := deployment{
		contracts:   devinfo.Contracts{Token: res.Contracts.Token, Registry: res.Contracts.Registry, Market: res.Contracts.Market},
		deployBlock: res.DeployBlock,
	}
	if err := mint(ctx, client, deployer, d.contracts.Token, mintTo, amount); err != nil {
		return deployment{}, err
	}
	return d, nil
}

// mint mints amount to each of to on an existing Token.
func mint(ctx context.Context, client *ethclient.Client, deployer Account, tokenAddr common.Address, to []Account, amount *big.Int) error {
	if len(to) == 0 || amount.Sign() == 0 {
		return nil
	}
	auth, err := bind.NewKeyedTransactorWithChainID(deployer.Key, big.NewInt(ChainID))
	if err != nil {
		return err
	}
	s, err := deploy.NewSender(ctx, client, auth, big.NewInt(ChainID))
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
	_, err = deploy.WaitMined(ctx, client, steps, receiptPoll)
	return err
}

// sendMints sends the mints without waiting for them. The first one's gas
// is estimated; it is the dearest (it also takes totalSupply from zero, on
// a fresh Token), so the others reuse its limit.
func sendMints(s *deploy.Sender, tok *token.Token, to []Account, amount *big.Int) ([]deploy.Step, error) {
	var (
		steps []deploy.Step
		gas   uint64
	)
	for _, a := range to {
		name := "mint to " + a.Name
		tx, err := tok.Mint(s.Opts(gas), a.Address, amount)
		if err != nil {
			return steps, fmt.Errorf("%s: %w", name, err)
		}
		gas = tx.Gas()
		steps = append(steps, deploy.Step{Name: name, Tx: tx})
	}
	return steps, nil
}
