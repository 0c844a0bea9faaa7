package consul

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/service"
)

// Service names: every daemon registers under its role.
const (
	ServiceCarrier = "carrier"
	ServiceAdmin   = "admin"
	ServiceGateway = "gateway"
	ServiceVia     = "via"
)

// Service meta keys every registration carries (provider: gateways only).
const (
	MetaOrg      = "org"
	MetaVersion  = "version"
	MetaProvider = "provider"
)

// Registration defaults.
const (
	DefaultCheckPath     = "/healthz"
	DefaultCheckInterval = 2 * time.Second
	DefaultCheckTimeout  = 1 * time.Second
	// DefaultDeregisterCriticalAfter is also Consul's floor: an agent
	// raises anything shorter to one minute (check_deregister_interval_min,
	// not configurable) and reaps critical services every 30 seconds, so a
	// dead daemon leaves the catalog 60-90 s after its check turned
	// critical. Its check is critical, so watchers drop it at once.
	DefaultDeregisterCriticalAfter = time.Minute
	// DefaultSyncInterval is how often a Registrar checks that the agent
	// still has its service.
	DefaultSyncInterval = 2 * time.Second
)

// Registration is what a daemon registers in its organization's agent.
type Registration struct {
	// Name is the service name: carrier, admin, gateway or via.
	Name string
	// ID is unique on the agent; default <name>-<address>-<port>.
	ID string
	// Org is the organization id, a lowercase DNS label (meta "org").
	Org string
	// Version is the daemon's version (meta "version"); default
	// service.Version().
	Version string
	// Provider is the provider's Ethereum address, 0x + 40 hex digits
	// (meta "provider"); required for gateways and only for them.
	Provider string
	// Address and Port are where other daemons reach this one, and where
	// the agent sends the health check: a routable address, not 0.0.0.0.
	Address string
	Port    int
	// Tags and Meta are extra. The org and a gateway's provider (lowercase)
	// are always added as tags; Meta must not set org, version or provider.
	Tags []string
	Meta map[string]string
	// CheckPath is the HTTP health check path; default /healthz.
	CheckPath string
	// CheckInterval and CheckTimeout default to 2s and 1s; the agent runs
	// checks at most once a second.
	CheckInterval, CheckTimeout time.Duration
	// DeregisterCriticalAfter removes the service after its check has been
	// critical this long; default one minute, which is also the least the
	// agent honours (see DefaultDeregisterCriticalAfter).
	DeregisterCriticalAfter time.Duration
	// SyncInterval is how often the Registrar checks that the agent still
	// has the service and registers it again if not; default 2s.
	SyncInterval time.Duration
}

var (
	orgRE      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	providerRE = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	metaKeyRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	idRE       = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,128}$`)
)

// Consul's limits on service meta and checks.
const (
	minCheckInterval = time.Second
	maxMetaPairs     = 64
	maxMetaValueLen  = 512
)

// ValidateOrg reports whether org is a valid organization id: a lowercase
// DNS label (a-z, 0-9, '-', at most 63 characters, no leading or trailing
// '-').
func ValidateOrg(org string) error {
	if !orgRE.MatchString(org) {
		return fmt.Errorf("organization %q: want a lowercase DNS label (a-z, 0-9 and '-', at most 63 characters)", org)
	}
	return nil
}

// withDefaults fills the defaults in a copy of r.
func (r Registration) withDefaults() Registration {
	if r.Version == "" {
		r.Version = service.Version()
	}
	if r.CheckPath == "" {
		r.CheckPath = DefaultCheckPath
	}
	if r.CheckInterval == 0 {
		r.CheckInterval = DefaultCheckInterval
	}
	if r.CheckTimeout == 0 {
		r.CheckTimeout = DefaultCheckTimeout
	}
	if r.DeregisterCriticalAfter == 0 {
		r.DeregisterCriticalAfter = DefaultDeregisterCriticalAfter
	}
	if r.SyncInterval == 0 {
		r.SyncInterval = DefaultSyncInterval
	}
	if r.ID == "" && r.Name != "" && r.Address != "" {
		r.ID = r.Name + "-" + strings.ReplaceAll(r.Address, ":", "_") + "-" + strconv.Itoa(r.Port)
	}
	return r
}

// Validate reports the first problem with r after defaults are applied.
func (r Registration) Validate() error {
	r = r.withDefaults()
	switch r.Name {
	case ServiceCarrier, ServiceAdmin, ServiceGateway, ServiceVia:
	default:
		return fmt.Errorf("service name %q: want carrier, admin, gateway or via", r.Name)
	}
	if err := ValidateOrg(r.Org); err != nil {
		return err
	}
	if r.Name == ServiceGateway && !providerRE.MatchString(r.Provider) {
		return fmt.Errorf("gateway provider %q: want the provider's address, 0x and 40 hex digits", r.Provider)
	}
	if r.Name != ServiceGateway && r.Provider != "" {
		return fmt.Errorf("provider %q: only gateways have a provider", r.Provider)
	}
	if r.Address == "" {
		return errors.New("service address: must not be empty")
	}
	if ip := net.ParseIP(r.Address); ip != nil && ip.IsUnspecified() {
		return fmt.Errorf("service address %s: other daemons cannot reach an unspecified address; advertise a routable one", r.Address)
	}
	if r.Port <= 0 || r.Port > 65535 {
		return fmt.Errorf("service port %d: want 1-65535", r.Port)
	}
	if !idRE.MatchString(r.ID) {
		return fmt.Errorf("service id %q: want 1-128 of A-Z a-z 0-9 _ . : -", r.ID)
	}
	if !strings.HasPrefix(r.CheckPath, "/") {
		return fmt.Errorf("check path %q: must start with /", r.CheckPath)
	}
	if r.CheckInterval < minCheckInterval || r.CheckTimeout <= 0 || r.CheckTimeout > r.CheckInterval {
		return fmt.Errorf("check interval %s and timeout %s: want interval >= %s (the agent's minimum) and 0 < timeout <= interval",
			r.CheckInterval, r.CheckTimeout, minCheckInterval)
	}
	if r.DeregisterCriticalAfter < 0 {
		return fmt.Errorf("deregister-critical-after %s: must not be negative", r.DeregisterCriticalAfter)
	}
	if r.SyncInterval < 100*time.Millisecond {
		return fmt.Errorf("sync interval %s: want at least 100ms", r.SyncInterval)
	}
	if r.Version == "" || len(r.Version) > maxMetaValueLen {
		return fmt.Errorf("version %q: want 1-%d characters", r.Version, maxMetaValueLen)
	}
	if len(r.Meta)+3 > maxMetaPairs {
		return fmt.Errorf("meta: at most %d extra keys", maxMetaPairs-3)
	}
	for k, v := range r.Meta {
		switch k {
		case MetaOrg, MetaVersion, MetaProvider:
			return fmt.Errorf("meta key %q: set by the registration itself", k)
		}
		if !metaKeyRE.MatchString(k) || strings.HasPrefix(k, "consul-") {
			return fmt.Errorf("meta key %q: want 1-128 of A-Z a-z 0-9 _ -, not starting with consul-", k)
		}
		if len(v) > maxMetaValueLen {
			return fmt.Errorf("meta %q: value longer than %d", k, maxMetaValueLen)
		}
	}
	for _, t := range r.Tags {
		if t == "" {
			return errors.New("tags: empty tag")
		}
	}
	return nil
}

// CheckURL is the URL the agent probes.
func (r Registration) CheckURL() string {
	r = r.withDefaults()
	return "http://" + net.JoinHostPort(r.Address, strconv.Itoa(r.Port)) + r.CheckPath
}

func (r Registration) agentRegistration() *api.AgentServiceRegistration {
	meta := maps.Clone(r.Meta)
	if meta == nil {
		meta = map[string]string{}
	}
	meta[MetaOrg] = r.Org
	meta[MetaVersion] = r.Version
	if r.Provider != "" {
		meta[MetaProvider] = r.Provider
	}
	// The org, and a gateway's provider, are also tags: they show in
	// `consul catalog services -tags` and work in DNS
	// (<tag>.<service>.service.consul).
	tags := slices.Clone(r.Tags)
	tags = append(tags, r.Org)
	if r.Provider != "" {
		tags = append(tags, strings.ToLower(r.Provider))
	}
	slices.Sort(tags)
	tags = slices.Compact(tags)
	return &api.AgentServiceRegistration{
		ID:      r.ID,
		Name:    r.Name,
		Address: r.Address,
		Port:    r.Port,
		Tags:    tags,
		Meta:    meta,
		Check: &api.AgentServiceCheck{
			CheckID:                        "service:" + r.ID,
			Name:                           r.Name + " " + r.CheckPath,
			HTTP:                           r.CheckURL(),
			Method:                         "GET",
			Interval:                       r.CheckInterval.String(),
			Timeout:                        r.CheckTimeout.String(),
			DeregisterCriticalServiceAfter: r.DeregisterCriticalAfter.String(),
		},
	}
}

// Registrar keeps one service registered in the local agent for as long as
// Run runs: it registers, checks every SyncInterval that the agent still has
// the service (an agent that restarted has lost it) and registers it again,
// and deregisters when Run's context ends. Consul being unreachable never
// ends Run: it retries with backoff and Ready reports the problem.
type Registrar struct {
	agent agentAPI
	reg   Registration
	svc   *api.AgentServiceRegistration
	addr  string
	log   *zap.Logger

	// skipDeregister makes Run end as a killed process would, leaving the
	// service to its health check (tests).
	skipDeregister bool

	mu         sync.Mutex
	registered bool
	lastErr    error
}

// NewRegistrar validates reg (after defaults) and returns a Registrar that
// registers it through c.
func NewRegistrar(c *api.Client, reg Registration, log *zap.Logger) (*Registrar, error) {
	return newRegistrar(c.Agent(), agentAddr(c), reg, log)
}

func newRegistrar(agent agentAPI, addr string, reg Registration, log *zap.Logger) (*Registrar, error) {
	reg = reg.withDefaults()
	if err := reg.Validate(); err != nil {
		return nil, fmt.Errorf("consul registration: %w", err)
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Registrar{
		agent: agent,
		reg:   reg,
		svc:   reg.agentRegistration(),
		addr:  addr,
		log:   log.Named("consul").With(zap.String("service", reg.Name), zap.String("service_id", reg.ID)),
	}, nil
}

// Registration returns the registration with its defaults filled in.
func (r *Registrar) Registration() Registration { return r.reg }

// Run keeps the service registered until ctx is done, then deregisters it
// (bounded by a few seconds of its own) and returns nil. Call it, and let
// it return, before the HTTP server drains, so that nobody is sent to a
// daemon that is going away.
func (r *Registrar) Run(ctx context.Context) error {
	b := service.Backoff{First: 250 * time.Millisecond, Max: 4 * time.Second, Jitter: true}
	failing, ever := false, false
	for {
		added, err := r.sync(ctx)
		if ctx.Err() != nil {
			break
		}
		r.setState(err == nil, err)
		var wait time.Duration
		switch {
		case err != nil:
			if !failing {
				r.log.Warn("cannot register with consul; retrying", zap.String("agent", r.addr), zap.Error(err))
				failing = true
			}
			wait = b.Next()
		default:
			switch {
			case !ever:
				r.log.Info("registered with consul", zap.String("agent", r.addr), zap.String("check", r.reg.CheckURL()))
			case added:
				r.log.Info("registered with consul again: the agent had lost the service (restarted?)", zap.String("agent", r.addr))
			case failing:
				r.log.Info("consul reachable again; service still registered", zap.String("agent", r.addr))
			}
			failing, ever = false, true
			b.Reset()
			wait = r.reg.SyncInterval
		}
		if !service.Sleep(ctx, wait) {
			break
		}
	}
	r.setState(false, errors.New("stopping"))
	if r.skipDeregister {
		return nil
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	if err := r.agent.ServiceDeregisterOpts(r.reg.ID, queryOpts(dctx, api.QueryOptions{})); err != nil && !isNotFound(err) {
		// Not fatal: the check turns critical once the daemon is gone and
		// the agent removes the service after DeregisterCriticalAfter.
		r.log.Warn("deregistering from consul failed; the health check will retire the service", zap.Error(err))
		return nil
	}
	r.log.Info("deregistered from consul")
	return nil
}

// sync registers the service if the agent does not have it as registered;
// added reports that it did.
func (r *Registrar) sync(ctx context.Context) (added bool, err error) {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	have, _, err := r.agent.Service(r.reg.ID, queryOpts(cctx, api.QueryOptions{}))
	switch {
	case err == nil && r.matches(have):
		return false, nil
	case err != nil && !isNotFound(err):
		return false, fmt.Errorf("reading service %s from the agent: %w", r.reg.ID, err)
	}
	opts := api.ServiceRegisterOpts{ReplaceExistingChecks: true}.WithContext(cctx)
	if err := r.agent.ServiceRegisterOpts(r.svc, opts); err != nil {
		return false, fmt.Errorf("registering service %s: %w", r.reg.ID, err)
	}
	return true, nil
}

// matches reports whether the agent's copy is ours (an operator or another
// process may have replaced it under the same id).
func (r *Registrar) matches(have *api.AgentService) bool {
	return have != nil && have.Service == r.svc.Name && have.Address == r.svc.Address &&
		have.Port == r.svc.Port && maps.Equal(have.Meta, r.svc.Meta)
}

func (r *Registrar) setState(registered bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.registered = registered
	r.lastErr = err
}

// Ready is a readiness check for /readyz: nil while the service is
// registered, else why not.
func (r *Registrar) Ready(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.registered {
		return nil
	}
	if r.lastErr == nil {
		return fmt.Errorf("not registered with consul at %s: not yet", r.addr)
	}
	return fmt.Errorf("not registered with consul at %s: %w", r.addr, r.lastErr)
}
