package mediator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
)

// OrderRequest asks for an order.
type OrderRequest struct {
	// Op makes the request idempotent: the same Op returns the order
	// already placed. Empty makes one.
	Op        string
	Resources market.Resources
	// Duration is in seconds.
	Duration uint64
	Labels   map[string]string
	Region   string
	// MaxPrice bounds the escrow (price × resources × duration); nil is no
	// bound.
	MaxPrice    *big.Int
	ManifestURL string
	// Provider, if set, is the chosen provider; else the best candidate.
	Provider *common.Address
}

func (r OrderRequest) schedule() scheduler.Request {
	return scheduler.Request{Resources: r.Resources, Duration: r.Duration, MaxPrice: r.MaxPrice, Labels: r.Labels, Region: r.Region}
}

// ManifestInfo describes the fetched manifest.
type ManifestInfo struct {
	URL  string      `json:"url"`
	Size int64       `json:"size"`
	Hash common.Hash `json:"hash"`
}

// Placement is the outcome of an order request.
type Placement struct {
	Operation string         `json:"operation"`
	Provider  common.Address `json:"provider"`
	// Cost is the escrow at the provider's prices on chain.
	Cost *carrierapi.Amount `json:"cost,omitempty"`
	// MaxEscrow is the most the Market lets the order cost: the request's
	// max price, else the cost the carrier read. Were the provider's prices
	// to rise above it before the block, the order is refused
	// (ErrPriceAboveMaximum) and costs nothing.
	MaxEscrow *carrierapi.Amount `json:"maxEscrow,omitempty"`
	Manifest  *ManifestInfo      `json:"manifest,omitempty"`
	Intent    txmgr.Status       `json:"intent"`
	// Order is set once the transaction is mined.
	Order *OrderRecord `json:"order,omitempty"`
}

// Match ranks the directory's providers for r, leaving out (with a
// reason) those whose owner on chain is not the owner their listing names.
func (m *Mediator) Match(r scheduler.Request) (scheduler.Result, error) {
	if m.sched == nil {
		return scheduler.Result{}, fmt.Errorf("%w: no provider directory", ErrUnavailable)
	}
	res, err := m.sched.Match(r)
	if errors.Is(err, scheduler.ErrInvalidRequest) {
		return res, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	if err == nil {
		err = m.checkOwners(&res) // payee.go
	}
	return res, err
}

// CreateOrder fetches and hashes the manifest, picks the provider (the
// chosen one if it fits, else the best candidate), checks the price on
// chain against MaxPrice and the credit against the escrow, and places
// the order as intent "order <op>". It waits up to OrderWait for the
// transaction to be mined. Any check that fails sends nothing.
func (m *Mediator) CreateOrder(ctx context.Context, r OrderRequest) (Placement, error) {
	op, err := checkOpID(r.Op)
	if err != nil {
		return Placement{}, err
	}
	key := "order " + op
	if st, err := m.tx.Get(key); err == nil { // placed before: report it
		return m.placement(ctx, op, st)
	}
	sr := r.schedule()
	if err := sr.Validate(); err != nil {
		return Placement{}, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	if strings.TrimSpace(r.ManifestURL) == "" {
		return Placement{}, badInput("a manifest URL is required")
	}
	provider, err := m.pick(sr, r.Provider)
	if err != nil {
		return Placement{}, err
	}
	man, err := m.fetch.Fetch(ctx, r.ManifestURL)
	if err != nil {
		return Placement{}, manifestError(err)
	}
	terms, payee, err := m.registryTerms(ctx, provider)
	if err != nil {
		return Placement{}, err
	}
	if err := m.checkPayee(provider, payee); err != nil { // payee.go
		return Placement{}, err
	}
	cost := terms.Cost(sr.Resources, sr.Duration)
	if cost.Sign() == 0 {
		return Placement{}, badInput("the request costs nothing at provider %s's prices; the Market refuses such orders", provider)
	}
	if r.MaxPrice != nil && cost.Cmp(r.MaxPrice) > 0 {
		return Placement{}, badInput("provider %s's price on chain makes the order cost %s, above the max price %s", provider, cost, r.MaxPrice)
	}
	credit, err := m.market.CreditOf(m.call(ctx), m.self)
	if err != nil {
		return Placement{}, fmt.Errorf("reading the credit: %w", err)
	}
	if credit.Cmp(cost) < 0 {
		return Placement{}, fmt.Errorf("%w: the order escrows %s, the credit is %s; deposit at least %s more",
			ErrInsufficientCredits, cost, credit, new(big.Int).Sub(cost, credit))
	}
	// The Market refuses the order (PriceAboveMaximum) if the provider's
	// prices rise between this read and the block: the buyer's maximum if
	// it gave one, else the cost just read.
	maxEscrow := cost
	if r.MaxPrice != nil {
		maxEscrow = r.MaxPrice
	}
	data, err := pack(m.marketABI, "createOrder", provider, r.Resources.Market(), r.Duration, man.Hash, maxEscrow)
	if err != nil {
		return Placement{}, err
	}
	st, err := m.tx.Submit(ctx, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
	if err != nil {
		return Placement{}, lifeError(err)
	}
	p, err := m.placement(ctx, op, m.waitMined(ctx, st))
	p.Cost, p.MaxEscrow = carrierapi.NewAmount(cost), carrierapi.NewAmount(maxEscrow)
	p.Manifest = &ManifestInfo{URL: r.ManifestURL, Size: man.Size, Hash: man.Hash}
	return p, err
}

// pick returns the chosen provider if it fits, else the best candidate.
func (m *Mediator) pick(r scheduler.Request, chosen *common.Address) (common.Address, error) {
	if m.sched == nil {
		return common.Address{}, fmt.Errorf("%w: no provider directory to match the request against", ErrUnavailable)
	}
	if chosen != nil {
		c, err := m.sched.Choose(r, *chosen)
		switch {
		case errors.Is(err, scheduler.ErrUnknownProvider):
			return common.Address{}, fmt.Errorf("%w: %w", ErrUnknownProvider, err)
		case errors.Is(err, scheduler.ErrInvalidRequest):
			return common.Address{}, fmt.Errorf("%w: %w", ErrBadInput, err)
		case err != nil:
			return common.Address{}, err
		}
		return c.Provider, nil
	}
	res, err := m.Match(r)
	if err != nil {
		return common.Address{}, err
	}
	if len(res.Candidates) == 0 {
		return common.Address{}, badInput("no provider fits the request (excluded: %v)", res.ExcludedByReason)
	}
	return res.Candidates[0].Provider, nil
}

func manifestError(err error) error {
	for _, e := range []error{manifest.ErrInvalidURL, manifest.ErrForbiddenAddress, manifest.ErrTooLarge,
		manifest.ErrUnreachable, manifest.ErrTooManyRedirects, manifest.ErrEmpty} {
		if errors.Is(err, e) {
			return badInput("manifest: %v", err)
		}
	}
	return fmt.Errorf("fetching the manifest: %w", err)
}

// registryTerms returns provider's prices and owner (the payee of its
// orders) on chain, or ErrUnknownProvider.
func (m *Mediator) registryTerms(ctx context.Context, provider common.Address) (market.Prices, common.Address, error) {
	t, err := m.registry.Terms(m.call(ctx), provider)
	if err != nil {
		return market.Prices{}, common.Address{}, fmt.Errorf("reading the registry: %w", err)
	}
	if t.Owner == (common.Address{}) {
		return market.Prices{}, common.Address{}, fmt.Errorf("%w %s: not registered on chain", ErrUnknownProvider, provider)
	}
	return market.PricesFromRegistry(t.Prices), t.Owner, nil
}

// waitMined waits up to OrderWait for key's transaction to be mined (or
// fail) and returns its latest status.
func (m *Mediator) waitMined(ctx context.Context, st txmgr.Status) txmgr.Status {
	if st.State != txmgr.StatePending || m.cfg.OrderWait == 0 {
		return st
	}
	wctx, cancel := context.WithTimeout(ctx, m.cfg.OrderWait)
	defer cancel()
	last := st
	_, _ = m.tx.Wait(wctx, st.Key, func(s txmgr.Status) {
		last = s
		if s.State != txmgr.StatePending {
			cancel()
		}
	})
	return last
}

// placement reports an order intent; once mined, with the order.
func (m *Mediator) placement(ctx context.Context, op string, st txmgr.Status) (Placement, error) {
	p := Placement{Operation: op, Intent: st}
	if err := st.Err(); err != nil {
		return p, lifeError(err)
	}
	if st.State == txmgr.StatePending || st.Hash == nil {
		return p, nil
	}
	r, err := m.chain.TransactionReceipt(ctx, *st.Hash)
	if err != nil {
		return p, fmt.Errorf("reading the order's receipt: %w", err)
	}
	for _, l := range r.Logs {
		if o := m.createdOrder(l); o != nil {
			if o.MaxEscrow, err = m.maxEscrowOf(ctx, l.TxHash); err != nil {
				return p, err
			}
			if err := m.store.upsertOrder(o); err != nil {
				return p, err
			}
			if held, err := m.store.order(o.id()); err == nil && held != nil {
				o = held // the scan may know more (an extension, its close)
			}
			o.Role, o.State = o.role(m.self), o.state(m.chainNow(m.lastHead()))
			p.Order, p.Provider, p.Cost, p.MaxEscrow = o, o.Provider, amountOf(o.Escrow), amountOf(o.MaxEscrow)
		}
	}
	return p, nil
}

// createdOrder decodes an OrderCreated log of the Market, nil for others.
func (m *Mediator) createdOrder(l *types.Log) *OrderRecord {
	if l.Address != m.contracts.Market || len(l.Topics) == 0 || l.Topics[0] != m.marketABI.Events["OrderCreated"].ID {
		return nil
	}
	ev, err := m.events.ParseOrderCreated(*l)
	if err != nil || !ev.Id.IsUint64() {
		return nil
	}
	return &OrderRecord{Order: market.OrderFromCreated(m.ChainID(), m.contracts.Market, ev), CreatedTx: l.TxHash}
}

func (m *Mediator) lastHead() *types.Header {
	m.headMu.Lock()
	defer m.headMu.Unlock()
	return m.head
}

// CancelOrder cancels the org's order id before its end: intent
// "cancel order <id>". The Market pays the provider for the time used and
// refunds the rest at once.
func (m *Mediator) CancelOrder(ctx context.Context, id uint64) (txmgr.Status, error) {
	key := fmt.Sprintf("cancel order %d", id)
	if st, err := m.tx.Get(key); err == nil {
		return st, st.Err()
	}
	o, err := m.market.GetOrder(m.call(ctx), new(big.Int).SetUint64(id))
	if err != nil {
		return txmgr.Status{}, fmt.Errorf("reading order %d: %w", id, err)
	}
	switch {
	case market.OrderStatus(o.Status) == market.StatusNone:
		return txmgr.Status{}, fmt.Errorf("%w: order %d", ErrNotFound, id)
	case o.Buyer != m.self:
		return txmgr.Status{}, badInput("order %d was placed by %s, not by this organization", id, o.Buyer)
	case market.OrderStatus(o.Status) == market.StatusCancelled:
		return txmgr.Status{}, badInput("order %d is already cancelled", id)
	case market.OrderStatus(o.Status) == market.StatusSettled:
		return txmgr.Status{}, badInput("order %d is already settled", id)
	case market.OrderStatus(o.Status) == market.StatusClosed:
		return txmgr.Status{}, badInput("order %d is already closed by its provider", id)
	}
	head, err := m.latestHead(ctx)
	if err != nil {
		return txmgr.Status{}, err
	}
	if head.Time >= o.End {
		return txmgr.Status{}, badInput("order %d has ended; it is settled, not cancelled", id)
	}
	data, err := pack(m.marketABI, "cancel", new(big.Int).SetUint64(id))
	if err != nil {
		return txmgr.Status{}, err
	}
	st, err := m.tx.Submit(ctx, txmgr.Intent{Key: key, To: m.contracts.Market, Data: data})
	if err != nil {
		return st, opError(err)
	}
	st = m.waitMined(ctx, st)
	return st, opError(st.Err())
}

// OrderFilter selects orders for Orders.
type OrderFilter struct {
	// Role is "", "buyer" or "seller".
	Role string
	// State is "" or one of the Order* states.
	State string
	Limit int
}

// Orders lists the org's orders newest first, as buyer and as payee, as
// far as the event cursor (plus the orders this carrier placed).
func (m *Mediator) Orders(f OrderFilter) ([]*OrderRecord, error) {
	switch f.Role {
	case "", "buyer", "seller":
	default:
		return nil, badInput("role %q: want buyer or seller", f.Role)
	}
	switch f.State {
	case "", carrierapi.OrderActive, carrierapi.OrderEnded, carrierapi.OrderCancelled, carrierapi.OrderSettled, carrierapi.OrderClosed:
	default:
		return nil, badInput("state %q: want active, ended, cancelled, settled or closed", f.State)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	now := m.chainNow(m.lastHead())
	var out []*OrderRecord
	_, err := m.store.orders(func(o *OrderRecord) bool {
		if len(out) >= limit {
			return false
		}
		o.Role, o.State = o.role(m.self), o.state(now)
		if (f.Role == "buyer" && o.Buyer != m.self) || (f.Role == "seller" && o.Payee != m.self) {
			return false
		}
		if f.State != "" && o.State != f.State {
			return false
		}
		out = append(out, o)
		return false
	})
	if out == nil {
		out = []*OrderRecord{}
	}
	return out, err
}

// Order returns one order of the org.
func (m *Mediator) Order(id uint64) (*OrderRecord, error) {
	o, err := m.store.order(id)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, fmt.Errorf("%w: order %d is not one of this organization's (or not seen yet)", ErrNotFound, id)
	}
	o.Role, o.State = o.role(m.self), o.state(m.chainNow(m.lastHead()))
	return o, nil
}
