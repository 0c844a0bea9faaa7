package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
)

// APIError is a non-2xx answer of the gateway's JSON API.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// Client calls the gateway's JSON API; the carrier's is called with
// carrierapi.Client (CarrierClient).
type Client struct {
	Base   string // e.g. http://127.0.0.1:7401/gw/<provider>/v1
	Token  string // bearer token, if any
	Header http.Header
	HTTP   *http.Client
}

// CarrierClient is a client of an org's carrier API.
func CarrierClient(o *Org) (*carrierapi.Client, error) {
	tok, err := secret.ReadToken("API token", o.TokenFile)
	if err != nil {
		return nil, err
	}
	return &carrierapi.Client{BaseURL: o.Carrier.URL(), Token: tok, HTTP: &http.Client{Timeout: 2 * time.Minute}}, nil
}

// Do sends body as JSON (if not nil) and decodes a 2xx answer into out;
// another answer is an *APIError from the error envelope.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		ae := &APIError{Status: resp.StatusCode, Message: strings.TrimSpace(string(data))}
		if e, ok := service.DecodeError(data); ok {
			ae.Code = e.Code
			if e.Message != "" {
				ae.Message = e.Message
			}
		}
		return fmt.Errorf("%s %s: %w", method, path, ae)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decoding %.200s: %w", method, path, data, err)
		}
	}
	return nil
}
