package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"strings"
	"time"
)

// APIError is a non-2xx answer of a gridnode JSON API.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// Client calls a gridnode JSON API (the carrier's, the gateway's).
type Client struct {
	Base   string // e.g. http://127.0.0.1:7401/v1
	Token  string // bearer token, if any
	Header http.Header
	HTTP   *http.Client
}

// CarrierClient is a client of an org's carrier API.
func CarrierClient(o *Org) (*Client, error) {
	b, err := os.ReadFile(o.TokenFile)
	if err != nil {
		return nil, err
	}
	return &Client{Base: o.Carrier.URL() + "/v1", Token: strings.TrimSpace(string(b)),
		HTTP: &http.Client{Timeout: 2 * time.Minute}}, nil
}

// Do sends body as JSON (if not nil) and decodes a 2xx answer into out.
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
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		if e.Error.Message == "" {
			e.Error.Message = strings.TrimSpace(string(data))
		}
		return fmt.Errorf("%s %s: %w", method, path, &APIError{resp.StatusCode, e.Error.Code, e.Error.Message})
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decoding %.200s: %w", method, path, data, err)
		}
	}
	return nil
}

// Amount is a decimal base-unit amount as the APIs write it.
type Amount string

// Int parses the amount; a malformed one is an error.
func (a Amount) Int() (*big.Int, error) {
	v, ok := new(big.Int).SetString(string(a), 10)
	if !ok {
		return nil, fmt.Errorf("amount %q is not a decimal integer", string(a))
	}
	return v, nil
}
