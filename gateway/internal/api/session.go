package api

import (
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
)

// CookiePrefix starts the name of every session cookie; the order id
// follows, so that a browser can hold sessions for several orders at once.
const CookiePrefix = "gridnode_session_"

// CookieName is the session cookie of order id.
func CookieName(id *big.Int) string { return CookiePrefix + id.String() }

// authenticate finds the request's session, verifies it, checks that it is
// for the path's order (if any) and, for a cookie on a state-changing
// request, that the request comes from the gateway's own origin.
func (s *Server) authenticate(r *http.Request, rc *reqCtx) error {
	tok, bearer, err := s.sessionToken(r, rc.orderID, false)
	if err != nil {
		return err
	}
	return s.verify(r, rc, tok, bearer)
}

func (s *Server) verify(r *http.Request, rc *reqCtx, tok string, bearer bool) error {
	c, err := s.auth.Verify(tok)
	if err != nil {
		s.m.sessionChecks.WithLabelValues(reason(err)).Inc()
		return err
	}
	if rc.orderID != nil && c.Order != rc.orderID.String() {
		s.m.sessionChecks.WithLabelValues("other_order").Inc()
		return fmt.Errorf("%w (the session is for order %s)", auth.ErrSessionOtherOrder, c.Order)
	}
	if !bearer && !safeMethod(r.Method) && !sameOrigin(r, rc) {
		s.m.sessionChecks.WithLabelValues("cross_origin").Inc()
		return Errorf(http.StatusForbidden, "cross_origin", "a cookie session cannot be used from another origin (%q)", r.Header.Get("Origin"))
	}
	s.m.sessionOK.Inc()
	rc.claims, rc.bearer = c, bearer
	if rc.orderID == nil {
		rc.orderID = c.OrderID()
	}
	return nil
}

// sessionToken returns the session token of the request: from
// "Authorization: Bearer" or from the order's cookie; cookieFirst (the
// app path) prefers the cookie so that an app's own Authorization header
// passes through. Without an order (the /v1/session routes) the cookie is
// the one named by ?order=, or the only session cookie.
func (s *Server) sessionToken(r *http.Request, order *big.Int, cookieFirst bool) (tok string, bearer bool, err error) {
	fromHeader := func() (string, bool, error) {
		h := r.Header.Get("Authorization")
		if h == "" {
			return "", false, nil
		}
		t, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			if cookieFirst {
				return "", false, nil // the app's own scheme
			}
			return "", false, fmt.Errorf("%w: Authorization header: want Bearer <session token>", auth.ErrSessionInvalid)
		}
		return strings.TrimSpace(t), true, nil
	}
	fromCookie := func() (string, error) {
		if order == nil {
			if q := r.URL.Query().Get("order"); q != "" {
				id, err := orders.ParseID(q)
				if err != nil {
					return "", badRequest("order: %v", err)
				}
				order = id
			}
		}
		if order != nil {
			c, err := r.Cookie(CookieName(order))
			if err != nil {
				return "", nil
			}
			return c.Value, nil
		}
		var found []*http.Cookie
		for _, c := range r.Cookies() {
			if strings.HasPrefix(c.Name, CookiePrefix) {
				found = append(found, c)
			}
		}
		switch len(found) {
		case 0:
			return "", nil
		case 1:
			return found[0].Value, nil
		}
		return "", badRequest("%d session cookies: name the order with ?order=", len(found))
	}
	if cookieFirst {
		if c, err := fromCookie(); err != nil || c != "" {
			return c, false, err
		}
		if t, ok, err := fromHeader(); err != nil || ok {
			return t, ok, err
		}
		return "", false, auth.ErrNoSession
	}
	if t, ok, err := fromHeader(); err != nil || ok {
		return t, ok, err
	}
	c, err := fromCookie()
	if err != nil {
		return "", false, err
	}
	if c == "" {
		return "", false, auth.ErrNoSession
	}
	return c, false, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin: no Origin header (not a browser's cross-site request), or
// one whose host is the gateway's public host.
func sameOrigin(r *http.Request, rc *reqCtx) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, rc.fwd.host)
}

// setCookie sets the session cookie for a browser: HttpOnly, Secure when
// the buyer's connection is HTTPS, SameSite, scoped to the gateway's public
// path prefix.
func (s *Server) setCookie(w http.ResponseWriter, rc *reqCtx, sess auth.Session) {
	http.SetCookie(w, &http.Cookie{
		Name:     CookieName(sess.Claims.OrderID()),
		Value:    sess.Token,
		Path:     rc.fwd.prefix + "/",
		Expires:  sess.Expires,
		MaxAge:   max(1, int(time.Until(sess.Expires).Seconds())),
		Secure:   rc.fwd.https,
		HttpOnly: true,
		SameSite: s.opts.SameSite,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, rc *reqCtx, id *big.Int) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName(id), Value: "", Path: rc.fwd.prefix + "/", MaxAge: -1,
		Secure: rc.fwd.https, HttpOnly: true, SameSite: s.opts.SameSite,
	})
}

// stripSession removes the gateway's session credentials from a request
// that goes on to an app: every session cookie, and the Authorization
// header if the session came in it.
func stripSession(r *http.Request, bearer bool) {
	if bearer {
		r.Header.Del("Authorization")
	}
	// Filter the raw header (parsing drops cookies net/http finds
	// invalid, which are the app's business).
	var keep []string
	for _, line := range r.Header.Values("Cookie") {
		for _, pair := range strings.Split(line, ";") {
			name, _, _ := strings.Cut(strings.TrimSpace(pair), "=")
			if strings.TrimSpace(pair) != "" && !strings.HasPrefix(name, CookiePrefix) {
				keep = append(keep, strings.TrimSpace(pair))
			}
		}
	}
	r.Header.Del("Cookie")
	if len(keep) > 0 {
		r.Header.Set("Cookie", strings.Join(keep, "; "))
	}
}
