package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/service"
)

// Header and cookie names.
const (
	HeaderRequestID = "X-Request-Id"
	// HeaderCSRF carries the session's CSRF token on every mutating
	// request (on login, any non-empty value: a header a cross-site form
	// cannot send).
	HeaderCSRF = "X-CSRF-Token"
	// CookieSession holds the session token (HttpOnly, SameSite=Strict,
	// Secure).
	CookieSession = "gridnode_admin_session"
	// MaxBody bounds request bodies of the admin API.
	MaxBody = 64 << 10
)

// apiError is an API error: HTTP status, stable code, message.
type apiError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration
}

func (e *apiError) Error() string { return e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "bad_request", format, args...)
}

var (
	errUnauthorized   = errorf(http.StatusUnauthorized, "unauthorized", "sign in first: no valid session")
	errForbidden      = errorf(http.StatusForbidden, "forbidden", "your role may not do this: admin only")
	errMustChange     = errorf(http.StatusForbidden, "password_change_required", "change your password first")
	errCSRF           = errorf(http.StatusForbidden, "csrf", "missing or wrong CSRF token")
	errOrigin         = errorf(http.StatusForbidden, "csrf", "cross-origin request refused")
	errNotJSON        = errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "request bodies must be application/json")
	errNotForm        = errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "this route takes a form: application/x-www-form-urlencoded")
	errGatewayMissing = errorf(http.StatusServiceUnavailable, "gateway_unavailable", "gateway not available")
)

// asAPIError maps every error the handlers return, in one place. Unknown
// errors are 500s whose text is only in the log.
func asAPIError(err error) (*apiError, bool) {
	var e *apiError
	var locked *auth.LockedError
	var remote *upstream.RemoteError
	switch {
	case errors.As(err, &e):
		return e, true
	case errors.As(err, &locked):
		return &apiError{Status: http.StatusTooManyRequests, Code: "locked", Message: locked.Error(),
			RetryAfter: time.Until(locked.Until)}, true
	case errors.Is(err, auth.ErrBadCredentials):
		return errorf(http.StatusUnauthorized, "bad_credentials", "%v", err), true
	case errors.Is(err, auth.ErrNoSession):
		return errUnauthorized, true
	case errors.Is(err, auth.ErrNotFound):
		return errorf(http.StatusNotFound, "not_found", "%v", err), true
	case errors.Is(err, auth.ErrExists), errors.Is(err, auth.ErrLastAdmin), errors.Is(err, auth.ErrConflict):
		return errorf(http.StatusConflict, "conflict", "%v", err), true
	case errors.Is(err, auth.ErrBadInput), errors.Is(err, auth.ErrWeakPassword):
		return badRequest("%v", err), true
	case errors.Is(err, auth.ErrBusy):
		return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: err.Error(), RetryAfter: 30 * time.Second}, true
	case errors.Is(err, upstream.ErrNoToken):
		return errorf(http.StatusServiceUnavailable, "carrier_not_configured", "%v", err), true
	case errors.Is(err, upstream.ErrNoCarrier):
		return errorf(http.StatusServiceUnavailable, "carrier_unavailable", "%v", err), true
	case errors.As(err, &remote):
		return remoteAPIError(remote), true
	case errors.Is(err, context.DeadlineExceeded):
		return errorf(http.StatusGatewayTimeout, "timeout", "the operation took too long; it may still complete: look again shortly"), true
	}
	return errorf(http.StatusInternalServerError, "internal", "internal error (see the admin log under the request id)"), false
}

// writeError writes err as the API's JSON error and logs it: expected
// refusals at debug, server errors at error level.
func (c *Console) writeError(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) *apiError {
	e, known := asAPIError(err)
	log := c.log.With(zap.String("request_id", rc.id), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Int("status", e.Status))
	if !known || e.Status >= 500 && e.Status != http.StatusServiceUnavailable {
		log.Error("api request failed", zap.Error(err))
	} else {
		log.Debug("api request refused", zap.Error(err))
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter/time.Second)+1))
	}
	service.WriteError(w, e.Status, e.Code, e.Message, rc.id)
	return e
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(http.StatusRequestEntityTooLarge, "too_large", "request body over %d bytes", tooBig.Limit)
		}
		return badRequest("request body: %v", err)
	}
	if dec.More() {
		return badRequest("request body: trailing data after the JSON value")
	}
	return nil
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// proxyInfo is what a trusted proxy (via) says about the original request.
type proxyInfo struct {
	trusted bool
	ip      string
	host    string
	proto   string
	prefix  string
}

var prefixRE = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)

// peer reads the client's address, and the X-Forwarded-* headers only
// when the direct peer is a trusted proxy.
func (c *Console) peer(r *http.Request) proxyInfo {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	p := proxyInfo{ip: host, host: r.Host, proto: "http"}
	if r.TLS != nil {
		p.proto = "https"
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return p
	}
	for _, pre := range c.opts.TrustedProxies {
		if pre.Contains(addr.Unmap()) {
			p.trusted = true
		}
	}
	if !p.trusted {
		return p
	}
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		parts := strings.Split(xff, ",")
		if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
			if _, err := netip.ParseAddr(ip); err == nil {
				p.ip = ip
			}
		}
	}
	if h := r.Header.Get("X-Forwarded-Host"); h != "" && !strings.ContainsAny(h, " ,/\\\r\n") {
		p.host = h
	}
	if pr := r.Header.Get("X-Forwarded-Proto"); pr == "https" || pr == "http" {
		p.proto = pr
	}
	if pre := r.Header.Get("X-Forwarded-Prefix"); prefixRE.MatchString(pre) && len(pre) <= 200 {
		p.prefix = pre
	}
	return p
}

// sameOrigin reports whether a browser's Origin (when sent) is the
// console's own.
func sameOrigin(r *http.Request, p proxyInfo) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true // not a browser, or a same-origin GET; the CSRF token still applies
	}
	return o == p.proto+"://"+p.host
}

func (c *Console) setSessionCookie(w http.ResponseWriter, p proxyInfo, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieSession, Value: token, Path: p.prefix + "/", Expires: expires,
		MaxAge:   int(time.Until(expires) / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: !c.opts.InsecureCookies || p.proto == "https",
	})
}

func (c *Console) clearSessionCookie(w http.ResponseWriter, p proxyInfo) {
	http.SetCookie(w, &http.Cookie{Name: CookieSession, Value: "", Path: p.prefix + "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: !c.opts.InsecureCookies || p.proto == "https"})
}

// securityHeaders go on every response of the console.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}
