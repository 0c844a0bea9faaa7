package chain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/gwclient"
	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/market"
)

// gatewaySession logs the org wallet in at the gateway of an order the
// organization bought: the order must be ours as buyer and active on
// chain; the gateway is the provider's listing's (else its Registry URL);
// its challenge is checked field by field before the wallet signs. The
// token is returned to the caller and never logged.
func (cs *Chain) gatewaySession(m *mediator.Mediator, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	p, err := m.ActivePurchase(r.Context(), id)
	if err != nil {
		return nil, err
	}
	base, source, err := cs.gatewayBase(p)
	if err != nil {
		return nil, err
	}
	log := cs.log.With(zap.String("request_id", api.RequestID(r.Context())), zap.Uint64("order", id),
		zap.Stringer("provider", p.Provider), zap.String("gateway", gnchain.RedactURL(base)))
	s, err := cs.gw.Login(r.Context(), base, market.Order{ID: p.ID, ChainID: p.ChainID, Market: p.Market, Provider: p.Provider}, cs.wallet)
	if err != nil {
		log.Warn("gateway login failed", zap.Error(err))
		return nil, gatewayError(err)
	}
	log.Info("gateway session opened for the org wallet", zap.String("source", source), zap.Time("expires", s.Expires))
	return carrierapi.GatewaySession{Session: s, Provider: p.Provider, Source: source}, nil
}

// gatewayBase is the provider's gateway URL: its listing's in the
// directory, else the one registered in the Registry.
func (cs *Chain) gatewayBase(p mediator.Purchase) (base, source string, err error) {
	var bad error
	if d := cs.deps.Directory; d != nil {
		if rec, ok := d.Get(p.Provider); ok && !rec.Tombstone && rec.GatewayURL != "" {
			if base, bad = gwclient.Base(rec.GatewayURL); bad == nil {
				return base, "directory", nil
			}
		}
	}
	if p.RegistryURL != "" {
		if base, err = gwclient.Base(p.RegistryURL); err == nil {
			return base, "registry", nil
		}
		bad = err
	}
	if bad != nil {
		return "", "", carrierapi.Errorf(http.StatusBadGateway, "gateway_url_invalid", "provider %s's gateway URL: %v", p.Provider.Hex(), bad)
	}
	return "", "", carrierapi.Errorf(http.StatusServiceUnavailable, "gateway_unknown",
		"provider %s has no gateway URL: no listing in the directory and no URL in the Registry", p.Provider.Hex())
}

// gatewayError maps the gateway client's errors to API errors.
func gatewayError(err error) error {
	var ge *gwclient.GatewayError
	switch {
	case errors.As(err, &ge):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_refused", "the gateway refused the login: %s: %s", ge.Code, ge.Message)
	case errors.Is(err, gwclient.ErrChallengeRefused):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_challenge_refused", "%v; the org wallet did not sign it", err)
	case errors.Is(err, gwclient.ErrForbiddenAddress):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_address_forbidden",
			"%v (a gateway on loopback needs --gateway-allow-loopback)", err)
	case errors.Is(err, gwclient.ErrInvalidURL):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_url_invalid", "%v", err)
	case errors.Is(err, gwclient.ErrUnreachable):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_unreachable", "%v", err)
	case errors.Is(err, gwclient.ErrBadAnswer):
		return carrierapi.Errorf(http.StatusBadGateway, "gateway_bad_answer", "%v", err)
	}
	return fmt.Errorf("logging in at the gateway: %w", err)
}

// rolloutTimeout bounds a rollout, login and deploy together; a slow
// gateway is reported, and asking again rolls out again.
const rolloutTimeout = 20 * time.Second

// rollout deploys the order's new manifest at its gateway as the buyer's
// first deploy does: the org wallet logs in (gatewaySession's checks) and
// PUTs the manifest URL; the gateway fetches it and checks its hash
// against the order's on chain. A failure is reported, not returned: the
// update is on chain either way.
func (cs *Chain) rollout(r *http.Request, m *mediator.Mediator, id uint64, manifestURL string) carrierapi.Rollout {
	ctx, cancel := context.WithTimeout(r.Context(), rolloutTimeout)
	defer cancel()
	r = r.WithContext(ctx)
	log := cs.log.With(zap.String("request_id", api.RequestID(r.Context())), zap.Uint64("order", id))
	fail := func(err error) carrierapi.Rollout {
		log.Warn("rolling the updated manifest out failed", zap.Error(err))
		return carrierapi.Rollout{Error: err.Error()}
	}
	p, err := m.ActivePurchase(r.Context(), id)
	if err != nil {
		return fail(err)
	}
	base, _, err := cs.gatewayBase(p)
	if err != nil {
		return fail(err)
	}
	if cs.gw == nil {
		return fail(errors.New("no gateway client"))
	}
	s, err := cs.gw.Login(r.Context(), base, market.Order{ID: p.ID, ChainID: p.ChainID, Market: p.Market, Provider: p.Provider}, cs.wallet)
	if err != nil {
		return fail(gatewayError(err))
	}
	d, err := cs.gw.Deploy(r.Context(), s, manifestURL)
	if err != nil {
		var ge *gwclient.GatewayError
		if errors.As(err, &ge) {
			err = fmt.Errorf("the gateway refused the deploy: %s: %s", ge.Code, ge.Message)
		}
		return fail(err)
	}
	log.Info("updated manifest rolled out", zap.String("gateway", gnchain.RedactURL(base)), zap.String("namespace", d.Namespace), zap.String("phase", d.Phase))
	return carrierapi.Rollout{GatewayBase: base, Namespace: d.Namespace, Phase: d.Phase, Message: d.Message}
}
