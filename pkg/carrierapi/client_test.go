package carrierapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gridnode/gridnode/pkg/service"
)

// TestClient talks to a stand-in of the carrier's routes: the client's
// side of the wire (the carrier's own server is tested with it in
// carrier/internal/api).
func TestClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			service.WriteError(w, http.StatusUnauthorized, "unauthorized", "missing or wrong bearer token", r.Header.Get(HeaderRequestID))
			return
		}
		switch r.URL.Path {
		case "/v1/status":
			service.WriteJSON(w, http.StatusOK, Status{Org: "org-a", State: "active", Instance: "c1"})
		case "/v1/listings":
			service.WriteError(w, http.StatusServiceUnavailable, "unavailable", "standby", "")
		case "/v1/echo":
			service.WriteJSON(w, http.StatusOK, map[string]string{"id": r.Header.Get(HeaderRequestID)})
		default:
			http.Error(w, "no", http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	c := &Client{BaseURL: srv.URL + "/", Token: "tok"}

	s, err := c.Status(ctx)
	if err != nil || s.Org != "org-a" || s.State != "active" {
		t.Fatalf("Status = %+v, %v", s, err)
	}
	for _, tc := range []struct {
		name   string
		client *Client
		call   func(*Client) error
		status int
		code   string
	}{
		{"wrong token", &Client{BaseURL: srv.URL, Token: "x"}, func(c *Client) error { _, err := c.Status(ctx); return err }, 401, "unauthorized"},
		{"standby", c, func(c *Client) error { _, err := c.PublishListing(ctx, PublishRequest{Record: "0x00"}); return err }, 503, "unavailable"},
		{"not an envelope", c, func(c *Client) error { return c.Do(ctx, "GET", "nowhere", nil, nil) }, 404, "http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e *Error
			if err := tc.call(tc.client); !errors.As(err, &e) || e.Status != tc.status || e.Code != tc.code {
				t.Fatalf("error = %#v, want %d %s", err, tc.status, tc.code)
			}
		})
	}

	resp, err := c.Raw(ctx, "GET", "echo", url.Values{"limit": {"1"}}, nil, "trace-7")
	if err != nil || resp.Status != 200 || string(resp.Body) != "{\n  \"id\": \"trace-7\"\n}\n" || resp.Err() != nil {
		t.Fatalf("Raw = %d %q, %v", resp.Status, resp.Body, err)
	}
}
