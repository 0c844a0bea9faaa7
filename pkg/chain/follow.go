package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
)

// Why a Follower runs no session, as it tells FollowerConfig.Idle. Test
// them with errors.Is; the messages are written to be shown as they are
// (the carrier's GET /v1/chain "problem").
var (
	// ErrAwaitingSettings: the settings have not been read from Consul KV
	// yet.
	ErrAwaitingSettings = errors.New("waiting for the org settings in Consul KV")
	// ErrIncompleteSettings: a setting the sessions need is neither a flag
	// nor in Consul KV; the message names the missing ones ("chain settings
	// incomplete: no chain RPC, market address").
	ErrIncompleteSettings = errors.New("chain settings incomplete")
	// ErrInvalidSettings: the settings do not pass consul.Settings.Validate
	// ("chain settings invalid: …").
	ErrInvalidSettings = errors.New("chain settings invalid")
	// ErrUnavailable: dialing the chain failed, or a session ended with an
	// error; the follower dials again after a backoff ("chain unavailable:
	// …", the error redacted by RedactError).
	ErrUnavailable = errors.New("chain unavailable")
)

// SettingsWatcher follows an organization's settings in Consul KV:
// (*consul.KV).WatchSettings. It calls fn with the settings once read and
// again at each change, until ctx is done.
type SettingsWatcher interface {
	WatchSettings(ctx context.Context, org string, fn func(consul.Settings)) error
}

// Needs says which contract addresses a follower's sessions need besides
// the chain RPC, which they always need. Settings a follower does not need
// are left out of the ones it hands on, so that changing them does not
// restart its session.
type Needs struct {
	Token, Registry, Market bool
}

// Conn is a dialed chain handed to a session: the client, the chain id it
// reported, and the settings it was dialed with (the needed fields only;
// OrgName is always empty).
type Conn struct {
	Client   *ethclient.Client
	ChainID  *big.Int
	Settings consul.Settings
}

// FollowerConfig configures a Follower.
type FollowerConfig struct {
	// Org is the organization whose settings are followed
	// (gridnode/<org>/settings/ in Consul KV).
	Org string
	// Flags are the settings given on the command line: each non-empty
	// ChainRPC or Contracts field overrides Consul KV's. When the flags
	// hold every needed setting, KV is not read at all (Static).
	Flags consul.Settings
	// Needs are the contract addresses the sessions need.
	Needs Needs
	// KV follows the settings in Consul KV; it may be nil when Static.
	KV SettingsWatcher
	// Log receives the follower's own lines (settings incomplete or
	// invalid, a session failing); name it for the daemon's subsystem.
	Log *zap.Logger
	// Session uses a dialed chain. It takes ownership of c.Client and must
	// close it, at once or later (e.g. when a newer Conn replaces it).
	// It runs until it has done what it does with these settings:
	//   - returning nil means done: no new dial until the settings change
	//     (e.g. it stored the client for others to use and returned);
	//   - returning an error (it is logged, and Idle is told ErrUnavailable)
	//     means dial again after a backoff: RetryFirst, doubling up to
	//     RetryMax;
	//   - ctx is cancelled when the settings change or the follower stops;
	//     the session must then return promptly (its result is ignored).
	// The next session starts only after the previous one returned.
	Session func(ctx context.Context, c Conn) error
	// Idle, if set, is told why no session runs whenever that changes:
	// ErrAwaitingSettings at the start (unless Static), an
	// ErrIncompleteSettings or ErrInvalidSettings error when the settings
	// are so, an ErrUnavailable error when a dial or a session failed. It
	// is not called when a session starts: a caller that shows the state
	// marks it from Session. It runs on the follower's goroutines and must
	// not block.
	Idle func(why error)
}

// Follower follows an organization's chain settings (the flags laid over
// the settings in Consul KV) and, for each complete and valid set, dials
// the chain RPC and runs a session with it; when the settings change it
// stops the session and starts another with the new ones. The carrier's
// chain mediator and the gateway's order reader are its sessions.
//
//	f, err := chain.NewFollower(chain.FollowerConfig{
//		Org: org, Flags: consul.Settings{ChainRPC: rpcFlag}, Needs: chain.Needs{Market: true},
//		KV: consul.NewKV(client, log), Log: log,
//		Session: func(ctx context.Context, c chain.Conn) error { … },
//	})
//	…
//	err = f.Run(ctx) // until ctx is done
type Follower struct {
	cfg FollowerConfig
	log *zap.Logger
}

// NewFollower checks cfg and returns its follower; Run starts it.
func NewFollower(cfg FollowerConfig) (*Follower, error) {
	f := &Follower{cfg: cfg, log: cfg.Log}
	if f.log == nil {
		f.log = zap.NewNop()
	}
	switch {
	case cfg.Session == nil:
		return nil, errors.New("chain follower: no session")
	case cfg.KV == nil && !f.Static():
		return nil, errors.New("chain follower: settings not all given by flags, and no Consul KV to read the others")
	}
	return f, nil
}

// Static reports whether the flags hold every needed setting: Consul KV is
// then not read.
func (f *Follower) Static() bool {
	return f.missing(f.cfg.Flags) == ""
}

// Run follows the settings until ctx is done, then stops the running
// session and the watch of Consul KV, waits for both, and returns nil.
func (f *Follower) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var watching sync.WaitGroup
	defer watching.Wait()
	defer cancel()
	updates := make(chan consul.Settings, 1)
	if f.Static() {
		updates <- f.merge(consul.Settings{})
	} else {
		f.log.Info("following the chain settings in Consul KV", zap.String("org", f.cfg.Org))
		f.idle(ErrAwaitingSettings)
		watching.Go(func() {
			_ = f.cfg.KV.WatchSettings(ctx, f.cfg.Org, func(s consul.Settings) {
				select { // keep only the latest
				case <-updates:
				default:
				}
				updates <- f.merge(s)
			})
		})
	}
	var (
		stop func()
		have consul.Settings
		set  bool
	)
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case s := <-updates:
			if set && s == have {
				continue
			}
			have, set = s, true
			if stop != nil {
				f.log.Info("chain settings changed; restarting the chain session")
				stop()
				stop = nil
			}
			if missing := f.missing(s); missing != "" {
				f.log.Warn("chain settings incomplete; waiting", zap.String("missing", missing))
				f.idle(fmt.Errorf("%w: no %s", ErrIncompleteSettings, missing))
				continue
			}
			if err := s.Validate(); err != nil {
				f.log.Error("chain settings invalid; waiting for a fix", zap.Error(err))
				f.idle(fmt.Errorf("%w: %w", ErrInvalidSettings, err))
				continue
			}
			sctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); f.follow(sctx, s) }()
			stop = func() { cancel(); <-done }
		}
	}
}

// follow dials with s and runs sessions, with backoff between failures,
// until one returns nil or ctx is done.
func (f *Follower) follow(ctx context.Context, s consul.Settings) {
	Retry(ctx, func(ctx context.Context) error {
		client, id, err := Dial(ctx, s.ChainRPC)
		if err != nil {
			return err
		}
		return f.cfg.Session(ctx, Conn{Client: client, ChainID: id, Settings: s})
	}, func(err error, wait time.Duration) {
		err = RedactError(err)
		f.log.Warn("chain session failed; retrying", zap.Error(err), zap.Duration("in", wait))
		f.idle(fmt.Errorf("%w: %w", ErrUnavailable, err))
	})
}

func (f *Follower) idle(why error) {
	if f.cfg.Idle != nil {
		f.cfg.Idle(why)
	}
}

// merge lays the flags over the KV settings and keeps the needed fields.
func (f *Follower) merge(kv consul.Settings) consul.Settings {
	out := consul.Settings{ChainRPC: kv.ChainRPC}
	if f.cfg.Flags.ChainRPC != "" {
		out.ChainRPC = f.cfg.Flags.ChainRPC
	}
	for _, c := range []struct {
		need     bool
		flag, kv string
		dst      *string
	}{
		{f.cfg.Needs.Token, f.cfg.Flags.Contracts.Token, kv.Contracts.Token, &out.Contracts.Token},
		{f.cfg.Needs.Registry, f.cfg.Flags.Contracts.Registry, kv.Contracts.Registry, &out.Contracts.Registry},
		{f.cfg.Needs.Market, f.cfg.Flags.Contracts.Market, kv.Contracts.Market, &out.Contracts.Market},
	} {
		switch {
		case !c.need:
		case c.flag != "":
			*c.dst = c.flag
		default:
			*c.dst = c.kv
		}
	}
	return out
}

// missing names the needed settings s lacks, "" if none.
func (f *Follower) missing(s consul.Settings) string {
	var m []string
	for _, c := range []struct {
		need bool
		name string
		val  string
	}{
		{true, "chain RPC", s.ChainRPC},
		{f.cfg.Needs.Token, "token address", s.Contracts.Token},
		{f.cfg.Needs.Registry, "registry address", s.Contracts.Registry},
		{f.cfg.Needs.Market, "market address", s.Contracts.Market},
	} {
		if c.need && c.val == "" {
			m = append(m, c.name)
		}
	}
	return strings.Join(m, ", ")
}
