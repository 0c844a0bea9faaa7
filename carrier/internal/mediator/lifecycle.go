package mediator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// Errors of the order's life after its creation (extend, close, update
// manifest); callers test them with errors.Is. Each refusal is found
// before anything is sent, or named from the revert when the chain
// changed in between.
var (
	// ErrNotPayee: the order's payee (the provider's owner when the order
	// was placed) is not this organization's wallet. It is also
	// ErrBadInput.
	ErrNotPayee = fmt.Errorf("%w: not the order's payee", ErrBadInput)
	// ErrOrderClosed: the order is cancelled, settled or closed already.
	ErrOrderClosed = errors.New("order closed")
	// ErrOrderEnded: the order's end has passed; it is settled, not
	// changed.
	ErrOrderEnded = errors.New("order ended")
	// ErrSameManifest: the manifest hashes to the order's current
	// manifest hash. It is also ErrBadInput.
	ErrSameManifest = fmt.Errorf("%w: same manifest", ErrBadInput)
	// ErrPriceAboveMaximum: the provider's prices rose after the carrier
	// read them and the Market refused the order above the buyer's
	// maximum.
	ErrPriceAboveMaximum = errors.New("price above maximum")
)

// MaxDuration is the Market's MAX_DURATION in seconds: an order ends at
// most this long after now.
const MaxDuration = 365 * 24 * 3600

// OrderChange is the outcome of extending, closing or updating the
// manifest of an order.
type OrderChange struct {
	// Kind is "extend", "close" or "manifest".
	Kind    string `json:"kind"`
	OrderID uint64 `json:"orderId"`
	// Operation is the caller's operation id (extend and manifest).
	Operation string       `json:"operation,omitempty"`
	Intent    txmgr.Status `json:"intent"`
	// Duration is the seconds an extension adds; AddedEscrow what it
	// escrows (rate × duration), End the order's new end (unix seconds)
	// once mined.
	Duration    uint64             `json:"duration,omitempty"`
	AddedEscrow *carrierapi.Amount `json:"addedEscrow,omitempty"`
	End         uint64             `json:"end,omitempty"`
	// Paid and Refund split a closed order's escrow, once mined.
	Paid   *carrierapi.Amount `json:"paid,omitempty"`
	Refund *carrierapi.Amount `json:"refund,omitempty"`
	// Manifest is the new manifest of an update.
	Manifest *ManifestInfo `json:"manifest,omitempty"`
	// Rollout is how the new manifest reached the order's gateway (set by
	// the API once the update is mined).
	Rollout *carrierapi.Rollout `json:"rollout,omitempty"`
	// Order is the order as held, with the transaction's events, once
	// mined (absent when the carrier has not seen the order yet).
	Order *OrderRecord `json:"order,omitempty"`
}

// ExtendOrder adds duration seconds to the org's order id as its buyer at
// the order's rate: intent "extend order <id> <op>". It checks first that
// the order is the org's as buyer, open, not ended, ends at most
// MaxDuration from now and that the credit covers rate × duration; a
// check that fails sends nothing. The same op returns the extension
// already sent.
func (m *Mediator) ExtendOrder(ctx context.Context, id uint64, op string, duration uint64) (OrderChange, error) {
	op, err := checkOpID(op)
	if err != nil {
		return OrderChange{}, err
	}
	c := OrderChange{Kind: "extend", OrderID: id, Operation: op, Duration: duration}
	switch {
	case duration == 0:
		return c, badInput("duration: a positive number of seconds is required")
	case duration > MaxDuration:
		return c, badInput("duration %d s: the Market extends by at most %d s", duration, MaxDuration)
	}
	key := fmt.Sprintf("extend order %d %s", id, op)
	if _, err := m.tx.Get(key); errors.Is(err, txmgr.ErrUnknownIntent) {
		o, now, err := m.openOrder(ctx, id, false)
		if err != nil {
			return c, err
		}
		if ahead := o.End + duration - now; ahead > MaxDuration {
			return c, badInput("order %d would end %d s from now, beyond the Market's %d s", id, ahead, MaxDuration)
		}
		// escrow = rate × (end − start) exactly, so this is rate × duration.
		added := new(big.Int).Mul(o.Escrow, new(big.Int).SetUint64(duration))
		added.Quo(added, new(big.Int).SetUint64(o.End-o.Start))
		c.AddedEscrow = carrierapi.NewAmount(added)
		credit, err := m.market.CreditOf(m.call(ctx), m.self)
		if err != nil {
			return c, fmt.Errorf("reading the credit: %w", err)
		}
		if credit.Cmp(added) < 0 {
			return c, fmt.Errorf("%w: extending order %d by %d s escrows %s, the credit is %s; deposit at least %s more",
				ErrInsufficientCredits, id, duration, added, credit, new(big.Int).Sub(added, credit))
		}
	} else if err != nil {
		return c, err
	}
	data, err := pack(m.marketABI, "extend", new(big.Int).SetUint64(id), duration)
	if err != nil {
		return c, err
	}
	return m.submitChange(ctx, c, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
}

// CloseOrder ends the order id early as its payee (this organization sold
// it): intent "close order <id>". The Market pays the payee for the time
// served and refunds the buyer the rest. It checks first that the org is
// the order's payee and the order open and not ended.
func (m *Mediator) CloseOrder(ctx context.Context, id uint64) (OrderChange, error) {
	c := OrderChange{Kind: "close", OrderID: id}
	key := fmt.Sprintf("close order %d", id)
	if _, err := m.tx.Get(key); errors.Is(err, txmgr.ErrUnknownIntent) {
		if _, _, err := m.openOrder(ctx, id, true); err != nil {
			return c, err
		}
	} else if err != nil {
		return c, err
	}
	data, err := pack(m.marketABI, "close", new(big.Int).SetUint64(id))
	if err != nil {
		return c, err
	}
	return m.submitChange(ctx, c, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
}

// UpdateManifest fetches and hashes the manifest at url as CreateOrder
// does and replaces the order's manifest hash as its buyer: intent
// "manifest order <id> <op>". It checks first that the order is the org's
// as buyer, open and not ended, and that the manifest differs from the
// order's. The same op returns the update already sent (the manifest is
// fetched again: a different one is a different request).
func (m *Mediator) UpdateManifest(ctx context.Context, id uint64, op, url string) (OrderChange, error) {
	op, err := checkOpID(op)
	if err != nil {
		return OrderChange{}, err
	}
	c := OrderChange{Kind: "manifest", OrderID: id, Operation: op}
	if strings.TrimSpace(url) == "" {
		return c, badInput("a manifest URL is required")
	}
	key := fmt.Sprintf("manifest order %d %s", id, op)
	var current *common.Hash
	if _, err := m.tx.Get(key); errors.Is(err, txmgr.ErrUnknownIntent) {
		o, _, err := m.openOrder(ctx, id, false)
		if err != nil {
			return c, err
		}
		h := common.Hash(o.ManifestHash)
		current = &h
	} else if err != nil {
		return c, err
	}
	man, err := m.fetch.Fetch(ctx, url)
	if err != nil {
		return c, manifestError(err)
	}
	c.Manifest = &ManifestInfo{URL: url, Size: man.Size, Hash: man.Hash}
	if current != nil && *current == common.Hash(man.Hash) {
		return c, fmt.Errorf("%w: the manifest at %s hashes to %s, which is order %d's manifest hash already", ErrSameManifest, url, common.Hash(man.Hash).Hex(), id)
	}
	data, err := pack(m.marketABI, "updateManifest", new(big.Int).SetUint64(id), man.Hash)
	if err != nil {
		return c, err
	}
	return m.submitChange(ctx, c, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
}

// openOrder reads order id on chain and checks that the org is its payee
// (payee) or buyer, and that it is open and before its end at the head's
// time, which it returns.
func (m *Mediator) openOrder(ctx context.Context, id uint64, payee bool) (marketbind.MarketOrderView, uint64, error) {
	o, err := m.market.GetOrder(m.call(ctx), new(big.Int).SetUint64(id))
	if err != nil {
		return o, 0, fmt.Errorf("%w: reading order %d on chain: %v", ErrUnavailable, id, err)
	}
	status := market.OrderStatus(o.Status)
	switch {
	case status == market.StatusNone:
		return o, 0, fmt.Errorf("%w: order %d is not on chain", ErrNotFound, id)
	case payee && o.Payee != m.self:
		return o, 0, fmt.Errorf("%w: order %d pays %s, not this organization's wallet %s; only its payee closes it",
			ErrNotPayee, id, o.Payee.Hex(), m.self.Hex())
	case !payee && o.Buyer != m.self:
		return o, 0, fmt.Errorf("%w: order %d was placed by %s, not by this organization's wallet %s",
			ErrNotBuyer, id, o.Buyer.Hex(), m.self.Hex())
	case status != market.StatusOpen:
		return o, 0, fmt.Errorf("%w: order %d is %s", ErrOrderClosed, id, (&OrderRecord{Order: market.Order{Status: status}}).closed())
	}
	head, err := m.latestHead(ctx)
	if err != nil {
		return o, 0, err
	}
	if head.Time >= o.End {
		return o, 0, fmt.Errorf("%w: order %d ended at %s; it can only be settled now", ErrOrderEnded, id,
			market.Unix(o.End).UTC().Format("2006-01-02T15:04:05Z"))
	}
	return o, head.Time, nil
}

// submitChange submits in, waits up to OrderWait for it to be mined and
// reports it.
func (m *Mediator) submitChange(ctx context.Context, c OrderChange, in txmgr.Intent) (OrderChange, error) {
	st, err := m.tx.Submit(ctx, in)
	if err != nil {
		c.Intent = st
		return c, lifeError(err)
	}
	return m.finishChange(ctx, c, m.waitMined(ctx, st))
}

// finishChange reports the intent of c; once mined, with what its events
// did to the order.
func (m *Mediator) finishChange(ctx context.Context, c OrderChange, st txmgr.Status) (OrderChange, error) {
	c.Intent = st
	if err := st.Err(); err != nil {
		return c, lifeError(err)
	}
	if st.State == txmgr.StatePending || st.Hash == nil {
		return c, nil
	}
	r, err := m.chain.TransactionReceipt(ctx, *st.Hash)
	if err != nil {
		return c, fmt.Errorf("reading the receipt: %w", err)
	}
	o, err := m.store.order(c.OrderID)
	if err != nil {
		return c, err
	}
	for _, l := range r.Logs {
		if id, ok := m.eventOrder(l); !ok || id != c.OrderID || len(l.Topics) == 0 {
			continue
		}
		switch l.Topics[0] {
		case m.marketABI.Events["OrderExtended"].ID:
			if ev, err := m.events.ParseOrderExtended(*l); err == nil {
				c.AddedEscrow, c.End = amountOf(ev.AddedEscrow), ev.End
			}
		case m.marketABI.Events["OrderClosed"].ID:
			if ev, err := m.events.ParseOrderClosed(*l); err == nil {
				c.Paid, c.Refund = amountOf(ev.ProviderPaid), amountOf(ev.BuyerRefund)
			}
		}
		if o != nil {
			if _, err := m.applyEvent(o, l); err != nil {
				return c, err
			}
		}
	}
	if o != nil {
		o.Role, o.State = o.role(m.self), o.state(m.chainNow(m.lastHead()))
		c.Order = o
	}
	return c, nil
}

// revertArgs matches the decoder's rendering of a custom error,
// Name(arg, …).
var revertArgs = regexp.MustCompile(`^([A-Za-z]+)\(([^()]*)\)$`)

// lifeError names the Market's refusals of an order call (found in
// pre-flight, or on chain when the chain changed after the checks) with
// the errors the checks give, and is opError for the rest.
func lifeError(err error) error {
	var rev *txmgr.RevertError
	if !errors.As(err, &rev) {
		return opError(err)
	}
	mm := revertArgs.FindStringSubmatch(rev.Reason)
	if mm == nil {
		return opError(err)
	}
	args := strings.Split(mm[2], ", ")
	sent := "nothing sent"
	if !rev.Preflight {
		sent = "the transaction reverted on chain"
	}
	switch mm[1] {
	case "PriceAboveMaximum":
		if len(args) == 2 {
			return fmt.Errorf("%w: the provider's price rose: the order would cost %s, above your maximum %s (%s)",
				ErrPriceAboveMaximum, args[0], args[1], sent)
		}
	case "NotBuyer":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrNotBuyer, rev.Reason, sent)
	case "NotPayee":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrNotPayee, rev.Reason, sent)
	case "OrderAlreadyCancelled", "OrderAlreadySettled", "OrderAlreadyClosed":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrOrderClosed, rev.Reason, sent)
	case "OrderEnded":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrOrderEnded, rev.Reason, sent)
	case "SameManifestHash":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrSameManifest, rev.Reason, sent)
	case "InsufficientCredit":
		return fmt.Errorf("%w: the Market says %s (%s)", ErrInsufficientCredits, rev.Reason, sent)
	}
	return opError(err)
}
