package carrier

import (
	"context"
	"fmt"
	"net/http"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Carrier is a running carrier daemon.
type Carrier struct {
	cfg    Config
	log    *zap.Logger
	http   *service.Server
	member *consul.Member
	leader *consul.Leader

	// api is the carrier's JSON API under /v1/, behind bearer-token
	// authentication (api.go); subsystems add their routes in setup.
	api    *http.ServeMux
	apiSrv *api.Server
	// active are the duties the carrier performs only while it holds the
	// organization's lock (p2p identity, chain mediation): run by lead,
	// each supervised by duties (a failed duty restarts with backoff).
	active []duty
	duties *duties
	// directory is the network directory of listings, set by the p2p
	// subsystem for the scheduler (useDirectory).
	directory scheduler.Directory
	// closers release what subsystems hold (stores), after HTTP drained,
	// in reverse order of setup.
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
	duties, err := newDuties(log, srv.Registry())
	if err != nil {
		return nil, fmt.Errorf("starting carrier: %w", err)
	}
	srv.AddCheck("duties", duties.Ready)
	d := &Carrier{cfg: cfg, log: log, http: srv, member: member, leader: leader, api: http.NewServeMux(), duties: duties}
	for _, setup := range []func() error{d.setupAPI, d.setupP2P, d.setupChain} {
		if err := setup(); err != nil {
			_ = d.close()
			return nil, fmt.Errorf("starting carrier: %w", err)
		}
	}
	return d, nil
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
// with backoff (duties.supervise): it does not end leadership or the daemon.
func (d *Carrier) lead(ctx context.Context) error {
	return d.leader.Run(ctx, func(active context.Context) error {
		d.log.Info("active: this carrier acts for the organization", zap.String("org", d.cfg.Member.Org))
		g, gctx := errgroup.WithContext(active)
		for _, du := range d.active {
			g.Go(func() error { return d.duties.supervise(gctx, du) })
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
