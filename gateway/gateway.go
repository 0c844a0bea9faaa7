package gateway

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/identity"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/gateway/internal/reconcile"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Gateway is a running gateway daemon.
type Gateway struct {
	cfg       Config
	log       *zap.Logger
	http      *service.Server
	member    *consul.Member
	id        *identity.Identity
	orders    *orders.Checker
	chain     *chainSubsystem
	auth      *auth.Authenticator
	api       *api.Server
	proxy     *proxy.Proxy
	deployer  *deploy.Deployer
	reconcile *reconcile.Reconciler
	carriers  *consul.Watcher
	listing   *identity.Publisher
	prover    *identity.Prover
}

// New builds the daemon and binds its listeners; Run starts it. It unlocks
// the provider key; it does not wait for Consul, the chain or the cluster,
// which Run connects to (and /readyz reports).
func New(cfg Config, log *zap.Logger) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	id, err := identity.Load(wallet.Options{KeystorePath: cfg.Keystore, PassphraseFile: cfg.PassphraseFile, PassphraseEnv: cfg.PassphraseEnv})
	if err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	provider := id.Address()
	srv, err := service.NewServer(cfg.Config, "gateway", log)
	if err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	member, err := consul.Join(cfg.Member, "gateway", provider.Hex(), srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	d := &Gateway{cfg: cfg, log: log.With(zap.String("provider", provider.Hex())), http: srv, member: member, id: id}
	owner := common.HexToAddress(cfg.Chain.Owner) // required and checked by Validate
	d.log.Info("serving only the orders that pay the organization", zap.String("owner", owner.Hex()))
	d.orders = orders.NewChecker(orders.Options{Provider: provider, Owner: owner, CacheTTL: ttlOrNone(cfg.Chain.OrderCacheTTL),
		CacheSize: cfg.Chain.OrderCacheSize, Log: d.log.Named("orders")})
	if d.chain, err = newChainSubsystem(cfg.Chain, cfg.Member.Org, provider, member, d.orders, d.log); err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	srv.AddCheck("chain", d.orders.Ready)
	if err := d.setupAuth(); err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	if err := d.setupDeploy(); err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	d.setupAPI()
	if err := d.setupListing(); err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	d.log.Info("gateway set up", zap.Bool("deploy", d.deployer != nil), zap.Bool("listing", d.listing != nil),
		zap.Bool("static_chain", d.chain.static()))
	return d, nil
}

// ttlOrNone maps the flag's 0 (no cache) to the checker's -1.
func ttlOrNone(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

func (d *Gateway) setupAuth() error {
	store, err := auth.NewConsulStore(d.member.Client(), d.cfg.Member.Org, d.id.Address())
	if err != nil {
		return err
	}
	var key []byte
	if d.cfg.Auth.SessionKeyFile != "" {
		if key, err = readSessionKey(d.cfg.Auth.SessionKeyFile); err != nil {
			return fmt.Errorf("%s: %w", FlagSessionKeyFile, err)
		}
		defer clear(key)
	}
	d.auth, err = auth.New(auth.Options{
		Provider: d.id.Address(), ChallengeTTL: d.cfg.Auth.ChallengeTTL, ChallengeRate: d.cfg.Auth.ChallengeRate,
		SessionTTL: d.cfg.Auth.SessionTTL, SessionMaxAge: d.cfg.Auth.SessionMaxAge,
	}, d.orders, store, key, d.log)
	if err != nil {
		return err
	}
	d.http.AddCheck("sessions", d.auth.Ready)
	return nil
}

func (d *Gateway) setupDeploy() error {
	if !d.cfg.DeployEnabled() {
		d.log.Info("deploy off: no --kubeconfig and not running in a cluster; deployment routes answer 503")
		return nil
	}
	rc, err := d.cfg.Deploy.RESTConfig()
	if err != nil {
		return fmt.Errorf("%s: %w", FlagKubeconfig, err)
	}
	if d.deployer, err = deploy.New(d.cfg.Deploy, rc, d.log, d.http.Registry()); err != nil {
		return err
	}
	d.http.AddCheck("deploy", func(context.Context) error { return d.deployer.Ready() })
	d.reconcile, err = reconcile.New(d.cfg.reconcileConfig(d.id.Address()), reconcileChain{d.orders}, d.deployer, d.log, d.http.Registry())
	return err
}

func (d *Gateway) setupAPI() {
	trusted, _ := api.ParsePrefixes(d.cfg.App.TrustedProxies) // checked by Validate
	var (
		dep api.Deployer
		app api.App
	)
	if d.deployer != nil {
		a := deployer{d.deployer}
		dep = a
		d.proxy = proxy.New(proxy.Options{
			DialTimeout: d.cfg.App.DialTimeout, ResponseHeaderTimeout: d.cfg.App.ResponseTimeout,
			IdleConnTimeout: d.cfg.App.IdleTimeout, MaxIdleConnsPerHost: d.cfg.App.MaxIdleConnsPerHost, H2C: d.cfg.App.H2C,
		}, a, d.http.Registry(), d.log)
		app = d.proxy
	}
	sameSite := http.SameSiteLaxMode
	if d.cfg.Auth.CookieSameSite == "strict" {
		sameSite = http.SameSiteStrictMode
	}
	d.api = api.New(api.Options{TrustedProxies: trusted, AppMaxBody: d.cfg.App.MaxBody, SameSite: sameSite, DeployErrors: deployErrors},
		d.orders, d.auth, dep, app, d.http.Registry(), d.log)
	d.http.Handle("/v1/", d.api.APIHandler())
	d.http.HandleRaw(api.AppPrefix, d.api.AppHandler())
}

func (d *Gateway) setupListing() error {
	if d.cfg.Listing.CarrierTokenFile == "" {
		d.log.Info("listing and registration proofs off: no --"+FlagCarrierTokenFile+
			"; hand the carrier a proof with `gateway keys prove` and `carrier providers register --proof`",
			zap.String("owner", d.cfg.Chain.Owner))
		return nil
	}
	tok, err := readCarrierToken(d.cfg.Listing.CarrierTokenFile)
	if err != nil {
		return fmt.Errorf("%s: %w", FlagCarrierTokenFile, err)
	}
	d.carriers, err = consul.NewWatcher(d.member.Client(), consul.ServiceCarrier, consul.WatchOptions{Tag: d.cfg.Member.Org}, d.log)
	if err != nil {
		return err
	}
	prefix, err := auth.StorePrefix(d.cfg.Member.Org, d.id.Address())
	if err != nil {
		return err
	}
	var capacity identity.CapacitySource
	if d.deployer != nil {
		capacity = deployer{d.deployer}
	}
	carrier := identity.NewCarrierAPI(d.carriers, tok)
	d.listing, err = identity.NewPublisher(d.id, identity.Options{
		Org: d.cfg.Member.Org, Owner: common.HexToAddress(d.cfg.Chain.Owner), PublicURL: d.cfg.Listing.PublicURL, Labels: d.cfg.Listing.Labels, TTL: d.cfg.Listing.TTL,
	}, d.chain, capacity, carrier,
		identity.NewConsulSeq(consul.NewKV(d.member.Client(), d.log), prefix+"listing-seq"), d.http.Registry(), d.log)
	if err != nil {
		return err
	}
	d.prover, err = identity.NewProver(d.id, identity.ProverOptions{Owner: common.HexToAddress(d.cfg.Chain.Owner)},
		d.chain, carrier, d.http.Registry(), d.log)
	return err
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Gateway) HTTP() *service.Server { return d.http }

// Provider is the provider address (the key's).
func (d *Gateway) Provider() common.Address { return d.id.Address() }

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters and drains HTTP within the grace period.
func (d *Gateway) Run(ctx context.Context) error {
	runners := []func(context.Context) error{d.member.Run, d.chain.run, d.auth.Run}
	if d.deployer != nil {
		runners = append(runners, d.deployer.Run, d.reconcile.Run)
	}
	if d.listing != nil {
		runners = append(runners, d.carriers.Run, d.listing.Run, d.prover.Run)
	}
	err := d.http.ServeWith(ctx, runners...)
	if d.proxy != nil {
		d.proxy.Close()
	}
	return err
}
