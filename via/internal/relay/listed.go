package relay

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/secret"
)

// Source is a set of Consul instances that changes over time: a
// consul.Watcher of the org's carriers.
type Source interface {
	Subscribe() (<-chan []consul.Instance, func())
}

// Limits on what a carrier answers.
const (
	maxListedPeers = 100_000
	fetchTimeout   = 10 * time.Second
)

// carrierTokenWhat names the carrier API token file in errors.
const carrierTokenWhat = "carrier API token"

// errNoListedField: the carrier's /v1/peers has no "listed" (a carrier
// older than the field).
var errNoListedField = errors.New(`the answer has no "listed" field (a carrier too old for --relay-allow-listed?)`)

// RunListed keeps the relay's set of listing peers (Config.AllowListed)
// until ctx is done: every ListedRefresh it asks the org's carriers (as
// carriers follows them in Consul) for GET /v1/peers and takes "listed"
// from the first that answers (the active one; a standby answers 503).
// When none answers, the last good set stays.
func (r *Relay) RunListed(ctx context.Context, carriers Source) error {
	if !r.cfg.AllowListed {
		return nil
	}
	ch, cancel := carriers.Subscribe()
	defer cancel()
	var insts []consul.Instance
	hc := &http.Client{Timeout: fetchTimeout, Transport: &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		ResponseHeaderTimeout: fetchTimeout,
		MaxIdleConns:          2,
	}}
	defer hc.CloseIdleConnections()
	failing := false
	// Until carriers show up in Consul, the first attempt (and its
	// warning) waits one refresh interval.
	t := time.NewTimer(r.cfg.ListedRefresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case set, ok := <-ch:
			if !ok {
				return nil
			}
			first := len(insts) == 0
			insts = set
			if first && len(set) > 0 && r.acl.listedCount() == 0 {
				// The first carriers seen: ask at once.
				t.Reset(0)
			}
			continue
		case <-t.C:
		}
		t.Reset(r.cfg.ListedRefresh)
		ids, from, err := r.fetchListed(ctx, hc, insts)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !failing {
				r.log.Warn("reading the listing peers from the carrier failed; keeping the last set",
					zap.Int("peers", r.acl.listedCount()), zap.Error(err))
			}
			failing = true
			r.m.listedErrors.Inc()
			continue
		}
		if prev := r.acl.setListed(ids); failing || prev != len(ids) {
			r.log.Info("listing peers admitted to the relay", zap.Int("peers", len(ids)), zap.String("carrier", from))
		}
		failing = false
	}
}

// fetchListed asks each carrier instance, in random order, until one
// answers.
func (r *Relay) fetchListed(ctx context.Context, hc *http.Client, insts []consul.Instance) ([]peer.ID, string, error) {
	if len(insts) == 0 {
		return nil, "", errors.New("no passing carrier in Consul")
	}
	// The token is read at each refresh, so that a rotated one is used.
	token, err := secret.ReadToken(carrierTokenWhat, r.cfg.CarrierTokenFile)
	if err != nil {
		return nil, "", err
	}
	var errs []error
	for _, i := range rand.Perm(len(insts)) {
		in := insts[i]
		addr := net.JoinHostPort(in.Address, strconv.Itoa(in.Port))
		ids, err := getListed(ctx, &carrierapi.Client{BaseURL: "http://" + addr, Token: token, HTTP: hc})
		if err == nil {
			return ids, addr, nil
		}
		errs = append(errs, fmt.Errorf("carrier %s: %w", addr, err))
	}
	return nil, "", errors.Join(errs...)
}

// getListed reads the carrier's listing peers from GET /v1/peers.
func getListed(ctx context.Context, cl *carrierapi.Client) ([]peer.ID, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	p, err := cl.Peers(ctx)
	if err != nil {
		var e *carrierapi.Error
		if errors.As(err, &e) {
			return nil, errors.New(e.Describe())
		}
		return nil, err
	}
	if p.Listed == nil {
		return nil, errNoListedField
	}
	if len(p.Listed) > maxListedPeers {
		return nil, fmt.Errorf("%d listing peers, more than %d", len(p.Listed), maxListedPeers)
	}
	ids := make([]peer.ID, 0, len(p.Listed))
	for _, s := range p.Listed {
		id, err := peer.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("listed peer %q: %w", s, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
