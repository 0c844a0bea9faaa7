package identity

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
)

// Instances lists the organization's passing carriers (a consul.Watcher).
type Instances interface {
	Snapshot() ([]consul.Instance, bool)
}

// CarrierAPI publishes listings through the carrier API's POST
// /v1/listings, and registration proofs through POST
// /v1/providers/{provider}/proof, on whichever of the organization's carriers accepts it
// (the active one; a standby answers 503).
type CarrierAPI struct {
	carriers Instances
	token    string
	http     *http.Client
}

// NewCarrierAPI returns a client of the carriers found by carriers, with
// the API's bearer token.
func NewCarrierAPI(carriers Instances, token string) *CarrierAPI {
	return &CarrierAPI{carriers: carriers, token: token, http: &http.Client{Timeout: 15 * time.Second}}
}

// ErrNoCarrier: no carrier of the organization took the listing or
// proof.
var ErrNoCarrier = errors.New("no carrier took it")

// Publish posts the record and its withdrawal.
func (c *CarrierAPI) Publish(ctx context.Context, record, withdrawal []byte) error {
	req := carrierapi.PublishRequest{Record: "0x" + hex.EncodeToString(record), Withdrawal: "0x" + hex.EncodeToString(withdrawal)}
	return c.each(ctx, "listing", func(cl *carrierapi.Client) error {
		_, err := cl.PublishListing(ctx, req)
		return err
	})
}

// PostProof posts the provider key's registration proof (POST
// /v1/providers/{provider}/proof) to whichever carrier takes it.
func (c *CarrierAPI) PostProof(ctx context.Context, proof regproof.Signed) error {
	return c.each(ctx, "registration proof", func(cl *carrierapi.Client) error {
		_, err := cl.PostProof(ctx, proof)
		return err
	})
}

// each calls call on the organization's passing carriers until one
// succeeds.
func (c *CarrierAPI) each(ctx context.Context, what string, call func(*carrierapi.Client) error) error {
	insts, synced := c.carriers.Snapshot()
	if !synced {
		return fmt.Errorf("%w (%s): the carriers are not known yet (Consul)", ErrNoCarrier, what)
	}
	if len(insts) == 0 {
		return fmt.Errorf("%w (%s): no passing carrier in Consul", ErrNoCarrier, what)
	}
	var errs []error
	for _, in := range insts {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		cl := &carrierapi.Client{BaseURL: "http://" + net.JoinHostPort(in.Address, strconv.Itoa(in.Port)), Token: c.token, HTTP: c.http}
		err := call(cl)
		if err == nil {
			return nil
		}
		var e *carrierapi.Error
		if errors.As(err, &e) {
			err = errors.New(e.Describe())
		}
		errs = append(errs, fmt.Errorf("carrier %s: %w", in.ID, err))
	}
	return fmt.Errorf("%w (%s): %w", ErrNoCarrier, what, errors.Join(errs...))
}

// KV is the part of Consul KV the sequence source uses.
type KV interface {
	Get(ctx context.Context, key string) ([]byte, uint64, bool, error)
	CAS(ctx context.Context, key string, value []byte, index uint64) error
}

// ConsulSeq reserves listing sequence numbers with a counter in Consul KV
// shared by the provider's replicas: each reservation takes two numbers
// above the counter and above the current time in milliseconds (so that
// a counter lost with a wiped KV store never goes back), by
// check-and-set.
type ConsulSeq struct {
	kv  KV
	key string
	now func() time.Time
}

// NewConsulSeq returns the counter at key.
func NewConsulSeq(kv KV, key string) *ConsulSeq { return &ConsulSeq{kv: kv, key: key, now: time.Now} }

// Reserve returns n; n and n+1 are this caller's.
func (s *ConsulSeq) Reserve(ctx context.Context) (uint64, error) {
	for range 20 {
		v, idx, found, err := s.kv.Get(ctx, s.key)
		if err != nil {
			return 0, err
		}
		var cur uint64
		if found {
			if cur, err = strconv.ParseUint(strings.TrimSpace(string(v)), 10, 64); err != nil {
				return 0, fmt.Errorf("listing sequence in %s: %q is not a number", s.key, v)
			}
		}
		n := max(cur+1, uint64(s.now().UnixMilli()))
		if !found {
			idx = 0
		}
		err = s.kv.CAS(ctx, s.key, []byte(strconv.FormatUint(n+1, 10)), idx)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, consul.ErrCASConflict) {
			return 0, err
		}
	}
	return 0, fmt.Errorf("listing sequence in %s: too much contention", s.key)
}
