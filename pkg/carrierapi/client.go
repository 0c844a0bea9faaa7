package carrierapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/service"
)

// Client calls one carrier's API.
type Client struct {
	// BaseURL is the carrier's HTTP address, e.g. http://127.0.0.1:7401;
	// the API is under BaseURL/v1/.
	BaseURL string
	// Token is the API's bearer token (the carrier's --api-token-file).
	Token string
	// HTTP defaults to a client with DefaultTimeout.
	HTTP *http.Client
}

// DefaultTimeout bounds a call of a Client without its own HTTP client:
// above the carrier's 20 s long poll of GET /v1/txs/{key}.
const DefaultTimeout = 30 * time.Second

// MaxResponse bounds the answers the client reads.
const MaxResponse = 32 << 20

// HeaderRequestID carries a request id: the carrier logs the request under
// it and puts it in its error envelope.
const HeaderRequestID = "X-Request-Id"

// Response is an answer of the carrier, as it came.
type Response struct {
	Status int
	Body   []byte
}

// Err is the answer's error: nil for a 200, else an *Error with the
// envelope's code and message (code "http" when the body is not an
// envelope).
func (r Response) Err() error {
	if r.Status == http.StatusOK {
		return nil
	}
	if e, ok := service.DecodeError(r.Body); ok {
		return &Error{Status: r.Status, Code: e.Code, Message: e.Message}
	}
	return &Error{Status: r.Status, Code: "http", Message: fmt.Sprintf("carrier answered %d %s", r.Status, http.StatusText(r.Status))}
}

// Do sends in (if not nil) as JSON to path (under /v1/) and decodes a 200
// answer into out (if not nil). Any other answer comes back as *Error with
// the carrier's status, code and message.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding request: %w", err)
		}
		body = b
	}
	resp, err := c.Raw(ctx, method, path, nil, body, "")
	if err != nil {
		return err
	}
	if err := resp.Err(); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("decoding the carrier's answer: %w", err)
	}
	return nil
}

// Raw sends a request to path (under /v1/) with the query and the JSON body
// as given (both may be nil) and returns the answer as it came, whatever
// its status; requestID, if not empty, is sent as X-Request-Id. Only a
// failed exchange, or an answer over MaxResponse, is an error.
func (c *Client) Raw(ctx context.Context, method, path string, query url.Values, body []byte, requestID string) (Response, error) {
	u := strings.TrimRight(c.BaseURL, "/") + "/v1/" + strings.TrimLeft(path, "/")
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return Response{}, fmt.Errorf("building request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if requestID != "" {
		req.Header.Set(HeaderRequestID, requestID)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("calling the carrier at %s: %w", c.BaseURL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse+1))
	if err != nil {
		return Response{}, fmt.Errorf("reading the carrier's answer: %w", err)
	}
	if len(data) > MaxResponse {
		return Response{}, fmt.Errorf("the carrier's answer is larger than %d bytes", MaxResponse)
	}
	return Response{Status: resp.StatusCode, Body: data}, nil
}

// Status reads GET /v1/status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var s Status
	err := c.Do(ctx, http.MethodGet, "status", nil, &s)
	return s, err
}

// Chain reads GET /v1/chain.
func (c *Client) Chain(ctx context.Context) (ChainStatus, error) {
	var s ChainStatus
	err := c.Do(ctx, http.MethodGet, "chain", nil, &s)
	return s, err
}

// Peers reads GET /v1/peers.
func (c *Client) Peers(ctx context.Context) (Peers, error) {
	var p Peers
	err := c.Do(ctx, http.MethodGet, "peers", nil, &p)
	return p, err
}

// PublishListing posts a signed listing (and its withdrawal) to POST
// /v1/listings. Only the active carrier takes it; a standby answers 503.
func (c *Client) PublishListing(ctx context.Context, req PublishRequest) (PublishResult, error) {
	var res PublishResult
	err := c.Do(ctx, http.MethodPost, "listings", req, &res)
	return res, err
}

// PostProof posts the provider key's registration proof to POST
// /v1/providers/{provider}/proof. Only the active carrier takes it (a
// standby answers 503); a refused proof comes back as *Error with a
// proof_* code.
func (c *Client) PostProof(ctx context.Context, proof regproof.Signed) (ProofAccepted, error) {
	var res ProofAccepted
	err := c.Do(ctx, http.MethodPost, "providers/"+proof.Provider.Hex()+"/proof", proof, &res)
	return res, err
}
