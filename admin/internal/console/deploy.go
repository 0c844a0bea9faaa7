package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/consul"
)

// Deployment is what the console knows of an order's deployment. The
// gateway serves an order's deployment (manifest URL, status, events,
// logs) and its app only to a session of that order, which the order's
// buyer key signs into: for orders we bought that key is the org wallet,
// held by the carrier, whose API cannot sign gateway logins yet; for
// orders we sold there is no operator view at the gateway. So the view
// names the gateway that serves the order and says why it cannot show
// more, and the deploy route refuses with 503 gateway_unavailable.
// Nothing here pretends to deploy.
type Deployment struct {
	Order    uint64 `json:"order"`
	Provider string `json:"provider"`
	// Side is "buyer" (our order at a provider, maybe of another org) or
	// "seller" (an order at one of our providers).
	Side    string       `json:"side"`
	Gateway *gatewayInfo `json:"gateway,omitempty"`
	// Available: the gateway's deployment API can be used.
	Available bool   `json:"available"`
	Reason    string `json:"reason"`
	AppURL    string `json:"appUrl,omitempty"`
}

type gatewayInfo struct {
	// URL is the provider's public gateway URL (its listing's, through its
	// org's via); Instances the passing gateways in our Consul when the
	// provider is ours.
	URL       string `json:"url,omitempty"`
	Source    string `json:"source"`
	Instances int    `json:"instances"`
}

// Why the console cannot drive a deployment yet, by side.
const (
	reasonNoGatewayAPI = "the provider's gateway serves an order's deployment, events, logs and app only to a session signed with the order's buyer key: the org wallet, held by the carrier, whose API cannot sign gateway logins yet"
	reasonSold         = "the gateway shows an order's deployment only to the buyer's session; it has no operator view for the provider's side yet"
)

func (c *Console) deployment(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	id := r.PathValue("id")
	raw, err := c.carrierGet(r.Context(), "orders/"+id, nil, rc.id)
	if err != nil {
		return nil, err
	}
	var o struct {
		ID       uint64 `json:"id"`
		Provider string `json:"provider"`
		Role     string `json:"role"`
		State    string `json:"state"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("decoding the carrier's order: %w", err)
	}
	d := Deployment{Order: o.ID, Provider: o.Provider, Side: "buyer", Reason: reasonNoGatewayAPI}
	if o.Role == "seller" {
		d.Side, d.Reason = "seller", reasonSold
	}
	if o.State == "cancelled" || o.State == "settled" {
		d.Reason = "the order is " + o.State + ": nothing runs for it any more"
	}
	gw, err := c.org.Service(r.Context(), consul.ServiceGateway)
	if err == nil {
		for _, in := range gw.Instances {
			if common.IsHexAddress(in.Provider) && common.HexToAddress(in.Provider) == common.HexToAddress(o.Provider) && in.Status == "passing" {
				if d.Gateway == nil {
					d.Gateway = &gatewayInfo{Source: "consul"}
				}
				d.Gateway.Instances++
			}
		}
	}
	if l, err := c.carrierGet(r.Context(), "listings/"+o.Provider, nil, rc.id); err == nil {
		var rec struct {
			GatewayURL string `json:"gatewayUrl"`
		}
		if json.Unmarshal(l, &rec) == nil && strings.HasPrefix(rec.GatewayURL, "http") {
			if d.Gateway == nil {
				d.Gateway = &gatewayInfo{Source: "directory"}
			}
			d.Gateway.URL = rec.GatewayURL
		}
	}
	if d.Gateway == nil && (d.Reason == reasonNoGatewayAPI || d.Reason == reasonSold) {
		d.Reason = "no gateway of provider " + o.Provider + " is in this organization's Consul or in the directory"
	}
	return d, nil
}

func (c *Console) deploy(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	rc.target = r.PathValue("id")
	if _, err := readBody(r, rc); err != nil {
		return nil, err
	}
	e := *errGatewayMissing
	e.Message = "gateway not available: " + reasonNoGatewayAPI
	return nil, &e
}
