package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/service"
)

// MaxBody bounds request bodies unless a handler asks for less.
const MaxBody = 1 << 20

type requestIDKey struct{}

// RequestID returns the request's id.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Handler is an API handler: it returns the value to send as JSON with 200,
// or an error that WriteError maps.
type Handler func(r *http.Request) (any, error)

// Server wraps handlers with the API's conventions.
type Server struct {
	log   *zap.Logger
	token []byte
}

// NewServer returns the API conventions with the bearer token every
// request must carry. An empty token refuses every request.
func NewServer(token string, log *zap.Logger) *Server {
	return &Server{log: log, token: []byte(token)}
}

// Wrap authenticates, assigns a request id, runs h and writes its result.
func (s *Server) Wrap(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(carrierapi.HeaderRequestID)
		if id == "" || len(id) > 64 {
			id = newID()
		}
		w.Header().Set(carrierapi.HeaderRequestID, id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		if !s.authorized(r) {
			s.WriteError(w, r, ErrUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		v, err := h(r)
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		service.WriteJSON(w, http.StatusOK, v)
	})
}

func (s *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && len(s.token) > 0 && subtle.ConstantTimeCompare([]byte(got), s.token) == 1
}

// WriteError writes err as the API's JSON error (service.ErrorBody) and
// logs it with the request id: refusals the API expects (client errors,
// and 503 while the carrier is standby or a dependency is not there yet)
// at debug, other server errors at error level.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e, known := asError(err)
	id := RequestID(r.Context())
	log := s.log.With(zap.String("request_id", id), zap.String("method", r.Method),
		zap.String("path", r.URL.Path), zap.Int("status", e.Status))
	if !known || e.Status >= 500 && e.Status != http.StatusServiceUnavailable {
		log.Error("api request failed", zap.Error(err))
	} else {
		log.Debug("api request refused", zap.Error(err))
	}
	service.WriteError(w, e.Status, e.Code, e.Message, id)
}

// DecodeJSON reads a JSON request body into v, refusing unknown fields,
// trailing data and bodies over MaxBody, with a 400 that says what is wrong.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return carrierapi.Errorf(http.StatusRequestEntityTooLarge, "too_large", "request body over %d bytes", tooBig.Limit)
		}
		return BadRequest("request body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return BadRequest("request body: trailing data after the JSON value")
	}
	return nil
}

func newID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("%x", b)
	}
	return hex.EncodeToString(b)
}
