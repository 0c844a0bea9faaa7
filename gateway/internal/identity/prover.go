package identity

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/service"
)

// Bounds of a registration proof's life (`gateway keys prove --valid-for`).
const (
	DefaultProofValidity = time.Hour
	MaxProofValidity     = 7 * 24 * time.Hour
	// MinProofValidity is above the carrier's margin (it refuses a proof
	// that expires within two minutes).
	MinProofValidity = 5 * time.Minute
)

// SignRegistration signs, with the provider key, the provider's consent
// to r.Owner (r.Provider must be this identity's address).
func (id *Identity) SignRegistration(r regproof.Registration) (regproof.Signed, error) {
	if r.Provider != id.Address() {
		return regproof.Signed{}, fmt.Errorf("signing the registration of %s with the key of %s", r.Provider.Hex(), id.Address().Hex())
	}
	return regproof.NewSigned(r, id.w)
}

// Registration is what the Registry says of the provider, and where.
type Registration struct {
	ChainID  *big.Int
	Registry common.Address
	// Owner is the provider's owner, zero when not registered.
	Owner common.Address
	// Nonce is nonceOf(provider): the nonce the next proof must carry.
	Nonce *big.Int
}

// RegistrationSource reads the provider's registration from the chain.
type RegistrationSource interface {
	Registration(ctx context.Context) (Registration, error)
}

// ReadRegistration reads the provider's owner and nonce from the Registry
// at addr.
func ReadRegistration(ctx context.Context, caller bind.ContractCaller, chainID *big.Int, addr, provider common.Address) (Registration, error) {
	r, err := registry.NewRegistryCaller(addr, caller)
	if err != nil {
		return Registration{}, fmt.Errorf("binding the registry: %w", err)
	}
	opts := &bind.CallOpts{Context: ctx}
	owner, err := r.OwnerOf(opts, provider)
	if err != nil {
		return Registration{}, fmt.Errorf("reading the provider's owner in the Registry at %s: %w", addr.Hex(), err)
	}
	nonce, err := r.NonceOf(opts, provider)
	if err != nil {
		return Registration{}, fmt.Errorf("reading the provider's nonce in the Registry at %s: %w", addr.Hex(), err)
	}
	return Registration{ChainID: chainID, Registry: addr, Owner: owner, Nonce: nonce}, nil
}

// ProofCarrier takes a registration proof for the organization's carrier.
type ProofCarrier interface {
	PostProof(ctx context.Context, proof regproof.Signed) error
}

// ProverOptions configure a Prover.
type ProverOptions struct {
	// Owner is the organization's wallet (--owner): the only owner the
	// prover ever signs for.
	Owner common.Address
	// Validity is a proof's life; it is signed again at half of it.
	// Default DefaultProofValidity.
	Validity time.Duration
	// Interval is how often the Registry is read. Default 30 s.
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Prover keeps the carrier supplied with the provider key's proof of
// possession naming Owner while the Registry does not show the provider
// registered to Owner: it signs one (nonce nonceOf(provider), deadline
// now+Validity) and posts it, again every Interval (a carrier keeps proofs
// in memory only), and signs a new one when the nonce or the chain
// changes or half the proof's life has passed.
type Prover struct {
	id      *Identity
	opts    ProverOptions
	chain   RegistrationSource
	carrier ProofCarrier
	log     *zap.Logger
	m       *ProverMetrics

	mu     sync.Mutex
	last   *regproof.Signed
	signed time.Time
	err    error
}

// NewProver returns a prover of id's proofs for opts.Owner.
func NewProver(id *Identity, opts ProverOptions, chain RegistrationSource, carrier ProofCarrier, reg prometheus.Registerer, log *zap.Logger) (*Prover, error) {
	if opts.Owner == (common.Address{}) {
		return nil, errors.New("registration proofs: the owner is required")
	}
	if opts.Validity <= 0 {
		opts.Validity = DefaultProofValidity
	}
	if opts.Validity < MinProofValidity || opts.Validity > MaxProofValidity {
		return nil, fmt.Errorf("registration proofs: validity %s, want %s to %s", opts.Validity, MinProofValidity, MaxProofValidity)
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
	return &Prover{id: id, opts: opts, chain: chain, carrier: carrier, log: log.Named("registration"), m: newProverMetrics(reg)}, nil
}

// Run checks the registration every Interval until ctx is done (failures
// retried with backoff).
func (p *Prover) Run(ctx context.Context) error {
	backoff := service.Backoff{First: time.Second, Max: p.opts.Interval}
	failing := false
	for {
		wait := p.opts.Interval
		err := p.Once(ctx)
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			if !failing {
				p.log.Warn("handing the registration proof to the carrier failed; retrying", zap.Error(err))
			} else {
				p.log.Debug("handing the registration proof to the carrier failed", zap.Error(err))
			}
			failing = true
			wait = min(backoff.Next(), p.opts.Interval)
		default:
			if failing {
				p.log.Info("registration proof handed over again")
			}
			failing = false
			backoff.Reset()
		}
		if !service.Sleep(ctx, wait) {
			return nil
		}
	}
}

// Last is the last proof signed, nil before the first or once the
// provider is registered to the owner.
func (p *Prover) Last() *regproof.Signed {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// Once reads the registration and, unless the provider is registered to
// the owner, posts a proof (signing a new one when needed).
func (p *Prover) Once(ctx context.Context) error {
	reg, err := p.chain.Registration(ctx)
	if err != nil {
		p.m.Posts.WithLabelValues("error").Inc()
		return err
	}
	if reg.Owner == p.opts.Owner {
		p.m.Registered.Set(1)
		p.mu.Lock()
		had := p.last != nil
		p.last = nil
		p.mu.Unlock()
		if had {
			p.log.Info("the provider is registered to the owner; no more proofs needed", zap.Stringer("owner", p.opts.Owner))
		}
		return nil
	}
	p.m.Registered.Set(0)
	now := p.opts.Now()
	proof, fresh, err := p.current(reg, now)
	if err != nil {
		p.m.Posts.WithLabelValues("error").Inc()
		return err
	}
	if fresh {
		p.log.Info("registration proof signed", zap.Stringer("owner", proof.Owner), zap.Stringer("registry", proof.Registry),
			zap.Stringer("chain_id", proof.ChainID.ToInt()), zap.Stringer("nonce", proof.Nonce.ToInt()),
			zap.Time("deadline", time.Unix(int64(proof.Deadline), 0)), zap.Stringer("registered_to", reg.Owner))
	}
	if err := p.carrier.PostProof(ctx, proof); err != nil {
		p.m.Posts.WithLabelValues("error").Inc()
		return fmt.Errorf("posting the registration proof: %w", err)
	}
	p.m.Posts.WithLabelValues("ok").Inc()
	if fresh {
		p.log.Info("registration proof handed to the carrier", zap.Stringer("nonce", proof.Nonce.ToInt()))
	}
	return nil
}

// current is the proof to post: the last one while it fits reg and is
// younger than half its life, else a new one (fresh).
func (p *Prover) current(reg Registration, now time.Time) (regproof.Signed, bool, error) {
	p.mu.Lock()
	last, signed := p.last, p.signed
	p.mu.Unlock()
	if last != nil && last.Nonce.ToInt().Cmp(reg.Nonce) == 0 && last.ChainID.ToInt().Cmp(reg.ChainID) == 0 &&
		last.Registry == reg.Registry && now.Before(signed.Add(p.opts.Validity/2)) {
		return *last, false, nil
	}
	s, err := p.id.SignRegistration(regproof.Registration{ChainID: reg.ChainID, Registry: reg.Registry, Provider: p.id.Address(),
		Owner: p.opts.Owner, Nonce: reg.Nonce, Deadline: uint64(now.Add(p.opts.Validity).Unix())})
	if err != nil {
		return regproof.Signed{}, false, err
	}
	p.m.Signed.Inc()
	p.m.Deadline.Set(float64(s.Deadline))
	p.mu.Lock()
	p.last, p.signed = &s, now
	p.mu.Unlock()
	return s, true, nil
}

// ProverMetrics are the prover's metrics.
type ProverMetrics struct {
	Posts      *prometheus.CounterVec
	Signed     prometheus.Counter
	Deadline   prometheus.Gauge
	Registered prometheus.Gauge
}

// Metrics are the prover's metrics.
func (p *Prover) Metrics() *ProverMetrics { return p.m }

func newProverMetrics(reg prometheus.Registerer) *ProverMetrics {
	m := &ProverMetrics{
		Posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridnode_gateway_registration_proof_posts_total",
			Help: "Attempts to hand the provider key's registration proof to the carrier, by result.",
		}, []string{"result"}),
		Signed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridnode_gateway_registration_proofs_signed_total",
			Help: "Registration proofs (proof of possession naming --owner) the provider key signed.",
		}),
		Deadline: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridnode_gateway_registration_proof_deadline_seconds",
			Help: "Deadline (unix seconds) of the last registration proof signed.",
		}),
		Registered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridnode_gateway_registered",
			Help: "1 when the Registry shows the provider registered to --owner, else 0.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Posts, m.Signed, m.Deadline, m.Registered)
	}
	return m
}
