package carrierapi

import (
	"fmt"
	"net/http"
)

// Error is an error of the carrier API: the HTTP status and the stable code
// of the error envelope (service.ErrorBody), and its message. The carrier's
// handlers return it (or wrap it) and the carrier writes it as the
// envelope; Client returns it for an answer that is not 200.
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

// Describe is the error with its status and code, for logs: "503 Service
// Unavailable: standby (unavailable)".
func (e *Error) Describe() string {
	return fmt.Sprintf("%d %s: %s (%s)", e.Status, http.StatusText(e.Status), e.Message, e.Code)
}
