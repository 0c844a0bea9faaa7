package carrier

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/pkg/service"
)

// FlagAPITokenFile is the file holding the carrier API's bearer token.
const FlagAPITokenFile = "api-token-file"

// minTokenLen keeps guessable tokens out.
const minTokenLen = 32

// APIConfig configures the carrier's JSON API under /v1/ on --http-addr.
// The API is for the organization's own operators and admin console: bind
// --http-addr to an org-internal address. Every request carries
// "Authorization: Bearer <token>"; the token is read from a file (mode 0600)
// that admin and the CLI read too.
type APIConfig struct {
	// TokenFile holds the bearer token (at least 32 characters; one
	// trailing newline is ignored). Empty disables the API: /v1/ answers
	// 503.
	TokenFile string `yaml:"api-token-file"`
}

func apiFlags() []cli.Flag {
	return []cli.Flag{&cli.PathFlag{
		Name:  FlagAPITokenFile,
		Usage: "`file` (mode 0600) with the API's bearer token, 32+ characters; without it the API under /v1/ is off",
	}}
}

func apiConfigFromCLI(c *cli.Context) APIConfig {
	return APIConfig{TokenFile: c.Path(FlagAPITokenFile)}
}

// Validate reads the token file, so that a missing or unsafe file stops
// the carrier at start with a message naming the flag.
func (a APIConfig) Validate() error {
	if a.TokenFile == "" {
		return nil
	}
	if _, err := readToken(a.TokenFile); err != nil {
		return fmt.Errorf("%s: %w", FlagAPITokenFile, err)
	}
	return nil
}

// readToken reads and checks an API token file.
func readToken(path string) (string, error) {
	b, err := secret.ReadFile("API token", path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	clear(b)
	if len(tok) < minTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("API token file %s: want one line of at least %d non-space characters", path, minTokenLen)
	}
	return tok, nil
}

// setupAPI mounts the API: GET /v1/status here, the subsystems' routes as
// they are set up.
func (d *Carrier) setupAPI() error {
	if d.cfg.API.TokenFile == "" {
		d.apiSrv = api.NewServer("", d.log.Named("api"))
		d.http.Handle("/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d.apiSrv.WriteError(w, r, api.Unavailable("the carrier API is off: start the carrier with --%s", FlagAPITokenFile))
		}))
		return nil
	}
	tok, err := readToken(d.cfg.API.TokenFile)
	if err != nil {
		return fmt.Errorf("%s: %w", FlagAPITokenFile, err)
	}
	d.apiSrv = api.NewServer(tok, d.log.Named("api"))
	d.http.Handle("/v1/", d.api)
	d.api.Handle("GET /v1/status", d.apiSrv.Wrap(d.status))
	return nil
}

// Status is what GET /v1/status and `carrier status` show.
type Status struct {
	Org     string `json:"org"`
	Version string `json:"version"`
	// State is "active" (this carrier acts for the organization) or
	// "standby".
	State    string `json:"state"`
	Instance string `json:"instance"`
}

func (d *Carrier) status(*http.Request) (any, error) {
	return Status{
		Org:      d.cfg.Member.Org,
		Version:  service.Version(),
		State:    string(d.leader.State()),
		Instance: d.member.Registration().ID,
	}, nil
}
