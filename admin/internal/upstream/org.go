package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/pkg/consul"
)

type healthAPI interface {
	Service(service, tag string, passingOnly bool, q *api.QueryOptions) ([]*api.ServiceEntry, *api.QueryMeta, error)
}

// Org reads the organization's services from Consul and its chain head
// from the chain RPC in its settings.
type Org struct {
	org    string
	health healthAPI
	kv     *consul.KV
	hc     *http.Client
}

// NewOrg returns the reader of org through c.
func NewOrg(c *api.Client, kv *consul.KV, org string) *Org {
	return &Org{org: org, health: c.Health(), kv: kv, hc: &http.Client{Timeout: chainTimeout}}
}

// Instance is one registered instance of a service and its health.
type Instance struct {
	ID      string `json:"id"`
	Node    string `json:"node"`
	Address string `json:"address"`
	Port    int    `json:"port"`
	// Status is Consul's aggregate of its checks: passing, warning or
	// critical.
	Status   string `json:"status"`
	Output   string `json:"output,omitempty"`
	Version  string `json:"version,omitempty"`
	Provider string `json:"provider,omitempty"`
}

// Service is a role and its instances.
type Service struct {
	Name      string     `json:"name"`
	Instances []Instance `json:"instances"`
	Passing   int        `json:"passing"`
}

// Roles are the services of an organization node, in deploy order.
var Roles = []string{consul.ServiceCarrier, consul.ServiceAdmin, consul.ServiceGateway, consul.ServiceVia}

const maxOutput = 300

// Service returns every registered instance of a role in the org, with
// failing ones.
func (o *Org) Service(ctx context.Context, name string) (Service, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	entries, _, err := o.health.Service(name, "", false, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return Service{}, fmt.Errorf("reading %s instances from consul: %w", name, err)
	}
	s := Service{Name: name, Instances: []Instance{}}
	for _, e := range entries {
		if e == nil || e.Service == nil {
			continue
		}
		in := Instance{ID: e.Service.ID, Address: e.Service.Address, Port: e.Service.Port, Status: e.Checks.AggregatedStatus(),
			Version: e.Service.Meta[consul.MetaVersion], Provider: e.Service.Meta[consul.MetaProvider]}
		if e.Node != nil {
			in.Node = e.Node.Node
			if in.Address == "" {
				in.Address = e.Node.Address
			}
		}
		for _, c := range e.Checks {
			if c.Status != api.HealthPassing && c.Output != "" {
				out := c.Output
				if len(out) > maxOutput {
					out = out[:maxOutput] + "…"
				}
				in.Output = out
			}
		}
		if in.Status == api.HealthPassing {
			s.Passing++
		}
		s.Instances = append(s.Instances, in)
	}
	slices.SortFunc(s.Instances, func(a, b Instance) int { return strings.Compare(a.ID, b.ID) })
	return s, nil
}

// Settings are the org's settings in Consul KV.
func (o *Org) Settings(ctx context.Context) (consul.Settings, error) {
	return o.kv.ReadSettings(ctx, o.org)
}

// WriteSettings replaces the org's settings (carriers follow them).
func (o *Org) WriteSettings(ctx context.Context, s consul.Settings) error {
	return o.kv.WriteSettings(ctx, o.org, s)
}

// Head is the chain's latest block.
type Head struct {
	Number  uint64    `json:"number"`
	Hash    string    `json:"hash"`
	Time    time.Time `json:"time"`
	ChainID uint64    `json:"chainId"`
	// RPC is the scheme and host of the endpoint (no path or query, which
	// may hold an API key).
	RPC string `json:"rpc"`
}

const (
	chainTimeout = 5 * time.Second
	maxRPCBody   = 1 << 20
)

// RedactURL keeps a URL's scheme and host.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// ChainHead reads the latest block from the chain RPC in the org's
// settings.
func (o *Org) ChainHead(ctx context.Context) (Head, error) {
	s, err := o.Settings(ctx)
	if err != nil {
		return Head{}, err
	}
	if s.ChainRPC == "" {
		return Head{}, fmt.Errorf("no chain RPC in the organization's settings (gridnode/%s/settings/chain-rpc)", o.org)
	}
	if err := s.Validate(); err != nil {
		return Head{}, err
	}
	u, _ := url.Parse(s.ChainRPC)
	if u.Scheme != "http" && u.Scheme != "https" {
		return Head{}, fmt.Errorf("chain RPC %s: only http(s) endpoints are read by admin", RedactURL(s.ChainRPC))
	}
	h := Head{RPC: RedactURL(s.ChainRPC)}
	var block struct {
		Number    string `json:"number"`
		Hash      string `json:"hash"`
		Timestamp string `json:"timestamp"`
	}
	if err := o.rpc(ctx, s.ChainRPC, "eth_getBlockByNumber", []any{"latest", false}, &block); err != nil {
		return h, err
	}
	var chainID string
	if err := o.rpc(ctx, s.ChainRPC, "eth_chainId", []any{}, &chainID); err != nil {
		return h, err
	}
	n, err1 := strconv.ParseUint(strings.TrimPrefix(block.Number, "0x"), 16, 64)
	ts, err2 := strconv.ParseUint(strings.TrimPrefix(block.Timestamp, "0x"), 16, 64)
	id, err3 := strconv.ParseUint(strings.TrimPrefix(chainID, "0x"), 16, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return h, fmt.Errorf("chain RPC %s: unexpected block %+v, chain id %q", h.RPC, block, chainID)
	}
	h.Number, h.Hash, h.Time, h.ChainID = n, block.Hash, time.Unix(int64(ts), 0).UTC(), id
	return h, nil
}

func (o *Org) rpc(ctx context.Context, endpoint, method string, params []any, out any) error {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	ctx, cancel := context.WithTimeout(ctx, chainTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("chain RPC %s: %w", RedactURL(endpoint), err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := o.hc.Do(req)
	if err != nil {
		// The error text holds the URL: show only its scheme and host.
		return fmt.Errorf("chain RPC %s: %s unreachable", RedactURL(endpoint), method)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxRPCBody))
	if err != nil {
		return fmt.Errorf("chain RPC %s: reading: %w", RedactURL(endpoint), err)
	}
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("chain RPC %s: %s answered %s", RedactURL(endpoint), method, resp.Status)
	}
	if r.Error != nil {
		return fmt.Errorf("chain RPC %s: %s: %s", RedactURL(endpoint), method, r.Error.Message)
	}
	return json.Unmarshal(r.Result, out)
}
