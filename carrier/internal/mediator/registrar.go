package mediator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/market"
)

// Provider states as the API shows them.
const (
	ProviderRegistered   = "registered"   // on chain, owned by this org, as configured
	ProviderOutdated     = "outdated"     // on chain, owned by this org, metadata differs from config
	ProviderUnregistered = "unregistered" // not on chain
	ProviderPending      = "pending"      // a registry intent is in flight
	ProviderTaken        = "taken"        // on chain, owned by another account
	ProviderDeregistered = "deregistered" // deregistered by an operator; not registered again until asked
)

// recordOf is a provider's Registry record as the API shows it.
func recordOf(p registry.RegistryProvider) *carrierapi.ProviderRecord {
	return &carrierapi.ProviderRecord{
		URL: p.Url, Region: p.Region,
		Capacity: market.ResourcesFromRegistry(p.Capacity),
		Prices:   market.PricesFromRegistry(p.Prices),
	}
}

// desired is the record the configuration asks for.
func (m *Mediator) desired(p common.Address) *carrierapi.ProviderRecord {
	r := m.cfg.Registration
	return &carrierapi.ProviderRecord{
		URL: m.providerURL(p), Region: r.Region, Capacity: r.Capacity, Prices: r.Prices,
	}
}

func (m *Mediator) providerURL(p common.Address) string {
	return strings.TrimRight(m.cfg.Registration.GatewayBase, "/") + "/gw/" + strings.ToLower(p.Hex())
}

// sameRecord reports whether two Registry records say the same.
func sameRecord(r, o *carrierapi.ProviderRecord) bool {
	return r.URL == o.URL && r.Region == o.Region && r.Capacity == o.Capacity && r.Prices.Equal(o.Prices)
}

func (m *Mediator) registrationOn() bool {
	return m.cfg.Registration.GatewayBase != "" && m.gateways != nil
}

// runRegistrar follows the gateways and registers or updates each
// provider. It never deregisters: a gateway that disappears from Consul,
// or a read that fails, leaves the chain as it is.
func (m *Mediator) runRegistrar(ctx context.Context) error {
	if !m.registrationOn() {
		m.log.Info("provider registration off: no gateway base URL configured")
		return nil
	}
	sets, cancel := m.gateways.Subscribe()
	defer cancel()
	resync := time.NewTicker(m.cfg.ResyncInterval)
	defer resync.Stop()
	retry := time.NewTicker(m.cfg.PollInterval)
	defer retry.Stop()
	dirty := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case set, ok := <-sets:
			if !ok {
				return nil
			}
			m.setGateways(set)
			dirty = true
		case <-resync.C:
			dirty = true
		case <-m.kick:
			dirty = true
		case <-retry.C:
		}
		if dirty {
			dirty = !m.reconcileAll(ctx)
		}
	}
}

func (m *Mediator) setGateways(set []consul.Instance) {
	next := map[common.Address]int{}
	for _, in := range set {
		if org := in.Meta["org"]; org != "" && org != m.cfg.Org {
			continue
		}
		p := in.Meta["provider"]
		if !common.IsHexAddress(p) {
			continue
		}
		next[common.HexToAddress(p)]++
	}
	m.provMu.Lock()
	m.gwSet, m.gwSynced = next, true
	m.provMu.Unlock()
}

func (m *Mediator) gatewayProviders() map[common.Address]int {
	m.provMu.Lock()
	defer m.provMu.Unlock()
	out := make(map[common.Address]int, len(m.gwSet))
	for p, n := range m.gwSet {
		out[p] = n
	}
	return out
}

// reconcileAll reconciles every provider with gateways; it reports
// whether all were handled (false: retry soon).
func (m *Mediator) reconcileAll(ctx context.Context) bool {
	ok := true
	for p := range m.gatewayProviders() {
		if ctx.Err() != nil {
			return false
		}
		if err := m.reconcile(ctx, p); err != nil {
			ok = false
			m.log.Warn("registering provider; will retry", zap.Stringer("provider", p), zap.Error(err))
		}
	}
	return ok
}

// reconcile registers p, or updates its record, if the chain differs from
// the configuration and no registry intent of p is in flight.
func (m *Mediator) reconcile(ctx context.Context, p common.Address) error {
	ps, err := m.store.provider(p)
	if err != nil {
		return err
	}
	if ps.Deregistered {
		return nil
	}
	if ps.LastKey != "" {
		st, err := m.tx.Get(ps.LastKey)
		if err == nil && !st.Final() {
			return nil // in flight; the next pass looks again
		}
	}
	cur, err := m.registry.GetProvider(m.call(ctx), p)
	if err != nil {
		return fmt.Errorf("reading the registry: %w", err)
	}
	want := m.desired(p)
	args := []any{p, want.URL, want.Region, want.Capacity.Registry(), want.Prices.Registry()}
	var (
		method string
		proof  regproof.Signed
	)
	switch cur.Owner {
	case common.Address{}:
		// Registering takes the provider key's proof of possession, which
		// its gateway posts (PostProof); without one, wait.
		var ok bool
		if proof, ok, err = m.usableProof(ctx, p); err != nil || !ok {
			return err
		}
		method = "register"
		args = append(args, proof.Registration().Proof(proof.Signature))
	case m.self:
		if sameRecord(recordOf(cur), want) {
			return nil
		}
		method = "update"
	default:
		return nil // taken by another account: shown by the API, nothing to do
	}
	data, err := pack(m.registryABI, method, args...)
	if err != nil {
		return err
	}
	ps.Rev++
	ps.LastKey = fmt.Sprintf("%s provider %s r%d", method, p.Hex(), ps.Rev)
	if err := m.store.saveProvider(ps); err != nil {
		return err
	}
	st, err := m.tx.Submit(ctx, txmgr.Intent{Key: ps.LastKey, To: m.contracts.Registry, Data: data})
	var rev *txmgr.RevertError
	if errors.As(err, &rev) {
		if method == "register" {
			m.dropProof(p, proof) // it will not do better next time
		}
		m.log.Error("provider registration reverts; fix the configuration", zap.Stringer("provider", p),
			zap.String("intent", ps.LastKey), zap.String("reason", rev.Reason))
		return nil
	}
	if err != nil {
		return err
	}
	m.log.Info("provider registration submitted", zap.Stringer("provider", p), zap.String("intent", st.Key))
	return nil
}

// Providers lists the organization's providers: those with gateways in
// Consul and those the registrar has acted on.
func (m *Mediator) Providers(ctx context.Context) ([]carrierapi.ProviderInfo, error) {
	gws := m.gatewayProviders()
	states, err := m.store.providers()
	if err != nil {
		return nil, err
	}
	byAddr := map[common.Address]providerState{}
	for _, ps := range states {
		byAddr[ps.Provider] = ps
		if _, ok := gws[ps.Provider]; !ok {
			gws[ps.Provider] = 0
		}
	}
	out := make([]carrierapi.ProviderInfo, 0, len(gws))
	for p, n := range gws {
		info, err := m.providerInfo(ctx, p, n, byAddr[p])
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Provider.Cmp(out[j].Provider) < 0 })
	return out, nil
}

func (m *Mediator) providerInfo(ctx context.Context, p common.Address, gateways int, ps providerState) (carrierapi.ProviderInfo, error) {
	info := carrierapi.ProviderInfo{Provider: p, Gateways: gateways, URL: m.providerURL(p)}
	if m.cfg.Registration.GatewayBase == "" {
		info.URL = ""
	}
	cur, err := m.registry.GetProvider(m.call(ctx), p)
	if err != nil {
		return info, fmt.Errorf("reading the registry: %w", err)
	}
	var intent *txmgr.Status
	if ps.LastKey != "" {
		if st, err := m.tx.Get(ps.LastKey); err == nil {
			if info.Intent, err = json.Marshal(st); err != nil {
				return info, fmt.Errorf("encoding intent %s: %w", st.Key, err)
			}
			intent = &st
			if st.State == txmgr.StateFailed {
				info.Problem = st.Reason
			}
		}
	}
	switch {
	case cur.Owner == common.Address{}:
		info.State = ProviderUnregistered
		if !ps.Deregistered {
			if _, ok, err := m.usableProof(ctx, p); err != nil {
				return info, err
			} else if !ok && info.Problem != "" {
				info.Problem = m.waitingForProof() + "; the last registration failed: " + info.Problem
			} else if !ok {
				info.Problem = m.waitingForProof()
			}
		}
	default:
		owner := cur.Owner
		info.Owner, info.OnChain = &owner, recordOf(cur)
		switch {
		case owner != m.self:
			info.State = ProviderTaken
			info.Problem = "registered by " + owner.Hex() + ", not by this organization's wallet"
		case m.cfg.Registration.GatewayBase != "" && !sameRecord(info.OnChain, m.desired(p)):
			info.State = ProviderOutdated
		default:
			info.State = ProviderRegistered
		}
	}
	if intent != nil && !intent.Final() {
		info.State = ProviderPending
	} else if ps.Deregistered && info.State == ProviderUnregistered {
		info.State = ProviderDeregistered
	}
	return info, nil
}

// Deregister removes p from the Registry on an operator's request and
// keeps the registrar from registering it again until Reregister.
func (m *Mediator) Deregister(ctx context.Context, p common.Address) (txmgr.Status, error) {
	owner, err := m.registry.OwnerOf(m.call(ctx), p)
	if err != nil {
		return txmgr.Status{}, fmt.Errorf("reading the registry: %w", err)
	}
	ps, err := m.store.provider(p)
	if err != nil {
		return txmgr.Status{}, err
	}
	if owner != m.self {
		if ps.Deregistered && ps.LastKey != "" { // asked again: show the intent
			if st, err := m.tx.Get(ps.LastKey); err == nil {
				return st, nil
			}
		}
		if owner == (common.Address{}) {
			return txmgr.Status{}, fmt.Errorf("%w %s: not registered", ErrUnknownProvider, p)
		}
		return txmgr.Status{}, badInput("provider %s is registered by %s, not by this organization", p, owner)
	}
	data, err := pack(m.registryABI, "deregister", p)
	if err != nil {
		return txmgr.Status{}, err
	}
	ps.Rev++
	ps.Deregistered = true
	ps.LastKey = fmt.Sprintf("deregister provider %s r%d", p.Hex(), ps.Rev)
	if err := m.store.saveProvider(ps); err != nil {
		return txmgr.Status{}, err
	}
	m.log.Info("deregistering provider on operator request", zap.Stringer("provider", p))
	return m.tx.Submit(ctx, txmgr.Intent{Key: ps.LastKey, To: m.contracts.Registry, Data: data})
}

// Reregister lets the registrar register p again after Deregister.
func (m *Mediator) Reregister(ctx context.Context, p common.Address) (carrierapi.ProviderInfo, error) {
	ps, err := m.store.provider(p)
	if err != nil {
		return carrierapi.ProviderInfo{}, err
	}
	if ps.Deregistered {
		ps.Deregistered = false
		if err := m.store.saveProvider(ps); err != nil {
			return carrierapi.ProviderInfo{}, err
		}
	}
	if !m.registrationOn() {
		return carrierapi.ProviderInfo{}, fmt.Errorf("%w: provider registration is off (no gateway base URL)", ErrUnavailable)
	}
	gws := m.gatewayProviders()
	if _, ok := gws[p]; !ok {
		return carrierapi.ProviderInfo{}, fmt.Errorf("%w %s: no gateway of it in Consul", ErrUnknownProvider, p)
	}
	if err := m.reconcile(ctx, p); err != nil {
		return carrierapi.ProviderInfo{}, err
	}
	ps, _ = m.store.provider(p)
	return m.providerInfo(ctx, p, gws[p], ps)
}
