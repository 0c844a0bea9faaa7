package carrier

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Carrier is a running carrier daemon.
type Carrier struct {
	cfg  Config
	log  *zap.Logger
	http *service.Server
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
	return &Carrier{cfg: cfg, log: log, http: srv}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Carrier) HTTP() *service.Server { return d.http }

// Run serves until ctx is cancelled, then shuts down within the grace
// period.
func (d *Carrier) Run(ctx context.Context) error {
	return d.http.Serve(ctx)
}
