package gwclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// Errors callers test with errors.Is.
var (
	// ErrInvalidURL: the gateway URL is not an http(s) URL with a host
	// (and without credentials, query or fragment).
	ErrInvalidURL = errors.New("invalid gateway URL")
	// ErrForbiddenAddress: the gateway's host is (or resolves to) an
	// address the rules refuse, e.g. loopback without AllowLoopback.
	ErrForbiddenAddress = errors.New("gateway address not allowed")
	// ErrUnreachable: DNS, connect, TLS, timeout, too many redirects.
	ErrUnreachable = errors.New("gateway unreachable")
	// ErrBadAnswer: the gateway's answer is too large or malformed.
	ErrBadAnswer = errors.New("malformed gateway answer")
	// ErrChallengeRefused: the challenge is not a login for exactly the
	// order (another chain, Market, gateway or order, extra fields, an
	// expiry too far or past): the org wallet does not sign it.
	ErrChallengeRefused = gatewaylogin.ErrChallengeRefused
)

// GatewayError is the gateway's own refusal (a non-200 answer), with its
// error code: order_not_active, too_many_challenges, …
type GatewayError struct {
	Status  int
	Code    string
	Message string
}

func (e *GatewayError) Error() string {
	return fmt.Sprintf("the gateway answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Limits of the calls to a gateway.
const (
	// MaxAnswer bounds a challenge or login answer.
	MaxAnswer = 64 << 10
	// MaxTokenLength bounds a session token.
	MaxTokenLength = 4 << 10
	// MaxURLLength bounds a gateway URL.
	MaxURLLength = 2048
	// DefaultTimeout bounds a whole login: challenge, signature, login.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxRedirects is how many redirects a call follows.
	DefaultMaxRedirects = 3
	// DefaultMaxChallengeTTL is the furthest expiry of a challenge the
	// wallet signs (the gateway's default is 5 minutes).
	DefaultMaxChallengeTTL = time.Hour
)

// Options tune a Client.
type Options struct {
	// Timeout bounds a login; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxRedirects bounds the redirects of each call; 0 means
	// DefaultMaxRedirects, negative none.
	MaxRedirects int
	// AllowLoopback permits gateways on loopback addresses (tests, a
	// devnet on one machine). Private, link-local, multicast and metadata
	// addresses stay refused unless Allow names them.
	AllowLoopback bool
	// Allow are address ranges allowed whatever the rules.
	Allow []netip.Prefix
	// MaxChallengeTTL bounds a challenge's expiry; 0 means
	// DefaultMaxChallengeTTL.
	MaxChallengeTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Signer is the org wallet: it signs typed data as eth_signTypedData_v4
// does; *wallet.Wallet is the real one.
type Signer interface {
	gatewaylogin.Signer
	Address() common.Address
}

// Client logs in at gateways; safe for concurrent use.
type Client struct {
	opts Options
	hc   *http.Client
}

// New returns a Client.
func New(opts Options) (*Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.MaxRedirects < 0 {
		opts.MaxRedirects = 0
	}
	if opts.MaxChallengeTTL <= 0 {
		opts.MaxChallengeTTL = DefaultMaxChallengeTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f, err := manifest.New(manifest.Options{MaxBytes: MaxAnswer, Timeout: opts.Timeout, MaxRedirects: opts.MaxRedirects,
		AllowLoopback: opts.AllowLoopback, Allow: opts.Allow})
	if err != nil {
		return nil, err
	}
	maxRedirects := opts.MaxRedirects
	hc := &http.Client{
		Transport: f.Transport(),
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrUnreachable, maxRedirects)
			}
			if err := manifest.CheckURL(req.URL); err != nil {
				return fmt.Errorf("%w: redirect to %s: %v", ErrInvalidURL, req.URL.Redacted(), err)
			}
			return nil
		},
	}
	return &Client{opts: opts, hc: hc}, nil
}

// Base checks a gateway's base URL (a listing's or the Registry's gateway
// URL, e.g. https://via.example/gw/0x…) and returns it without a trailing
// slash.
func Base(raw string) (string, error) {
	if len(raw) > MaxURLLength {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrInvalidURL, MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	if err := manifest.CheckURL(u); err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidURL, clip(raw), err)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%w %q: a gateway URL has no query or fragment", ErrInvalidURL, clip(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

// Login logs signer in at the gateway at base for order o (its ID,
// ChainID, Market and Provider are used): it asks for a challenge, checks
// it (gatewaylogin.CheckChallenge), signs the typed data built from the
// checked values and logs in. The session's app and cookie URLs are under
// base.
func (c *Client) Login(ctx context.Context, base string, o market.Order, signer Signer) (carrierapi.Session, error) {
	base, err := Base(base)
	if err != nil {
		return carrierapi.Session{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	id := o.ID.String()
	raw, err := c.post(ctx, base+"/v1/orders/"+id+"/challenge", nil)
	if err != nil {
		return carrierapi.Session{}, fmt.Errorf("asking for a challenge: %w", err)
	}
	want := gatewaylogin.Challenge{ChainID: o.ChainID, Market: o.Market, Gateway: o.Provider, OrderID: o.ID}
	ch, err := gatewaylogin.CheckChallenge(raw, want, c.opts.Now(), c.opts.MaxChallengeTTL)
	if errors.Is(err, gatewaylogin.ErrMalformedChallenge) {
		return carrierapi.Session{}, fmt.Errorf("%w: challenge: %w", ErrBadAnswer, err)
	}
	if err != nil {
		return carrierapi.Session{}, err
	}
	sig, err := ch.Sign(signer)
	if err != nil {
		return carrierapi.Session{}, err
	}
	body, err := json.Marshal(map[string]any{"nonce": hexutil.Encode(ch.Nonce[:]), "expires": ch.Expires, "signature": hexutil.Encode(sig)})
	if err != nil {
		return carrierapi.Session{}, err
	}
	raw, err = c.post(ctx, base+"/v1/orders/"+id+"/login", body)
	if err != nil {
		return carrierapi.Session{}, fmt.Errorf("logging in: %w", err)
	}
	var s struct {
		Token     string    `json:"token"`
		TokenType string    `json:"tokenType"`
		Expires   time.Time `json:"expires"`
		OrderID   string    `json:"orderId"`
		Buyer     string    `json:"buyer"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return carrierapi.Session{}, fmt.Errorf("%w: login: %v", ErrBadAnswer, err)
	}
	switch {
	case s.OrderID != id:
		return carrierapi.Session{}, fmt.Errorf("%w: the session is for order %q, not %s", ErrBadAnswer, clip(s.OrderID), id)
	case !common.IsHexAddress(s.Buyer) || common.HexToAddress(s.Buyer) != signer.Address():
		return carrierapi.Session{}, fmt.Errorf("%w: the session is for buyer %q, not %s", ErrBadAnswer, clip(s.Buyer), signer.Address().Hex())
	case s.Token == "" || len(s.Token) > MaxTokenLength || strings.ContainsFunc(s.Token, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		return carrierapi.Session{}, fmt.Errorf("%w: no usable session token", ErrBadAnswer)
	case !s.Expires.After(c.opts.Now()):
		return carrierapi.Session{}, fmt.Errorf("%w: the session expires at %s, in the past", ErrBadAnswer, s.Expires.UTC().Format(time.RFC3339))
	}
	if s.TokenType == "" {
		s.TokenType = "Bearer"
	}
	return carrierapi.Session{
		OrderID: id, Token: s.Token, TokenType: s.TokenType, Expires: s.Expires.UTC(), Buyer: signer.Address(),
		GatewayBase: base, App: base + "/app/" + id + "/", CookieURL: base + "/v1/session/cookie",
	}, nil
}

// DefaultDeployTimeout bounds a deploy call: the gateway fetches the manifest
// and applies it before it answers. It stays below the carrier API
// client's 30 s.
const DefaultDeployTimeout = 20 * time.Second

// Deployment is the gateway's view of an order's deployment, as far as
// the carrier reads it.
type Deployment struct {
	Namespace string `json:"namespace"`
	Manifest  string `json:"manifest"`
	Phase     string `json:"phase"`
	Message   string `json:"message"`
}

// Deploy asks the gateway of session s to deploy the manifest at
// manifestURL for the session's order (PUT
// {gatewayBase}/v1/orders/{id}/deployment, as a buyer's deploy does); the
// gateway fetches it and checks it against the order's manifest hash on
// chain.
func (c *Client) Deploy(ctx context.Context, s carrierapi.Session, manifestURL string) (Deployment, error) {
	base, err := Base(s.GatewayBase)
	if err != nil {
		return Deployment{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultDeployTimeout)
	defer cancel()
	body, err := json.Marshal(map[string]string{"manifestUrl": manifestURL})
	if err != nil {
		return Deployment{}, err
	}
	raw, err := c.send(ctx, http.MethodPut, base+"/v1/orders/"+s.OrderID+"/deployment", body, s.TokenType+" "+s.Token)
	if err != nil {
		return Deployment{}, err
	}
	var d Deployment
	if err := json.Unmarshal(raw, &d); err != nil {
		return Deployment{}, fmt.Errorf("%w: deployment: %v", ErrBadAnswer, err)
	}
	d.Namespace, d.Manifest, d.Phase, d.Message = clip(d.Namespace), clip(d.Manifest), clip(d.Phase), clipLong(d.Message)
	return d, nil
}

// post sends body (JSON, or nothing) and returns a 200 answer's bytes; any
// other status is a *GatewayError.
func (c *Client) post(ctx context.Context, u string, body []byte) ([]byte, error) {
	return c.send(ctx, http.MethodPost, u, body, "")
}

// send sends body (JSON, or nothing) with method, and auth as the
// Authorization header if set; it returns a 200 answer's bytes, any other
// status is a *GatewayError.
func (c *Client) send(ctx context.Context, method, u string, body []byte, auth string) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("Accept", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, classify(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, classify(err)
	}
	if len(data) > MaxAnswer {
		return nil, fmt.Errorf("%w: answer over %d bytes", ErrBadAnswer, MaxAnswer)
	}
	if resp.StatusCode != http.StatusOK {
		e, ok := service.DecodeError(data)
		if !ok {
			e.Code = "http_" + fmt.Sprint(resp.StatusCode)
			e.Message = strings.TrimSpace(string(data))
		}
		return nil, &GatewayError{Status: resp.StatusCode, Code: clip(e.Code), Message: clipLong(e.Message)}
	}
	return data, nil
}

// classify keeps our errors and maps the transport's to ErrUnreachable or
// ErrForbiddenAddress.
func classify(err error) error {
	switch {
	case errors.Is(err, manifest.ErrForbiddenAddress):
		return fmt.Errorf("%w: %v", ErrForbiddenAddress, err)
	case errors.Is(err, ErrUnreachable), errors.Is(err, ErrInvalidURL), errors.Is(err, ErrForbiddenAddress):
		return err
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, err)
}

func clipLong(s string) string { return service.ClipText(strings.Join(strings.Fields(s), " "), 300) }

// clip shortens untrusted text for an error message and drops control
// characters.
func clip(s string) string { return service.ClipText(s, 80) }
