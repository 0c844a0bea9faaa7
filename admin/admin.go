package admin

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Admin is a running admin daemon.
type Admin struct {
	cfg  Config
	log  *zap.Logger
	http *service.Server
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
	return &Admin{cfg: cfg, log: log, http: srv}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Admin) HTTP() *service.Server { return d.http }

// Run serves until ctx is cancelled, then shuts down within the grace
// period.
func (d *Admin) Run(ctx context.Context) error {
	return d.http.Serve(ctx)
}
