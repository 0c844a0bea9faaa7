package scheduler

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

func testKey(t *testing.T, i int) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("scheduler test provider %d", i))))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// put signs a listing of provider i with cpuPrice per millicore and free
// cores, and stores it.
func put(t *testing.T, d *directory.Directory, i int, cpuPrice int64, freeMillis uint64, labels map[string]string) common.Address {
	t.Helper()
	k := testKey(t, i)
	now := time.Now().Unix()
	r := &listing.Record{
		Version: listing.Version2, Provider: crypto.PubkeyToAddress(k.PublicKey), Owner: common.Address{0xa1}, Org: "org-a",
		GatewayURL: fmt.Sprintf("https://via.org-a.example/gw/%d", i),
		Capacity: listing.Capacity{
			Total: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30},
			Free:  market.Resources{CPUMillis: freeMillis, MemoryBytes: 8 << 30, StorageBytes: 50 << 30},
		},
		Prices: market.Prices{CPUMilli: big.NewInt(cpuPrice), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(3), GPU: big.NewInt(0)},
		Region: "eu", Labels: labels, Seq: 1, IssuedAt: now, Expires: now + 3600,
	}
	if err := listing.Sign(r, k); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Put(r, raw); err != nil {
		t.Fatal(err)
	}
	return r.Provider
}

func TestMatch(t *testing.T) {
	d, err := directory.Open(filepath.Join(t.TempDir(), "dir.db"), zaptest.NewLogger(t), directory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	cheap := put(t, d, 1, 1, 4000, map[string]string{"tier": "gold"})
	dear := put(t, d, 2, 5, 4000, map[string]string{"tier": "gold"})
	small := put(t, d, 3, 1, 500, map[string]string{"tier": "gold"})
	silver := put(t, d, 4, 1, 4000, map[string]string{"tier": "silver"})
	s := New(d)

	req := Request{
		Resources: market.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30},
		Duration:  60, Labels: map[string]string{"tier": "gold"},
	}
	res, err := s.Match(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) != 2 || res.Candidates[0].Provider != cheap || res.Candidates[1].Provider != dear {
		t.Fatalf("candidates = %+v, want cheap then dear", res.Candidates)
	}
	// 1000 millis × 1 + 1024 MiB × 2 per second, for 60 s.
	if want := big.NewInt((1000*1 + 1024*2) * 60); res.Candidates[0].Cost.Cmp(want) != 0 {
		t.Errorf("cost = %s, want %s", res.Candidates[0].Cost, want)
	}
	why := map[common.Address][]string{}
	for _, e := range res.Excluded {
		why[e.Provider] = e.Reasons
	}
	if len(why) != 2 || fmt.Sprint(why[small]) != "[insufficient_cpu]" || fmt.Sprint(why[silver]) != "[label_mismatch]" {
		t.Errorf("excluded = %v", res.Excluded)
	}

	// A max price between the two candidates keeps the cheap one.
	req.MaxPrice = new(big.Int).Add(res.Candidates[0].Cost, big.NewInt(1))
	res, err = s.Match(req)
	if err != nil || len(res.Candidates) != 1 || res.Candidates[0].Provider != cheap {
		t.Fatalf("with max price: %+v %v", res.Candidates, err)
	}
	if res.ExcludedByReason[directory.ReasonPriceAboveMax] != 1 {
		t.Errorf("excluded by reason = %v", res.ExcludedByReason)
	}

	// Choosing.
	if c, err := s.Choose(req, cheap); err != nil || c.Provider != cheap {
		t.Errorf("Choose(cheap) = %+v, %v", c, err)
	}
	var nf *NotFitError
	if _, err := s.Choose(req, dear); !errors.As(err, &nf) || !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("Choose(dear) = %v, want NotFitError", err)
	}
	if _, err := s.Choose(req, common.HexToAddress("0x1234")); !errors.Is(err, ErrUnknownProvider) {
		t.Errorf("Choose(unknown) = %v, want ErrUnknownProvider", err)
	}

	for name, bad := range map[string]Request{
		"zero duration": {Resources: req.Resources},
		"no resources":  {Duration: 10},
		"zero price":    {Resources: req.Resources, Duration: 10, MaxPrice: new(big.Int)},
		"model no gpus": {Resources: market.Resources{CPUMillis: 1, GPUModel: "h100"}, Duration: 10},
	} {
		if _, err := s.Match(bad); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: %v, want ErrInvalidRequest", name, err)
		}
	}
}

// TestCandidateJSON: /v1/match's candidates keep their wire, "free" with the
// Go field names, and decode back.
func TestCandidateJSON(t *testing.T) {
	c := Candidate{Provider: common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Owner: common.Address{0xa1}, Org: "org-a",
		GatewayURL: "https://via.example/gw/x", Rate: big.NewInt(7), Cost: big.NewInt(70),
		Free: market.Resources{CPUMillis: 1000, MemoryBytes: 2 << 30, GPUs: 1}, Seq: 3}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","owner":"0xa100000000000000000000000000000000000000",` +
		`"org":"org-a","gatewayUrl":"https://via.example/gw/x",` +
		`"rate":7,"cost":70,"free":{"CPUMillis":1000,"MemoryBytes":2147483648,"StorageBytes":0,"GPUs":1,"GPUModel":""},"seq":3}`
	if string(b) != want {
		t.Fatalf("candidate JSON\n%s\nwant\n%s", b, want)
	}
	var back Candidate
	if err := json.Unmarshal(b, &back); err != nil || back.Free != c.Free || back.Seq != 3 || back.Owner != c.Owner {
		t.Fatalf("decoded %+v, %v", back, err)
	}
}

// owners is a listing.RegistryReader over a map, for the logic of
// CheckOwners; the mediator's tests run it against the devnet.
type owners struct {
	m   map[common.Address]common.Address
	err error
}

func (o owners) OwnerOf(_ context.Context, p common.Address) (common.Address, error) {
	return o.m[p], o.err
}

func TestCheckOwners(t *testing.T) {
	d, err := directory.Open(filepath.Join(t.TempDir(), "dir.db"), zaptest.NewLogger(t), directory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	// Every test listing names owner 0xa1 (put).
	named := common.Address{0xa1}
	same := put(t, d, 1, 1, 4000, nil)
	moved := put(t, d, 2, 2, 4000, nil)
	gone := put(t, d, 3, 3, 4000, nil)
	tooSmall := put(t, d, 4, 1, 10, nil)
	s := New(d)
	req := Request{Resources: market.Resources{CPUMillis: 1000}, Duration: 60}
	res, err := s.Match(req)
	if err != nil || len(res.Candidates) != 3 || res.Candidates[0].Owner != named {
		t.Fatalf("match = %+v, %v", res, err)
	}
	chain := owners{m: map[common.Address]common.Address{same: named, moved: {0xb2}, tooSmall: named}}
	if err := CheckOwners(context.Background(), &res, chain); err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) != 1 || res.Candidates[0].Provider != same || res.Matched != 1 {
		t.Errorf("candidates %+v (matched %d), want only the provider whose owner is its listing's", res.Candidates, res.Matched)
	}
	why := map[common.Address]string{}
	for _, e := range res.Excluded {
		why[e.Provider] = fmt.Sprint(e.Reasons)
	}
	if why[moved] != "[owner_mismatch]" || why[gone] != "[unregistered]" || why[tooSmall] != "[insufficient_cpu]" || len(why) != 3 {
		t.Errorf("excluded = %v", why)
	}
	if res.ExcludedByReason[ReasonOwnerMismatch] != 1 || res.ExcludedByReason[ReasonUnregistered] != 1 {
		t.Errorf("excluded by reason = %v", res.ExcludedByReason)
	}
	for i := 1; i < len(res.Excluded); i++ {
		if res.Excluded[i-1].Provider.Cmp(res.Excluded[i].Provider) >= 0 {
			t.Errorf("excluded not sorted by provider: %v", res.Excluded)
		}
	}

	// A lookup error fails the check: nothing unchecked is returned.
	res, _ = s.Match(req)
	boom := errors.New("chain down")
	if err := CheckOwners(context.Background(), &res, owners{err: boom}); !errors.Is(err, boom) {
		t.Errorf("CheckOwners with the chain down = %v, want its error", err)
	}
	// No candidates, no lookups.
	empty := Result{}
	if err := CheckOwners(context.Background(), &empty, owners{err: boom}); err != nil || len(empty.Candidates) != 0 {
		t.Errorf("CheckOwners of nothing = %v", err)
	}
}
