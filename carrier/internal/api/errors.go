package api

import (
	"errors"
	"net/http"

	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// Handlers return a *carrierapi.Error (or wrap one) for an error with its
// HTTP status and stable code; WriteError renders it as the error envelope
// {"error": {"code", "message", "request_id"}}. The helpers below build
// the common ones.

// BadRequest is a 400 with code "bad_request".
func BadRequest(format string, args ...any) *carrierapi.Error {
	return carrierapi.Errorf(http.StatusBadRequest, "bad_request", format, args...)
}

// NotFound is a 404 with code "not_found".
func NotFound(format string, args ...any) *carrierapi.Error {
	return carrierapi.Errorf(http.StatusNotFound, "not_found", format, args...)
}

// Unavailable is a 503 with code "unavailable": the carrier cannot serve
// this now (standby, chain unreachable…) and the caller may retry.
func Unavailable(format string, args ...any) *carrierapi.Error {
	return carrierapi.Errorf(http.StatusServiceUnavailable, "unavailable", format, args...)
}

// ErrUnauthorized is returned for a missing or wrong bearer token.
var ErrUnauthorized = &carrierapi.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "missing or wrong bearer token"}

// asError maps any error to a *carrierapi.Error; unknown errors are 500s
// whose message is not shown to the caller (it is logged with the request
// id).
func asError(err error) (*carrierapi.Error, bool) {
	var e *carrierapi.Error
	if errors.As(err, &e) {
		return e, true
	}
	return &carrierapi.Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}, false
}
