package identity

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// ErrNotRegistered: the Registry has no record of the provider (the
// carrier registers it); nothing can be listed yet.
var ErrNotRegistered = errors.New("provider not registered in the Registry")

// ErrOwnerMismatch: the Registry binds the provider to another owner than
// the gateway's --owner; the gateway does not list it (orders would pay
// that owner).
var ErrOwnerMismatch = errors.New("the provider's owner in the Registry is not the gateway's owner")

// Terms are what the Registry holds for the provider, written by the
// organization's carrier: the listing takes its gateway URL, region and
// prices from here, so that what the directory shows is what the Market
// charges.
type Terms struct {
	// Owner is the provider's owner, the payee of its orders; the listing
	// names it.
	Owner      common.Address
	GatewayURL string
	Region     string
	// Capacity is the registered (informational) capacity: the listing's
	// capacity when the gateway has no cluster to measure.
	Capacity market.Resources
	Prices   market.Prices
}

// TermsSource reads the provider's terms.
type TermsSource interface {
	Terms(ctx context.Context) (Terms, error)
}

// CapacitySource measures what the provider's cluster has and has free.
type CapacitySource interface {
	Capacity(ctx context.Context) (total, free market.Resources, err error)
}

// Carrier takes a signed listing (and its signed withdrawal) for the
// organization's network.
type Carrier interface {
	Publish(ctx context.Context, record, withdrawal []byte) error
}

// SeqSource reserves two consecutive sequence numbers (record, withdrawal)
// higher than any reserved before by any replica.
type SeqSource interface {
	Reserve(ctx context.Context) (uint64, error)
}

// RegistryTerms reads Terms from the Registry contract.
type RegistryTerms struct {
	reg      *registry.RegistryCaller
	provider common.Address
}

// NewRegistryTerms binds the Registry at addr through caller.
func NewRegistryTerms(caller bind.ContractCaller, addr, provider common.Address) (*RegistryTerms, error) {
	r, err := registry.NewRegistryCaller(addr, caller)
	if err != nil {
		return nil, fmt.Errorf("binding the registry: %w", err)
	}
	return &RegistryTerms{reg: r, provider: provider}, nil
}

// Terms calls Registry.getProvider.
func (t *RegistryTerms) Terms(ctx context.Context) (Terms, error) {
	p, err := t.reg.GetProvider(&bind.CallOpts{Context: ctx}, t.provider)
	if err != nil {
		return Terms{}, fmt.Errorf("reading the provider's registry record: %w", err)
	}
	if p.Owner == (common.Address{}) {
		return Terms{}, fmt.Errorf("%w: %s", ErrNotRegistered, t.provider.Hex())
	}
	return Terms{
		Owner:      p.Owner,
		GatewayURL: p.Url,
		Region:     p.Region,
		Capacity: market.Resources{CPUMillis: p.Capacity.CpuMillis, MemoryBytes: p.Capacity.MemoryBytes,
			StorageBytes: p.Capacity.StorageBytes, GPUs: p.Capacity.Gpus, GPUModel: p.Capacity.GpuModel},
		Prices: market.Prices{CPUMilli: p.Prices.CpuMilli, MemoryMiB: p.Prices.MemoryMiB, StorageGiB: p.Prices.StorageGiB, GPU: p.Prices.Gpu},
	}, nil
}

// Options configure a Publisher.
type Options struct {
	// Org is the organization id of the listing.
	Org string
	// Owner is the organization wallet the gateway serves (--owner): the
	// listing is not published while the Registry names another owner.
	// Zero: the Registry's owner is listed as it is (with a warning).
	Owner common.Address
	// PublicURL, when set, is the organization's public base URL (its
	// via): the listing's gateway URL is PublicURL/gw/<provider> instead of
	// the Registry's.
	PublicURL string
	// Labels are the listing's labels.
	Labels map[string]string
	// TTL is how long a listing is valid; it is signed again at half of
	// it. Default 1 h.
	TTL time.Duration
	// Interval is how often capacity and terms are read for changes.
	// Default 30 s.
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Publisher keeps the provider's listing published through the carrier.
type Publisher struct {
	id      *Identity
	opts    Options
	terms   TermsSource
	cap     CapacitySource
	carrier Carrier
	seq     SeqSource
	log     *zap.Logger
	m       *pubMetrics

	mu     sync.Mutex
	last   *listing.Record
	err    error
	warned bool // about listing without --owner
}

// NewPublisher returns a publisher. capacity may be nil: the registered
// capacity is listed then, all of it free.
func NewPublisher(id *Identity, opts Options, terms TermsSource, capacity CapacitySource, carrier Carrier, seq SeqSource,
	reg prometheus.Registerer, log *zap.Logger) (*Publisher, error) {
	if opts.TTL <= 0 {
		opts.TTL = time.Hour
	}
	if opts.Interval <= 0 {
		opts.Interval = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if log == nil {
		log = zap.NewNop()
	}
	probe := &listing.Record{Version: listing.Version2, Provider: id.Address(), Owner: common.Address{1}, Org: opts.Org, GatewayURL: "https://x.invalid",
		Labels: opts.Labels, Seq: 1, IssuedAt: 1, Expires: 2}
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("listing terms: %w", err)
	}
	return &Publisher{id: id, opts: opts, terms: terms, cap: capacity, carrier: carrier, seq: seq,
		log: log.Named("listing"), m: newPubMetrics(reg)}, nil
}

// Last is the last listing published, nil before the first.
func (p *Publisher) Last() *listing.Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// Ready reports whether a listing is published (a readiness check would
// make a gateway without a carrier unready; it is exposed for status).
func (p *Publisher) Ready(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		if p.err != nil {
			return fmt.Errorf("listing not published: %w", p.err)
		}
		return errors.New("listing not published yet")
	}
	return nil
}

// Run publishes the listing, then checks it every Interval and publishes a
// new one when its content changed or half its TTL has passed, until ctx
// is done. Failures are retried with backoff.
func (p *Publisher) Run(ctx context.Context) error {
	backoff := service.Backoff{First: time.Second, Max: time.Minute}
	failing := false
	for {
		wait := p.opts.Interval
		published, err := p.Once(ctx)
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			if !failing {
				p.log.Warn("publishing the listing failed; retrying", zap.Error(err))
			} else {
				p.log.Debug("publishing the listing failed", zap.Error(err))
			}
			failing = true
			wait = min(backoff.Next(), p.opts.Interval)
		default:
			if failing {
				p.log.Info("listing published again")
			}
			failing = false
			backoff.Reset()
			if published {
				r := p.Last()
				p.log.Info("listing published", zap.Uint64("seq", r.Seq), zap.String("gateway_url", r.GatewayURL),
					zap.Uint64("free_cpu_millis", r.Capacity.Free.CPUMillis), zap.Uint64("free_memory_bytes", r.Capacity.Free.MemoryBytes),
					zap.Time("expires", time.Unix(r.Expires, 0)))
			}
		}
		if !service.Sleep(ctx, wait) {
			return nil
		}
	}
}

// Once builds the current listing and publishes it if it differs from the
// last one or that one is past half its life. It reports whether it
// published.
func (p *Publisher) Once(ctx context.Context) (bool, error) {
	next, err := p.build(ctx)
	if err != nil {
		result := "error"
		if errors.Is(err, ErrOwnerMismatch) {
			result = "owner_mismatch"
		}
		p.m.publishes.WithLabelValues(result).Inc()
		return false, err
	}
	now := p.opts.Now()
	last := p.Last()
	if last != nil && sameContent(last, next) && now.Unix() < last.IssuedAt+int64(p.opts.TTL/time.Second)/2 {
		return false, nil
	}
	seq, err := p.seq.Reserve(ctx)
	if err != nil {
		p.m.publishes.WithLabelValues("error").Inc()
		return false, fmt.Errorf("reserving a sequence number: %w", err)
	}
	next.Seq, next.IssuedAt = seq, now.Unix()
	next.Expires = next.IssuedAt + int64(p.opts.TTL/time.Second)
	if err := p.id.Sign(next); err != nil {
		return false, err
	}
	raw, err := listing.Marshal(next)
	if err != nil {
		return false, err
	}
	w := &listing.Record{Version: listing.Version2, Provider: next.Provider, Owner: next.Owner, Org: next.Org, Seq: seq + 1,
		IssuedAt: next.IssuedAt, Expires: next.Expires, Tombstone: true}
	if err := p.id.Sign(w); err != nil {
		return false, err
	}
	wraw, err := listing.Marshal(w)
	if err != nil {
		return false, err
	}
	if err := p.carrier.Publish(ctx, raw, wraw); err != nil {
		p.m.publishes.WithLabelValues("error").Inc()
		return false, err
	}
	p.m.publishes.WithLabelValues("ok").Inc()
	p.m.seq.Set(float64(seq))
	p.mu.Lock()
	p.last = next
	p.mu.Unlock()
	return true, nil
}

// build assembles the unsigned listing from the terms and the capacity.
func (p *Publisher) build(ctx context.Context) (*listing.Record, error) {
	t, err := p.terms.Terms(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.checkOwner(t.Owner); err != nil {
		return nil, err
	}
	url := t.GatewayURL
	if p.opts.PublicURL != "" {
		url = strings.TrimRight(p.opts.PublicURL, "/") + "/gw/" + strings.ToLower(p.id.Address().Hex())
	}
	total, free := t.Capacity, t.Capacity
	if p.cap != nil {
		if total, free, err = p.cap.Capacity(ctx); err != nil {
			return nil, fmt.Errorf("measuring capacity: %w", err)
		}
		total.GPUModel, free.GPUModel = t.Capacity.GPUModel, t.Capacity.GPUModel
	}
	free = clampFree(total, free)
	r := &listing.Record{
		Version: listing.Version2, Provider: p.id.Address(), Owner: t.Owner, Org: p.opts.Org, GatewayURL: url,
		Capacity: listing.Capacity{Total: total, Free: free}, Prices: t.Prices, Region: t.Region,
		Labels: maps.Clone(p.opts.Labels),
	}
	// Validate the content with placeholder times and seq.
	probe := *r
	probe.Seq, probe.IssuedAt, probe.Expires = 1, 1, 2
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("listing: %w", err)
	}
	return r, nil
}

// checkOwner refuses to list the provider for another owner than the
// configured one; without one, it warns once that the Registry's is used.
func (p *Publisher) checkOwner(registered common.Address) error {
	if p.opts.Owner != (common.Address{}) {
		if registered != p.opts.Owner {
			return fmt.Errorf("%w: the Registry binds provider %s to %s, --owner is %s; not publishing a listing that names %s (transfer the provider back, or fix --owner)",
				ErrOwnerMismatch, p.id.Address().Hex(), registered.Hex(), p.opts.Owner.Hex(), registered.Hex())
		}
		return nil
	}
	p.mu.Lock()
	warned := p.warned
	p.warned = true
	p.mu.Unlock()
	if !warned {
		p.log.Warn("no --owner: the listing names the provider's owner in the Registry, unchecked", zap.Stringer("owner", registered))
	}
	return nil
}

func clampFree(total, free market.Resources) market.Resources {
	free.CPUMillis = min(free.CPUMillis, total.CPUMillis)
	free.MemoryBytes = min(free.MemoryBytes, total.MemoryBytes)
	free.StorageBytes = min(free.StorageBytes, total.StorageBytes)
	free.GPUs = min(free.GPUs, total.GPUs)
	free.GPUModel = total.GPUModel
	return free
}

func sameContent(a, b *listing.Record) bool {
	return a.Owner == b.Owner && a.GatewayURL == b.GatewayURL && a.Region == b.Region && a.Capacity == b.Capacity &&
		eqInt(a.Prices.CPUMilli, b.Prices.CPUMilli) && eqInt(a.Prices.MemoryMiB, b.Prices.MemoryMiB) &&
		eqInt(a.Prices.StorageGiB, b.Prices.StorageGiB) && eqInt(a.Prices.GPU, b.Prices.GPU) && maps.Equal(a.Labels, b.Labels)
}

func eqInt(a, b *big.Int) bool {
	if a == nil || b == nil {
		return (a == nil || a.Sign() == 0) && (b == nil || b.Sign() == 0)
	}
	return a.Cmp(b) == 0
}

type pubMetrics struct {
	publishes *prometheus.CounterVec
	seq       prometheus.Gauge
}

func newPubMetrics(reg prometheus.Registerer) *pubMetrics {
	m := &pubMetrics{
		publishes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_listing_publishes_total",
			Help: "Attempts to publish the provider's signed listing through the carrier, by result (ok, error, owner_mismatch: the Registry names another owner than --owner).",
		}, []string{"result"}),
		seq: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridnode_gateway_listing_seq",
			Help: "Sequence number of the last listing published.",
		}),
	}
	for _, r := range []string{"ok", "error", "owner_mismatch"} {
		m.publishes.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.publishes, m.seq)
	}
	return m
}
