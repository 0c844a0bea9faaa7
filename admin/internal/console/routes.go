package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/service"
)

// routes is the admin API (docs/admin-api.yaml). Every pattern is a
// string literal "METHOD /api/…" so that the documentation test finds it.
func (c *Console) routes() []route {
	return []route{
		// Signing in: the only routes without a session.
		{"GET /api/login", public, c.loginOptions},
		{"POST /api/login", public, c.login},
		{"POST /api/login/wallet/challenge", public, c.walletChallenge},
		{"POST /api/login/wallet", public, c.walletLogin},

		// The session itself: allowed while a password change is due.
		{"GET /api/session", session, c.session},
		{"POST /api/logout", session, c.logout},
		{"POST /api/password", session, c.changePassword},

		// Reading: every role.
		{"GET /api/overview", viewer, c.overview},
		{"GET /api/chain", viewer, c.toCarrier("GET", "chain")},
		{"GET /api/peers", viewer, c.toCarrier("GET", "peers")},
		{"GET /api/listings", viewer, c.toCarrier("GET", "listings")},
		{"GET /api/listings/{provider}", viewer, c.toCarrier("GET", "listings/{provider}")},
		{"GET /api/providers", viewer, c.providers},
		{"POST /api/match", viewer, c.readOnly(c.toCarrier("POST", "match"))},
		{"GET /api/orders", viewer, c.toCarrier("GET", "orders")},
		{"GET /api/orders/{id}", viewer, c.toCarrier("GET", "orders/{id}")},
		{"GET /api/orders/{id}/deployment", viewer, c.deployment},
		{"GET /api/orders/{id}/deployment/events", viewer, c.events},
		{"GET /api/orders/{id}/deployment/logs", viewer, c.logs},
		{"GET /api/credits", viewer, c.toCarrier("GET", "credits")},
		{"GET /api/txs", viewer, c.toCarrier("GET", "txs")},
		{"GET /api/txs/{key}", viewer, c.toCarrier("GET", "txs/{key}")},
		{"GET /api/settlements", viewer, c.toCarrier("GET", "settlements")},
		{"GET /api/earnings", viewer, c.earnings},
		{"GET /api/settings", viewer, c.settings},

		// Changing: admins only.
		{"POST /api/providers/{provider}/deregister", admin, c.toCarrier("POST", "providers/{provider}/deregister")},
		{"POST /api/providers/{provider}/register", admin, c.toCarrier("POST", "providers/{provider}/register")},
		{"POST /api/credits/deposit", admin, c.toCarrier("POST", "credits/deposit")},
		{"POST /api/credits/withdraw", admin, c.toCarrier("POST", "credits/withdraw")},
		{"POST /api/orders", admin, c.toCarrier("POST", "orders")},
		{"POST /api/orders/{id}/cancel", admin, c.toCarrier("POST", "orders/{id}/cancel")},
		{"POST /api/orders/{id}/extend", admin, c.toCarrier("POST", "orders/{id}/extend")},
		{"POST /api/orders/{id}/close", admin, c.toCarrier("POST", "orders/{id}/close")},
		{"POST /api/orders/{id}/manifest", admin, c.toCarrier("POST", "orders/{id}/manifest")},
		{"PUT /api/orders/{id}/deployment", admin, c.putDeployment},
		{"DELETE /api/orders/{id}/deployment", admin, c.deleteDeployment},
		{"POST /api/orders/{id}/open-app", admin, c.openApp},
		{"PUT /api/settings", admin, c.putSettings},
		{"GET /api/accounts", admin, c.accounts},
		{"POST /api/accounts", admin, c.createAccount},
		{"PATCH /api/accounts/{name}", admin, c.updateAccount},
		{"DELETE /api/accounts/{name}", admin, c.deleteAccount},
		{"GET /api/audit", admin, c.auditLog},
	}
}

// readOnly marks a POST that changes nothing (a match): not audited.
func (c *Console) readOnly(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
		rc.noAudit = true
		return h(w, r, rc)
	}
}

// pathParams are the route parameters passed on to the carrier.
var pathParams = []string{"id", "provider", "key"}

// toCarrier passes a request on to the active carrier's API: path under
// /v1/ (with the route's parameters), the query string and the JSON body
// as they came. The carrier checks them; its answer comes back as it is,
// its errors with their code and "carrier: " before the message.
func (c *Console) toCarrier(method, path string) handler {
	return func(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
		p := path
		for _, name := range pathParams {
			if v := r.PathValue(name); v != "" {
				p = strings.ReplaceAll(p, "{"+name+"}", url.PathEscape(v))
				rc.target = v
			}
		}
		var body []byte
		if mutating(method) {
			var err error
			if body, err = readBody(r, rc); err != nil {
				return nil, err
			}
		}
		resp, err := c.carrier.Do(r.Context(), method, p, r.URL.Query(), body, rc.id)
		if err != nil {
			return nil, err
		}
		return carrierResult(resp)
	}
}

// carrierResult maps the carrier's answer. Its 401 (a wrong token in
// admin's configuration) is not the operator's: it becomes a 502, so that
// the console does not take it for an expired session.
func carrierResult(resp upstream.Response) (any, error) {
	if resp.Status == http.StatusOK {
		return json.RawMessage(resp.Body), nil
	}
	e, ok := service.DecodeError(resp.Body)
	if !ok {
		return nil, errorf(http.StatusBadGateway, "bad_gateway", "the carrier answered %d", resp.Status)
	}
	if resp.Status == http.StatusUnauthorized {
		return nil, errorf(http.StatusBadGateway, "carrier_unauthorized", "the carrier refused admin's API token: check --carrier-token-file")
	}
	return nil, &apiError{Status: resp.Status, Code: e.Code, Message: "carrier: " + e.Message}
}
