package via

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Via is a running via daemon.
type Via struct {
	cfg    Config
	log    *zap.Logger
	http   *service.Server
	member *consul.Member
}

// New builds the daemon and binds its listeners; Run starts it.
func New(cfg Config, log *zap.Logger) (*Via, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	srv, err := service.NewServer(cfg.Config, "via", log)
	if err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	member, err := consul.Join(cfg.Member, "via", "", srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting via: %w", err)
	}
	return &Via{cfg: cfg, log: log, http: srv, member: member}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Via) HTTP() *service.Server { return d.http }

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters and drains HTTP within the grace period.
func (d *Via) Run(ctx context.Context) error {
	return d.http.ServeWith(ctx, d.member.Run)
}
