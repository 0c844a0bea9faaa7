package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/service"
)

// RemoteError is a refusal of the carrier or of a gateway, with its status
// and code, on the way to a gateway's deployment API.
type RemoteError struct {
	// From is "carrier" or "gateway".
	From    string
	Status  int
	Code    string
	Message string
}

func (e *RemoteError) Error() string { return e.From + ": " + e.Message }

// Limits of the calls to gateways.
const (
	// GatewayTimeout bounds a call to a gateway's API (a deploy waits up
	// to DeployTimeout).
	GatewayTimeout = 30 * time.Second
	// DeployTimeout bounds a deploy: the gateway fetches the manifest and
	// applies it.
	DeployTimeout = 4 * time.Minute
	// maxGatewayBody bounds a gateway's JSON answer.
	maxGatewayBody = 8 << 20
	// sessionMargin: a cached session is renewed this long before it
	// expires.
	sessionMargin = time.Minute
	// failureTTL: a failed login is answered from memory this long, so
	// that pages polling an order whose gateway cannot be reached do not
	// make the carrier try again every few seconds.
	failureTTL   = 10 * time.Second
	maxRedirects = 3
)

// GatewaySession is a session at an order's gateway that the carrier
// opened with the org wallet (POST /v1/orders/{id}/gateway-session). Its
// token never leaves admin except in the form that opens the app.
type GatewaySession struct {
	OrderID     string    `json:"orderId"`
	Token       string    `json:"token"`
	Expires     time.Time `json:"expires"`
	GatewayBase string    `json:"gatewayBase"`
	App         string    `json:"app"`
	CookieURL   string    `json:"cookieUrl"`
	Provider    string    `json:"provider"`
	Source      string    `json:"source"`
}

// Gateways calls the gateways of the organization's bought orders with
// sessions the carrier opens, kept in memory per order until shortly
// before they expire (each admin replica keeps its own).
type Gateways struct {
	carrier *Carrier
	hc      *http.Client
	now     func() time.Time

	mu       sync.Mutex
	sessions map[uint64]GatewaySession
	logins   map[uint64]*sync.Mutex
	failures map[uint64]failure
}

type failure struct {
	err error
	at  time.Time
}

// GatewayOptions tune Gateways.
type GatewayOptions struct {
	// AllowLoopback permits gateways on loopback addresses (a devnet on
	// one machine); private and metadata addresses stay refused.
	AllowLoopback bool
}

// NewGateways returns a gateway client that gets its sessions from
// carrier. Its connections follow pkg/manifest's address rules.
func NewGateways(carrier *Carrier, opts GatewayOptions) (*Gateways, error) {
	f, err := manifest.New(manifest.Options{MaxBytes: maxGatewayBody, Timeout: GatewayTimeout, MaxRedirects: maxRedirects,
		AllowLoopback: opts.AllowLoopback})
	if err != nil {
		return nil, err
	}
	hc := &http.Client{
		Transport: f.Transport(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return manifest.CheckURL(req.URL)
		},
	}
	return &Gateways{carrier: carrier, hc: hc, now: time.Now, sessions: map[uint64]GatewaySession{}, logins: map[uint64]*sync.Mutex{},
		failures: map[uint64]failure{}}, nil
}

// Session returns a session at order's gateway: the cached one while it
// has more than a minute left, else a new one from the carrier.
func (g *Gateways) Session(ctx context.Context, order uint64, requestID string) (GatewaySession, error) {
	if s, ok := g.cached(order); ok {
		return s, nil
	}
	g.mu.Lock()
	l := g.logins[order]
	if l == nil {
		l = &sync.Mutex{}
		g.logins[order] = l
	}
	g.mu.Unlock()
	l.Lock() // one login per order at a time
	defer l.Unlock()
	if s, ok := g.cached(order); ok {
		return s, nil
	}
	g.mu.Lock()
	f, failed := g.failures[order]
	g.mu.Unlock()
	if failed && g.now().Sub(f.at) < failureTTL {
		return GatewaySession{}, f.err
	}
	fail := func(err error) (GatewaySession, error) {
		g.mu.Lock()
		g.failures[order] = failure{err: err, at: g.now()}
		g.mu.Unlock()
		return GatewaySession{}, err
	}
	resp, err := g.carrier.Do(ctx, http.MethodPost, "orders/"+strconv.FormatUint(order, 10)+"/gateway-session", nil, nil, requestID)
	if err != nil {
		return fail(err)
	}
	if resp.Status != http.StatusOK {
		return fail(remoteError("carrier", resp.Status, resp.Body))
	}
	var s GatewaySession
	if err := json.Unmarshal(resp.Body, &s); err != nil || s.Token == "" || s.GatewayBase == "" {
		return GatewaySession{}, fmt.Errorf("decoding the carrier's gateway session: %v", err)
	}
	if _, err := url.Parse(s.GatewayBase); err != nil {
		return GatewaySession{}, fmt.Errorf("the carrier's gateway URL: %w", err)
	}
	g.mu.Lock()
	g.sessions[order] = s
	delete(g.failures, order)
	g.mu.Unlock()
	return s, nil
}

func (g *Gateways) cached(order uint64) (GatewaySession, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.sessions[order]
	if !ok {
		return s, false
	}
	if g.now().Add(sessionMargin).After(s.Expires) {
		delete(g.sessions, order)
		return s, false
	}
	return s, true
}

// Forget drops order's cached session (the gateway refused it) and its
// last failure.
func (g *Gateways) Forget(order uint64) {
	g.mu.Lock()
	delete(g.sessions, order)
	delete(g.failures, order)
	g.mu.Unlock()
}

// Sweep drops expired sessions; the console calls it now and then.
func (g *Gateways) Sweep() {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for id, s := range g.sessions {
		if now.After(s.Expires) {
			delete(g.sessions, id)
			delete(g.logins, id)
		}
	}
	for id, f := range g.failures {
		if now.Sub(f.at) >= failureTTL {
			delete(g.failures, id)
			if _, ok := g.sessions[id]; !ok {
				delete(g.logins, id)
			}
		}
	}
}

// Do calls order's deployment API at its gateway: method and path under
// /v1/orders/{order}/ (e.g. "deployment", "deployment/events"), query and
// a JSON body as given. A session the gateway refuses is replaced once.
// A non-200 answer comes back as *RemoteError.
func (g *Gateways) Do(ctx context.Context, order uint64, requestID, method, path string, query url.Values, body []byte) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		s, err := g.Session(ctx, order, requestID)
		if err != nil {
			return nil, err
		}
		resp, err := g.send(ctx, s, order, requestID, method, path, query, body)
		if err != nil {
			return nil, err
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxGatewayBody+1))
		resp.Body.Close()
		if rerr != nil {
			return nil, fmt.Errorf("reading the gateway's answer: %w", rerr)
		}
		if len(data) > maxGatewayBody {
			return nil, fmt.Errorf("the gateway's answer is larger than %d bytes", maxGatewayBody)
		}
		if resp.StatusCode == http.StatusOK {
			return data, nil
		}
		e := remoteError("gateway", resp.StatusCode, data)
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			g.Forget(order) // expired or revoked at the gateway: a new login
			continue
		}
		return nil, e
	}
}

// Stream opens a streamed GET of order's deployment API (the logs); the
// caller reads and closes the body. A non-200 answer is a *RemoteError.
func (g *Gateways) Stream(ctx context.Context, order uint64, requestID, path string, query url.Values) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		s, err := g.Session(ctx, order, requestID)
		if err != nil {
			return nil, err
		}
		resp, err := g.send(ctx, s, order, requestID, http.MethodGet, path, query, nil)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusOK {
			return resp, nil
		}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			g.Forget(order)
			continue
		}
		return nil, remoteError("gateway", resp.StatusCode, data)
	}
}

func (g *Gateways) send(ctx context.Context, s GatewaySession, order uint64, requestID, method, path string, query url.Values, body []byte) (*http.Response, error) {
	u := strings.TrimRight(s.GatewayBase, "/") + "/v1/orders/" + strconv.FormatUint(order, 10) + "/" + strings.TrimPrefix(path, "/")
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, fmt.Errorf("building the gateway request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Accept", "application/json, text/plain")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	resp, err := g.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in the message already below
		}
		if errors.Is(err, manifest.ErrForbiddenAddress) {
			return nil, &RemoteError{From: "gateway", Status: http.StatusBadGateway, Code: "gateway_address_forbidden",
				Message: fmt.Sprintf("calling %s: %v (a gateway on loopback needs admin's --gateway-allow-loopback)", redact(s.GatewayBase), err)}
		}
		return nil, &RemoteError{From: "gateway", Status: http.StatusBadGateway, Code: "gateway_unreachable",
			Message: fmt.Sprintf("calling %s: %v", redact(s.GatewayBase), err)}
	}
	return resp, nil
}

// redact keeps scheme, host and path of a URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(gateway)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// remoteError reads an API error body ({"error": {"code", "message"}}).
func remoteError(from string, status int, body []byte) *RemoteError {
	e := &RemoteError{From: from, Status: status}
	if eb, ok := service.DecodeError(body); ok {
		e.Code, e.Message = eb.Code, eb.Message
	} else {
		e.Code, e.Message = "bad_gateway", fmt.Sprintf("the %s answered %d", from, status)
	}
	if len(e.Message) > 500 {
		e.Message = e.Message[:500] + "…"
	}
	return e
}
