package gateway

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Gateway is a running gateway daemon.
type Gateway struct {
	cfg  Config
	log  *zap.Logger
	http *service.Server
}

// New builds the daemon and binds its listeners; Run starts it.
func New(cfg Config, log *zap.Logger) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	srv, err := service.NewServer(cfg.Config, "gateway", log)
	if err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	return &Gateway{cfg: cfg, log: log, http: srv}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Gateway) HTTP() *service.Server { return d.http }

// Run serves until ctx is cancelled, then shuts down within the grace
// period.
func (d *Gateway) Run(ctx context.Context) error {
	return d.http.Serve(ctx)
}
