package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/pkg/market"
)

func (s *Server) challenge(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	c, err := s.auth.Challenge(r.Context(), rc.orderID)
	s.m.challenges.WithLabelValues(reason(err)).Inc()
	if err != nil {
		return nil, err
	}
	return c.JSON(), nil
}

// SessionJSON is the answer to a login or a renewal.
type SessionJSON struct {
	// Token is the session token: "Authorization: Bearer <token>". The
	// same token is set as a cookie for browsers.
	Token     string    `json:"token"`
	TokenType string    `json:"tokenType"`
	Expires   time.Time `json:"expires"`
	OrderID   string    `json:"orderId"`
	Buyer     string    `json:"buyer"`
	// Cookie is the name of the session cookie.
	Cookie string `json:"cookie"`
	// App is the order's app URL (path under the gateway's public prefix).
	App string `json:"app"`
}

func (s *Server) sessionJSON(rc *reqCtx, sess auth.Session) SessionJSON {
	id := sess.Claims.OrderID()
	return SessionJSON{Token: sess.Token, TokenType: "Bearer", Expires: sess.Expires.UTC(), OrderID: id.String(),
		Buyer: sess.Claims.Subject, Cookie: CookieName(id), App: appURL(rc, id)}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, Errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %q: want application/json", ct)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, gatewaylogin.MaxLoginBody+1))
	if err != nil {
		s.m.logins.WithLabelValues("malformed").Inc()
		return nil, err
	}
	req, err := gatewaylogin.ParseLogin(body)
	if err != nil {
		s.m.logins.WithLabelValues("malformed").Inc()
		return nil, err
	}
	sess, err := s.auth.Login(r.Context(), rc.orderID, req)
	s.m.logins.WithLabelValues(reason(err)).Inc()
	if err != nil {
		return nil, err
	}
	s.m.sessions.WithLabelValues("login").Inc()
	s.log.Info("buyer logged in", zap.String("request_id", rc.id), zap.String("order", rc.orderID.String()), zap.String("buyer", sess.Claims.Subject))
	s.setCookie(w, rc, sess)
	return s.sessionJSON(rc, sess), nil
}

// SessionInfo is what GET /v1/session shows.
type SessionInfo struct {
	OrderID string    `json:"orderId"`
	Buyer   string    `json:"buyer"`
	Expires time.Time `json:"expires"`
	LoginAt time.Time `json:"loginAt"`
	App     string    `json:"app"`
}

func (s *Server) session(_ http.ResponseWriter, _ *http.Request, rc *reqCtx) (any, error) {
	c := rc.claims
	return SessionInfo{OrderID: c.Order, Buyer: c.Subject, Expires: c.ExpiresAt.UTC(),
		LoginAt: time.Unix(c.LoginAt, 0).UTC(), App: appURL(rc, c.OrderID())}, nil
}

func (s *Server) renew(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	sess, err := s.auth.Renew(r.Context(), rc.claims)
	if err != nil {
		return nil, err
	}
	s.m.sessions.WithLabelValues("renew").Inc()
	if !rc.bearer {
		s.setCookie(w, rc, sess)
	}
	return s.sessionJSON(rc, sess), nil
}

// LogoutJSON is the answer to a logout.
type LogoutJSON struct {
	Revoked bool   `json:"revoked"`
	OrderID string `json:"orderId"`
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if err := s.auth.Logout(r.Context(), rc.claims); err != nil {
		return nil, err
	}
	s.m.sessions.WithLabelValues("logout").Inc()
	s.clearCookie(w, rc, rc.claims.OrderID())
	return LogoutJSON{Revoked: true, OrderID: rc.claims.Order}, nil
}

// MaxNext bounds the next field of POST /v1/session/cookie.
const MaxNext = 2048

// cookie trades a session token that a browser got elsewhere (the admin
// console, through its carrier) for the order's session cookie: the token
// comes in a form body, never in a URL; it is checked as a bearer session
// is (signature, expiry, revocation, the order usable); the cookie is the
// one a login sets; and the answer is a 303 to the order's app path, or to
// a path below it (next) — nowhere else.
func (s *Server) cookie(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, Errorf(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Content-Type %q: want application/x-www-form-urlencoded (a form with token and next)", truncate(r.Header.Get("Content-Type")))
	}
	if q := r.URL.Query(); q.Has("token") {
		return nil, badRequest("the token goes in the form body, never in the URL")
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, badRequest("form: %v", err)
	}
	tok := r.PostForm.Get("token")
	if tok == "" {
		return nil, fmt.Errorf("%w: the form has no token", auth.ErrNoSession)
	}
	c, err := s.auth.Verify(tok)
	if err != nil {
		s.m.sessionChecks.WithLabelValues(reason(err)).Inc()
		return nil, err
	}
	id := c.OrderID()
	if _, err := s.orders.Check(r.Context(), id); err != nil {
		return nil, err
	}
	s.m.sessionOK.Inc()
	rc.orderID, rc.claims = id, c
	app := appURL(rc, id)
	next := r.PostForm.Get("next")
	if next == "" {
		next = app
	} else if err := checkNext(next, app); err != nil {
		return nil, err
	}
	s.setCookie(w, rc, auth.Session{Token: tok, Claims: c, Expires: c.ExpiresAt.Time})
	s.m.sessions.WithLabelValues("cookie").Inc()
	s.log.Info("session cookie set from a token", zap.String("request_id", rc.id), zap.String("order", id.String()))
	h := w.Header()
	h.Set("Location", next)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusSeeOther)
	return nil, errWritten
}

// checkNext accepts a path at or below the order's app root (app, which
// ends in "/"), without dot segments, backslashes or control characters:
// the cookie route redirects to the order's app and nowhere else.
func checkNext(next, app string) error {
	refuse := func(why string) error {
		return badRequest("next %q: %s; want the order's app path %s or a path below it", truncate(next), why, app)
	}
	if len(next) > MaxNext {
		return refuse(fmt.Sprintf("longer than %d bytes", MaxNext))
	}
	if !strings.HasPrefix(next, app) {
		return refuse("not under the order's app path")
	}
	if strings.ContainsAny(next, "\\") || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return refuse("backslash or control character")
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return refuse("not a path")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return refuse("dot segment")
		}
	}
	if !strings.HasPrefix(u.Path, app) {
		return refuse("not under the order's app path once decoded")
	}
	return nil
}

// OrderJSON is an order as GET /v1/orders/{order} shows it.
type OrderJSON struct {
	ID           string           `json:"id"`
	ChainID      string           `json:"chainId"`
	Market       string           `json:"market"`
	Buyer        string           `json:"buyer"`
	Provider     string           `json:"provider"`
	Payee        string           `json:"payee"`
	Resources    market.Resources `json:"resources"`
	Start        time.Time        `json:"start"`
	End          time.Time        `json:"end"`
	Status       string           `json:"status"`
	ManifestHash string           `json:"manifestHash"`
	App          string           `json:"app"`
}

func (s *Server) order(_ http.ResponseWriter, _ *http.Request, rc *reqCtx) (any, error) {
	o := rc.order
	return OrderJSON{ID: o.ID.String(), ChainID: o.ChainID.String(), Market: o.Market.Hex(), Buyer: o.Buyer.Hex(),
		Provider: o.Provider.Hex(), Payee: o.Payee.Hex(), Resources: o.Resources, Start: o.Start.UTC(), End: o.End.UTC(),
		Status: o.Status.String(), ManifestHash: hexutil.Encode(o.ManifestHash[:]), App: appURL(rc, o.ID)}, nil
}

// DeployRequest is the body of PUT /v1/orders/{order}/deployment.
type DeployRequest struct {
	// ManifestURL is where the gateway fetches the manifest (http or
	// https); its keccak256 must be the order's manifest hash as the chain
	// has it now (after Market.updateManifest, the new one).
	ManifestURL string `json:"manifestUrl"`
}

const maxManifestURL = 2048

func (s *Server) deploy(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if s.deployer == nil {
		return nil, ErrNoDeployer
	}
	var req DeployRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	if len(req.ManifestURL) > maxManifestURL {
		return nil, badRequest("manifestUrl: longer than %d bytes", maxManifestURL)
	}
	u, err := url.Parse(req.ManifestURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badRequest("manifestUrl %q: want an http or https URL", truncate(req.ManifestURL))
	}
	// The fetch and the apply outlive a client that hangs up: a
	// half-applied manifest helps nobody.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Minute)
	defer cancel()
	v, err := s.deployer.Deploy(ctx, rc.order, req.ManifestURL)
	if err != nil {
		return nil, err
	}
	s.log.Info("deployed", zap.String("request_id", rc.id), zap.String("order", rc.order.ID.String()))
	return v, nil
}

func (s *Server) status(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if s.deployer == nil {
		return nil, ErrNoDeployer
	}
	return s.deployer.Status(r.Context(), rc.order)
}

// DeleteJSON is the answer to DELETE /v1/orders/{order}/deployment.
type DeleteJSON struct {
	Deleted bool   `json:"deleted"`
	OrderID string `json:"orderId"`
}

func (s *Server) deleteDeployment(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if s.deployer == nil {
		return nil, ErrNoDeployer
	}
	if err := s.deployer.Delete(r.Context(), rc.order); err != nil {
		return nil, err
	}
	s.log.Info("deployment deleted", zap.String("request_id", rc.id), zap.String("order", rc.order.ID.String()))
	return DeleteJSON{Deleted: true, OrderID: rc.order.ID.String()}, nil
}

func (s *Server) events(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if s.deployer == nil {
		return nil, ErrNoDeployer
	}
	ev, err := s.deployer.Events(r.Context(), rc.order)
	if err != nil {
		return nil, err
	}
	if ev == nil {
		ev = []deploy.Event{}
	}
	return EventsJSON{Events: ev}, nil
}

// EventsJSON is the answer to GET …/deployment/events.
type EventsJSON struct {
	Events []deploy.Event `json:"events"`
}

// maxTailLines bounds ?tail=.
const maxTailLines = 10000

func (s *Server) logs(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if s.deployer == nil {
		return nil, ErrNoDeployer
	}
	q := r.URL.Query()
	opts := LogOptions{Pod: q.Get("pod"), Container: q.Get("container")}
	if len(opts.Container) > 253 || len(opts.Pod) > 253 {
		return nil, badRequest("pod and container: at most 253 bytes")
	}
	switch f := q.Get("follow"); f {
	case "", "0", "false":
	case "1", "true":
		opts.Follow = true
	default:
		return nil, badRequest("follow %q: want 1 or 0", truncate(f))
	}
	if t := q.Get("tail"); t != "" {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n < 0 || n > maxTailLines {
			return nil, badRequest("tail %q: want 0 to %d lines", truncate(t), maxTailLines)
		}
		opts.TailLines = n
	}
	ctx := r.Context()
	if !opts.Follow {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opts.LogsTimeout)
		defer cancel()
	} else {
		// A followed stream lasts as long as the client wants it.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	}
	lw := &logWriter{w: w}
	err := s.deployer.Logs(ctx, rc.order, opts, lw)
	if !lw.started {
		if err == nil {
			lw.start() // an empty log
			return nil, errWritten
		}
		return nil, err
	}
	if err != nil && ctx.Err() == nil {
		s.log.Debug("log stream ended with an error", zap.String("request_id", rc.id), zap.Error(err))
	}
	return nil, errWritten
}

// logWriter sends the response headers at the first write, so that an
// error before any log line can still be a JSON error.
type logWriter struct {
	w       http.ResponseWriter
	started bool
}

func (l *logWriter) start() {
	l.started = true
	h := l.w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	l.w.WriteHeader(http.StatusOK)
}

func (l *logWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.start()
	}
	return l.w.Write(p)
}

func (l *logWriter) Flush() {
	if !l.started {
		l.start()
	}
	_ = http.NewResponseController(l.w).Flush()
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
