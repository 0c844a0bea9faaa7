package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
)

// Error is an API error: HTTP status, stable code and message.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// mapping is the one table from typed errors to API errors: the first
// entry that errors.Is matches wins. The code is stable (clients switch on
// it); the message is the error's own text.
var mapping = []struct {
	err    error
	status int
	code   string
}{
	{auth.ErrMalformed, http.StatusBadRequest, "malformed"},
	{auth.ErrChallengeExpired, http.StatusUnauthorized, "challenge_expired"},
	{auth.ErrReplayed, http.StatusUnauthorized, "challenge_replayed"},
	{auth.ErrWrongSigner, http.StatusUnauthorized, "wrong_signer"},
	{auth.ErrOtherOrder, http.StatusUnauthorized, "challenge_other_order"},
	{auth.ErrTooManyChallenges, http.StatusTooManyRequests, "too_many_challenges"},
	{auth.ErrStateUnavailable, http.StatusServiceUnavailable, "state_unavailable"},
	{auth.ErrNoSession, http.StatusUnauthorized, "session_required"},
	{auth.ErrSessionInvalid, http.StatusUnauthorized, "session_invalid"},
	{auth.ErrSessionExpired, http.StatusUnauthorized, "session_expired"},
	{auth.ErrSessionRevoked, http.StatusUnauthorized, "session_revoked"},
	{auth.ErrSessionOtherOrder, http.StatusForbidden, "session_other_order"},
	{auth.ErrSessionTooOld, http.StatusUnauthorized, "session_too_old"},
	{orders.ErrNotFound, http.StatusNotFound, "order_not_found"},
	{orders.ErrNotStarted, http.StatusForbidden, "order_not_started"},
	{orders.ErrEnded, http.StatusForbidden, "order_ended"},
	{orders.ErrCancelled, http.StatusForbidden, "order_cancelled"},
	{orders.ErrClosed, http.StatusForbidden, "order_closed"},
	{orders.ErrWrongProvider, http.StatusForbidden, "order_wrong_provider"},
	{orders.ErrWrongPayee, http.StatusForbidden, "order_wrong_payee"},
	{orders.ErrChainUnavailable, http.StatusServiceUnavailable, "chain_unavailable"},
	{ErrNoDeployer, http.StatusServiceUnavailable, "deploy_unavailable"},
	{ErrNoApp, http.StatusBadGateway, "app_unavailable"},
}

// Errors of the API itself.
var (
	// ErrNoDeployer: the gateway runs without a cluster (no kubeconfig).
	ErrNoDeployer = errors.New("this gateway has no cluster to deploy to")
	// ErrNoApp: the order has no reachable app (not deployed, no
	// entrypoint yet, or it does not answer).
	ErrNoApp = errors.New("the order's app is not reachable")
)

// asError maps err to an API error; unknown errors are 500s whose message
// is not shown (it is logged with the request id). known is false for
// those. deploy maps the deployer's errors (Options.DeployErrors).
func asError(err error, deploy func(error) *Error) (e *Error, known bool) {
	if errors.As(err, &e) {
		return e, true
	}
	for _, m := range mapping {
		if errors.Is(err, m.err) {
			return &Error{Status: m.status, Code: m.code, Message: err.Error()}, true
		}
	}
	if deploy != nil {
		if e := deploy(err); e != nil {
			return e, true
		}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}, false
}

func badRequest(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, "bad_request", format, args...)
}
