package upstream

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
)

// Errors of the carrier client.
var (
	// ErrNoToken: admin was started without the carrier API's token file.
	ErrNoToken = errors.New("the carrier API token is not configured: start admin with --carrier-token-file")
	// ErrNoCarrier: no passing carrier of the organization in Consul.
	ErrNoCarrier = errors.New("no passing carrier of this organization in Consul")
)

// Limits of calls to the carrier.
const (
	// CarrierTimeout bounds one call: above the carrier's 30 s wait for an
	// order or cancel to be mined and its 20 s transaction long poll.
	CarrierTimeout = 45 * time.Second
	lockCacheTTL   = 500 * time.Millisecond
)

type kvGetter interface {
	Get(key string, q *api.QueryOptions) (*api.KVPair, *api.QueryMeta, error)
}

// Carrier calls the organization's active carrier.
type Carrier struct {
	watcher *consul.Watcher
	kv      kvGetter
	lockKey string
	token   string
	hc      *http.Client

	lock struct {
		holder string
		at     time.Time
	}
	lockMu chan struct{}
}

// NewCarrier returns a client of the carrier that watcher finds (passing
// "carrier" instances of the org); the active one is the holder of the
// org's carrier lock. token is the carrier API's bearer token; empty makes
// every call ErrNoToken.
func NewCarrier(watcher *consul.Watcher, c *api.Client, org, token string) (*Carrier, error) {
	key, err := consul.CarrierLockKey(org)
	if err != nil {
		return nil, err
	}
	return &Carrier{watcher: watcher, kv: c.KV(), lockKey: key, token: token,
		hc: &http.Client{Timeout: CarrierTimeout}, lockMu: make(chan struct{}, 1)}, nil
}

// Configured reports whether the carrier API token is set.
func (c *Carrier) Configured() bool { return c.token != "" }

// holder is the instance id holding the carrier lock, "" if none; read at
// most every lockCacheTTL.
func (c *Carrier) holder(ctx context.Context) (string, error) {
	select {
	case c.lockMu <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.lockMu }()
	if time.Since(c.lock.at) < lockCacheTTL {
		return c.lock.holder, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p, _, err := c.kv.Get(c.lockKey, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("reading the carrier lock: %w", err)
	}
	h := ""
	if p != nil && p.Session != "" {
		h = string(p.Value)
	}
	c.lock.holder, c.lock.at = h, time.Now()
	return h, nil
}

// Target is the carrier instance a call goes to.
type Target struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Active bool   `json:"active"`
}

// Pick returns the active carrier, or, when none holds the lock (or the
// lock cannot be read), any passing one: its API says what it can do.
func (c *Carrier) Pick(ctx context.Context) (Target, error) {
	set, _ := c.watcher.Snapshot()
	if len(set) == 0 {
		return Target{}, ErrNoCarrier
	}
	h, _ := c.holder(ctx)
	pick := set[0]
	active := false
	for _, in := range set {
		if in.ID == h {
			pick, active = in, true
			break
		}
	}
	host := pick.Address
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return Target{ID: pick.ID, URL: "http://" + host + ":" + strconv.Itoa(pick.Port), Active: active}, nil
}

// Response is the carrier's answer, passed on as it is, and the instance
// that gave it.
type Response struct {
	Status int
	Body   []byte
	Target Target
}

// Do sends a request to the carrier's API: path is under /v1/, query and
// body (JSON, may be nil) are sent as given.
func (c *Carrier) Do(ctx context.Context, method, path string, query url.Values, body []byte, requestID string) (Response, error) {
	if c.token == "" {
		return Response{}, ErrNoToken
	}
	t, err := c.Pick(ctx)
	if err != nil {
		return Response{}, err
	}
	cl := carrierapi.Client{BaseURL: t.URL, Token: c.token, HTTP: c.hc}
	resp, err := cl.Raw(ctx, method, path, query, body, requestID)
	if err != nil {
		return Response{}, fmt.Errorf("carrier %s: %w", t.ID, err)
	}
	return Response{Status: resp.Status, Body: resp.Body, Target: t}, nil
}
