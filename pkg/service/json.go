package service

import (
	"encoding/json"
	"net/http"
)

// ErrorBody is the JSON error envelope of every gridnode HTTP API:
//
//	{"error": {"code": "…", "message": "…", "request_id": "…"}}
//
// Code is stable (clients branch on it), Message is for people, and
// RequestID is the id the daemon also logs the request under (omitted when
// the request has none). Daemons write it with WriteError; clients decode
// it with DecodeError.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the content of ErrorBody.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// WriteJSON writes v as indented JSON with the status code, as an
// uncacheable application/json response. A json.RawMessage is written as
// it is: an answer passed on from another daemon.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if raw, ok := v.(json.RawMessage); ok {
		_, _ = w.Write(raw)
		return
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// WriteError writes the error envelope with the status code; requestID may
// be empty. Callers log the error themselves, under the same request id.
func WriteError(w http.ResponseWriter, status int, code, message, requestID string) {
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: code, Message: message, RequestID: requestID}})
}

// DecodeError reads an error envelope from a response body. It reports
// false when body is not one (no JSON, or no code), for the caller to fall
// back on the HTTP status.
func DecodeError(body []byte) (ErrorDetail, bool) {
	var b ErrorBody
	if json.Unmarshal(body, &b) != nil || b.Error.Code == "" {
		return ErrorDetail{}, false
	}
	return b.Error, true
}
