package api

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
)

type metrics struct {
	challenges    *prometheus.CounterVec
	logins        *prometheus.CounterVec
	sessions      *prometheus.CounterVec
	sessionChecks *prometheus.CounterVec
	// sessionOK is sessionChecks{result="ok"}, resolved once: it counts
	// every app request.
	sessionOK prometheus.Counter
	// orderRefusals counts the requests refused on the order's state, by
	// route kind and reason.
	orderRefusals *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		challenges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_challenges_total",
			Help: "Login challenges asked for, by result (ok or the refusal's reason).",
		}, []string{"result"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_logins_total",
			Help: "Signature logins, by result (ok or the refusal's reason).",
		}, []string{"result"}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_sessions_total",
			Help: "Sessions issued (login, renew) and revoked (logout).",
		}, []string{"event"}),
		sessionChecks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_session_checks_total",
			Help: "Session checks of API and app requests, by result.",
		}, []string{"result"}),
		orderRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_order_refusals_total",
			Help: "Requests refused because of their order (ended, cancelled, closed, another provider or payee…), by route (api, app) and reason.",
		}, []string{"route", "reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.challenges, m.logins, m.sessions, m.sessionChecks, m.orderRefusals)
	}
	m.sessionOK = m.sessionChecks.WithLabelValues("ok")
	return m
}

// reason is a metric label for an error: "ok", or a short reason.
func reason(err error) string {
	if err == nil {
		return "ok"
	}
	for _, r := range []struct {
		err   error
		label string
	}{
		{auth.ErrMalformed, "malformed"},
		{auth.ErrChallengeExpired, "expired"},
		{auth.ErrReplayed, "replayed"},
		{auth.ErrWrongSigner, "wrong_signer"},
		{auth.ErrOtherOrder, "other_order"},
		{auth.ErrTooManyChallenges, "rate_limited"},
		{auth.ErrStateUnavailable, "state_unavailable"},
		{auth.ErrNoSession, "no_session"},
		{auth.ErrSessionInvalid, "invalid"},
		{auth.ErrSessionExpired, "expired"},
		{auth.ErrSessionRevoked, "revoked"},
		{auth.ErrSessionOtherOrder, "other_order"},
		{orders.ErrNotFound, "order_not_found"},
		{orders.ErrNotStarted, "order_not_started"},
		{orders.ErrEnded, "order_ended"},
		{orders.ErrCancelled, "order_cancelled"},
		{orders.ErrClosed, "order_closed"},
		{orders.ErrWrongProvider, "order_wrong_provider"},
		{orders.ErrWrongPayee, "order_wrong_payee"},
		{orders.ErrChainUnavailable, "chain_unavailable"},
	} {
		if errors.Is(err, r.err) {
			return r.label
		}
	}
	return "error"
}
