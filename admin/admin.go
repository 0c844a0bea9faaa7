package admin

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Admin is a running admin daemon.
type Admin struct {
	cfg    Config
	log    *zap.Logger
	http   *service.Server
	member *consul.Member
}

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
	return &Admin{cfg: cfg, log: log, http: srv, member: member}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Admin) HTTP() *service.Server { return d.http }

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters and drains HTTP within the grace period.
func (d *Admin) Run(ctx context.Context) error {
	return d.http.ServeWith(ctx, d.member.Run)
}
