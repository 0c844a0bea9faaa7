package api

import (
	"errors"
	"net/http"

	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// Error is an API error with the HTTP status and the stable code it maps
// to: carrierapi.Error, the type the API's clients get back. Handlers
// return it (or wrap it); WriteError renders it as the error envelope
// {"error": {"code", "message", "request_id"}}.
type Error = carrierapi.Error

// Errorf builds an Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return carrierapi.Errorf(status, code, format, args...)
}

// BadRequest is a 400 with code "bad_request".
func BadRequest(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, "bad_request", format, args...)
}

// NotFound is a 404 with code "not_found".
func NotFound(format string, args ...any) *Error {
	return Errorf(http.StatusNotFound, "not_found", format, args...)
}

// Unavailable is a 503 with code "unavailable": the carrier cannot serve
// this now (standby, chain unreachable…) and the caller may retry.
func Unavailable(format string, args ...any) *Error {
	return Errorf(http.StatusServiceUnavailable, "unavailable", format, args...)
}

// ErrUnauthorized is returned for a missing or wrong bearer token.
var ErrUnauthorized = &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "missing or wrong bearer token"}

// asError maps any error to an *Error; unknown errors are 500s whose
// message is not shown to the caller (it is logged with the request id).
func asError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}, false
}
