package chain

import (
	"context"
	"errors"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
)

// maxTxWait bounds the long poll of GET /v1/txs/{key}; below the CLI
// client's 30 s timeout.
const maxTxWait = 20 * time.Second

// Register mounts the subsystem's API routes on mux, each wrapped by srv
// (docs/carrier-api.yaml). All but GET /v1/chain need a running mediator
// and answer 503 with the reason while there is none.
func (cs *Chain) Register(mux *http.ServeMux, srv *api.Server) {
	routes := map[string]func(*mediator.Mediator, *http.Request) (any, error){
		"GET /v1/providers":                        cs.providers,
		"POST /v1/providers/{provider}/deregister": cs.deregister,
		"POST /v1/providers/{provider}/register":   cs.reregister,
		"POST /v1/providers/{provider}/proof":      cs.proof,
		"POST /v1/providers/{provider}/transfer":   cs.transfer,
		"GET /v1/credits":                          cs.balance,
		"POST /v1/credits/deposit":                 cs.deposit,
		"POST /v1/credits/withdraw":                cs.withdraw,
		"POST /v1/match":                           cs.match,
		"POST /v1/orders":                          cs.createOrder,
		"GET /v1/orders":                           cs.orders,
		"GET /v1/orders/{id}":                      cs.order,
		"POST /v1/orders/{id}/cancel":              cs.cancel,
		"POST /v1/orders/{id}/extend":              cs.extend,
		"POST /v1/orders/{id}/close":               cs.closeOrder,
		"POST /v1/orders/{id}/manifest":            cs.updateManifest,
		"POST /v1/orders/{id}/gateway-session":     cs.gatewaySession,
		"GET /v1/settlements":                      cs.settlements,
		"GET /v1/txs":                              cs.txs,
		"GET /v1/txs/{key}":                        cs.tx,
	}
	for pattern, h := range routes {
		mux.Handle(pattern, srv.Wrap(func(r *http.Request) (any, error) {
			m, err := cs.mediator()
			if err != nil {
				return nil, apiError(err)
			}
			v, err := h(m, r)
			return v, apiError(err)
		}))
	}
	mux.Handle("GET /v1/chain", srv.Wrap(cs.status))
}

// apiError maps the mediator's errors to API errors, in one place.
func apiError(err error) error {
	var (
		nf *scheduler.NotFitError
		pe *mediator.ProofError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return carrierapi.Errorf(http.StatusBadRequest, pe.Code, "%v", pe)
	case errors.Is(err, mediator.ErrInsufficientCredits):
		return carrierapi.Errorf(http.StatusBadRequest, "insufficient_credits", "%v", err)
	case errors.Is(err, mediator.ErrUnknownProvider):
		return carrierapi.Errorf(http.StatusBadRequest, "unknown_provider", "%v", err)
	case errors.As(err, &nf):
		return carrierapi.Errorf(http.StatusBadRequest, "provider_not_fit", "%v", err)
	case errors.Is(err, mediator.ErrNotBuyer):
		return carrierapi.Errorf(http.StatusBadRequest, "not_buyer", "%v", err)
	case errors.Is(err, mediator.ErrNotPayee):
		return carrierapi.Errorf(http.StatusBadRequest, "not_payee", "%v", err)
	case errors.Is(err, mediator.ErrSameManifest):
		return carrierapi.Errorf(http.StatusBadRequest, "same_manifest", "%v", err)
	case errors.Is(err, mediator.ErrOrderInactive):
		return carrierapi.Errorf(http.StatusConflict, "order_not_active", "%v", err)
	case errors.Is(err, mediator.ErrOrderClosed):
		return carrierapi.Errorf(http.StatusConflict, "order_closed", "%v", err)
	case errors.Is(err, mediator.ErrOrderEnded):
		return carrierapi.Errorf(http.StatusConflict, "order_ended", "%v", err)
	case errors.Is(err, mediator.ErrPriceAboveMaximum):
		return carrierapi.Errorf(http.StatusConflict, "price_above_maximum", "%v", err)
	case errors.Is(err, mediator.ErrBadInput):
		return api.BadRequest("%v", err)
	case errors.Is(err, mediator.ErrNotFound), errors.Is(err, txmgr.ErrUnknownIntent):
		return api.NotFound("%v", err)
	case errors.Is(err, mediator.ErrUnavailable):
		return api.Unavailable("%v", err)
	}
	return err
}

func (cs *Chain) status(*http.Request) (any, error) {
	s := carrierapi.ChainStatus{Enabled: cs.cfg.Enabled(), Registration: cs.reg.GatewayBase != "", Scheduler: cs.sched != nil}
	if cs.wallet != nil {
		s.Account = cs.wallet.Address().Hex()
	}
	if cur := cs.cur.Load(); cur != nil {
		c := carrierapi.Contracts(cur.m.Contracts())
		s.Running, s.ChainID, s.RPC, s.Contracts = true, cur.m.ChainID().String(), gnchain.RedactURL(cur.settings.ChainRPC), &c
		return s, nil
	}
	cs.mu.Lock()
	s.Problem = cs.problem
	cs.mu.Unlock()
	return s, nil
}

func (cs *Chain) providers(m *mediator.Mediator, r *http.Request) (any, error) {
	return m.Providers(r.Context())
}

func pathAddress(r *http.Request, name string) (common.Address, error) {
	v := r.PathValue(name)
	if !common.IsHexAddress(v) {
		return common.Address{}, api.BadRequest("%s %q: want 0x and 40 hex digits", name, v)
	}
	return common.HexToAddress(v), nil
}

func (cs *Chain) deregister(m *mediator.Mediator, r *http.Request) (any, error) {
	p, err := pathAddress(r, "provider")
	if err != nil {
		return nil, err
	}
	return m.Deregister(r.Context(), p)
}

func (cs *Chain) reregister(m *mediator.Mediator, r *http.Request) (any, error) {
	p, err := pathAddress(r, "provider")
	if err != nil {
		return nil, err
	}
	return m.Reregister(r.Context(), p)
}

// proof takes a registration proof (POST /v1/providers/{provider}/proof);
// the body is read up to regproof.MaxJSON bytes and one more, to tell an
// oversized one.
func (cs *Chain) proof(m *mediator.Mediator, r *http.Request) (any, error) {
	p, err := pathAddress(r, "provider")
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, regproof.MaxJSON+1))
	if err != nil {
		return nil, api.BadRequest("reading the request body: %v", err)
	}
	return m.PostProof(r.Context(), p, raw)
}

func (cs *Chain) transfer(m *mediator.Mediator, r *http.Request) (any, error) {
	p, err := pathAddress(r, "provider")
	if err != nil {
		return nil, err
	}
	var req carrierapi.TransferRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	if len(req.Proof) == 0 || string(req.Proof) == "null" {
		return nil, api.BadRequest("proof: the provider key's proof naming the new owner is required (gateway keys prove)")
	}
	return m.Transfer(r.Context(), p, req.To, req.Proof)
}

func (cs *Chain) balance(m *mediator.Mediator, r *http.Request) (any, error) {
	return m.Balance(r.Context())
}

func decodeAmount(r *http.Request) (carrierapi.AmountRequest, error) {
	var req carrierapi.AmountRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return req, err
	}
	if req.Amount == nil || req.Amount.Big().Sign() <= 0 {
		return req, api.BadRequest("amount: a positive number of token base units is required")
	}
	return req, nil
}

func (cs *Chain) deposit(m *mediator.Mediator, r *http.Request) (any, error) {
	req, err := decodeAmount(r)
	if err != nil {
		return nil, err
	}
	return m.Deposit(r.Context(), req.Operation, req.Amount.Big())
}

func (cs *Chain) withdraw(m *mediator.Mediator, r *http.Request) (any, error) {
	req, err := decodeAmount(r)
	if err != nil {
		return nil, err
	}
	return m.Withdraw(r.Context(), req.Operation, req.Amount.Big())
}

func maxPrice(a *carrierapi.Amount) *big.Int {
	if a == nil {
		return nil
	}
	return a.Big()
}

func (cs *Chain) match(m *mediator.Mediator, r *http.Request) (any, error) {
	var req carrierapi.MatchRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	res := req.Resources
	return m.Match(scheduler.Request{
		Resources: res, Duration: req.Duration, MaxPrice: maxPrice(req.MaxPrice),
		Labels: req.Labels, Region: req.Region, Limit: req.Limit,
	})
}

func (cs *Chain) createOrder(m *mediator.Mediator, r *http.Request) (any, error) {
	var req carrierapi.OrderRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	return m.CreateOrder(r.Context(), mediator.OrderRequest{
		Op: req.Operation, Resources: req.Resources, Duration: req.Duration, Labels: req.Labels, Region: req.Region,
		MaxPrice: maxPrice(req.MaxPrice), ManifestURL: req.ManifestURL, Provider: req.Provider,
	})
}

func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, api.BadRequest("%s %q: want a non-negative integer", name, v)
	}
	return n, nil
}

func (cs *Chain) orders(m *mediator.Mediator, r *http.Request) (any, error) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	return m.Orders(mediator.OrderFilter{Role: q.Get("role"), State: q.Get("state"), Limit: limit})
}

func pathID(r *http.Request) (uint64, error) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, api.BadRequest("order id %q: want a positive integer", r.PathValue("id"))
	}
	return id, nil
}

func (cs *Chain) order(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return m.Order(id)
}

func (cs *Chain) cancel(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return m.CancelOrder(r.Context(), id)
}

func (cs *Chain) extend(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req carrierapi.ExtendRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	return m.ExtendOrder(r.Context(), id, req.Operation, req.Duration)
}

func (cs *Chain) closeOrder(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return m.CloseOrder(r.Context(), id)
}

// updateManifest replaces the order's manifest on chain and, once the
// update is mined, rolls the manifest out to the order's gateway (the
// answer's rollout says how that went; asking again with the same
// operation id rolls it out again).
func (cs *Chain) updateManifest(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req carrierapi.ManifestRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	c, err := m.UpdateManifest(r.Context(), id, req.Operation, req.ManifestURL)
	if err != nil {
		return nil, err
	}
	if c.Intent.State == txmgr.StateMined || c.Intent.State == txmgr.StateConfirmed {
		ro := cs.rollout(r, m, id, req.ManifestURL)
		c.Rollout = &ro
	}
	return c, nil
}

func (cs *Chain) settlements(m *mediator.Mediator, r *http.Request) (any, error) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return nil, err
	}
	return m.Settlements(limit)
}

func (cs *Chain) txs(m *mediator.Mediator, r *http.Request) (any, error) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return nil, err
	}
	before, err := queryInt(r, "before")
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	opts := txmgr.ListOptions{Prefix: q.Get("prefix"), Before: uint64(before), Limit: limit}
	if s := q.Get("state"); s != "" {
		st := txmgr.State(s)
		if !validState(st) {
			return nil, api.BadRequest("state %q: want pending, mined, confirmed or failed", s)
		}
		opts.States = []txmgr.State{st}
	}
	list, err := m.Txs().List(opts)
	if list == nil {
		list = []txmgr.Status{}
	}
	return list, err
}

func validState(s txmgr.State) bool {
	for _, v := range txmgr.States {
		if v == s {
			return true
		}
	}
	return false
}

// tx answers GET /v1/txs/{key}; with ?wait=<duration> it waits (at most
// maxTxWait) until the intent's status differs from the one updated at
// ?since=<RFC 3339 time>, or it is final: the CLI's live progress line.
func (cs *Chain) tx(m *mediator.Mediator, r *http.Request) (any, error) {
	key := r.PathValue("key")
	st, err := m.Txs().Get(key)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if q.Get("wait") == "" || st.Final() {
		return st, nil
	}
	wait, err := time.ParseDuration(q.Get("wait"))
	if err != nil || wait < 0 {
		return nil, api.BadRequest("wait %q: want a duration such as 10s", q.Get("wait"))
	}
	var since time.Time
	if s := q.Get("since"); s != "" {
		if since, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return nil, api.BadRequest("since %q: want an RFC 3339 time", s)
		}
	}
	if !st.Updated.Equal(since) {
		return st, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), min(wait, maxTxWait))
	defer cancel()
	last := st
	_, _ = m.Txs().Wait(ctx, key, func(s txmgr.Status) {
		last = s
		if !s.Updated.Equal(since) || s.Final() {
			cancel()
		}
	})
	return last, nil
}
