package consul

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Settings are an organization's shared settings, one KV key each under
// gridnode/<org>/settings/ (see the Setting* constants). An empty field is
// an absent key.
type Settings struct {
	// OrgName is the organization's display name.
	OrgName string
	// ChainRPC is the EVM JSON-RPC endpoint (http, https, ws or wss URL).
	ChainRPC string
	// Contracts are the addresses of the market's contracts.
	Contracts Contracts
}

// Contracts are contract addresses, 0x and 40 hex digits.
type Contracts struct {
	Token, Registry, Market string
}

// Keys of the settings, relative to gridnode/<org>/settings/.
const (
	SettingOrgName          = "org-name"
	SettingChainRPC         = "chain-rpc"
	SettingContractToken    = "contracts/token"
	SettingContractRegistry = "contracts/registry"
	SettingContractMarket   = "contracts/market"
)

const (
	settingsDir             = "settings/"
	maxSettingLen           = 2048
	settingsWatchMinBackoff = 250 * time.Millisecond
	settingsWatchMaxBackoff = 10 * time.Second
)

// SettingsPrefix is gridnode/<org>/settings/.
func SettingsPrefix(org string) (string, error) {
	p, err := OrgPrefix(org)
	if err != nil {
		return "", err
	}
	return p + settingsDir, nil
}

func (s *Settings) fields() []struct {
	key string
	val *string
} {
	return []struct {
		key string
		val *string
	}{
		{SettingOrgName, &s.OrgName},
		{SettingChainRPC, &s.ChainRPC},
		{SettingContractToken, &s.Contracts.Token},
		{SettingContractRegistry, &s.Contracts.Registry},
		{SettingContractMarket, &s.Contracts.Market},
	}
}

// Validate checks the fields that are set.
func (s Settings) Validate() error {
	for _, f := range s.fields() {
		if len(*f.val) > maxSettingLen {
			return fmt.Errorf("setting %s: longer than %d", f.key, maxSettingLen)
		}
	}
	if s.ChainRPC != "" {
		u, err := url.Parse(s.ChainRPC)
		if err != nil {
			return fmt.Errorf("setting %s: %w", SettingChainRPC, err)
		}
		switch u.Scheme {
		case "http", "https", "ws", "wss":
		default:
			return fmt.Errorf("setting %s %q: want an http, https, ws or wss URL", SettingChainRPC, s.ChainRPC)
		}
		if u.Host == "" {
			return fmt.Errorf("setting %s %q: no host", SettingChainRPC, s.ChainRPC)
		}
	}
	for _, c := range []struct{ key, addr string }{
		{SettingContractToken, s.Contracts.Token},
		{SettingContractRegistry, s.Contracts.Registry},
		{SettingContractMarket, s.Contracts.Market},
	} {
		if c.addr != "" && !providerRE.MatchString(c.addr) {
			return fmt.Errorf("setting %s %q: want 0x and 40 hex digits", c.key, c.addr)
		}
	}
	return nil
}

func settingsFrom(prefix string, pairs api.KVPairs) Settings {
	var s Settings
	fields := s.fields()
	for _, p := range pairs {
		rel := strings.TrimPrefix(p.Key, prefix)
		for _, f := range fields {
			if f.key == rel {
				*f.val = string(p.Value)
			}
		}
	}
	return s
}

// ReadSettings reads an organization's settings; absent keys are empty
// fields. It does not validate them: call Validate before use.
func (k *KV) ReadSettings(ctx context.Context, org string) (Settings, error) {
	prefix, err := SettingsPrefix(org)
	if err != nil {
		return Settings{}, err
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	pairs, _, err := k.kv.List(prefix, queryOpts(ctx, api.QueryOptions{}))
	if err != nil {
		return Settings{}, fmt.Errorf("reading settings %s: %w", prefix, err)
	}
	return settingsFrom(prefix, pairs), nil
}

// WriteSettings validates s and writes all its keys in one transaction:
// set fields are written, empty ones deleted. Watchers never see half an
// update.
func (k *KV) WriteSettings(ctx context.Context, org string, s Settings) error {
	prefix, err := SettingsPrefix(org)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	var ops api.KVTxnOps
	for _, f := range s.fields() {
		op := &api.KVTxnOp{Verb: api.KVDelete, Key: prefix + f.key}
		if *f.val != "" {
			op = &api.KVTxnOp{Verb: api.KVSet, Key: prefix + f.key, Value: []byte(*f.val)}
		}
		ops = append(ops, op)
	}
	ctx, cancel := withCallTimeout(ctx)
	defer cancel()
	ok, resp, _, err := k.kv.Txn(ops, queryOpts(ctx, api.QueryOptions{}))
	if err != nil {
		return fmt.Errorf("writing settings %s: %w", prefix, err)
	}
	if !ok {
		var msgs []string
		if resp != nil {
			for _, e := range resp.Errors {
				msgs = append(msgs, e.What)
			}
		}
		return fmt.Errorf("writing settings %s: transaction rolled back: %s", prefix, strings.Join(msgs, "; "))
	}
	return nil
}

// WatchSettings calls fn with the organization's settings once it has read
// them, then again each time they change, until ctx is done (it then
// returns nil). It uses blocking queries on the settings prefix; while
// Consul is unreachable it retries with backoff and fn keeps the last
// settings it got. fn runs on the watching goroutine: a slow fn delays the
// next read, never loses the latest value.
func (k *KV) WatchSettings(ctx context.Context, org string, fn func(Settings)) error {
	prefix, err := SettingsPrefix(org)
	if err != nil {
		return err
	}
	if fn == nil {
		return errors.New("watch settings: nil callback")
	}
	log := k.log.With(zap.String("watch", prefix))
	b := service.Backoff{First: settingsWatchMinBackoff, Max: settingsWatchMaxBackoff, Jitter: true}
	var (
		index   uint64
		last    Settings
		have    bool
		failing bool
	)
	for {
		start := time.Now()
		q := queryOpts(ctx, api.QueryOptions{WaitIndex: index, WaitTime: DefaultWaitTime})
		pairs, meta, err := k.kv.List(prefix, q)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if !failing {
				log.Warn("consul query failed; keeping the last settings", zap.Error(err))
				failing = true
			}
			index = 0
			if !service.Sleep(ctx, b.Next()) {
				return nil
			}
			continue
		}
		if failing {
			log.Info("consul query succeeds again")
			failing = false
		}
		b.Reset()
		index = nextIndex(index, meta.LastIndex)
		if s := settingsFrom(prefix, pairs); !have || s != last {
			last, have = s, true
			fn(s)
		}
		if d := minQueryGap - time.Since(start); d > 0 && !service.Sleep(ctx, d) {
			return nil
		}
	}
}
