package console

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
)

// part is one piece of a combined view: its data, or why it is missing.
type part struct {
	Data  json.RawMessage `json:"data,omitempty"`
	Error string          `json:"error,omitempty"`
	Code  string          `json:"code,omitempty"`
}

func partOf(v any, err error) part {
	if err != nil {
		e, known := asAPIError(err)
		msg := e.Message
		if !known {
			msg = err.Error()
		}
		return part{Error: msg, Code: e.Code}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return part{Error: err.Error(), Code: "internal"}
	}
	return part{Data: b}
}

// carrierGet reads a carrier route for a combined view.
func (c *Console) carrierGet(ctx context.Context, path string, q url.Values, rid string) (json.RawMessage, error) {
	resp, err := c.carrier.Do(ctx, "GET", path, q, nil, rid)
	if err != nil {
		return nil, err
	}
	v, err := carrierResult(resp)
	if err != nil {
		return nil, err
	}
	return v.(json.RawMessage), nil
}

// Overview is the first page: the org's services in Consul, its carrier,
// the chain and the network.
type Overview struct {
	Org      string          `json:"org"`
	OrgName  string          `json:"orgName,omitempty"`
	Version  string          `json:"version"`
	Services []serviceHealth `json:"services"`
	// Carrier is the instance admin talks to; Status its /v1/status.
	Carrier part `json:"carrier"`
	Status  part `json:"status"`
	Chain   part `json:"chain"`
	Head    part `json:"head"`
	Peers   part `json:"peers"`
	// Directory is {"listings": n}: live listings in the directory.
	Directory part `json:"directory"`
}

type serviceHealth struct {
	upstream.Service
	Error string `json:"error,omitempty"`
}

func (c *Console) overview(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	ctx := r.Context()
	o := Overview{Org: c.opts.Org, Version: c.opts.Version, Services: make([]serviceHealth, len(upstream.Roles))}
	var wg sync.WaitGroup
	for i, name := range upstream.Roles {
		wg.Go(func() {
			s, err := c.org.Service(ctx, name)
			o.Services[i] = serviceHealth{Service: s}
			if err != nil {
				o.Services[i] = serviceHealth{Service: upstream.Service{Name: name, Instances: []upstream.Instance{}}, Error: err.Error()}
			}
		})
	}
	wg.Go(func() {
		if s, err := c.org.Settings(ctx); err == nil {
			o.OrgName = s.OrgName
		}
	})
	wg.Go(func() { o.Carrier = partOf(c.carrier.Pick(ctx)) })
	wg.Go(func() { o.Status = partOf(c.carrierGet(ctx, "status", nil, rc.id)) })
	wg.Go(func() { o.Chain = partOf(c.carrierGet(ctx, "chain", nil, rc.id)) })
	wg.Go(func() { o.Head = partOf(c.org.ChainHead(ctx)) })
	wg.Go(func() { o.Peers = partOf(c.carrierGet(ctx, "peers", nil, rc.id)) })
	wg.Go(func() {
		raw, err := c.carrierGet(ctx, "listings", url.Values{"limit": {"1"}}, rc.id)
		if err != nil {
			o.Directory = partOf(nil, err)
			return
		}
		var res carrierapi.SearchResult
		if err := json.Unmarshal(raw, &res); err != nil {
			o.Directory = partOf(nil, err)
			return
		}
		o.Directory = partOf(map[string]int{"listings": res.Total}, nil)
	})
	wg.Wait()
	return o, nil
}

// ProviderView is one of the org's providers: the carrier's record (chain
// state), its gateways in Consul, and its listing in the directory.
type ProviderView struct {
	Provider string              `json:"provider"`
	Carrier  json.RawMessage     `json:"carrier,omitempty"`
	Gateways []upstream.Instance `json:"gateways"`
	Listing  json.RawMessage     `json:"listing,omitempty"`
	// ListingError says why no listing is shown (none published, …).
	ListingError string `json:"listingError,omitempty"`
}

// ProvidersView is GET /api/providers.
type ProvidersView struct {
	Providers []ProviderView `json:"providers"`
	// CarrierError says why the chain side is missing.
	CarrierError string `json:"carrierError,omitempty"`
	CarrierCode  string `json:"carrierCode,omitempty"`
	ConsulError  string `json:"consulError,omitempty"`
}

func (c *Console) providers(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	ctx := r.Context()
	byAddr := map[string]*ProviderView{}
	var order []string
	get := func(addr string) *ProviderView {
		key := strings.ToLower(addr)
		if p := byAddr[key]; p != nil {
			return p
		}
		p := &ProviderView{Provider: addr, Gateways: []upstream.Instance{}}
		byAddr[key] = p
		order = append(order, key)
		return p
	}
	var v ProvidersView
	gw, err := c.org.Service(ctx, consul.ServiceGateway)
	if err != nil {
		v.ConsulError = err.Error()
	}
	for _, in := range gw.Instances {
		if common.IsHexAddress(in.Provider) {
			p := get(common.HexToAddress(in.Provider).Hex())
			p.Gateways = append(p.Gateways, in)
		}
	}
	raw, err := c.carrierGet(ctx, "providers", nil, rc.id)
	if err != nil {
		p := partOf(nil, err)
		v.CarrierError, v.CarrierCode = p.Error, p.Code
	} else {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("decoding the carrier's providers: %w", err)
		}
		for _, item := range list {
			var head carrierapi.ProviderInfo
			if json.Unmarshal(item, &head) == nil && head.Provider != (common.Address{}) {
				get(head.Provider.Hex()).Carrier = item
			}
		}
	}
	slices.Sort(order)
	v.Providers = make([]ProviderView, 0, len(order))
	var wg sync.WaitGroup
	for _, key := range order {
		p := byAddr[key]
		wg.Go(func() {
			l, err := c.carrierGet(ctx, "listings/"+p.Provider, nil, rc.id)
			if err != nil {
				p.ListingError = partOf(nil, err).Error
				return
			}
			p.Listing = l
		})
	}
	wg.Wait()
	for _, key := range order {
		v.Providers = append(v.Providers, *byAddr[key])
	}
	return v, nil
}

// ---- earnings ----

// closedAt is when an order was closed: its end when settled; when
// cancelled or closed by its payee, start + paid/escrow × duration (the
// Market pays for the seconds used at the order's rate).
func closedAt(o carrierapi.OrderInfo) int64 {
	start, end := int64(min(o.Start, 1<<62)), int64(min(o.End, 1<<62))
	if (o.State != carrierapi.OrderCancelled && o.State != carrierapi.OrderClosed) || o.Escrow == nil || o.Paid == nil {
		return end
	}
	escrow, paid := o.Escrow.Big(), o.Paid.Big()
	if escrow.Sign() <= 0 || end <= start {
		return end
	}
	used := new(big.Int).Mul(paid, big.NewInt(end-start))
	used.Quo(used, escrow)
	return start + used.Int64()
}

// Point is one bucket of the earnings chart; amounts are decimal strings
// of token base units.
type Point struct {
	Time time.Time `json:"time"`
	// Earned as provider (payee) and Spent as buyer in the bucket, and the
	// running totals.
	Earned      string `json:"earned"`
	Spent       string `json:"spent"`
	TotalEarned string `json:"totalEarned"`
	TotalSpent  string `json:"totalSpent"`
	Orders      int    `json:"orders"`
}

// Earnings is GET /api/earnings: closed orders bucketed by the time they
// closed, computed from the carrier's orders on each request.
type Earnings struct {
	Bucket string  `json:"bucket"`
	Points []Point `json:"points"`
	Earned string  `json:"earned"`
	Spent  string  `json:"spent"`
	// Orders counts the closed orders counted; Truncated says the carrier
	// returned its maximum page, so older ones may be missing.
	Orders    int  `json:"orders"`
	Truncated bool `json:"truncated"`
}

const earningsOrders = 1000

func (c *Console) earnings(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	bucket := r.URL.Query().Get("bucket")
	var step time.Duration
	switch bucket {
	case "", "day":
		bucket, step = "day", 24*time.Hour
	case "hour":
		step = time.Hour
	case "minute":
		step = time.Minute
	default:
		return nil, badRequest("bucket %q: want minute, hour or day", bucket)
	}
	raw, err := c.carrierGet(r.Context(), "orders", url.Values{"limit": {fmt.Sprint(earningsOrders)}}, rc.id)
	if err != nil {
		return nil, err
	}
	var orders []carrierapi.OrderInfo
	if err := json.Unmarshal(raw, &orders); err != nil {
		return nil, fmt.Errorf("decoding the carrier's orders: %w", err)
	}
	type sums struct {
		earned, spent *big.Int
		n             int
	}
	buckets := map[int64]*sums{}
	e := Earnings{Bucket: bucket, Points: []Point{}, Truncated: len(orders) >= earningsOrders}
	for _, o := range orders {
		if o.State != carrierapi.OrderCancelled && o.State != carrierapi.OrderSettled && o.State != carrierapi.OrderClosed {
			continue
		}
		if o.Paid == nil {
			continue
		}
		paid := o.Paid.Big()
		t := time.Unix(closedAt(o), 0).UTC().Truncate(step).Unix()
		b := buckets[t]
		if b == nil {
			b = &sums{earned: new(big.Int), spent: new(big.Int)}
			buckets[t] = b
		}
		if o.Role == "seller" || o.Role == "buyer+seller" {
			b.earned.Add(b.earned, paid)
		}
		if o.Role == "buyer" || o.Role == "buyer+seller" {
			b.spent.Add(b.spent, paid)
		}
		b.n++
		e.Orders++
	}
	times := make([]int64, 0, len(buckets))
	for t := range buckets {
		times = append(times, t)
	}
	slices.Sort(times)
	totalE, totalS := new(big.Int), new(big.Int)
	for _, t := range times {
		b := buckets[t]
		totalE.Add(totalE, b.earned)
		totalS.Add(totalS, b.spent)
		e.Points = append(e.Points, Point{Time: time.Unix(t, 0).UTC(), Earned: b.earned.String(), Spent: b.spent.String(),
			TotalEarned: totalE.String(), TotalSpent: totalS.String(), Orders: b.n})
	}
	e.Earned, e.Spent = totalE.String(), totalS.String()
	return e, nil
}

// ---- settings ----

// SettingsView is GET /api/settings.
type SettingsView struct {
	Org string `json:"org"`
	// Settings are the org's settings in Consul KV; the chain RPC is shown
	// in full to admins only (its path may hold an API key).
	Settings    settingsJSON `json:"settings"`
	SettingsErr string       `json:"settingsError,omitempty"`
	// Chain, Peers and Providers are the carrier's, for the read-only
	// parts (bootstrap addresses, prices).
	Chain     part `json:"chain"`
	Peers     part `json:"peers"`
	Providers part `json:"providers"`
}

type settingsJSON struct {
	OrgName   string `json:"orgName"`
	ChainRPC  string `json:"chainRpc"`
	Contracts struct {
		Token    string `json:"token"`
		Registry string `json:"registry"`
		Market   string `json:"market"`
	} `json:"contracts"`
}

func (c *Console) settings(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	ctx := r.Context()
	v := SettingsView{Org: c.opts.Org}
	var wg sync.WaitGroup
	wg.Go(func() {
		s, err := c.org.Settings(ctx)
		if err != nil {
			v.SettingsErr = err.Error()
			return
		}
		v.Settings.OrgName, v.Settings.ChainRPC = s.OrgName, s.ChainRPC
		if rc.sess.Role != "admin" && s.ChainRPC != "" {
			v.Settings.ChainRPC = upstream.RedactURL(s.ChainRPC) + "/…"
		}
		v.Settings.Contracts.Token, v.Settings.Contracts.Registry, v.Settings.Contracts.Market = s.Contracts.Token, s.Contracts.Registry, s.Contracts.Market
	})
	wg.Go(func() { v.Chain = partOf(c.carrierGet(ctx, "chain", nil, rc.id)) })
	wg.Go(func() { v.Peers = partOf(c.carrierGet(ctx, "peers", nil, rc.id)) })
	wg.Go(func() { v.Providers = partOf(c.carrierGet(ctx, "providers", nil, rc.id)) })
	wg.Wait()
	return v, nil
}

func (c *Console) putSettings(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in settingsJSON
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	rc.target = "org settings"
	rc.detail = map[string]string{"orgName": in.OrgName, "chainRpc": upstream.RedactURL(in.ChainRPC),
		"token": in.Contracts.Token, "registry": in.Contracts.Registry, "market": in.Contracts.Market}
	s := consul.Settings{OrgName: strings.TrimSpace(in.OrgName), ChainRPC: strings.TrimSpace(in.ChainRPC)}
	s.Contracts.Token, s.Contracts.Registry, s.Contracts.Market = strings.TrimSpace(in.Contracts.Token),
		strings.TrimSpace(in.Contracts.Registry), strings.TrimSpace(in.Contracts.Market)
	if err := s.Validate(); err != nil {
		return nil, badRequest("%v", err)
	}
	if err := c.org.WriteSettings(r.Context(), s); err != nil {
		return nil, err
	}
	return in, nil
}
