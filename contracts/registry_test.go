package contracts_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

var testCapacity = registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 32 * gib, StorageBytes: 500 * gib, Gpus: 1, GpuModel: "H100"}

func TestRegistryRegister(t *testing.T) {
	e := newEnv(t)
	p := providerAddr(10)
	prices := registry.RegistryPrices{CpuMilli: bi(1), MemoryMiB: bi(2), StorageGiB: bi(3), Gpu: bi(4)}

	r := e.mine(e.registry.Register(e.opts(orgB), p, "https://gw.b.example", "us-east", testCapacity, prices, e.proof(p, e.addrs[orgB])))
	ev, err := e.registry.ParseProviderRegistered(*r.Logs[0])
	if err != nil {
		t.Fatalf("parse ProviderRegistered: %v", err)
	}
	if ev.Provider != p || ev.Owner != e.addrs[orgB] || ev.Url != "https://gw.b.example" || ev.Region != "us-east" ||
		ev.Capacity != testCapacity || !samePrices(ev.Prices, prices) {
		t.Fatalf("ProviderRegistered = %+v", ev)
	}

	if !must(e.registry.IsRegistered(nil, p)) {
		t.Fatal("isRegistered = false after register")
	}
	if got := must(e.registry.OwnerOf(nil, p)); got != e.addrs[orgB] {
		t.Fatalf("ownerOf = %s, want orgB", got)
	}
	if got := must(e.registry.PricesOf(nil, p)); !samePrices(got, prices) {
		t.Fatalf("pricesOf = %+v", got)
	}
	terms := must(e.registry.Terms(nil, p))
	if terms.Owner != e.addrs[orgB] || !samePrices(terms.Prices, prices) {
		t.Fatalf("terms = %+v", terms)
	}
	rec := must(e.registry.GetProvider(nil, p))
	if rec.Owner != e.addrs[orgB] || rec.Url != "https://gw.b.example" || rec.Region != "us-east" || rec.Capacity != testCapacity {
		t.Fatalf("getProvider = %+v", rec)
	}

	// Unregistered providers read as zero.
	unknown := providerAddr(11)
	if must(e.registry.IsRegistered(nil, unknown)) || must(e.registry.OwnerOf(nil, unknown)) != zeroAddr ||
		must(e.registry.PricesOf(nil, unknown)).Gpu.Sign() != 0 {
		t.Fatal("unregistered provider does not read as zero")
	}

	t.Run("again by its owner", func(t *testing.T) {
		_, err := e.registry.Register(e.opts(orgB), p, "https://x", "", testCapacity, prices, e.proof(p, e.addrs[orgB]))
		args := e.expectRevert(err, "ProviderAlreadyRegistered")
		if args[0] != p {
			t.Fatalf("ProviderAlreadyRegistered(%v)", args[0])
		}
	})
	t.Run("another owner cannot take it", func(t *testing.T) {
		_, err := e.registry.Register(e.opts(orgA), p, "https://evil", "", testCapacity, prices, e.proof(p, e.addrs[orgA]))
		args := e.expectRevert(err, "ProviderTaken")
		if args[0] != p || args[1] != e.addrs[orgB] {
			t.Fatalf("ProviderTaken%v", args)
		}
		if must(e.registry.OwnerOf(nil, p)) != e.addrs[orgB] {
			t.Fatal("owner changed")
		}
	})
	t.Run("zero provider", func(t *testing.T) {
		_, err := e.registry.Register(e.opts(orgB), zeroAddr, "https://x", "", testCapacity, prices, e.proof(zeroAddr, e.addrs[orgB]))
		e.expectRevert(err, "ZeroProvider")
	})
}

func TestRegistryBounds(t *testing.T) {
	e := newEnv(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	withModel := func(m string) registry.RegistryCapacity { c := testCapacity; c.GpuModel = m; return c }
	tests := []struct {
		name    string
		url     string
		region  string
		cap     registry.RegistryCapacity
		wantErr string
		args    []any
	}{
		{"max lengths", "https://" + long(248), long(64), withModel(long(64)), "", nil},
		{"empty region and model", "u", "", withModel(""), "", nil},
		{"empty url", "", "eu", testCapacity, "EmptyURL", nil},
		{"url too long", "https://" + long(249), "eu", testCapacity, "URLTooLong", []any{big.NewInt(257), big.NewInt(256)}},
		{"region too long", "https://x", long(65), testCapacity, "RegionTooLong", []any{big.NewInt(65), big.NewInt(64)}},
		{"gpu model too long", "https://x", "eu", withModel(long(65)), "GpuModelTooLong", []any{big.NewInt(65), big.NewInt(64)}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := providerAddr(100 + i)
			tx, err := e.registry.Register(e.opts(orgA), p, tc.url, tc.region, tc.cap, defaultPrices, e.proof(p, e.addrs[orgA]))
			if tc.wantErr == "" {
				e.mine(tx, err)
				rec := must(e.registry.GetProvider(nil, p))
				if rec.Url != tc.url || rec.Region != tc.region || rec.Capacity.GpuModel != tc.cap.GpuModel {
					t.Fatalf("stored %+v", rec)
				}
				return
			}
			args := e.expectRevert(err, tc.wantErr)
			for j, want := range tc.args {
				if args[j].(*big.Int).Cmp(want.(*big.Int)) != 0 {
					t.Fatalf("%s args = %v, want %v", tc.wantErr, args, tc.args)
				}
			}
			if must(e.registry.IsRegistered(nil, p)) {
				t.Fatal("registered despite the revert")
			}
			// update applies the same bounds.
			_, err = e.registry.Update(e.opts(orgA), providerA, tc.url, tc.region, tc.cap, defaultPrices)
			e.expectRevert(err, tc.wantErr)
		})
	}
}

func TestRegistryUpdate(t *testing.T) {
	e := newEnv(t)
	newPrices := registry.RegistryPrices{CpuMilli: bi(10), MemoryMiB: bi(20), StorageGiB: bi(30), Gpu: bi(40)}

	t.Run("non-owner", func(t *testing.T) {
		_, err := e.registry.Update(e.opts(orgB), providerA, "https://evil", "", testCapacity, newPrices)
		args := e.expectRevert(err, "NotProviderOwner")
		if args[0] != providerA || args[1] != e.addrs[orgB] {
			t.Fatalf("NotProviderOwner%v", args)
		}
	})
	t.Run("unregistered", func(t *testing.T) {
		_, err := e.registry.Update(e.opts(orgA), providerAddr(50), "https://x", "", testCapacity, newPrices)
		e.expectRevert(err, "ProviderNotRegistered")
	})
	t.Run("owner", func(t *testing.T) {
		r := e.mine(e.registry.Update(e.opts(orgA), providerA, "https://new", "ap-south", testCapacity, newPrices))
		ev, err := e.registry.ParseProviderUpdated(*r.Logs[0])
		if err != nil || ev.Provider != providerA || ev.Owner != e.addrs[orgA] || ev.Url != "https://new" ||
			ev.Region != "ap-south" || ev.Capacity != testCapacity || !samePrices(ev.Prices, newPrices) {
			t.Fatalf("ProviderUpdated = %+v, %v", ev, err)
		}
		if got := must(e.registry.PricesOf(nil, providerA)); !samePrices(got, newPrices) {
			t.Fatalf("pricesOf after update = %+v", got)
		}
		if got := must(e.registry.ProviderCount(nil)); got.Int64() != 3 {
			t.Fatalf("providerCount = %v after update, want 3", got)
		}
	})
}

func TestRegistryDeregister(t *testing.T) {
	e := newEnv(t)

	t.Run("non-owner", func(t *testing.T) {
		_, err := e.registry.Deregister(e.opts(orgB), providerA)
		e.expectRevert(err, "NotProviderOwner")
	})
	t.Run("unregistered", func(t *testing.T) {
		_, err := e.registry.Deregister(e.opts(orgA), providerAddr(50))
		e.expectRevert(err, "ProviderNotRegistered")
	})
	t.Run("owner, then re-registration by another owner", func(t *testing.T) {
		r := e.mine(e.registry.Deregister(e.opts(orgA), providerA))
		ev, err := e.registry.ParseProviderDeregistered(*r.Logs[0])
		if err != nil || ev.Provider != providerA || ev.Owner != e.addrs[orgA] {
			t.Fatalf("ProviderDeregistered = %+v, %v", ev, err)
		}
		if must(e.registry.IsRegistered(nil, providerA)) || must(e.registry.OwnerOf(nil, providerA)) != zeroAddr {
			t.Fatal("still registered")
		}
		rec := must(e.registry.GetProvider(nil, providerA))
		if rec.Url != "" || rec.Prices.Gpu.Sign() != 0 || rec.Capacity.GpuModel != "" {
			t.Fatalf("record not cleared: %+v", rec)
		}
		if got := page(t, e, 0, 100); !sameSet(got, providerA2, providerB) {
			t.Fatalf("providers = %v", got)
		}
		// The binding is released: orgB may take the address now.
		e.register(orgB, providerA, defaultPrices)
		if must(e.registry.OwnerOf(nil, providerA)) != e.addrs[orgB] {
			t.Fatal("re-registration did not bind to orgB")
		}
		_, err = e.registry.Deregister(e.opts(orgA), providerA)
		e.expectRevert(err, "NotProviderOwner")
	})
}

func TestRegistryPagination(t *testing.T) {
	e := newEnv(t)
	// newEnv registered providerA, providerA2, providerB; add 7 more.
	all := []common.Address{providerA, providerA2, providerB}
	for i := range 7 {
		p := providerAddr(200 + i)
		e.register(orgB, p, defaultPrices)
		all = append(all, p)
	}
	if got := must(e.registry.ProviderCount(nil)); got.Int64() != 10 {
		t.Fatalf("providerCount = %v, want 10", got)
	}

	tests := []struct {
		offset, limit int64
		want          []common.Address
	}{
		{0, 10, all},
		{0, 100, all},
		{0, 3, all[:3]},
		{3, 3, all[3:6]},
		{9, 3, all[9:]},
		{10, 3, nil},
		{1000, 100, nil},
		{0, 0, nil},
	}
	for _, tc := range tests {
		got := page(t, e, tc.offset, tc.limit)
		if len(got) != len(tc.want) {
			t.Fatalf("page(%d, %d) = %v, want %v", tc.offset, tc.limit, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("page(%d, %d)[%d] = %s, want %s", tc.offset, tc.limit, i, got[i], tc.want[i])
			}
		}
	}

	_, err := e.registry.ProvidersPage(nil, bi(0), bi(101))
	args := e.expectRevert(err, "PageTooLarge")
	if args[0].(*big.Int).Int64() != 101 || args[1].(*big.Int).Int64() != 100 {
		t.Fatalf("PageTooLarge%v", args)
	}

	// Swap-and-pop: removing the first moves the last into its place; removing
	// the last just pops.
	e.mine(e.registry.Deregister(e.opts(orgA), providerA))
	e.mine(e.registry.Deregister(e.opts(orgB), all[9]))
	want := append([]common.Address{all[8]}, all[1:8]...)
	got := page(t, e, 0, 100)
	if len(got) != len(want) {
		t.Fatalf("after removals: %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("after removals [%d] = %s, want %s", i, got[i], want[i])
		}
	}
	// The moved entry is still removable (its position was updated).
	e.mine(e.registry.Deregister(e.opts(orgB), all[8]))
	if got := page(t, e, 0, 100); !sameSet(got, all[1:8]...) {
		t.Fatalf("after removing the moved entry: %v", got)
	}
}

func page(t *testing.T, e *env, offset, limit int64) []common.Address {
	t.Helper()
	got, err := e.registry.ProvidersPage(&bind.CallOpts{}, bi(offset), bi(limit))
	if err != nil {
		t.Fatalf("providersPage(%d, %d): %v", offset, limit, err)
	}
	return got
}

func sameSet(got []common.Address, want ...common.Address) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[common.Address]bool{}
	for _, a := range got {
		seen[a] = true
	}
	for _, a := range want {
		if !seen[a] {
			return false
		}
	}
	return true
}

func samePrices(a, b registry.RegistryPrices) bool {
	return a.CpuMilli.Cmp(b.CpuMilli) == 0 && a.MemoryMiB.Cmp(b.MemoryMiB) == 0 &&
		a.StorageGiB.Cmp(b.StorageGiB) == 0 && a.Gpu.Cmp(b.Gpu) == 0
}
