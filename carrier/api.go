package carrier

import (
	"fmt"
	"net/http"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
)

// setupAPI mounts the API with GET /v1/status; the subsystems' routes are
// added to d.api when it reports the API on. Without --api-token-file,
// /v1/ answers 503.
func (d *Carrier) setupAPI() (on bool, err error) {
	if d.cfg.API.TokenFile == "" {
		d.apiSrv = api.NewServer("", d.log.Named("api"))
		d.http.Handle("/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d.apiSrv.WriteError(w, r, api.Unavailable("the carrier API is off: start the carrier with --%s", FlagAPITokenFile))
		}))
		return false, nil
	}
	tok, err := secret.ReadToken("API token", d.cfg.API.TokenFile)
	if err != nil {
		return false, fmt.Errorf("%s: %w", FlagAPITokenFile, err)
	}
	d.apiSrv = api.NewServer(tok, d.log.Named("api"))
	d.http.Handle("/v1/", d.api)
	d.api.Handle("GET /v1/status", d.apiSrv.Wrap(d.status))
	return true, nil
}

// status answers GET /v1/status.
func (d *Carrier) status(*http.Request) (any, error) {
	return carrierapi.Status{
		Org:      d.cfg.Member.Org,
		Version:  service.Version(),
		State:    string(d.leader.State()),
		Instance: d.member.Registration().ID,
	}, nil
}
