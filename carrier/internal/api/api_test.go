package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

const token = "0123456789abcdef0123456789abcdef"

type echo struct {
	Name string `json:"name"`
}

func newServer(t *testing.T) (*httptest.Server, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	s := api.NewServer(token, zap.New(core))
	mux := http.NewServeMux()
	mux.Handle("POST /v1/echo", s.Wrap(func(r *http.Request) (any, error) {
		var in echo
		if err := api.DecodeJSON(r, &in); err != nil {
			return nil, err
		}
		if in.Name == "" {
			return nil, api.BadRequest("name: required")
		}
		return in, nil
	}))
	mux.Handle("GET /v1/standby", s.Wrap(func(*http.Request) (any, error) {
		return nil, api.Unavailable("standby: another carrier is active")
	}))
	mux.Handle("GET /v1/boom", s.Wrap(func(*http.Request) (any, error) {
		return nil, errors.New("bbolt: disk full at /secret/path")
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, logs
}

func TestServerAndClient(t *testing.T) {
	srv, logs := newServer(t)
	ctx := context.Background()
	good := &carrierapi.Client{BaseURL: srv.URL, Token: token}

	var out echo
	if err := good.Do(ctx, "POST", "echo", echo{Name: "org-a"}, &out); err != nil || out.Name != "org-a" {
		t.Fatalf("echo = %+v, %v", out, err)
	}

	cases := []struct {
		name   string
		client *carrierapi.Client
		method string
		path   string
		body   any
		status int
		code   string
		msg    string
	}{
		{"no token", &carrierapi.Client{BaseURL: srv.URL}, "POST", "echo", echo{Name: "x"}, 401, "unauthorized", "bearer token"},
		{"wrong token", &carrierapi.Client{BaseURL: srv.URL, Token: strings.Repeat("x", 32)}, "POST", "echo", echo{Name: "x"}, 401, "unauthorized", "bearer token"},
		{"unknown field", good, "POST", "echo", map[string]string{"nmae": "x"}, 400, "bad_request", `unknown field "nmae"`},
		{"handler refusal", good, "POST", "echo", echo{}, 400, "bad_request", "name: required"},
		{"too large", good, "POST", "echo", echo{Name: strings.Repeat("a", api.MaxBody)}, 413, "too_large", "request body over"},
		{"standby", good, "GET", "standby", nil, 503, "unavailable", "standby"},
		{"internal error hides its message", good, "GET", "boom", nil, 500, "internal", "internal error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.client.Do(ctx, tc.method, tc.path, tc.body, nil)
			var e *carrierapi.Error
			if !errors.As(err, &e) || e.Status != tc.status || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("error = %#v, want %d %s containing %q", err, tc.status, tc.code, tc.msg)
			}
		})
	}

	// The internal error is logged with its request id, at error level;
	// the expected refusals only at debug; the token never.
	var sawInternal bool
	for _, e := range logs.All() {
		if strings.Contains(fmt.Sprint(e.ContextMap()["error"]), "disk full") {
			sawInternal = e.Level == zap.ErrorLevel && e.ContextMap()["request_id"] != ""
		} else if e.Level > zap.DebugLevel {
			t.Errorf("expected refusal logged at %s: %s %v", e.Level, e.Message, e.ContextMap())
		}
		for _, v := range e.ContextMap() {
			if s, ok := v.(string); ok && strings.Contains(s, token) {
				t.Errorf("the token appears in a log line: %v", e.ContextMap())
			}
		}
	}
	if !sawInternal {
		t.Error("the internal error was not logged at error level with a request id")
	}
}

func TestRequestIDEchoed(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/v1/standby", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(carrierapi.HeaderRequestID, "trace-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get(carrierapi.HeaderRequestID); got != "trace-42" {
		t.Errorf("request id = %q, want the caller's trace-42", got)
	}
}
