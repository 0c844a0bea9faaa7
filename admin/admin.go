package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/admin/internal/audit"
	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/admin/internal/console"
	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/admin/web"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Admin is a running admin daemon.
type Admin struct {
	cfg      Config
	log      *zap.Logger
	http     *service.Server
	member   *consul.Member
	carrier  *consul.Watcher
	auth     *auth.Service
	gateways *upstream.Gateways
}

// sweepEvery is how often expired sessions and wallet challenges are
// deleted from Consul KV.
const sweepEvery = 10 * time.Minute

// New builds the daemon and binds its listeners; Run starts it.
func New(cfg Config, log *zap.Logger) (*Admin, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	srv, err := service.NewServer(cfg.Config, "admin", log)
	if err != nil {
		return nil, fmt.Errorf("starting admin: %w", err)
	}
	member, err := consul.Join(cfg.Member, "admin", "", srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting admin: %w", err)
	}
	d := &Admin{cfg: cfg, log: log, http: srv, member: member}
	if err := d.setupConsole(); err != nil {
		return nil, fmt.Errorf("starting admin: %w", err)
	}
	return d, nil
}

// setupConsole mounts the console: accounts, sessions and audit in Consul
// KV, the carrier found in Consul, the embedded app.
func (d *Admin) setupConsole() error {
	cc := d.cfg.Console
	org := d.cfg.Member.Org
	client := d.member.Client()
	kv := consul.NewKV(client, d.log)
	owners, _ := cc.owners()
	proxies, _ := cc.proxies()
	var err error
	d.auth, err = auth.New(kv, auth.Options{
		Org: org, SessionTTL: cc.SessionTTL, MaxFailures: cc.LoginMaxFailures, Lockout: cc.LoginLockout, Owners: owners,
	}, d.log.Named("auth"))
	if err != nil {
		return err
	}
	auditLog, err := audit.New(client.KV(), org, cc.AuditMaxEntries, d.log)
	if err != nil {
		return err
	}
	d.carrier, err = consul.NewWatcher(client, consul.ServiceCarrier, consul.WatchOptions{}, d.log)
	if err != nil {
		return err
	}
	token := ""
	if cc.CarrierTokenFile != "" {
		if token, err = readCarrierToken(cc.CarrierTokenFile); err != nil {
			return fmt.Errorf("%s: %w", FlagCarrierTokenFile, err)
		}
	}
	carrier, err := upstream.NewCarrier(d.carrier, client, org, token)
	if err != nil {
		return err
	}
	d.gateways, err = upstream.NewGateways(carrier, upstream.GatewayOptions{AllowLoopback: cc.GatewayAllowLoopback})
	if err != nil {
		return err
	}
	assets, err := web.Assets()
	if err != nil {
		return err
	}
	c, err := console.New(console.Options{
		Org: org, Version: service.Version(), InsecureCookies: cc.InsecureCookies, TrustedProxies: proxies,
		LoginBurst: cc.LoginRate, LoginPerMinute: cc.LoginRate,
	}, console.Deps{Auth: d.auth, Audit: auditLog, Carrier: carrier, Gateways: d.gateways, Org: upstream.NewOrg(client, kv, org),
		Assets: assets, Log: d.log})
	if err != nil {
		return err
	}
	d.http.Handle("/", c)
	d.http.AddCheck("carrier", d.carrier.Ready)
	return nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Admin) HTTP() *service.Server { return d.http }

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters and drains HTTP within the grace period.
func (d *Admin) Run(ctx context.Context) error {
	return d.http.ServeWith(ctx, d.member.Run, d.carrier.Run, d.bootstrap)
}

// bootstrap makes the first admin account once Consul answers (retrying
// until it does), then sweeps expired sessions now and then.
func (d *Admin) bootstrap(ctx context.Context) error {
	cc := d.cfg.Console
	if cc.BootstrapPasswordFile == "" {
		// Nobody can sign in until an account exists: say so once Consul
		// answers (the sign-in page says it too).
		for {
			ok, err := d.auth.HasAccounts(ctx)
			if err == nil {
				if !ok {
					d.log.Warn("no operator account: nobody can sign in to the console; start admin with --" + FlagBootstrapPasswordFile)
				}
				break
			}
			if !service.Sleep(ctx, time.Second) {
				return nil
			}
		}
	}
	if cc.BootstrapPasswordFile != "" {
		pw, err := readPassword(cc.BootstrapPasswordFile)
		if err != nil {
			return fmt.Errorf("%s: %w", FlagBootstrapPasswordFile, err)
		}
		backoff := service.Backoff{First: 200 * time.Millisecond, Max: 5 * time.Second}
		for {
			created, err := d.auth.Bootstrap(ctx, cc.BootstrapUser, pw)
			if err == nil {
				if created {
					d.log.Info("made the first admin account; its password must be changed at the first login", zap.String("user", cc.BootstrapUser))
				}
				break
			}
			if errors.Is(err, auth.ErrWeakPassword) || errors.Is(err, auth.ErrBadInput) {
				return err
			}
			d.log.Warn("cannot make the first admin account yet; retrying", zap.Error(err))
			if !service.Sleep(ctx, backoff.Next()) {
				return nil
			}
		}
	}
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			d.gateways.Sweep()
			if err := d.auth.Sweep(ctx); err != nil {
				d.log.Warn("sweeping expired sessions", zap.Error(err))
			}
		}
	}
}
