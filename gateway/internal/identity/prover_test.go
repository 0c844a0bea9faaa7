package identity_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/gateway/internal/identity"
)

// regChain is a Registry whose answers the test sets.
type regChain struct {
	mu  sync.Mutex
	reg identity.Registration
	err error
}

func (c *regChain) set(f func(*identity.Registration)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.reg)
}

func (c *regChain) Registration(context.Context) (identity.Registration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reg
	r.Nonce = new(big.Int).Set(c.reg.Nonce)
	return r, c.err
}

// proofCarrier records the proofs posted.
type proofCarrier struct {
	posted []regproof.Signed
	err    error
}

func (c *proofCarrier) PostProof(_ context.Context, s regproof.Signed) error {
	if c.err != nil {
		return c.err
	}
	c.posted = append(c.posted, s)
	return nil
}

func (c *proofCarrier) last(t *testing.T) regproof.Signed {
	t.Helper()
	if len(c.posted) == 0 {
		t.Fatal("nothing posted")
	}
	return c.posted[len(c.posted)-1]
}

// TestProver: while the provider is not registered to the owner the prover
// posts a proof for the owner only, with the Registry's nonce, re-posting
// the same one until the nonce changes or half its life has passed; once
// registered to the owner it posts nothing.
func TestProver(t *testing.T) {
	id := newIdentity(t)
	owner := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	someoneElse := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	chain := &regChain{reg: identity.Registration{ChainID: big.NewInt(1337), Registry: common.HexToAddress("0x00000000000000000000000000000000000000cc"), Nonce: big.NewInt(0)}}
	carrier := &proofCarrier{}
	now := time.Unix(1_800_000_000, 0)
	reg := prometheus.NewRegistry()
	p, err := identity.NewProver(id, identity.ProverOptions{Owner: owner, Now: func() time.Time { return now }}, chain, carrier, reg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(what string, s regproof.Signed, nonce int64, deadline time.Time) {
		t.Helper()
		if s.Owner != owner || s.Provider != id.Address() || s.Registry != chain.reg.Registry || s.ChainID.ToInt().Int64() != 1337 ||
			s.Nonce.ToInt().Int64() != nonce || s.Deadline != uint64(deadline.Unix()) {
			t.Fatalf("%s: proof %+v, want owner %s nonce %d deadline %d", what, s, owner.Hex(), nonce, deadline.Unix())
		}
		if err := s.Registration().Verify(s.Signature); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	first := carrier.last(t)
	check("unregistered", first, 0, now.Add(identity.DefaultProofValidity))

	// Again, before half its life: the same proof, re-posted.
	now = now.Add(identity.DefaultProofValidity/2 - time.Second)
	if err := p.Once(ctx); err != nil || len(carrier.posted) != 2 || !bytes.Equal(carrier.last(t).Signature, first.Signature) {
		t.Fatalf("re-post: %v, %d posted", err, len(carrier.posted))
	}
	// Past half its life: a new one.
	now = now.Add(2 * time.Second)
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	check("half-life", carrier.last(t), 0, now.Add(identity.DefaultProofValidity))

	// Registered to someone else and the nonce used: a new proof, still for
	// the owner, with the new nonce.
	chain.set(func(r *identity.Registration) { r.Owner, r.Nonce = someoneElse, big.NewInt(1) })
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	check("taken", carrier.last(t), 1, now.Add(identity.DefaultProofValidity))

	// Registered to the owner: nothing posted.
	chain.set(func(r *identity.Registration) { r.Owner, r.Nonce = owner, big.NewInt(2) })
	n := len(carrier.posted)
	if err := p.Once(ctx); err != nil || len(carrier.posted) != n || p.Last() != nil {
		t.Fatalf("registered: %v, posted %d more, last %v", err, len(carrier.posted)-n, p.Last())
	}
	if v := value(t, p.Metrics().Registered); v != 1 {
		t.Errorf("registered gauge %v, want 1", v)
	}

	// Deregistered, carrier refusing: the error comes back, counted.
	chain.set(func(r *identity.Registration) { r.Owner = common.Address{} })
	carrier.err = errors.New("carrier says no")
	if err := p.Once(ctx); err == nil || !errors.Is(err, carrier.err) {
		t.Fatalf("carrier failure: %v", err)
	}
	if v := value(t, p.Metrics().Posts.WithLabelValues("error")); v != 1 {
		t.Errorf("failed posts %v, want 1", v)
	}
	// The chain unreadable: nothing signed.
	chain.err = errors.New("no chain")
	if err := p.Once(ctx); !errors.Is(err, chain.err) {
		t.Fatalf("chain failure: %v", err)
	}
	if v := value(t, p.Metrics().Posts.WithLabelValues("ok")); v != 4 {
		t.Errorf("posts %v, want 4", v)
	}
}

// value reads a counter's or gauge's value.
func value(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	if d.Counter != nil {
		return d.GetCounter().GetValue()
	}
	return d.GetGauge().GetValue()
}

func TestProverOptions(t *testing.T) {
	id := newIdentity(t)
	if _, err := identity.NewProver(id, identity.ProverOptions{}, &regChain{}, &proofCarrier{}, nil, nil); err == nil {
		t.Error("a prover without an owner")
	}
	owner := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for _, v := range []time.Duration{time.Minute, 8 * 24 * time.Hour} {
		if _, err := identity.NewProver(id, identity.ProverOptions{Owner: owner, Validity: v}, &regChain{}, &proofCarrier{}, nil, nil); err == nil {
			t.Errorf("validity %s accepted", v)
		}
	}
	r := regproof.Registration{ChainID: big.NewInt(1), Registry: owner, Provider: owner, Owner: owner, Nonce: big.NewInt(0), Deadline: 1}
	if _, err := id.SignRegistration(r); err == nil {
		t.Error("signed another provider's registration")
	}
}
