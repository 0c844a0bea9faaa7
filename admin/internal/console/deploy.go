package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
)

// The deployment of an order the organization bought runs at the
// provider's gateway, which serves it (manifest URL, status, events, logs,
// app) only to a session of the order signed with its buyer key: the org
// wallet, held by the carrier. The console asks the carrier to open that
// session (POST /v1/orders/{id}/gateway-session, which checks the
// gateway's challenge before the wallet signs), keeps it in admin's memory
// per order (upstream.Gateways) and calls the gateway with it. The token
// never reaches the browser except inside the form that opens the app in a
// new tab. Orders the organization sold are deployed by their buyer.

// Limits of the deployment routes.
const (
	// MaxLogBytes bounds one log response through admin.
	MaxLogBytes = 4 << 20
	// MaxLogFollow bounds a followed log stream through admin.
	MaxLogFollow   = 10 * time.Minute
	maxManifestURL = 2048
)

// Deployment is what the console shows of an order's deployment.
type Deployment struct {
	Order    uint64 `json:"order"`
	Provider string `json:"provider"`
	// Side is "buyer" (an order we bought, maybe from another org) or
	// "seller" (an order at one of our providers).
	Side    string       `json:"side"`
	State   string       `json:"state"`
	Gateway *gatewayInfo `json:"gateway,omitempty"`
	// Available: the console can drive the deployment (a bought, active
	// order whose gateway session the carrier opened).
	Available bool `json:"available"`
	// Reason says why not, with the code of the refusal when there is one.
	Reason     string `json:"reason,omitempty"`
	ReasonCode string `json:"reasonCode,omitempty"`
	// AppURL is the order's app at the gateway (open it with POST
	// /api/orders/{id}/open-app: the gateway wants its session cookie).
	AppURL         string     `json:"appUrl,omitempty"`
	SessionExpires *time.Time `json:"sessionExpires,omitempty"`
	// Deployed: the gateway has a deployment for the order; Status is the
	// gateway's view of it (phase, objects, entrypoint…).
	Deployed    bool            `json:"deployed"`
	Status      json.RawMessage `json:"status,omitempty"`
	StatusError *remoteInfo     `json:"statusError,omitempty"`
}

type gatewayInfo struct {
	// URL is the provider's gateway URL (its listing's, through its org's
	// via); Source where it came from (directory, registry, consul);
	// Instances the passing gateways in our Consul when the provider is
	// ours.
	URL       string `json:"url,omitempty"`
	Source    string `json:"source"`
	Instances int    `json:"instances"`
}

type remoteInfo struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Why the console does not drive a deployment, by case.
const (
	reasonSold = "sold: the buyer deploys. The provider's gateway serves an order's deployment only to a session " +
		"signed with the order's buyer key, which belongs to the buying organization (or to a buyer of its own)"
	reasonNoGateways = "admin runs without gateway access"
)

// orderID reads the {id} path parameter.
func orderID(r *http.Request, rc *reqCtx) (uint64, error) {
	v := r.PathValue("id")
	rc.target = v
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("order id %q: want a positive integer", v)
	}
	return id, nil
}

// deployment answers GET /api/orders/{id}/deployment.
func (c *Console) deployment(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	id, err := orderID(r, rc)
	if err != nil {
		return nil, err
	}
	raw, err := c.carrierGet(r.Context(), "orders/"+strconv.FormatUint(id, 10), nil, rc.id)
	if err != nil {
		return nil, err
	}
	var o carrierapi.OrderInfo
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("decoding the carrier's order: %w", err)
	}
	d := Deployment{Order: o.ID, Provider: hexutil.Encode(o.Provider[:]), Side: "buyer", State: o.State}
	if o.Role == "seller" {
		d.Side = "seller"
	}
	switch {
	case o.State == "cancelled" || o.State == "settled" || o.State == "closed" || o.State == "ended":
		d.Reason = "the order is " + o.State + ": nothing runs for it any more"
	case d.Side == "seller":
		d.Reason = reasonSold
	case c.gw == nil:
		d.Reason = reasonNoGateways
	default:
		c.buyerDeployment(r.Context(), rc, &d)
	}
	if d.Gateway == nil {
		c.gatewayFromConsul(r.Context(), &d)
	}
	return d, nil
}

// buyerDeployment fills in a bought order's session and status.
func (c *Console) buyerDeployment(ctx context.Context, rc *reqCtx, d *Deployment) {
	s, err := c.gw.Session(ctx, d.Order, rc.id)
	if err != nil {
		e, _ := asAPIError(err)
		d.Reason, d.ReasonCode = "no session at the order's gateway: "+e.Message, e.Code
		return
	}
	exp := s.Expires
	d.Available, d.AppURL, d.SessionExpires = true, s.App, &exp
	d.Gateway = &gatewayInfo{URL: s.GatewayBase, Source: s.Source}
	body, err := c.gw.Do(ctx, d.Order, rc.id, http.MethodGet, "deployment", nil, nil)
	var re *upstream.RemoteError
	switch {
	case err == nil:
		d.Deployed, d.Status = true, json.RawMessage(body)
	case errors.As(err, &re) && re.Code == "not_deployed":
	case errors.As(err, &re):
		d.StatusError = &remoteInfo{Code: re.Code, Message: re.Error()}
	default:
		e, _ := asAPIError(err)
		d.StatusError = &remoteInfo{Code: e.Code, Message: e.Message}
	}
}

// gatewayFromConsul names the provider's gateways in our Consul (a sold
// order) and its URL in the directory.
func (c *Console) gatewayFromConsul(ctx context.Context, d *Deployment) {
	gw, err := c.org.Service(ctx, consul.ServiceGateway)
	if err == nil {
		for _, in := range gw.Instances {
			if common.IsHexAddress(in.Provider) && common.IsHexAddress(d.Provider) &&
				common.HexToAddress(in.Provider) == common.HexToAddress(d.Provider) && in.Status == "passing" {
				if d.Gateway == nil {
					d.Gateway = &gatewayInfo{Source: "consul"}
				}
				d.Gateway.Instances++
			}
		}
	}
	if !common.IsHexAddress(d.Provider) {
		return
	}
	if l, err := c.carrierGet(ctx, "listings/"+d.Provider, nil, ""); err == nil {
		var rec carrierapi.Listing
		if json.Unmarshal(l, &rec) == nil && strings.HasPrefix(rec.GatewayURL, "http") {
			if d.Gateway == nil {
				d.Gateway = &gatewayInfo{Source: "directory"}
			}
			d.Gateway.URL = rec.GatewayURL
		}
	}
}

func (c *Console) gateways() (*upstream.Gateways, error) {
	if c.gw == nil {
		e := *errGatewayMissing
		e.Message = "gateway not available: " + reasonNoGateways
		return nil, &e
	}
	return c.gw, nil
}

// putDeployment answers PUT /api/orders/{id}/deployment: the gateway
// fetches the manifest URL, checks its hash against the order and applies
// it.
func (c *Console) putDeployment(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	id, err := orderID(r, rc)
	if err != nil {
		return nil, err
	}
	body, err := readBody(r, rc)
	if err != nil {
		return nil, err
	}
	var req struct {
		ManifestURL string `json:"manifestUrl"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, badRequest("request body: want {\"manifestUrl\": \"https://…\"}: %v", err)
	}
	u, perr := url.Parse(req.ManifestURL)
	if req.ManifestURL == "" || len(req.ManifestURL) > maxManifestURL || perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badRequest("manifestUrl: want an http or https URL of at most %d bytes", maxManifestURL)
	}
	gw, err := c.gateways()
	if err != nil {
		return nil, err
	}
	fwd, _ := json.Marshal(map[string]string{"manifestUrl": req.ManifestURL})
	// The gateway fetches and applies; give it the time it takes.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(upstream.DeployTimeout + 30*time.Second))
	ctx, cancel := context.WithTimeout(r.Context(), upstream.DeployTimeout)
	defer cancel()
	out, err := gw.Do(ctx, id, rc.id, http.MethodPut, "deployment", nil, fwd)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// deleteDeployment answers DELETE /api/orders/{id}/deployment.
func (c *Console) deleteDeployment(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	return c.gatewayCall(r, rc, http.MethodDelete, "deployment")
}

// events answers GET /api/orders/{id}/deployment/events.
func (c *Console) events(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	return c.gatewayCall(r, rc, http.MethodGet, "deployment/events")
}

func (c *Console) gatewayCall(r *http.Request, rc *reqCtx, method, path string) (any, error) {
	id, err := orderID(r, rc)
	if err != nil {
		return nil, err
	}
	gw, err := c.gateways()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), upstream.GatewayTimeout)
	defer cancel()
	out, err := gw.Do(ctx, id, rc.id, method, path, nil, nil)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// logs answers GET /api/orders/{id}/deployment/logs: the gateway's log of
// a container passed on as text as it comes (?follow=1), at most
// MaxLogBytes and, followed, MaxLogFollow.
func (c *Console) logs(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	id, err := orderID(r, rc)
	if err != nil {
		return nil, err
	}
	in := r.URL.Query()
	q := url.Values{}
	for _, k := range []string{"pod", "container"} {
		if v := in.Get(k); v != "" {
			if len(v) > 253 {
				return nil, badRequest("%s: at most 253 bytes", k)
			}
			q.Set(k, v)
		}
	}
	follow := false
	switch f := in.Get("follow"); f {
	case "", "0", "false":
	case "1", "true":
		follow = true
		q.Set("follow", "1")
	default:
		return nil, badRequest("follow: want 1 or 0")
	}
	if t := in.Get("tail"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > 10000 {
			return nil, badRequest("tail: want 0 to 10000 lines")
		}
		q.Set("tail", t)
	}
	gw, err := c.gateways()
	if err != nil {
		return nil, err
	}
	limit := upstream.GatewayTimeout
	if follow {
		limit = MaxLogFollow
	}
	ctx, cancel := context.WithTimeout(r.Context(), limit)
	defer cancel()
	resp, err := gw.Stream(ctx, id, rc.id, "deployment/logs", q)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	ctl := http.NewResponseController(w)
	_ = ctl.SetWriteDeadline(time.Now().Add(limit + 10*time.Second))
	w.WriteHeader(http.StatusOK)
	rc.written = http.StatusOK
	capped, err := copyBounded(w, ctl.Flush, resp.Body, MaxLogBytes)
	switch {
	case capped:
		fmt.Fprintf(w, "\n[admin: the log stops here after %d bytes; load it again for newer lines]\n", MaxLogBytes)
	case err != nil && follow && errors.Is(ctx.Err(), context.DeadlineExceeded):
		fmt.Fprintf(w, "\n[admin: a followed log stops after %s; follow again to go on]\n", MaxLogFollow)
	}
	return nil, errWritten
}

// copyBounded copies r to w as it comes, flushing after each read, until
// r ends, a write fails or limit bytes are copied (capped).
func copyBounded(w io.Writer, flush func() error, r io.Reader, limit int) (capped bool, err error) {
	buf := make([]byte, 32<<10)
	total := 0
	for {
		n, rerr := r.Read(buf[:min(len(buf), limit-total)])
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return false, err // the browser went away
			}
			_ = flush()
			total += n
		}
		if total >= limit {
			return true, nil
		}
		if rerr == io.EOF {
			return false, nil
		}
		if rerr != nil {
			return false, rerr
		}
	}
}

// openApp answers the form POST /api/orders/{id}/open-app (the console
// submits it into a new tab) with a page that posts the gateway session's
// token to the gateway's /v1/session/cookie at once: the gateway sets the
// order's session cookie and redirects to the app. The token is in that
// page only; the page may post to the gateway's origin and nowhere else.
func (c *Console) openApp(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	id, err := orderID(r, rc)
	if err != nil {
		return nil, err
	}
	gw, err := c.gateways()
	if err != nil {
		return nil, err
	}
	s, err := gw.Session(r.Context(), id, rc.id)
	if err != nil {
		return nil, err
	}
	cookie, err := url.Parse(s.CookieURL)
	if err != nil || (cookie.Scheme != "http" && cookie.Scheme != "https") || cookie.Host == "" {
		return nil, errorf(http.StatusBadGateway, "bad_gateway", "the carrier gave no usable cookie URL for order %d", id)
	}
	app, err := url.Parse(s.App)
	if err != nil {
		return nil, errorf(http.StatusBadGateway, "bad_gateway", "the carrier gave no usable app URL for order %d", id)
	}
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	n := base64.RawStdEncoding.EncodeToString(nonce)
	h := w.Header()
	h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; script-src 'nonce-%s'; style-src 'nonce-%s'; "+
		"form-action %s://%s; base-uri 'none'; frame-ancestors 'none'", n, n, cookie.Scheme, cookie.Host))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	rc.written = http.StatusOK
	if err := openAppPage.Execute(w, map[string]any{
		"Order": id, "Action": s.CookieURL, "Token": s.Token, "Next": app.EscapedPath(), "Gateway": s.GatewayBase, "Nonce": n,
	}); err != nil {
		c.log.Warn("writing the open-app page", zap.String("request_id", rc.id), zap.Error(err))
	}
	return nil, errWritten
}

var openAppPage = template.Must(template.New("open-app").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>Opening the app of order {{.Order}}…</title>
<style nonce="{{.Nonce}}">body{font:15px system-ui,sans-serif;margin:3em;color:#1d2433}button{font:inherit;padding:.5em 1em}</style>
</head><body>
<form id="open-app" method="post" action="{{.Action}}">
<input type="hidden" name="token" value="{{.Token}}">
<input type="hidden" name="next" value="{{.Next}}">
<p>Opening the app of order {{.Order}} at <code>{{.Gateway}}</code>…</p>
<noscript><button type="submit">Open the app</button></noscript>
</form>
<script nonce="{{.Nonce}}">document.getElementById('open-app').submit();</script>
</body></html>
`))

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style nonce="{{.Nonce}}">body{font:15px system-ui,sans-serif;margin:3em;color:#1d2433}.meta{color:#667}</style>
</head><body>
<h1>{{.Title}}</h1>
<p id="error-message">{{.Message}}</p>
<p class="meta">code {{.Code}} · request {{.RequestID}}</p>
</body></html>
`))

// writeErrorPage is writeError for routes a browser opens as a page.
func (c *Console) writeErrorPage(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) *apiError {
	e, known := asAPIError(err)
	log := c.log.With(zap.String("request_id", rc.id), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Int("status", e.Status))
	if !known || e.Status >= 500 && e.Status != http.StatusServiceUnavailable && e.Status != http.StatusBadGateway {
		log.Error("page request failed", zap.Error(err))
	} else {
		log.Debug("page request refused", zap.Error(err))
	}
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	n := base64.RawStdEncoding.EncodeToString(nonce)
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+n+"'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	_ = errorPage.Execute(w, map[string]string{"Title": "The app could not be opened", "Message": e.Message, "Code": e.Code,
		"RequestID": rc.id, "Nonce": n})
	return e
}

// remoteAPIError maps a refusal of the carrier or a gateway. Their 401s
// and 403s are not the operator's (a wrong carrier token, a gateway
// session the gateway refused): they become 502s, so that the console does
// not take them for its own session ending.
func remoteAPIError(e *upstream.RemoteError) *apiError {
	if e.From == "carrier" && e.Status == http.StatusUnauthorized {
		return errorf(http.StatusBadGateway, "carrier_unauthorized", "the carrier refused admin's API token: check --carrier-token-file")
	}
	status := e.Status
	if status == http.StatusUnauthorized || status == http.StatusForbidden || status < 400 || status > 599 {
		status = http.StatusBadGateway
	}
	return &apiError{Status: status, Code: e.Code, Message: e.Error()}
}
