package console

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/admin/internal/audit"
	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/service"
)

// Options tune the console.
type Options struct {
	// Org is the organization id.
	Org string
	// Version is shown in the console.
	Version string
	// InsecureCookies drops the Secure flag of the session cookie on plain
	// HTTP (loopback browsers accept Secure cookies on http://127.0.0.1 and
	// localhost; other plain-HTTP deployments need this).
	InsecureCookies bool
	// TrustedProxies are the peers whose X-Forwarded-* headers count.
	TrustedProxies []netip.Prefix
	// LoginBurst and LoginPerMinute bound login attempts per client
	// address on this replica.
	LoginBurst, LoginPerMinute int
}

// Deps are what the console talks to.
type Deps struct {
	Auth    *auth.Service
	Audit   *audit.Log
	Carrier *upstream.Carrier
	// Gateways calls the gateways of bought orders with sessions the
	// carrier opens; nil turns the deployment routes off.
	Gateways *upstream.Gateways
	Org      *upstream.Org
	// Assets is the built single-page app (index.html and assets/).
	Assets fs.FS
	Log    *zap.Logger
}

// Console is the admin console's HTTP handler.
type Console struct {
	opts    Options
	auth    *auth.Service
	audit   *audit.Log
	carrier *upstream.Carrier
	gw      *upstream.Gateways
	org     *upstream.Org
	log     *zap.Logger
	mux     *http.ServeMux
	limiter *limiter
	spa     *spa
}

// access is who may call a route.
type access int

const (
	public  access = iota // no session: login and its options
	session               // any session, even one that must change its password first
	viewer                // any role
	admin                 // admins only
)

// handler answers a request; the value is written as JSON (json.RawMessage as it
// is), an error through asAPIError.
type handler func(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error)

// reqCtx is one request's context: who, from where, and what the audit
// entry will say.
type reqCtx struct {
	id      string
	peer    proxyInfo
	sess    *auth.Session
	token   string
	target  string
	detail  map[string]string
	actor   string // for logins: the name tried
	noAudit bool
	// written is the status of a response the handler wrote itself
	// (returning errWritten).
	written int
}

// errWritten: the handler wrote the response itself (a stream, a page).
var errWritten = errors.New("response written")

// New builds the console.
func New(opts Options, d Deps) (*Console, error) {
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	if opts.LoginBurst <= 0 {
		opts.LoginBurst = 10
	}
	if opts.LoginPerMinute <= 0 {
		opts.LoginPerMinute = 10
	}
	s, err := newSPA(d.Assets)
	if err != nil {
		return nil, err
	}
	c := &Console{opts: opts, auth: d.Auth, audit: d.Audit, carrier: d.Carrier, gw: d.Gateways, org: d.Org, log: d.Log.Named("console"),
		mux: http.NewServeMux(), limiter: newLimiter(opts.LoginBurst, opts.LoginPerMinute), spa: s}
	s.c = c
	for _, rt := range c.routes() {
		c.mux.Handle(rt.pattern, c.wrap(rt))
	}
	c.mux.Handle("/api/", c.wrap(route{pattern: "/api/", access: public, h: func(http.ResponseWriter, *http.Request, *reqCtx) (any, error) {
		return nil, errorf(http.StatusNotFound, "not_found", "no such API route")
	}}))
	c.mux.Handle("GET /{$}", s)
	c.mux.Handle("GET /index.html", s)
	c.mux.Handle("GET /assets/", s)
	c.mux.Handle("GET /favicon.svg", s)
	return c, nil
}

// ServeHTTP serves the API and the app.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	c.mux.ServeHTTP(w, r)
}

type route struct {
	pattern string
	access  access
	h       handler
}

// formRoutes take an HTML form (application/x-www-form-urlencoded) with the
// CSRF token in its field "csrf", and answer a page; their errors are
// pages too for a browser (Accept: text/html), JSON for others. (A browser
// opens them in a new tab.)
var formRoutes = map[string]bool{"POST /api/orders/{id}/open-app": true}

func mutating(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// wrap applies, in this order: request id, origin check and body limits
// on mutations, session, forced password change, role, CSRF token; then
// runs the handler and audits every mutating request, whatever its
// result.
func (c *Console) wrap(rt route) http.Handler {
	_, tmpl, _ := strings.Cut(rt.pattern, " ")
	form := formRoutes[rt.pattern]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := &reqCtx{peer: c.peer(r)}
		for _, name := range pathParams { // the audit names the target of refused requests too
			if v := r.PathValue(name); v != "" {
				rc.target = v
			}
		}
		rc.id = r.Header.Get(HeaderRequestID)
		if !rc.peer.trusted || rc.id == "" || len(rc.id) > 64 || strings.ContainsAny(rc.id, " \r\n") {
			rc.id = newID()
		}
		w.Header().Set(HeaderRequestID, rc.id)
		action := r.Method + " " + tmpl
		if tmpl == "" {
			action = r.Method + " " + r.URL.Path
		}
		v, err := c.serve(w, r, rt, rc)
		var status int
		switch {
		case errors.Is(err, errWritten):
			status, err = rc.written, nil
		case err != nil && form && strings.Contains(r.Header.Get("Accept"), "text/html"):
			status = c.writeErrorPage(w, r, rc, err).Status
		case err != nil:
			status = c.writeError(w, r, rc, err).Status
		default:
			status = http.StatusOK
			service.WriteJSON(w, status, v)
		}
		if mutating(r.Method) && !rc.noAudit {
			c.record(r, rc, action, status, err)
		}
	})
}

func (c *Console) serve(w http.ResponseWriter, r *http.Request, rt route, rc *reqCtx) (any, error) {
	// Who it is first, so that every refusal below is audited under the
	// operator's name.
	var authErr error
	if rt.access != public {
		authErr = errUnauthorized
		if ck, err := r.Cookie(CookieSession); err == nil {
			sess, err := c.auth.Authenticate(r.Context(), ck.Value)
			switch {
			case err == nil:
				rc.sess, rc.token, authErr = &sess, ck.Value, nil
			case errors.Is(err, auth.ErrNoSession):
				c.clearSessionCookie(w, rc.peer)
			default:
				authErr = err
			}
		}
	}
	if mutating(r.Method) {
		// A form posted from a page with Referrer-Policy no-referrer (the
		// console's) carries "Origin: null": for a form route the form's
		// CSRF token below decides (and the session cookie is
		// SameSite=Strict).
		if !sameOrigin(r, rc.peer) && !(formRoutes[rt.pattern] && r.Header.Get("Origin") == "null") {
			return nil, errOrigin
		}
		if r.ContentLength != 0 {
			ct := r.Header.Get("Content-Type")
			if formRoutes[rt.pattern] {
				if ct != "application/x-www-form-urlencoded" {
					return nil, errNotForm
				}
			} else if ct != "application/json" && !strings.HasPrefix(ct, "application/json;") {
				return nil, errNotJSON
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	}
	if rt.access == public {
		if mutating(r.Method) && r.Header.Get(HeaderCSRF) == "" {
			return nil, errCSRF
		}
		return rt.h(w, r, rc)
	}
	if authErr != nil {
		return nil, authErr
	}
	sess := rc.sess
	if sess.MustChange && rt.access != session {
		return nil, errMustChange
	}
	if rt.access == admin && sess.Role != auth.RoleAdmin {
		return nil, errForbidden
	}
	if mutating(r.Method) {
		token := r.Header.Get(HeaderCSRF)
		if formRoutes[rt.pattern] && token == "" {
			if err := r.ParseForm(); err != nil {
				return nil, badRequest("reading the form: %v", err)
			}
			token = r.PostForm.Get("csrf")
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
			return nil, errCSRF
		}
	}
	return rt.h(w, r, rc)
}

// record writes the audit entry of a mutating request.
func (c *Console) record(r *http.Request, rc *reqCtx, action string, status int, err error) {
	e := audit.Entry{
		Time: time.Now().UTC(), IP: rc.peer.ip, Action: action, Target: rc.target, Detail: rc.detail,
		Status: status, RequestID: rc.id, Actor: rc.actor,
	}
	if rc.sess != nil {
		e.Actor, e.Role, e.Session = rc.sess.User, string(rc.sess.Role), rc.sess.ID()
	}
	if e.Actor == "" {
		e.Actor = "(anonymous)"
	}
	switch {
	case err == nil:
		e.Result = audit.ResultOK
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests ||
		status == http.StatusUnsupportedMediaType:
		e.Result = audit.ResultDenied
	default:
		e.Result = audit.ResultFailed
	}
	if err != nil {
		if ae, ok := asAPIError(err); ok {
			e.Message = ae.Code + ": " + ae.Message
		} else {
			e.Message = "internal error"
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if _, aerr := c.audit.Append(ctx, e); aerr != nil {
		c.log.Error("audit append failed", zap.String("request_id", rc.id), zap.Error(aerr))
	}
}

// secretKeys never go into an audit entry.
var secretKeys = map[string]bool{"password": true, "current": true, "new": true, "signature": true, "message": true}

// detailOf flattens a JSON body's fields (one level of nesting) for the
// audit entry, leaving out secrets.
func detailOf(body []byte) map[string]string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	d := map[string]string{}
	var add func(prefix string, m map[string]any, depth int)
	add = func(prefix string, m map[string]any, depth int) {
		for k, v := range m {
			if secretKeys[k] {
				continue
			}
			switch v := v.(type) {
			case map[string]any:
				if depth < 1 {
					add(prefix+k+".", v, depth+1)
				}
			case nil:
			default:
				b, _ := json.Marshal(v)
				d[prefix+k] = strings.Trim(string(b), `"`)
			}
		}
	}
	add("", m, 0)
	return d
}

// readBody reads a mutating request's JSON body (already limited) and
// records its detail for the audit.
func readBody(r *http.Request, rc *reqCtx) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "too_large", "request body over %d bytes", tooBig.Limit)
		}
		return nil, badRequest("reading the request body: %v", err)
	}
	if len(b) == 0 {
		return nil, nil
	}
	if !json.Valid(b) {
		return nil, badRequest("request body: not JSON")
	}
	rc.detail = detailOf(b)
	return b, nil
}
