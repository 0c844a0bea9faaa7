package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// Orders is the order check the API uses.
type Orders interface {
	Check(ctx context.Context, id *big.Int) (market.Order, error)
	// CheckFresh checks the order as the chain has it now (a deploy must
	// see the order's current manifest hash).
	CheckFresh(ctx context.Context, id *big.Int) (market.Order, error)
}

// Auth is the login and session service the API uses.
type Auth interface {
	Challenge(ctx context.Context, id *big.Int) (gatewaylogin.Challenge, error)
	Login(ctx context.Context, id *big.Int, req gatewaylogin.LoginRequest) (auth.Session, error)
	Verify(token string) (*auth.Claims, error)
	Renew(ctx context.Context, c *auth.Claims) (auth.Session, error)
	Logout(ctx context.Context, c *auth.Claims) error
}

// LogOptions select an order's logs.
type LogOptions struct {
	// Pod names the pod; empty when the order has exactly one.
	Pod string
	// Container names the container; empty when the pod has one.
	Container string
	// Follow streams new lines until the client goes away.
	Follow bool
	// TailLines is how many past lines to start with; 0 means all (up to
	// the deployer's limit).
	TailLines int64
}

// Deployer deploys and inspects an order's manifest (*deploy.Deployer
// through the gateway's adapter). The deployments and events returned are
// sent as JSON as they are.
type Deployer interface {
	Deploy(ctx context.Context, o market.Order, manifestURL string) (*deploy.Deployment, error)
	Status(ctx context.Context, o market.Order) (*deploy.Deployment, error)
	// Events are the order's Kubernetes events, oldest first.
	Events(ctx context.Context, o market.Order) ([]deploy.Event, error)
	// Logs writes the log to w, flushing it as it goes; an error before
	// the first write is sent to the client as the API's JSON error.
	Logs(ctx context.Context, o market.Order, opts LogOptions, w io.Writer) error
	Delete(ctx context.Context, o market.Order) error
}

// App serves an order's app: r's URL.Path is the path within the app
// ("/…"), prefix the public path of the app's root (for
// X-Forwarded-Prefix). The request has been authenticated for o and its
// session credentials removed.
type App interface {
	ServeApp(w http.ResponseWriter, r *http.Request, o market.Order, prefix string)
}

// Options configure the API.
type Options struct {
	// TrustedProxies are the peers whose X-Forwarded-* headers are used.
	TrustedProxies []netip.Prefix
	// MaxBody bounds JSON request bodies; 0 means 64 KiB.
	MaxBody int64
	// AppMaxBody bounds request bodies sent to apps; 0 means 100 MiB,
	// negative means no limit.
	AppMaxBody int64
	// SameSite is the session cookie's SameSite; 0 means Lax.
	SameSite http.SameSite
	// DeployErrors maps the deployer's errors to API errors (nil for
	// errors it does not know).
	DeployErrors func(error) *Error
	// LogsTimeout bounds a logs request that does not follow; 0 means
	// 30 s.
	LogsTimeout time.Duration
}

// Server is the gateway's buyer API.
type Server struct {
	opts     Options
	log      *zap.Logger
	orders   Orders
	auth     Auth
	deployer Deployer
	app      App
	m        *metrics
	mux      *http.ServeMux
}

// New builds the API. deployer and app may be nil: their routes then
// answer 503 (deploy_unavailable) and 502 (app_unavailable).
func New(opts Options, o Orders, a Auth, d Deployer, app App, reg prometheus.Registerer, log *zap.Logger) *Server {
	if opts.MaxBody <= 0 {
		opts.MaxBody = 64 << 10
	}
	if opts.AppMaxBody == 0 {
		opts.AppMaxBody = 100 << 20
	}
	if opts.SameSite == 0 {
		opts.SameSite = http.SameSiteLaxMode
	}
	if opts.LogsTimeout <= 0 {
		opts.LogsTimeout = 30 * time.Second
	}
	if log == nil {
		log = zap.NewNop()
	}
	s := &Server{opts: opts, log: log.Named("api"), orders: o, auth: a, deployer: d, app: app, m: newMetrics(reg), mux: http.NewServeMux()}
	for _, r := range s.routes() {
		s.mux.Handle(r.pattern, s.wrap(r.kind, r.h))
	}
	return s
}

// route kinds: what a handler needs before it runs.
type kind int

const (
	public      kind = iota // nothing (the handler checks what it needs)
	withSession             // a valid session (any order)
	forOrder                // a valid session for the path's order, and the order usable
	forOrderNow             // forOrder, with the order read from the chain now (not the cache)
)

type route struct {
	pattern string
	kind    kind
	h       handler
}

// handler returns the value to send as JSON with 200, or an error; it
// returns errWritten when it wrote the response itself.
type handler func(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error)

var errWritten = errors.New("response written")

func (s *Server) routes() []route {
	return []route{
		{"POST /v1/orders/{order}/challenge", public, s.challenge},
		{"POST /v1/orders/{order}/login", public, s.login},
		{"GET /v1/session", withSession, s.session},
		{"POST /v1/session/renew", withSession, s.renew},
		{"POST /v1/session/logout", withSession, s.logout},
		{"POST /v1/session/cookie", public, s.cookie},
		{"GET /v1/orders/{order}", forOrder, s.order},
		{"PUT /v1/orders/{order}/deployment", forOrderNow, s.deploy},
		{"GET /v1/orders/{order}/deployment", forOrder, s.status},
		{"DELETE /v1/orders/{order}/deployment", forOrder, s.deleteDeployment},
		{"GET /v1/orders/{order}/deployment/events", forOrder, s.events},
		{"GET /v1/orders/{order}/deployment/logs", forOrder, s.logs},
	}
}

// APIHandler serves /v1/.
func (s *Server) APIHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := s.mux.Handler(r); pattern == "" {
			rc := s.newReqCtx(w, r)
			code := http.StatusNotFound
			msg := "no such route; see docs/gateway-api.yaml"
			if s.pathKnown(r) {
				code, msg = http.StatusMethodNotAllowed, "method not allowed on this route"
			}
			s.writeError(w, r, rc, Errorf(code, "not_found", "%s", msg))
			return
		}
		s.mux.ServeHTTP(w, r) // sets the path values
	})
}

// pathKnown reports whether another method would match r's path.
func (s *Server) pathKnown(r *http.Request) bool {
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, p := s.mux.Handler(r2); p != "" {
			return true
		}
	}
	return false
}

// reqCtx is what the wrapper established for a handler.
type reqCtx struct {
	id      string
	fwd     forwarded
	orderID *big.Int
	order   market.Order
	claims  *auth.Claims
	// bearer: the session came in the Authorization header (else a cookie).
	bearer bool
}

// validRequestID accepts 1 to 64 of [A-Za-z0-9._-] (via's request ids).
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// HeaderRequestID carries the request id.
const HeaderRequestID = "X-Request-Id"

func (s *Server) newReqCtx(w http.ResponseWriter, r *http.Request) *reqCtx {
	id := r.Header.Get(HeaderRequestID)
	if !validRequestID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	w.Header().Set(HeaderRequestID, id)
	return &reqCtx{id: id, fwd: s.forwardedInfo(r)}
}

func (s *Server) wrap(k kind, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := s.newReqCtx(w, r)
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		if err := s.prepare(r, rc, k); err != nil {
			s.writeError(w, r, rc, err)
			return
		}
		v, err := h(w, r, rc)
		switch {
		case errors.Is(err, errWritten):
		case err != nil:
			s.writeError(w, r, rc, err)
		default:
			service.WriteJSON(w, http.StatusOK, v)
		}
	})
}

// prepare authenticates the request and checks its order as k requires.
func (s *Server) prepare(r *http.Request, rc *reqCtx, k kind) error {
	if r.PathValue("order") != "" {
		id, err := orders.ParseID(r.PathValue("order"))
		if err != nil {
			return badRequest("%v", err)
		}
		rc.orderID = id
	}
	if k == withSession || k == forOrder || k == forOrderNow {
		if err := s.authenticate(r, rc); err != nil {
			return err
		}
	}
	switch k {
	case forOrder:
		o, err := s.orders.Check(r.Context(), rc.orderID)
		if err != nil {
			return err
		}
		rc.order = o
	case forOrderNow:
		o, err := s.orders.CheckFresh(r.Context(), rc.orderID)
		if err != nil {
			return err
		}
		rc.order = o
	}
	return nil
}

// writeError writes err as the API's JSON error and logs it with the
// request id: expected refusals at debug, server errors at error level.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) {
	e, known := asError(err, s.opts.DeployErrors)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		e, known = Errorf(http.StatusRequestEntityTooLarge, "too_large", "request body over %d bytes", tooBig.Limit), true
	}
	log := s.log.With(zap.String("request_id", rc.id), zap.String("method", r.Method),
		zap.String("path", r.URL.Path), zap.Int("status", e.Status), zap.String("code", e.Code))
	switch {
	case !known || e.Status >= 500 && e.Status != http.StatusServiceUnavailable && e.Status != http.StatusBadGateway:
		log.Error("request failed", zap.Error(err))
	case errors.Is(err, orders.ErrWrongPayee):
		// A buyer sent here for another organization's order, or this
		// gateway's --owner is not its provider's owner.
		log.Info("request refused: the order pays another organization", zap.Error(err))
	default:
		log.Debug("request refused", zap.Error(err))
	}
	if orders.IsRefusal(err) {
		route := "api"
		if strings.HasPrefix(r.URL.Path, AppPrefix) {
			route = "app"
		}
		s.m.orderRefusals.WithLabelValues(route, reason(err)).Inc()
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gridnode-gateway"`)
	}
	service.WriteError(w, e.Status, e.Code, e.Message, rc.id)
}

// decodeJSON reads a JSON body into v, refusing unknown fields and
// trailing data.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return Errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %q: want application/json", ct)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return badRequest("request body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("request body: trailing data after the JSON value")
	}
	return nil
}

// appURL is the public URL path of an order's app.
func appURL(rc *reqCtx, id *big.Int) string {
	return rc.fwd.prefix + "/app/" + id.String() + "/"
}

// absURL makes a path absolute with the public scheme and host, for
// clients that follow links.
func absURL(rc *reqCtx, path string) string {
	scheme := "http"
	if rc.fwd.https {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: rc.fwd.host, Path: path}).String()
}
