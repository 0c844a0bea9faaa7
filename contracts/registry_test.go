package contracts_test

import (
	"crypto/ecdsa"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
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

// expectNoBinding fails unless provider is unregistered with nonce nonce:
// a failed register consumed nothing.
func (e *env) expectNoBinding(provider common.Address, nonce int64) {
	e.tb.Helper()
	if must(e.registry.IsRegistered(nil, provider)) || must(e.registry.OwnerOf(nil, provider)) != zeroAddr {
		e.tb.Fatalf("%s is registered", provider)
	}
	if got := must(e.registry.NonceOf(nil, provider)); got.Int64() != nonce {
		e.tb.Fatalf("nonceOf(%s) = %v, want %d", provider, got, nonce)
	}
}

// TestRegistryProofOfPossession: register binds a provider to the caller
// only with the provider key's EIP-712 consent naming the caller, on this
// chain and Registry, with the provider's next nonce, before its deadline.
func TestRegistryProofOfPossession(t *testing.T) {
	e := newEnv(t)
	owner := e.addrs[orgA]
	n0 := bi(0)
	fresh := func(i int) (common.Address, regproof.Registration) {
		p := providerAddr(500 + i)
		return p, e.registration(p, owner, n0, proofDeadline)
	}
	// badSignature registers p from orgA with proof and expects
	// InvalidProviderSignature(p, signer), consuming nothing.
	badSignature := func(t *testing.T, p common.Address, proof registry.RegistryProof, signer common.Address) {
		t.Helper()
		_, err := e.sendRegister(orgA, p, proof)
		args := e.expectRevert(err, "InvalidProviderSignature")
		if args[0] != p || args[1] != signer {
			t.Fatalf("InvalidProviderSignature%v, want [%s %s]", args, p, signer)
		}
		e.expectNoBinding(p, 0)
	}

	t.Run("the provider's consent registers", func(t *testing.T) {
		p, r := fresh(0)
		proof := e.signWith(providerKey(p), r)
		if len(proof.Signature) != 65 || (proof.Signature[64] != 27 && proof.Signature[64] != 28) {
			t.Fatalf("signature %x: want 65 bytes, V 27 or 28", proof.Signature)
		}
		e.mine(e.sendRegister(orgA, p, proof))
		if must(e.registry.OwnerOf(nil, p)) != owner || must(e.registry.NonceOf(nil, p)).Int64() != 1 {
			t.Fatal("not bound to orgA with nonce 1")
		}
	})
	t.Run("signed by another key", func(t *testing.T) {
		p, r := fresh(1)
		other := testKey(999)
		badSignature(t, p, e.signWith(other, r), crypto.PubkeyToAddress(other.PublicKey))
	})
	t.Run("signed by the owner's own key", func(t *testing.T) {
		p, r := fresh(2)
		badSignature(t, p, e.signWith(e.keys[orgA], r), owner)
	})
	t.Run("a proof naming another owner", func(t *testing.T) {
		p, r := fresh(3)
		proof := e.signWith(providerKey(p), r) // names orgA
		_, err := e.sendRegister(orgB, p, proof)
		args := e.expectRevert(err, "InvalidProviderSignature")
		if args[0] != p || args[1] == p || args[1] == zeroAddr {
			t.Fatalf("InvalidProviderSignature%v", args)
		}
		e.expectNoBinding(p, 0)
		// The owner it names can use it.
		e.mine(e.sendRegister(orgA, p, proof))
	})
	t.Run("another chain id", func(t *testing.T) {
		p, r := fresh(4)
		r.ChainID = big.NewInt(1)
		proof := e.signWith(providerKey(p), r)
		_, err := e.sendRegister(orgA, p, proof)
		args := e.expectRevert(err, "InvalidProviderSignature")
		if args[1] == p {
			t.Fatalf("InvalidProviderSignature%v", args)
		}
		e.expectNoBinding(p, 0)
	})
	t.Run("another registry", func(t *testing.T) {
		p, r := fresh(5)
		addr2, tx, reg2, err := registry.DeployRegistry(e.opts(deployer), e.backend)
		e.mine(tx, err)
		r.Registry = addr2
		proof := e.signWith(providerKey(p), r)
		_, err = e.sendRegister(orgA, p, proof)
		args := e.expectRevert(err, "InvalidProviderSignature")
		if args[1] == p {
			t.Fatalf("InvalidProviderSignature%v", args)
		}
		e.expectNoBinding(p, 0)
		// It is good on the Registry it names.
		e.mine(reg2.Register(e.opts(orgA), p, "https://x", "", testCapacity, defaultPrices, proof))
		if must(reg2.OwnerOf(nil, p)) != owner {
			t.Fatal("not registered on the second Registry")
		}
	})
	t.Run("expired", func(t *testing.T) {
		p, r := fresh(6)
		next := e.now() + 1 // the time of the block a transaction sent now lands in
		r.Deadline = next - 1
		_, err := e.sendRegister(orgA, p, e.signWith(providerKey(p), r))
		args := e.expectRevert(err, "ProofExpired")
		if !sameArg(args[0], new(big.Int).SetUint64(next-1)) || !sameArg(args[1], new(big.Int).SetUint64(next)) {
			t.Fatalf("ProofExpired%v, want [%d %d]", args, next-1, next)
		}
		e.expectNoBinding(p, 0)
		// A deadline of the block's own time is still good.
		r.Deadline = next
		e.mine(e.sendRegister(orgA, p, e.signWith(providerKey(p), r)))
	})
	t.Run("a nonce from the future", func(t *testing.T) {
		p, r := fresh(7)
		r.Nonce = bi(1)
		_, err := e.sendRegister(orgA, p, e.signWith(providerKey(p), r))
		args := e.expectRevert(err, "InvalidNonce")
		if args[0] != p || !sameArg(args[1], bi(0)) || !sameArg(args[2], bi(1)) {
			t.Fatalf("InvalidNonce%v", args)
		}
		e.expectNoBinding(p, 0)
	})
	t.Run("replays", func(t *testing.T) {
		p, r := fresh(8)
		proof := e.signWith(providerKey(p), r)
		e.mine(e.sendRegister(orgA, p, proof))
		e.mine(e.registry.Deregister(e.opts(orgA), p))
		// After deregistration the old owner cannot come back with the
		// proof it used: the nonce survived.
		_, err := e.sendRegister(orgA, p, proof)
		args := e.expectRevert(err, "InvalidNonce")
		if args[0] != p || !sameArg(args[1], bi(1)) || !sameArg(args[2], bi(0)) {
			t.Fatalf("InvalidNonce%v", args)
		}
		e.expectNoBinding(p, 1)
		// A fresh consent works, once.
		proof = e.signWith(providerKey(p), e.registration(p, owner, bi(1), proofDeadline))
		e.mine(e.sendRegister(orgA, p, proof))
		e.mine(e.registry.Deregister(e.opts(orgA), p))
		_, err = e.sendRegister(orgA, p, proof)
		e.expectRevert(err, "InvalidNonce")
		e.expectNoBinding(p, 2)
	})

	// Malformed signatures of the right registration.
	t.Run("malformed signatures", func(t *testing.T) {
		p, r := fresh(9)
		good := e.signWith(providerKey(p), r)
		digest, err := r.Digest()
		if err != nil {
			t.Fatal(err)
		}
		with := func(sig []byte) registry.RegistryProof {
			q := good
			q.Signature = sig
			return q
		}
		sig := good.Signature
		rs, s, v := sig[:32], new(big.Int).SetBytes(sig[32:64]), sig[64]
		// secp256k1's order: (r, n − s) with V flipped is the same
		// signature's other form, which ecrecover accepts.
		n := crypto.S256().Params().N
		highS := append(append(append([]byte(nil), rs...), common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32)...), 27+28-v)
		if pub, err := crypto.Ecrecover(digest[:], append(append([]byte(nil), highS[:64]...), highS[64]-27)); err != nil ||
			crypto.PubkeyToAddress(*must(crypto.UnmarshalPubkey(pub))) != p {
			t.Fatalf("the high-S form does not recover to the provider off chain (%v): the test is wrong", err)
		}
		// EIP-2098 compact form: r ‖ (V−27)<<255 | s.
		vs := new(big.Int).Set(s)
		if v == 28 {
			vs.SetBit(vs, 255, 1)
		}
		compact := append(append([]byte(nil), rs...), common.LeftPadBytes(vs.Bytes(), 32)...)
		cases := map[string][]byte{
			"64 bytes (the last dropped)": sig[:64],
			"64 bytes, EIP-2098 compact":  compact,
			"66 bytes":                    append(append([]byte(nil), sig...), 0),
			"empty":                       nil,
			"V = 0/1 (raw recovery id)":   append(append([]byte(nil), sig[:64]...), v-27),
			"V = 29":                      append(append([]byte(nil), sig[:64]...), 29),
			"V flipped":                   append(append([]byte(nil), sig[:64]...), 27+28-v),
			"high S":                      highS,
			"zero r and s":                append(make([]byte, 64), v),
		}
		for name, bad := range cases {
			t.Run(name, func(t *testing.T) {
				_, err := e.sendRegister(orgA, p, with(bad))
				args := e.expectRevert(err, "InvalidProviderSignature")
				if args[0] != p || args[1] == p {
					t.Fatalf("InvalidProviderSignature%v", args)
				}
				e.expectNoBinding(p, 0)
			})
		}
		// The well-formed one still works: nothing was consumed.
		e.mine(e.sendRegister(orgA, p, good))
	})
}

// TestRegistrySquatting is the attack of issue #17: a third party binds a
// real provider's gateway address to itself, so that buyers' orders pay it
// while the real gateway serves them. It cannot, with or without seeing the
// real owner's proof.
func TestRegistrySquatting(t *testing.T) {
	e := newEnv(t)
	p := providerAddr(600) // the real gateway's key; orgA is its organization
	squatter := outsider

	// Its own signatures, over any owner, are not the provider's.
	for _, key := range []*ecdsa.PrivateKey{e.keys[squatter], testKey(999)} {
		proof := e.signWith(key, e.registration(p, e.addrs[squatter], bi(0), proofDeadline))
		_, err := e.sendRegister(squatter, p, proof)
		e.expectRevert(err, "InvalidProviderSignature")
	}
	e.expectNoBinding(p, 0)

	// It copies orgA's proof out of orgA's pending transaction and sends its
	// own first, with a higher tip, in the same block. Fixed gas limits: an
	// estimate would refuse the squatter's transaction.
	honest := e.opts(orgA)
	honest.GasTipCap, honest.GasLimit = big.NewInt(1e9), 500_000
	honestTx, err := e.registry.Register(honest, p, "https://gw.real", "eu", testCapacity, defaultPrices, e.proof(p, e.addrs[orgA]))
	if err != nil {
		t.Fatal(err)
	}
	parsed := must(registry.RegistryMetaData.GetAbi())
	in, err := parsed.Methods["register"].Inputs.Unpack(honestTx.Data()[4:])
	if err != nil {
		t.Fatal(err)
	}
	copied := *abi.ConvertType(in[5], new(registry.RegistryProof)).(*registry.RegistryProof)
	front := e.opts(squatter)
	front.GasTipCap, front.GasLimit = big.NewInt(50e9), 500_000
	frontTx, err := e.registry.Register(front, p, "https://gw.squat", "eu", testCapacity, defaultPrices, copied)
	if err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	fr, hr := e.failedReceipt(frontTx), e.receipt(honestTx)
	if fr.BlockNumber.Cmp(hr.BlockNumber) != 0 || fr.TransactionIndex >= hr.TransactionIndex {
		t.Fatalf("squatter's tx at %v/%d, orgA's at %v/%d: want the squatter first in the same block",
			fr.BlockNumber, fr.TransactionIndex, hr.BlockNumber, hr.TransactionIndex)
	}
	// Why it failed: run it on the state it met (the parent block's).
	parent := new(big.Int).Sub(fr.BlockNumber, bi(1))
	if name, _ := decodeRevert(e.callAt(frontTx, e.addrs[squatter], parent)); name != "InvalidProviderSignature" {
		t.Fatalf("the squatter's register failed with %q, want InvalidProviderSignature", name)
	}
	if got := must(e.registry.OwnerOf(nil, p)); got != e.addrs[orgA] {
		t.Fatalf("ownerOf = %s, want orgA", got)
	}

	// Bound to orgA, nothing the squatter holds moves it.
	_, err = e.sendRegister(squatter, p, copied)
	e.expectRevert(err, "ProviderTaken")
	_, err = e.registry.Transfer(e.opts(squatter), p, e.addrs[squatter], copied)
	e.expectRevert(err, "NotProviderOwner")
	_, err = e.registry.Update(e.opts(squatter), p, "https://gw.squat", "", testCapacity, defaultPrices)
	e.expectRevert(err, "NotProviderOwner")
	_, err = e.registry.Deregister(e.opts(squatter), p)
	e.expectRevert(err, "NotProviderOwner")

	// And buyers' orders pay the real organization.
	e.fund(buyer0, bi(1e12))
	id, _ := e.createOrder(buyer0, p, smallOrder, 10)
	if o := e.order(id); o.Payee != e.addrs[orgA] {
		t.Fatalf("payee = %s, want orgA", o.Payee)
	}
}

func TestRegistryTransfer(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	rate := rateOf(smallOrder, defaultPrices)
	// An order of providerA before the transfer: its payee is orgA.
	before, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
	nonce := func() int64 { return must(e.registry.NonceOf(nil, providerA)).Int64() }
	if nonce() != 1 {
		t.Fatalf("nonceOf after registration = %d, want 1", nonce())
	}
	toB := e.proof(providerA, e.addrs[orgB])

	t.Run("non-owner", func(t *testing.T) {
		for _, who := range []int{orgB, outsider, buyer0} {
			_, err := e.registry.Transfer(e.opts(who), providerA, e.addrs[orgB], toB)
			args := e.expectRevert(err, "NotProviderOwner")
			if args[0] != providerA || args[1] != e.addrs[who] {
				t.Fatalf("NotProviderOwner%v", args)
			}
		}
		_, err := e.registry.Transfer(e.opts(orgA), providerAddr(50), e.addrs[orgB], toB)
		e.expectRevert(err, "ProviderNotRegistered")
	})
	t.Run("zero or same new owner", func(t *testing.T) {
		for _, to := range []common.Address{zeroAddr, e.addrs[orgA]} {
			_, err := e.registry.Transfer(e.opts(orgA), providerA, to, e.proof(providerA, to))
			args := e.expectRevert(err, "InvalidNewOwner")
			if args[0] != to {
				t.Fatalf("InvalidNewOwner%v, want %s", args, to)
			}
		}
	})
	t.Run("bad proofs", func(t *testing.T) {
		// The proof names outsider, the transfer orgB.
		_, err := e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB], e.proof(providerA, e.addrs[outsider]))
		e.expectRevert(err, "InvalidProviderSignature")
		// Signed by the owner, not the provider.
		_, err = e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB],
			e.signWith(e.keys[orgA], e.registration(providerA, e.addrs[orgB], bi(1), proofDeadline)))
		args := e.expectRevert(err, "InvalidProviderSignature")
		if args[1] != e.addrs[orgA] {
			t.Fatalf("InvalidProviderSignature%v", args)
		}
		// The registration's own proof, replayed.
		_, err = e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB], e.proofWith(providerA, e.addrs[orgA], bi(0), proofDeadline))
		args = e.expectRevert(err, "InvalidNonce")
		if !sameArg(args[1], bi(1)) || !sameArg(args[2], bi(0)) {
			t.Fatalf("InvalidNonce%v", args)
		}
		// Expired.
		_, err = e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB], e.proofWith(providerA, e.addrs[orgB], bi(1), e.now()))
		e.expectRevert(err, "ProofExpired")
		if nonce() != 1 || must(e.registry.OwnerOf(nil, providerA)) != e.addrs[orgA] {
			t.Fatal("a failed transfer changed the owner or the nonce")
		}
	})

	t.Run("to orgB", func(t *testing.T) {
		rec := must(e.registry.GetProvider(nil, providerA))
		r := e.mine(e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB], toB))
		if len(r.Logs) != 1 {
			t.Fatalf("%d logs, want 1", len(r.Logs))
		}
		ev := logOf(t, r, e.registry.ParseProviderTransferred)
		if ev.Provider != providerA || ev.From != e.addrs[orgA] || ev.To != e.addrs[orgB] {
			t.Fatalf("ProviderTransferred = %+v", ev)
		}
		if got := must(e.registry.OwnerOf(nil, providerA)); got != e.addrs[orgB] {
			t.Fatalf("ownerOf = %s, want orgB", got)
		}
		if terms := must(e.registry.Terms(nil, providerA)); terms.Owner != e.addrs[orgB] {
			t.Fatalf("terms owner = %s", terms.Owner)
		}
		after := must(e.registry.GetProvider(nil, providerA))
		if after.Owner != e.addrs[orgB] || after.Url != rec.Url || after.Region != rec.Region || after.Capacity != rec.Capacity ||
			!samePrices(after.Prices, rec.Prices) {
			t.Fatalf("record after transfer %+v, before %+v", after, rec)
		}
		if nonce() != 2 || !must(e.registry.IsRegistered(nil, providerA)) || must(e.registry.ProviderCount(nil)).Int64() != 3 {
			t.Fatal("nonce, registration or count wrong after transfer")
		}
		// The same proof cannot move it again.
		_, err := e.registry.Transfer(e.opts(orgB), providerA, e.addrs[outsider], toB)
		e.expectRevert(err, "InvalidNonce")
	})
	t.Run("the old owner lost control, the new one has it", func(t *testing.T) {
		_, err := e.registry.Update(e.opts(orgA), providerA, "https://x", "", testCapacity, defaultPrices)
		e.expectRevert(err, "NotProviderOwner")
		_, err = e.registry.Deregister(e.opts(orgA), providerA)
		e.expectRevert(err, "NotProviderOwner")
		_, err = e.registry.Transfer(e.opts(orgA), providerA, e.addrs[outsider], e.proof(providerA, e.addrs[outsider]))
		e.expectRevert(err, "NotProviderOwner")
		e.mine(e.registry.Update(e.opts(orgB), providerA, "https://gw.b/a", "us", testCapacity, defaultPrices))
	})
	t.Run("orders after pay the new owner, open ones the old", func(t *testing.T) {
		after, ar := e.createOrder(buyer0, providerA, smallOrder, 100)
		if p := e.order(after).Payee; p != e.addrs[orgB] {
			t.Fatalf("payee of the new order = %s, want orgB", p)
		}
		if p := e.order(before).Payee; p != e.addrs[orgA] {
			t.Fatalf("payee of the open order = %s, want orgA", p)
		}
		e.nextBlockAt(e.blockTime(ar) + 100)
		e.mine(e.market.SettleBatch(e.opts(outsider), []*big.Int{before, after}))
		eq(t, "orgA (payee of the order before)", e.credit(orgA), mul(rate, 100))
		eq(t, "orgB (payee of the order after)", e.credit(orgB), mul(rate, 100))
	})
	t.Run("back to orgA with a fresh proof", func(t *testing.T) {
		e.mine(e.registry.Transfer(e.opts(orgB), providerA, e.addrs[orgA], e.proof(providerA, e.addrs[orgA])))
		if must(e.registry.OwnerOf(nil, providerA)) != e.addrs[orgA] || nonce() != 3 {
			t.Fatal("not back to orgA with nonce 3")
		}
	})
}

// TestRegistryNonce: nonceOf moves by exactly one per proof used (register,
// transfer) and by nothing else, failures included; it survives
// deregistration.
func TestRegistryNonce(t *testing.T) {
	e := newEnv(t)
	p := providerAddr(700)
	want := int64(0)
	check := func(what string) {
		t.Helper()
		if got := must(e.registry.NonceOf(nil, p)).Int64(); got != want {
			t.Fatalf("after %s: nonceOf = %d, want %d", what, got, want)
		}
	}
	check("nothing")
	_, err := e.sendRegister(orgA, p, e.proofWith(p, e.addrs[orgB], bi(0), proofDeadline))
	e.expectRevert(err, "InvalidProviderSignature")
	check("a failed register")
	e.register(orgA, p, defaultPrices)
	want++
	check("register")
	e.mine(e.registry.Update(e.opts(orgA), p, "https://y", "", testCapacity, defaultPrices))
	check("update")
	_, err = e.sendRegister(orgB, p, e.proof(p, e.addrs[orgB]))
	e.expectRevert(err, "ProviderTaken")
	check("register of a taken provider")
	e.mine(e.registry.Transfer(e.opts(orgA), p, e.addrs[orgB], e.proof(p, e.addrs[orgB])))
	want++
	check("transfer")
	e.mine(e.registry.Deregister(e.opts(orgB), p))
	check("deregister")
	e.register(orgA, p, defaultPrices)
	want++
	check("register again")
	if got := must(e.registry.NonceOf(nil, providerAddr(701))); got.Sign() != 0 {
		t.Fatalf("nonceOf of an unknown address = %v", got)
	}
}

// TestRegistrationDigest cross-checks contracts/regproof's EIP-712 encoding
// (go-ethereum's apitypes) with the contract's registrationDigest, type hash
// and domain.
func TestRegistrationDigest(t *testing.T) {
	e := newEnv(t)
	typeHash := crypto.Keccak256Hash([]byte("Registration(address provider,address owner,uint256 nonce,uint256 deadline)"))
	if got := must(e.registry.REGISTRATIONTYPEHASH(nil)); got != typeHash {
		t.Fatalf("REGISTRATION_TYPEHASH = %x, want %x", got, typeHash)
	}
	d := must(e.registry.Eip712Domain(nil))
	if d.Name != regproof.DomainName || d.Version != regproof.DomainVersion || d.ChainId.Int64() != chainID ||
		d.VerifyingContract != e.registryAddr {
		t.Fatalf("eip712Domain = %+v", d)
	}
	maxU256 := new(big.Int).Sub(new(big.Int).Lsh(bi(1), 256), bi(1))
	cases := []regproof.Registration{
		e.registration(providerA, e.addrs[orgA], bi(0), 0),
		e.registration(providerB, e.addrs[orgB], bi(1), proofDeadline),
		e.registration(providerAddr(800), e.addrs[outsider], maxU256, ^uint64(0)),
		e.registration(zeroAddr, zeroAddr, bi(7), 1),
	}
	seen := map[common.Hash]bool{}
	for i, r := range cases {
		want, err := r.Digest()
		if err != nil {
			t.Fatal(err)
		}
		got := must(e.registry.RegistrationDigest(nil, r.Provider, r.Owner, r.Nonce, new(big.Int).SetUint64(r.Deadline)))
		if common.Hash(got) != want {
			t.Fatalf("case %d: contract digest %x, regproof %x", i, got, want)
		}
		seen[want] = true
	}
	if len(seen) != len(cases) {
		t.Fatal("two registrations have the same digest")
	}
	// The digest depends on the chain and the Registry.
	r := cases[1]
	base, _ := r.Digest()
	r.ChainID = bi(1)
	if d, _ := r.Digest(); d == base {
		t.Fatal("the chain id does not change the digest")
	}
	r = cases[1]
	r.Registry = e.marketAddr
	if d, _ := r.Digest(); d == base {
		t.Fatal("the registry address does not change the digest")
	}
	// A proof signed through regproof verifies off chain, as the contract
	// accepts it (TestRegistryProofOfPossession).
	r = e.registration(providerAddr(801), e.addrs[orgA], bi(0), proofDeadline)
	sig, err := r.Sign(regproof.KeySigner{Key: providerKey(r.Provider)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Verify(sig); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	e.mine(e.sendRegister(orgA, r.Provider, r.Proof(sig)))
}
