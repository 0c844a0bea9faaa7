package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gridnode/gridnode/gateway/internal/orders"
)

// AppPrefix is the path under which orders' apps are served:
// /app/{order}/….
const AppPrefix = "/app/"

// AppHandler serves /app/{order}/…: it authenticates the session for that
// order (cookie first, so that an app's own Authorization header passes
// through; else a bearer token), checks the order, removes the session's
// credentials and hands the request to the app proxy with the path inside
// the app. Mount it with service.Server.HandleRaw so that paths reach the
// app as sent.
func (s *Server) AppHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := s.newReqCtx(w, r)
		rest := strings.TrimPrefix(r.URL.Path, AppPrefix)
		idStr, tail, hasSlash := strings.Cut(rest, "/")
		id, err := orders.ParseID(idStr)
		if err != nil {
			s.writeError(w, r, rc, badRequest("%v", err))
			return
		}
		rc.orderID = id
		if !hasSlash {
			// /app/5 → /app/5/ so that the app's relative links resolve.
			loc := appURL(rc, id)
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, loc, http.StatusPermanentRedirect)
			return
		}
		tok, bearer, err := s.sessionToken(r, id, true)
		if err == nil {
			err = s.verify(r, rc, tok, bearer)
		}
		if err != nil {
			s.writeError(w, r, rc, err)
			return
		}
		o, err := s.orders.Check(r.Context(), id)
		if err != nil {
			s.writeError(w, r, rc, err)
			return
		}
		if s.app == nil {
			s.writeError(w, r, rc, ErrNoApp)
			return
		}
		// The inbound request is ours to change: a shallow copy with its own
		// URL (the proxy clones it again for the outbound request).
		out := new(http.Request)
		*out = *r
		u := *r.URL
		out.URL = &u
		stripSession(out, rc.bearer)
		out.URL.Path = "/" + tail
		if r.URL.RawPath != "" {
			// The prefix is ASCII digits and slashes: the same length escaped.
			out.URL.RawPath = r.URL.RawPath[min(len(r.URL.RawPath), len(AppPrefix)+len(idStr)):]
		}
		out.RequestURI = ""
		if s.opts.AppMaxBody > 0 && out.Body != nil && out.Body != http.NoBody {
			out.Body = http.MaxBytesReader(w, out.Body, s.opts.AppMaxBody)
		}
		// Streams, long polls and WebSockets last as long as the app and
		// the client want: lift the server's whole-request deadlines (the
		// upstream's idle and header timeouts still apply).
		c := http.NewResponseController(w)
		_ = c.SetReadDeadline(time.Time{})
		_ = c.SetWriteDeadline(time.Time{})
		out.Header.Set(HeaderRequestID, rc.id)
		// The app sees the buyer's side of via: X-Forwarded-* from a trusted
		// proxy are kept (the proxy appends this hop), others dropped.
		for _, h := range []string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "Forwarded"} {
			if !rc.fwd.trusted || h == "X-Forwarded-Prefix" || h == "Forwarded" {
				out.Header.Del(h)
			}
		}
		out.Header.Set("X-Forwarded-Host", rc.fwd.host)
		if rc.fwd.https {
			out.Header.Set("X-Forwarded-Proto", "https")
		} else {
			out.Header.Set("X-Forwarded-Proto", "http")
		}
		s.app.ServeApp(w, out, o, strings.TrimSuffix(appURL(rc, id), "/"))
	})
}
