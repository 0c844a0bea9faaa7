package identity_test

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gridnode/gridnode/gateway/internal/identity"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/wallet"
	"github.com/gridnode/gridnode/test/consultest"
)

func newIdentity(t *testing.T) *identity.Identity {
	t.Helper()
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	writeFile(t, pass, "test-pass\n")
	w, err := wallet.New(wallet.Options{KeystorePath: filepath.Join(dir, "ks.json"), PassphraseFile: pass, LightScrypt: true})
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.Load(wallet.Options{KeystorePath: w.Path(), PassphraseFile: pass})
	if err != nil {
		t.Fatal(err)
	}
	if id.Address() != w.Address() {
		t.Fatalf("loaded %s, created %s", id.Address(), w.Address())
	}
	return id
}

type terms struct {
	mu sync.Mutex
	t  identity.Terms
}

func (s *terms) Terms(context.Context) (identity.Terms, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t, nil
}

func (s *terms) setOwner(o common.Address) {
	s.mu.Lock()
	s.t.Owner = o
	s.mu.Unlock()
}

var (
	orgWallet = common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	squatter  = common.HexToAddress("0x000000000000000000000000000000000000bad0")
)

type capacity struct {
	mu          sync.Mutex
	total, free market.Resources
}

func (c *capacity) Capacity(context.Context) (market.Resources, market.Resources, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.free, nil
}

// carrier records what it is given, verifying it as a carrier does.
type carrier struct {
	mu      sync.Mutex
	records []*listing.Record
	w       []*listing.Record
	fail    atomic.Bool
}

func (c *carrier) Publish(_ context.Context, raw, withdrawal []byte) error {
	if c.fail.Load() {
		return errors.New("carrier down")
	}
	r, err := listing.Unmarshal(raw)
	if err != nil {
		return err
	}
	w, err := listing.Unmarshal(withdrawal)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.records = append(c.records, r)
	c.w = append(c.w, w)
	c.mu.Unlock()
	return nil
}

// TestPublisher: the listing is signed by the provider key with the
// Registry's terms and the measured capacity, sequence numbers come from
// Consul KV (shared by replicas), a withdrawal comes with each record, and
// a new record is signed when the capacity changes or half the TTL passed.
func TestPublisher(t *testing.T) {
	id := newIdentity(t)
	agent := consultest.Start(t)
	kv := consul.NewKV(agent.Client(), nil)
	now := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	tm := &terms{t: identity.Terms{Owner: orgWallet, GatewayURL: "https://via.example/gw/x", Region: "eu",
		Capacity: market.Resources{GPUModel: "a100"},
		Prices:   market.Prices{CPUMilli: big.NewInt(2), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(0), GPU: big.NewInt(0)}}}
	cp := &capacity{total: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30}, free: market.Resources{CPUMillis: 6000, MemoryBytes: 8 << 30}}
	car := &carrier{}
	seq := identity.NewConsulSeq(kv, "gridnode/org-a/gateway/x/listing-seq")
	p, err := identity.NewPublisher(id, identity.Options{Org: "org-a", Owner: orgWallet, PublicURL: "https://via.org-a.example/", Labels: map[string]string{"tier": "gold"},
		TTL: time.Hour, Now: clock}, tm, cp, car, seq, nil, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, err := p.Once(ctx); !ok || err != nil {
		t.Fatalf("first publish: %v, %v", ok, err)
	}
	r, w := car.records[0], car.w[0]
	if signer, err := listing.Signer(r); err != nil || signer != id.Address() || r.Provider != id.Address() {
		t.Fatalf("record signed by %s (%v), provider %s, key %s", signer, err, r.Provider, id.Address())
	}
	wantURL := "https://via.org-a.example/gw/" + lower(id.Address())
	if r.Owner != orgWallet || w.Owner != orgWallet {
		t.Errorf("record names owner %s, withdrawal %s; want the Registry's %s", r.Owner, w.Owner, orgWallet)
	}
	if r.GatewayURL != wantURL || r.Region != "eu" || r.Org != "org-a" || r.Labels["tier"] != "gold" ||
		r.Capacity.Total.CPUMillis != 8000 || r.Capacity.Free.CPUMillis != 6000 || r.Capacity.Free.GPUModel != "a100" ||
		r.Prices.CPUMilli.Int64() != 2 || r.Expires-r.IssuedAt != 3600 {
		t.Errorf("record %+v", r)
	}
	if signer, err := listing.Signer(w); err != nil || signer != id.Address() || !w.Tombstone || w.Seq != r.Seq+1 {
		t.Errorf("withdrawal %+v signed by %s (%v)", w, signer, err)
	}

	// Unchanged and young: nothing published.
	advance(10 * time.Minute)
	if ok, err := p.Once(ctx); ok || err != nil {
		t.Fatalf("unchanged: published=%v, %v", ok, err)
	}
	// Capacity changed: a new record with a higher sequence number.
	cp.mu.Lock()
	cp.free.CPUMillis = 5000
	cp.mu.Unlock()
	if ok, err := p.Once(ctx); !ok || err != nil {
		t.Fatalf("capacity change: %v, %v", ok, err)
	}
	if r2 := car.records[1]; r2.Seq <= w.Seq || r2.Capacity.Free.CPUMillis != 5000 {
		t.Errorf("second record seq %d (withdrawal before: %d), free %d", r2.Seq, w.Seq, r2.Capacity.Free.CPUMillis)
	}
	// Half the TTL later: signed again.
	advance(31 * time.Minute)
	if ok, err := p.Once(ctx); !ok || err != nil {
		t.Fatalf("refresh: %v, %v", ok, err)
	}
	// A second replica's numbers never go back.
	other := identity.NewConsulSeq(kv, "gridnode/org-a/gateway/x/listing-seq")
	n, err := other.Reserve(ctx)
	if err != nil || n <= car.w[2].Seq {
		t.Errorf("another replica reserved %d after %d (%v)", n, car.w[2].Seq, err)
	}
	// A carrier that fails: an error, and the last good record stays.
	car.fail.Store(true)
	advance(31 * time.Minute)
	if _, err := p.Once(ctx); err == nil {
		t.Error("publishing to a failing carrier succeeded")
	}
	if p.Last().Seq != car.records[2].Seq {
		t.Error("a failed publish replaced the last published record")
	}
}

// TestPublisherOwner: the listing names the Registry's owner; when that is
// not the configured --owner (a squatter registered the provider, or it was
// transferred away) nothing is published, the error says why and the
// metric counts it; once the Registry agrees again, publishing resumes.
// Without --owner, the Registry's owner is listed with a warning.
func TestPublisherOwner(t *testing.T) {
	id := newIdentity(t)
	agent := consultest.Start(t)
	kv := consul.NewKV(agent.Client(), nil)
	tm := &terms{t: identity.Terms{Owner: squatter, GatewayURL: "https://via.example/gw/x",
		Prices: market.Prices{CPUMilli: big.NewInt(1)}}}
	car := &carrier{}
	reg := prometheus.NewRegistry()
	p, err := identity.NewPublisher(id, identity.Options{Org: "org-a", Owner: orgWallet}, tm, nil, car,
		identity.NewConsulSeq(kv, "gridnode/org-a/gateway/owner/listing-seq"), reg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		ok, err := p.Once(ctx)
		if ok || !errors.Is(err, identity.ErrOwnerMismatch) || !strings.Contains(err.Error(), squatter.Hex()) || !strings.Contains(err.Error(), orgWallet.Hex()) {
			t.Fatalf("Once with the Registry naming a squatter = %v, %v; want ErrOwnerMismatch naming both", ok, err)
		}
	}
	if len(car.records) != 0 {
		t.Fatalf("published %d records naming a squatter", len(car.records))
	}
	if n := publishes(t, reg, "owner_mismatch"); n != 2 {
		t.Errorf("owner_mismatch counted %v times, want 2", n)
	}
	if err := p.Ready(ctx); err == nil {
		t.Error("Ready with no listing published")
	}

	tm.setOwner(orgWallet) // transferred back
	if ok, err := p.Once(ctx); !ok || err != nil {
		t.Fatalf("Once with the Registry naming --owner: %v, %v", ok, err)
	}
	if r := car.records[0]; r.Owner != orgWallet {
		t.Errorf("listing names %s, want %s", r.Owner, orgWallet)
	}
	// Transferred away after publishing: nothing new is published.
	tm.setOwner(squatter)
	if ok, err := p.Once(ctx); ok || !errors.Is(err, identity.ErrOwnerMismatch) {
		t.Errorf("Once after a transfer away = %v, %v; want ErrOwnerMismatch", ok, err)
	}

	// No --owner: the Registry's owner is listed, and a warning says so once.
	core, logs := observer.New(zapcore.WarnLevel)
	unchecked, err := identity.NewPublisher(id, identity.Options{Org: "org-a"}, tm, nil, car,
		identity.NewConsulSeq(kv, "gridnode/org-a/gateway/owner/listing-seq"), nil, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := unchecked.Once(ctx); err != nil {
			t.Fatalf("Once without --owner: %v", err)
		}
	}
	if r := unchecked.Last(); r == nil || r.Owner != squatter {
		t.Errorf("listing without --owner = %+v, want the Registry's owner", r)
	}
	if n := logs.FilterMessageSnippet("no --owner").Len(); n != 1 {
		t.Errorf("%d warnings about the missing --owner, want 1", n)
	}
}

// publishes is gridnode_gateway_listing_publishes_total{result}.
func publishes(t *testing.T, reg *prometheus.Registry, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "gridnode_gateway_listing_publishes_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no publishes counter with result %q", result)
	return 0
}

func TestSignRefusesOtherProvider(t *testing.T) {
	id := newIdentity(t)
	r := &listing.Record{Version: listing.Version2, Provider: common.Address{1}, Owner: orgWallet, Org: "x", GatewayURL: "https://x", Seq: 1, IssuedAt: 1, Expires: 2}
	if err := id.Sign(r); err == nil {
		t.Fatal("signed another provider's listing")
	}
}

func lower(a common.Address) string {
	b := []byte(a.Hex())
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
