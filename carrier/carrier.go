package carrier

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/chain"
	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/duty"
	"github.com/gridnode/gridnode/carrier/internal/federation"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// directoryFile is the network directory's file in --data-dir.
const directoryFile = "directory.db"

// Carrier is a running carrier daemon.
type Carrier struct {
	cfg    Config
	log    *zap.Logger
	http   *service.Server
	member *consul.Member
	leader *consul.Leader

	// api is the carrier's JSON API under /v1/, behind bearer-token
	// authentication (api.go); the subsystems' routes are added to it.
	api    *http.ServeMux
	apiSrv *api.Server
	// directory is the network directory of listings, with the p2p
	// subsystem: opened here, so that queries work on a standby too, and
	// handed to both subsystems (the node fills it, the scheduler matches
	// against it).
	directory *directory.Directory
	p2p       *federation.Federation
	chain     *chain.Chain
	// active are the duties the carrier performs only while it holds the
	// organization's lock (p2p identity, chain mediation): run by lead,
	// each supervised by duties (a failed duty restarts with backoff).
	active []duty.Duty
	duties *duty.Supervisor
	// closers release what New opened (stores), after HTTP drained, in
	// reverse order.
	closers []func() error
}

// New builds the daemon and binds its listeners; Run starts it.
func New(cfg Config, log *zap.Logger) (*Carrier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	srv, err := service.NewServer(cfg.Config, "carrier", log)
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	member, err := consul.Join(cfg.Member, "carrier", "", srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	// Exactly one carrier of an organization is active; any other waits as
	// a standby (and says so on /readyz) and takes over when it dies.
	key, err := consul.CarrierLockKey(cfg.Member.Org)
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	leader, err := consul.NewLeader(member.Client(), key, consul.LeaderOptions{
		ID: member.Registration().ID,
		// A carrier that dies hard fails its health check within ~3 s;
		// tying the session to the check hands the lock over then rather
		// than after Consul's 2×TTL session expiry.
		HealthCheckID: member.CheckID(),
	}, log)
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	srv.AddCheck("leader", leader.Ready)
	duties, err := duty.NewSupervisor(log, srv.Registry())
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	srv.AddCheck("duties", duties.Ready)
	d := &Carrier{cfg: cfg, log: log, http: srv, member: member, leader: leader, api: http.NewServeMux(), duties: duties}
	if err := d.setup(); err != nil {
		_ = d.close()
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	return d, nil
}

// setup wires the API, the directory and the two subsystems, each built
// from its dependencies: their routes go on the API, their active duties
// (p2p first, then chain) on d.active.
func (d *Carrier) setup() error {
	apiOn, err := d.setupAPI()
	if err != nil {
		return err
	}
	if d.cfg.P2P.Enabled() {
		if err := d.openDirectory(); err != nil {
			return err
		}
	}
	d.p2p, err = federation.New(federation.Deps{
		Config: d.cfg.P2P, Org: d.cfg.Member.Org, ChainRPC: d.cfg.Chain.RPC, Registry: d.cfg.Chain.Registry,
		Directory: d.directory, Consul: d.member.Client(), Registerer: d.http.Registry(), Log: d.log,
	})
	if err != nil {
		return err
	}
	d.closers = append(d.closers, d.p2p.Close)
	d.chain, err = chain.New(chain.Deps{
		Config: d.cfg.Chain, Org: d.cfg.Member.Org, DataDir: d.cfg.DataDir,
		Directory: d.directory, Consul: d.member.Client(), Registerer: d.http.Registry(), Log: d.log,
	})
	if err != nil {
		return err
	}
	d.closers = append(d.closers, d.chain.Close)
	if apiOn {
		d.p2p.Register(d.api, d.apiSrv)
		d.chain.Register(d.api, d.apiSrv)
	}
	if d.cfg.P2P.Enabled() {
		d.active = append(d.active, duty.Duty{Name: "p2p", Run: d.p2p.Run})
	}
	if d.cfg.Chain.Enabled() {
		d.active = append(d.active, duty.Duty{Name: "chain", Run: d.chain.Run})
	}
	return nil
}

// openDirectory opens the network directory in --data-dir.
func (d *Carrier) openDirectory() error {
	if d.cfg.DataDir == "" {
		return fmt.Errorf("%s: required with --%s (the listing directory)", FlagDataDir, FlagP2PListen)
	}
	if err := os.MkdirAll(d.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("%s: %w", FlagDataDir, err)
	}
	// It logs as part of the p2p subsystem, which fills it.
	dir, err := directory.Open(filepath.Join(d.cfg.DataDir, directoryFile), d.log.Named("p2p").Named("directory"),
		directory.Options{Registerer: d.http.Registry()})
	if err != nil {
		return err
	}
	d.directory = dir
	d.closers = append(d.closers, dir.Close)
	return nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Carrier) HTTP() *service.Server { return d.http }

// Run serves, keeps the daemon registered in Consul and campaigns for the
// organization's carrier lock until ctx is cancelled; then it releases the
// lock, deregisters and drains HTTP within the grace period.
func (d *Carrier) Run(ctx context.Context) error {
	// Release the lock before deregistering: the lock's session is tied to
	// the carrier's health check, and deregistering first would invalidate
	// it, which makes a standby wait out the lock delay.
	leadDone := make(chan struct{})
	lead := func(ctx context.Context) error {
		defer close(leadDone)
		return d.lead(ctx)
	}
	register := func(ctx context.Context) error {
		mctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		defer cancel()
		go func() {
			<-ctx.Done()
			<-leadDone
			cancel()
		}()
		return d.member.Run(mctx)
	}
	err := d.http.ServeWith(ctx, register, lead)
	if cerr := d.close(); err == nil {
		err = cerr
	}
	return err
}

// close runs the closers in reverse order and returns the first error.
func (d *Carrier) close() error {
	var first error
	for i := len(d.closers) - 1; i >= 0; i-- {
		if err := d.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	d.closers = nil
	return first
}

// lead campaigns for the organization's carrier lock and runs the active
// duties while it holds it; they stop the moment leadership is lost or in
// doubt, and start again if it is won back. A duty that fails is restarted
// with backoff (duty.Supervisor): it does not end leadership or the daemon.
func (d *Carrier) lead(ctx context.Context) error {
	return d.leader.Run(ctx, func(active context.Context) error {
		d.log.Info("active: this carrier acts for the organization", zap.String("org", d.cfg.Member.Org))
		g, gctx := errgroup.WithContext(active)
		for _, du := range d.active {
			g.Go(func() error { return d.duties.Supervise(gctx, du) })
		}
		// Hold the lock until leadership ends.
		g.Go(func() error { <-gctx.Done(); return nil })
		err := g.Wait()
		d.log.Info("no longer active", zap.Error(err))
		return err
	})
}

// Leader is the carrier's leader election (State: active or standby).
func (d *Carrier) Leader() *consul.Leader { return d.leader }
