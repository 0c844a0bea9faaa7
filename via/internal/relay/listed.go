package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
)

// Source is a set of Consul instances that changes over time: a
// consul.Watcher of the org's carriers.
type Source interface {
	Subscribe() (<-chan []consul.Instance, func())
}

// Limits on what a carrier answers.
const (
	maxPeersResponse = 8 << 20
	maxListedPeers   = 100_000
	fetchTimeout     = 10 * time.Second
	minTokenLen      = 32
)

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
	token, err := readToken(r.cfg.CarrierTokenFile)
	if err != nil {
		return nil, "", err
	}
	var errs []error
	for _, i := range rand.Perm(len(insts)) {
		in := insts[i]
		addr := net.JoinHostPort(in.Address, strconv.Itoa(in.Port))
		ids, err := getListed(ctx, hc, "http://"+addr+"/v1/peers", token)
		if err == nil {
			return ids, addr, nil
		}
		errs = append(errs, fmt.Errorf("carrier %s: %w", addr, err))
	}
	return nil, "", errors.Join(errs...)
}

func getListed(ctx context.Context, hc *http.Client, url, token string) ([]peer.ID, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPeersResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxPeersResponse {
		return nil, fmt.Errorf("answer larger than %d bytes", maxPeersResponse)
	}
	if resp.StatusCode != http.StatusOK {
		if e, ok := service.DecodeError(body); ok {
			return nil, fmt.Errorf("%s: %s: %s", resp.Status, e.Code, e.Message)
		}
		return nil, errors.New(resp.Status)
	}
	var v struct {
		Listed *[]string `json:"listed"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	if v.Listed == nil {
		return nil, errNoListedField
	}
	if len(*v.Listed) > maxListedPeers {
		return nil, fmt.Errorf("%d listing peers, more than %d", len(*v.Listed), maxListedPeers)
	}
	ids := make([]peer.ID, 0, len(*v.Listed))
	for _, s := range *v.Listed {
		id, err := peer.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("listed peer %q: %w", s, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// readToken reads the carrier API token file (mode 0600, one line of 32+
// characters); read at each refresh, so that a rotated token is used.
func readToken(path string) (string, error) {
	b, err := secret.ReadFile("carrier API token", path)
	if err != nil {
		return "", err
	}
	defer clear(b)
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if len(tok) < minTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("carrier API token file %s: want one line of at least %d non-space characters", path, minTokenLen)
	}
	return tok, nil
}
