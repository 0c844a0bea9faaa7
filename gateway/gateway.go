package gateway

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
)

// Gateway is a running gateway daemon.
type Gateway struct {
	cfg    Config
	log    *zap.Logger
	http   *service.Server
	member *consul.Member
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
	member, err := consul.Join(cfg.Member, "gateway", common.HexToAddress(cfg.Provider).Hex(), srv, log)
	if err != nil {
		return nil, fmt.Errorf("starting gateway: %w", err)
	}
	return &Gateway{cfg: cfg, log: log, http: srv, member: member}, nil
}

// HTTP is the daemon's HTTP server (its address, registry and checks).
func (d *Gateway) HTTP() *service.Server { return d.http }

// Run serves and keeps the daemon registered in Consul until ctx is
// cancelled; then it deregisters and drains HTTP within the grace period.
func (d *Gateway) Run(ctx context.Context) error {
	return d.http.ServeWith(ctx, d.member.Run)
}
