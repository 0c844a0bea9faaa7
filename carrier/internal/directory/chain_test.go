package directory

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// TestOnDevnet runs the listing path against the real contracts on the
// devnet: a provider registered in the Registry passes the Verifier (through
// chain.RegistryReader and the cache) into the directory, an unregistered
// one does not, nor does a listing naming an owner the Registry does not
// (a squatter; the former owner after a transfer), and the price the
// directory reports for a request is the escrow the Market takes for it.
func TestOnDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // against hangs
	defer cancel()
	cfg := devchain.Defaults()
	cfg.HTTPAddr, cfg.WSAddr = "127.0.0.1:0", ""
	dn, err := devchain.New(cfg, zaptest.NewLogger(t).Named("devnet"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dn.Close() })
	if err := dn.Start(ctx); err != nil {
		t.Fatalf("devnet: %v", err)
	}
	info := dn.Info()
	client, err := ethclient.Dial(info.RPC.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)

	transactor := func(name string) *bind.TransactOpts {
		acc, ok := info.Account(name)
		if !ok {
			t.Fatalf("no dev account %q", name)
		}
		k, err := acc.Key()
		if err != nil {
			t.Fatal(err)
		}
		o, err := bind.NewKeyedTransactorWithChainID(k, new(big.Int).SetUint64(info.ChainID))
		if err != nil {
			t.Fatal(err)
		}
		o.Context = ctx
		o.GasLimit = 1_000_000 // estimates run a block early; see devchain's market test
		return o
	}
	mined := func(t *testing.T, what string, tx *types.Transaction, err error) *types.Receipt {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for {
			r, err := client.TransactionReceipt(ctx, tx.Hash())
			if err == nil {
				if r.Status != types.ReceiptStatusSuccessful {
					t.Fatalf("%s: reverted", what)
				}
				return r
			}
			if !errors.Is(err, ethereum.NotFound) {
				t.Fatalf("%s: %v", what, err)
			}
			select {
			case <-ctx.Done():
				t.Fatalf("%s: not mined", what)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	reg, err := registry.NewRegistry(info.Contracts.Registry, client)
	if err != nil {
		t.Fatal(err)
	}
	mkt, err := marketbind.NewMarket(info.Contracts.Market, client)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := token.NewToken(info.Contracts.Token, client)
	if err != nil {
		t.Fatal(err)
	}

	// Provider 1 registers with these prices (as the gateway's listing
	// will advertise them); provider 2 never registers.
	now := time.Now().Unix()
	ownerA, ownerB := transactor("provider-a").From, transactor("provider-b").From
	lr, raw := rec(t, 1, func(r *listing.Record) {
		r.Owner = ownerA
		r.Prices = market.Prices{CPUMilli: big.NewInt(3), MemoryMiB: big.NewInt(2), StorageGiB: big.NewInt(5), GPU: big.NewInt(1000)}
		r.Capacity.Total.GPUs, r.Capacity.Free.GPUs = 2, 2
		r.IssuedAt, r.Expires = now, now+3600
	})
	p := lr.Prices
	tx, err := reg.Register(transactor("provider-a"), lr.Provider, lr.GatewayURL, lr.Region,
		registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 200 << 30, Gpus: 2},
		registry.RegistryPrices{CpuMilli: p.CPUMilli, MemoryMiB: p.MemoryMiB, StorageGiB: p.StorageGiB, Gpu: p.GPU},
		proof(t, key(t, 1), info.ChainID, info.Contracts.Registry, transactor("provider-a").From))
	mined(t, "register", tx, err)

	reader, err := chain.NewRegistryReader(client, info.Contracts.Registry)
	if err != nil {
		t.Fatal(err)
	}
	clock := &cacheClock{t: time.Now()}
	v := &listing.Verifier{Registry: listing.NewCachedRegistry(reader, listing.CacheOptions{Now: clock.Now})}
	d, err := Open(filepath.Join(t.TempDir(), "directory.db"), zaptest.NewLogger(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })

	got, err := v.Verify(ctx, raw, d.HeldSeq)
	if err != nil {
		t.Fatalf("Verify of a registered provider's record: %v", err)
	}
	if changed, err := d.Put(got, raw); err != nil || !changed {
		t.Fatalf("Put = %v, %v", changed, err)
	}
	if _, err := v.Verify(ctx, raw, d.HeldSeq); listing.Reason(err) != "stale_seq" {
		t.Errorf("Verify of the held record again = %v, want stale_seq", err)
	}
	_, raw2 := rec(t, 2, func(r *listing.Record) { r.Owner, r.IssuedAt, r.Expires = ownerA, now, now+3600 })
	if _, err := v.Verify(ctx, raw2, d.HeldSeq); listing.Reason(err) != "unregistered" {
		t.Errorf("Verify of an unregistered provider's record = %v, want unregistered", err)
	}
	// The provider's key signs a listing naming a squatter as its owner.
	squatter := transactor("buyer-a").From
	_, squatted := rec(t, 1, func(r *listing.Record) { r.Owner, r.Seq, r.IssuedAt, r.Expires = squatter, 2, now, now+3600 })
	if _, err := v.Verify(ctx, squatted, d.HeldSeq); listing.Reason(err) != "owner_mismatch" ||
		!strings.Contains(err.Error(), ownerA.Hex()) || !strings.Contains(err.Error(), squatter.Hex()) {
		t.Errorf("Verify of a listing naming a squatter = %v, want owner_mismatch naming both owners", err)
	}

	// The Market escrows exactly Cost for the request, for requests that
	// exercise every term and the MiB/GiB rounding.
	buyer := transactor("buyer-b")
	credit := new(big.Int).Mul(big.NewInt(1e9), big.NewInt(1e9))
	tx, err = tok.Approve(buyer, info.Contracts.Market, credit)
	mined(t, "approve", tx, err)
	tx, err = mkt.Deposit(buyer, credit)
	mined(t, "deposit", tx, err)
	for _, tc := range []struct {
		name     string
		req      market.Resources
		duration uint64
	}{
		{"cpu and memory", market.Resources{CPUMillis: 500, MemoryBytes: 256 << 20}, 3600},
		{"rounded up", market.Resources{CPUMillis: 1, MemoryBytes: 256<<20 + 1, StorageBytes: 1<<30 + 1}, 7},
		{"gpus", market.Resources{CPUMillis: 2000, MemoryBytes: 8 << 30, StorageBytes: 50 << 30, GPUs: 2}, 86400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := d.Query(Query{Request: tc.req, Duration: tc.duration, Limit: 1})
			if err != nil || len(res.Listings) != 1 {
				t.Fatalf("Query: %+v, %v", res, err)
			}
			want := res.Listings[0].Cost
			if c := p.Cost(tc.req, tc.duration); c.Cmp(want) != 0 {
				t.Fatalf("directory cost %s, listing cost %s", want, c)
			}
			tx, err := mkt.CreateOrder(buyer, lr.Provider, marketbind.MarketResources{
				CpuMillis: tc.req.CPUMillis, MemoryBytes: tc.req.MemoryBytes,
				StorageBytes: tc.req.StorageBytes, Gpus: tc.req.GPUs,
			}, tc.duration, [32]byte{1}, want)
			r := mined(t, "createOrder", tx, err)
			var escrow *big.Int
			for _, l := range r.Logs {
				if ev, err := mkt.ParseOrderCreated(*l); err == nil {
					escrow = ev.Escrow
				}
			}
			if escrow == nil || escrow.Cmp(want) != 0 {
				t.Errorf("on-chain escrow %v, listing.Cost %s", escrow, want)
			}
		})
	}

	// A listing signed for owner A, then the provider moves to owner B
	// (with its key's consent).
	_, signedForA := rec(t, 1, func(r *listing.Record) { r.Owner, r.Seq, r.IssuedAt, r.Expires = ownerA, 3, now, now+3600 })
	_, signedForB := rec(t, 1, func(r *listing.Record) { r.Owner, r.Seq, r.IssuedAt, r.Expires = ownerB, 4, now, now+3600 })
	p1, err := regproof.ProofForKey(key(t, 1), new(big.Int).SetUint64(info.ChainID), info.Contracts.Registry, ownerB, big.NewInt(1),
		uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	tx, err = reg.Transfer(transactor("provider-a"), lr.Provider, ownerB, p1)
	mined(t, "transfer", tx, err)
	// Within the cache's window the former owner's answer stands: B's
	// listing is refused on it (the answer is too fresh to recheck) ...
	if _, err := v.Verify(ctx, signedForB, d.HeldSeq); listing.Reason(err) != "owner_mismatch" {
		t.Errorf("Verify of the new owner's listing on a fresh cached answer = %v, want owner_mismatch", err)
	}
	// ... and RecheckAfter later the Registry is asked again: B's listing
	// passes, A's (signed before the transfer) is refused.
	clock.Advance(listing.DefaultRecheckAfter)
	if _, err := v.Verify(ctx, signedForB, d.HeldSeq); err != nil {
		t.Errorf("Verify of the new owner's listing after RecheckAfter: %v", err)
	}
	if _, err := v.Verify(ctx, signedForA, d.HeldSeq); listing.Reason(err) != "owner_mismatch" {
		t.Errorf("Verify of a listing signed before the transfer = %v, want owner_mismatch", err)
	}
	// A fresh cache sees the new owner at once.
	fresh := &listing.Verifier{Registry: listing.NewCachedRegistry(reader, listing.CacheOptions{})}
	if _, err := fresh.Verify(ctx, signedForA, d.HeldSeq); listing.Reason(err) != "owner_mismatch" {
		t.Errorf("Verify (cold cache) of a listing signed before the transfer = %v, want owner_mismatch", err)
	}
	if _, err := fresh.Verify(ctx, signedForB, d.HeldSeq); err != nil {
		t.Errorf("Verify (cold cache) of the new owner's listing: %v", err)
	}
}

// cacheClock is the Registry cache's clock, moved by the test.
type cacheClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *cacheClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *cacheClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// proof is the provider key's consent to owner, nonce 0, good for an hour.
func proof(t testing.TB, k *ecdsa.PrivateKey, chainID uint64, reg, owner common.Address) registry.RegistryProof {
	t.Helper()
	p, err := regproof.ProofForKey(k, new(big.Int).SetUint64(chainID), reg, owner, big.NewInt(0), uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
