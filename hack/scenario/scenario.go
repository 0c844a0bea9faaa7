package scenario

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// Reporter is where a scenario tells what it does as it happens: the demo
// prints it, test/e2e writes it into the test's log.
type Reporter interface {
	// Step starts a numbered step.
	Step(title string)
	// OK reports a checked fact of the current step.
	OK(format string, args ...any)
	// Logf writes a diagnostic: a harness's note (a wait, a retry), the
	// report of a failed run's processes.
	Logf(format string, args ...any)
}

// Limits of the scenario's waits: hang guards on a small busy machine, not
// timing assertions.
const (
	waitChain   = 2 * time.Minute
	waitP2P     = 2 * time.Minute
	waitDeploy  = 3 * time.Minute
	pollEvery   = 250 * time.Millisecond
	orderSecs   = 600 // the order's duration; the scenario cancels it early
	depositBase = 1_000_000_000
)

// OrderResources is what the scenario's buyer orders: enough for the demo
// app's one replica, with room for the gateway's LimitRange defaults.
var OrderResources = market.Resources{CPUMillis: 500, MemoryBytes: 512 << 20, StorageBytes: 1 << 30}

// waitUntil polls cond every pollEvery until it returns true, an error, or
// limit passes; the error names what it waited for and the last problem.
func waitUntil(ctx context.Context, limit time.Duration, what string, cond func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		ok, err := cond(ctx)
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("waiting %s for %s: %w", limit, what, last)
			}
			return fmt.Errorf("waiting %s for %s: timed out", limit, what)
		case <-time.After(pollEvery):
		}
	}
}

// Intent is the carrier API's view of a journaled transaction.
type Intent struct {
	Key   string `json:"key"`
	State string `json:"state"`
	Block uint64 `json:"block"`
}

// stepRegistered waits for the seller's carrier to register the provider
// its gateway serves, and checks it on chain.
func stepRegistered(ctx context.Context, n Reporter, chain *Chain, a *carrierapi.Client, provider common.Address) error {
	n.Step(fmt.Sprintf("org A's carrier registers its gateway's provider %s on chain, with the proof of possession the gateway signed for org A's wallet", provider.Hex()))
	var url string
	err := waitUntil(ctx, waitChain, "the provider's registration", func(ctx context.Context) (bool, error) {
		var ps []carrierapi.ProviderInfo
		if err := a.Do(ctx, "GET", "providers", nil, &ps); err != nil {
			return false, err
		}
		for _, p := range ps {
			if p.Provider == provider && p.State == "registered" {
				url = p.URL
				return true, nil
			}
		}
		states := make([]string, len(ps))
		for i, p := range ps {
			states[i] = p.Provider.Hex() + " " + p.State
			if p.Problem != "" {
				states[i] += " (" + p.Problem + ")"
			}
		}
		return false, fmt.Errorf("providers: %v", states)
	})
	if err != nil {
		return err
	}
	reg, err := registry.NewRegistry(chain.Info.Contracts.Registry, chain.Client)
	if err != nil {
		return err
	}
	ok, err := reg.IsRegistered(&bind.CallOpts{Context: ctx}, provider)
	if err != nil || !ok {
		return fmt.Errorf("Registry.isRegistered(%s) = %v, %v; the carrier said registered", provider.Hex(), ok, err)
	}
	n.OK("Registry.isRegistered(%s) = true on chain, gateway URL %s", provider.Hex(), url)
	return nil
}

// stepListing waits until the provider's signed listing, published by its
// gateway through org A's carrier, is in org B's directory.
func stepListing(ctx context.Context, n Reporter, b *carrierapi.Client, provider common.Address) error {
	n.Step("the provider's signed listing reaches org B's directory over libp2p")
	var l carrierapi.Listing
	err := waitUntil(ctx, waitP2P, "the listing at org B", func(ctx context.Context) (bool, error) {
		err := b.Do(ctx, "GET", "listings/"+provider.Hex(), nil, &l)
		return err == nil, err
	})
	if err != nil {
		return err
	}
	n.OK("org B's carrier holds the listing of %s (org %s, seq %d), gateway %s", common.HexToAddress(l.Provider).Hex(), l.Org, l.Seq, l.GatewayURL)
	return nil
}

// stepDeposit deposits credits for org B and checks the Market credit.
func stepDeposit(ctx context.Context, n Reporter, chain *Chain, b *carrierapi.Client, wallet common.Address) error {
	n.Step(fmt.Sprintf("org B deposits %d base units of credit", depositBase))
	before, err := chain.Credit(ctx, wallet)
	if err != nil {
		return err
	}
	var op struct {
		ID      string   `json:"id"`
		Intents []Intent `json:"intents"`
	}
	// The carrier answers 503 until its chain mediator runs (it may still be
	// creating its Consul session); the operation key makes a retry safe.
	if err := waitUntil(ctx, time.Minute, "org B's carrier to take the deposit", func(ctx context.Context) (bool, error) {
		err := b.Do(ctx, "POST", "credits/deposit", carrierapi.AmountRequest{Amount: carrierapi.NewAmount(big.NewInt(depositBase)), Operation: "demo-deposit"}, &op)
		return err == nil, err
	}); err != nil {
		return err
	}
	if len(op.Intents) == 0 {
		return fmt.Errorf("deposit %s: the carrier journaled no transaction", op.ID)
	}
	for _, it := range op.Intents {
		if err := waitConfirmed(ctx, b, it.Key); err != nil {
			return err
		}
		n.OK("transaction %s confirmed", it.Key)
	}
	after, err := chain.Credit(ctx, wallet)
	if err != nil {
		return err
	}
	if want := new(big.Int).Add(before, big.NewInt(depositBase)); after.Cmp(want) != 0 {
		return fmt.Errorf("org B's credit = %s after the deposit, want %s", after, want)
	}
	n.OK("Market.creditOf(B) = %s base units (was %s)", after, before)
	return nil
}

// waitConfirmed long-polls a journaled transaction until it is confirmed.
func waitConfirmed(ctx context.Context, c *carrierapi.Client, key string) error {
	return waitUntil(ctx, waitChain, "transaction "+key, func(ctx context.Context) (bool, error) {
		var in Intent
		if err := c.Do(ctx, "GET", "txs/"+key, nil, &in); err != nil {
			return false, err
		}
		if in.State == "failed" {
			return false, fmt.Errorf("transaction %s failed", key)
		}
		return in.State == "confirmed", fmt.Errorf("transaction %s is %s", key, in.State)
	})
}

// stepOrder has org B match the request against its directory and order
// from provider with the manifest at manifestURL, whose keccak256 is hash.
// It returns the order as the carrier reports it.
func stepOrder(ctx context.Context, n Reporter, chain *Chain, b *carrierapi.Client, provider, wallet common.Address, manifestURL string, hash common.Hash) (carrierapi.OrderInfo, error) {
	n.Step("org B matches its request against the directory and orders")
	var match struct {
		Candidates []struct {
			Provider common.Address `json:"provider"`
			Org      string         `json:"org"`
			Rate     *big.Int       `json:"rate"`
			Cost     *big.Int       `json:"cost"`
		} `json:"candidates"`
		Excluded []struct {
			Provider common.Address `json:"provider"`
			Reasons  []string       `json:"reasons"`
		} `json:"excluded"`
	}
	if err := b.Do(ctx, "POST", "match", carrierapi.MatchRequest{Resources: OrderResources, Duration: orderSecs}, &match); err != nil {
		return carrierapi.OrderInfo{}, err
	}
	found := false
	for _, c := range match.Candidates {
		n.OK("candidate %s (org %s): %s base units/s, %s for %d s", c.Provider.Hex(), c.Org, c.Rate, c.Cost, orderSecs)
		found = found || c.Provider == provider
	}
	for _, x := range match.Excluded {
		n.OK("excluded %s: %v", x.Provider.Hex(), x.Reasons)
	}
	if !found {
		return carrierapi.OrderInfo{}, fmt.Errorf("the match has no candidate %s: %+v", provider.Hex(), match)
	}
	var placed struct {
		Order  *carrierapi.OrderInfo `json:"order"`
		Intent Intent                `json:"intent"`
	}
	if err := b.Do(ctx, "POST", "orders", carrierapi.OrderRequest{Resources: OrderResources, Duration: orderSecs,
		ManifestURL: manifestURL, Provider: &provider, Operation: "demo-order"}, &placed); err != nil {
		return carrierapi.OrderInfo{}, err
	}
	if placed.Order == nil {
		if err := waitConfirmed(ctx, b, placed.Intent.Key); err != nil {
			return carrierapi.OrderInfo{}, err
		}
		return carrierapi.OrderInfo{}, fmt.Errorf("order transaction %s confirmed but the carrier returned no order", placed.Intent.Key)
	}
	o := *placed.Order
	view, err := chain.Market.GetOrder(&bind.CallOpts{Context: ctx}, new(big.Int).SetUint64(o.ID))
	if err != nil {
		return carrierapi.OrderInfo{}, fmt.Errorf("Market.getOrder(%d): %w", o.ID, err)
	}
	if view.Buyer != wallet || view.Provider != provider || common.Hash(view.ManifestHash) != hash {
		return carrierapi.OrderInfo{}, fmt.Errorf("Market.getOrder(%d) = buyer %s provider %s manifest %x; want %s %s %s",
			o.ID, view.Buyer.Hex(), view.Provider.Hex(), view.ManifestHash, wallet.Hex(), provider.Hex(), hash.Hex())
	}
	n.OK("order %d on chain: buyer %s, provider %s, escrow %s, manifest hash %s", o.ID, view.Buyer.Hex(), view.Provider.Hex(), view.Escrow, hash.Hex())
	return o, nil
}

// Settlement is what stepCancel measured.
type Settlement struct {
	Paid, Refund     *big.Int
	CreditA, CreditB *big.Int
}

// stepCancel has org B cancel the order; the Market pays the provider's
// payee (org A's wallet) for the seconds used and refunds B the rest. The
// figures are checked to the base unit against the cancel's block time.
func stepCancel(ctx context.Context, n Reporter, chain *Chain, a, b *carrierapi.Client, o carrierapi.OrderInfo, walletA, walletB common.Address) (Settlement, error) {
	n.Step(fmt.Sprintf("org B cancels order %d", o.ID))
	creditA0, err := chain.Credit(ctx, walletA)
	if err != nil {
		return Settlement{}, err
	}
	creditB0, err := chain.Credit(ctx, walletB)
	if err != nil {
		return Settlement{}, err
	}
	var in Intent
	if err := b.Do(ctx, "POST", "orders/"+strconv.FormatUint(o.ID, 10)+"/cancel", nil, &in); err != nil {
		return Settlement{}, err
	}
	if err := waitConfirmed(ctx, b, in.Key); err != nil {
		return Settlement{}, err
	}
	if err := b.Do(ctx, "GET", "txs/"+in.Key, nil, &in); err != nil {
		return Settlement{}, err
	}
	n.OK("cancel transaction %s confirmed in block %d", in.Key, in.Block)

	n.Step("the chain settles: org A is paid for the time used, org B refunded the rest")
	head, err := chain.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(in.Block))
	if err != nil {
		return Settlement{}, err
	}
	escrow := o.Escrow.Big()
	used := head.Time - o.Start
	rate := new(big.Int).Div(escrow, new(big.Int).SetUint64(o.End-o.Start))
	paid := new(big.Int).Mul(rate, new(big.Int).SetUint64(used))
	refund := new(big.Int).Sub(escrow, paid)
	var seen carrierapi.OrderInfo
	err = waitUntil(ctx, waitChain, "org A to see the cancel", func(ctx context.Context) (bool, error) {
		if err := a.Do(ctx, "GET", "orders/"+strconv.FormatUint(o.ID, 10), nil, &seen); err != nil {
			return false, err
		}
		return seen.State == "cancelled", fmt.Errorf("order is %s at org A", seen.State)
	})
	if err != nil {
		return Settlement{}, err
	}
	if seen.Paid == nil || seen.Refund == nil {
		return Settlement{}, fmt.Errorf("order %d is cancelled at org A without paid and refund amounts", o.ID)
	}
	gotPaid, gotRefund := seen.Paid.Big(), seen.Refund.Big()
	if gotPaid.Cmp(paid) != 0 || gotRefund.Cmp(refund) != 0 {
		return Settlement{}, fmt.Errorf("order %d settled paid %s refund %s; want paid %s (%d s × %s) refund %s", o.ID, gotPaid, gotRefund, paid, used, rate, refund)
	}
	s := Settlement{Paid: paid, Refund: refund}
	if s.CreditA, err = chain.Credit(ctx, walletA); err != nil {
		return Settlement{}, err
	}
	if s.CreditB, err = chain.Credit(ctx, walletB); err != nil {
		return Settlement{}, err
	}
	if want := new(big.Int).Add(creditA0, paid); s.CreditA.Cmp(want) != 0 {
		return Settlement{}, fmt.Errorf("org A's credit = %s, want %s + %s = %s", s.CreditA, creditA0, paid, want)
	}
	if want := new(big.Int).Add(creditB0, refund); s.CreditB.Cmp(want) != 0 {
		return Settlement{}, fmt.Errorf("org B's credit = %s, want %s + %s = %s", s.CreditB, creditB0, refund, want)
	}
	n.OK("used %d s of %d at %s base units/s: org A paid %s, org B refunded %s", used, o.End-o.Start, rate, paid, refund)
	n.OK("balances: org A %s credit %s (was %s); org B %s credit %s (was %s)", walletA.Hex(), s.CreditA, creditA0, walletB.Hex(), s.CreditB, creditB0)
	return s, nil
}
