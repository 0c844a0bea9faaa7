package contracts_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

func TestMarketConstructor(t *testing.T) {
	e := newEnv(t)
	if got := must(e.market.Token(nil)); got != e.tokenAddr {
		t.Fatalf("token = %s", got)
	}
	if got := must(e.market.Registry(nil)); got != e.registryAddr {
		t.Fatalf("registry = %s", got)
	}
	_, _, _, err := market.DeployMarket(e.opts(deployer), e.backend, zeroAddr, e.registryAddr)
	e.expectRevert(err, "ZeroAddress")
	_, _, _, err = market.DeployMarket(e.opts(deployer), e.backend, e.tokenAddr, zeroAddr)
	e.expectRevert(err, "ZeroAddress")
}

func TestCredit(t *testing.T) {
	e := newEnv(t)
	b := buyer0
	me := e.addrs[b]
	e.mine(e.token.Mint(e.opts(deployer), me, bi(1000)))

	t.Run("deposit without approval", func(t *testing.T) {
		_, err := e.market.Deposit(e.opts(b), bi(100))
		args := e.expectRevert(err, "ERC20InsufficientAllowance")
		if args[0] != e.marketAddr || args[1].(*big.Int).Sign() != 0 || args[2].(*big.Int).Int64() != 100 {
			t.Fatalf("ERC20InsufficientAllowance%v", args)
		}
		eq(t, "credit", e.credit(b), bi(0))
	})

	e.mine(e.token.Approve(e.opts(b), e.marketAddr, bi(5000)))

	t.Run("deposit more than the balance", func(t *testing.T) {
		_, err := e.market.Deposit(e.opts(b), bi(1001))
		e.expectRevert(err, "ERC20InsufficientBalance")
	})
	t.Run("zero amounts", func(t *testing.T) {
		_, err := e.market.Deposit(e.opts(b), bi(0))
		e.expectRevert(err, "ZeroAmount")
		_, err = e.market.Withdraw(e.opts(b), bi(0))
		e.expectRevert(err, "ZeroAmount")
	})
	t.Run("deposit", func(t *testing.T) {
		r := e.mine(e.market.Deposit(e.opts(b), bi(700)))
		eq(t, "credit", e.credit(b), bi(700))
		eq(t, "wallet", e.balance(me), bi(300))
		eq(t, "market", e.balance(e.marketAddr), bi(700))
		var found bool
		for _, l := range r.Logs {
			if ev, err := e.market.ParseDeposited(*l); err == nil {
				found = true
				if ev.Account != me || ev.Amount.Int64() != 700 {
					t.Fatalf("Deposited = %+v", ev)
				}
			}
		}
		if !found {
			t.Fatal("no Deposited event")
		}
	})
	t.Run("over-withdraw", func(t *testing.T) {
		_, err := e.market.Withdraw(e.opts(b), bi(701))
		args := e.expectRevert(err, "InsufficientCredit")
		if args[0].(*big.Int).Int64() != 700 || args[1].(*big.Int).Int64() != 701 {
			t.Fatalf("InsufficientCredit%v", args)
		}
		_, err = e.market.Withdraw(e.opts(outsider), bi(1))
		e.expectRevert(err, "InsufficientCredit")
	})
	t.Run("withdraw", func(t *testing.T) {
		r := e.mine(e.market.Withdraw(e.opts(b), bi(250)))
		ev, err := e.market.ParseWithdrawn(*r.Logs[0])
		if err != nil || ev.Account != me || ev.Amount.Int64() != 250 {
			t.Fatalf("Withdrawn = %+v, %v", ev, err)
		}
		eq(t, "credit", e.credit(b), bi(450))
		eq(t, "wallet", e.balance(me), bi(550))
		e.mine(e.market.Withdraw(e.opts(b), bi(450)))
		eq(t, "credit after withdrawing all", e.credit(b), bi(0))
		eq(t, "wallet", e.balance(me), bi(1000))
		eq(t, "market", e.balance(e.marketAddr), bi(0))
	})
}

func TestCreateOrder(t *testing.T) {
	e := newEnv(t)
	u64 := uint64(math.MaxUint64)
	u128 := new(big.Int).Sub(new(big.Int).Lsh(bi(1), 128), bi(1))
	u96 := new(big.Int).Sub(new(big.Int).Lsh(bi(1), 96), bi(1))
	maxDuration := uint64(365 * 24 * 3600)
	maxPrices := registry.RegistryPrices{CpuMilli: u128, MemoryMiB: u128, StorageGiB: u128, Gpu: u128}
	cpuOnly := func(p *big.Int) registry.RegistryPrices {
		return registry.RegistryPrices{CpuMilli: p, MemoryMiB: bi(0), StorageGiB: bi(0), Gpu: bi(0)}
	}
	memOnly := registry.RegistryPrices{CpuMilli: bi(0), MemoryMiB: bi(1), StorageGiB: bi(0), Gpu: bi(0)}
	diskOnly := registry.RegistryPrices{CpuMilli: bi(0), MemoryMiB: bi(0), StorageGiB: bi(1), Gpu: bi(0)}
	zeroPrices := cpuOnly(bi(0))

	// The buyer has exactly 2^96 − 1 in credit: enough for the largest escrow.
	b := buyer0
	e.fund(b, u96)

	tests := []struct {
		name     string
		prices   registry.RegistryPrices // of a fresh provider; nil CpuMilli: unregistered
		res      market.MarketResources
		duration uint64
		manifest common.Hash
		wantErr  string
		args     []any
		escrow   *big.Int // expected on success
	}{
		{name: "mixed, rounded up", prices: defaultPrices, res: smallOrder, duration: 60, escrow: bi(13255 * 60)},
		{name: "1 byte of memory bills 1 MiB", prices: memOnly, res: market.MarketResources{MemoryBytes: 1}, duration: 1, escrow: bi(1)},
		{name: "exactly 1 MiB", prices: memOnly, res: market.MarketResources{MemoryBytes: mib}, duration: 1, escrow: bi(1)},
		{name: "1 MiB + 1 byte bills 2", prices: memOnly, res: market.MarketResources{MemoryBytes: mib + 1}, duration: 1, escrow: bi(2)},
		{name: "max memory", prices: memOnly, res: market.MarketResources{MemoryBytes: u64}, duration: 1, escrow: bi(1 << 44)},
		{name: "1 byte of storage bills 1 GiB", prices: diskOnly, res: market.MarketResources{StorageBytes: 1}, duration: 3, escrow: bi(3)},
		{name: "exactly 2 GiB", prices: diskOnly, res: market.MarketResources{StorageBytes: 2 * gib}, duration: 1, escrow: bi(2)},
		{name: "2 GiB + 1 byte bills 3", prices: diskOnly, res: market.MarketResources{StorageBytes: 2*gib + 1}, duration: 1, escrow: bi(3)},
		{name: "max storage", prices: diskOnly, res: market.MarketResources{StorageBytes: u64}, duration: 1, escrow: bi(1 << 34)},
		{name: "max duration", prices: cpuOnly(bi(1)), res: market.MarketResources{CpuMillis: 1}, duration: maxDuration, escrow: new(big.Int).SetUint64(maxDuration)},
		{name: "escrow at the uint96 limit", prices: cpuOnly(u96), res: market.MarketResources{CpuMillis: 1}, duration: 1, escrow: u96},
		{name: "resources unpriced", prices: memOnly, res: market.MarketResources{CpuMillis: 1000, Gpus: 2}, duration: 10, wantErr: "ZeroEscrow"},
		{name: "provider free", prices: zeroPrices, res: smallOrder, duration: 10, wantErr: "ZeroEscrow"},
		{name: "escrow over the uint96 limit", prices: cpuOnly(add(u96, bi(1))), res: market.MarketResources{CpuMillis: 1}, duration: 1,
			wantErr: "EscrowTooLarge", args: []any{add(u96, bi(1)), u96}},
		{name: "all inputs at their maximum", prices: maxPrices,
			res:      market.MarketResources{CpuMillis: u64, MemoryBytes: u64, StorageBytes: u64, Gpus: math.MaxUint32},
			duration: maxDuration, wantErr: "EscrowTooLarge"},
		{name: "max cpu at max price", prices: cpuOnly(u128), res: market.MarketResources{CpuMillis: u64}, duration: 1,
			wantErr: "EscrowTooLarge", args: []any{new(big.Int).Mul(new(big.Int).SetUint64(u64), u128), u96}},
		{name: "max gpus at max price", prices: registry.RegistryPrices{CpuMilli: bi(0), MemoryMiB: bi(0), StorageGiB: bi(0), Gpu: u128},
			res: market.MarketResources{Gpus: math.MaxUint32}, duration: 1, wantErr: "EscrowTooLarge"},
		{name: "zero duration", prices: defaultPrices, res: smallOrder, duration: 0, wantErr: "ZeroDuration"},
		{name: "duration over a year", prices: defaultPrices, res: smallOrder, duration: maxDuration + 1,
			wantErr: "DurationTooLong", args: []any{maxDuration + 1, maxDuration}},
		{name: "max uint64 duration", prices: defaultPrices, res: smallOrder, duration: u64, wantErr: "DurationTooLong"},
		{name: "empty resources", prices: defaultPrices, res: market.MarketResources{}, duration: 10, wantErr: "EmptyResources"},
		{name: "zero manifest hash", prices: defaultPrices, res: smallOrder, duration: 10, manifest: common.Hash{}, wantErr: "ZeroManifestHash"},
		{name: "unregistered provider", res: smallOrder, duration: 10, wantErr: "ProviderNotRegistered"},
	}
	var lastID int64
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			provider := providerAddr(300 + i)
			if tc.prices.CpuMilli != nil {
				e.register(orgA, provider, tc.prices)
			}
			manifest := testManifest
			if tc.name == "zero manifest hash" {
				manifest = tc.manifest
			}
			before := e.credit(b)
			tx, err := e.market.CreateOrder(e.opts(b), provider, tc.res, tc.duration, manifest, noMax)
			if tc.wantErr != "" {
				args := e.expectRevert(err, tc.wantErr)
				for j, want := range tc.args {
					if !sameArg(args[j], want) {
						t.Fatalf("%s args = %v, want %v", tc.wantErr, args, tc.args)
					}
				}
				eq(t, "credit after revert", e.credit(b), before)
				return
			}
			r := e.mine(tx, err)
			eq(t, "reference escrow", escrowOf(tc.res, tc.prices, tc.duration), tc.escrow)
			ev := e.orderCreated(r)
			lastID++
			start := e.blockTime(r)
			if ev.Id.Int64() != lastID || ev.Provider != provider || ev.Buyer != e.addrs[b] || ev.Payee != e.addrs[orgA] ||
				ev.Resources != tc.res || ev.Escrow.Cmp(tc.escrow) != 0 || ev.ManifestHash != testManifest ||
				ev.Start != start || ev.End != start+tc.duration {
				t.Fatalf("OrderCreated = %+v", ev)
			}
			o := e.order(ev.Id)
			if o.Buyer != e.addrs[b] || o.Provider != provider || o.Payee != e.addrs[orgA] || o.Resources != tc.res ||
				o.Start != start || o.End != start+tc.duration || o.Escrow.Cmp(tc.escrow) != 0 ||
				o.ManifestHash != testManifest || o.Status != statusOpen {
				t.Fatalf("getOrder = %+v", o)
			}
			eq(t, "credit", e.credit(b), sub(before, tc.escrow))
			// Close the order one second later and top the buyer up so that
			// the next case starts with the same credit.
			paid := tc.escrow
			if tc.duration == 1 {
				e.mine(e.market.Settle(e.opts(b), ev.Id))
			} else {
				r := e.mine(e.market.Cancel(e.opts(b), ev.Id))
				c, err := e.market.ParseOrderCancelled(*r.Logs[0])
				if err != nil {
					t.Fatal(err)
				}
				paid = c.ProviderPaid
			}
			eq(t, "paid for one second", paid, rateOf(tc.res, tc.prices))
			e.fund(b, paid)
			eq(t, "credit after top-up", e.credit(b), before)
		})
	}
	if got := must(e.market.OrderCount(nil)); got.Int64() != lastID {
		t.Fatalf("orderCount = %v, want %d", got, lastID)
	}

	t.Run("insufficient credit", func(t *testing.T) {
		poor := buyer0 + 1
		e.fund(poor, bi(13255*60-1))
		_, err := e.market.CreateOrder(e.opts(poor), providerA, smallOrder, 60, testManifest, noMax)
		args := e.expectRevert(err, "InsufficientCredit")
		if !sameArg(args[0], bi(13255*60-1)) || !sameArg(args[1], bi(13255*60)) {
			t.Fatalf("InsufficientCredit%v", args)
		}
		// One more unit is enough.
		e.fund(poor, bi(1))
		e.createOrder(poor, providerA, smallOrder, 60)
		eq(t, "credit", e.credit(poor), bi(0))
	})
}

func TestCancel(t *testing.T) {
	const duration = 100
	rate := rateOf(smallOrder, defaultPrices)
	escrow := mul(rate, duration)

	tests := []struct {
		name    string
		at      int64 // seconds after start at which cancel is mined; -1: same block as create
		wantErr string
		paid    *big.Int
	}{
		{name: "before start (same block)", at: -1, paid: bi(0)},
		{name: "after 1 second", at: 1, paid: rate},
		{name: "mid-way", at: 37, paid: mul(rate, 37)},
		{name: "last second", at: duration - 1, paid: mul(rate, duration-1)},
		{name: "at end", at: duration, wantErr: "OrderEnded"},
		{name: "long after end", at: 10 * duration, wantErr: "OrderEnded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			b := buyer0
			e.fund(b, escrow)
			var id *big.Int
			var r *types.Receipt
			if tc.at < 0 {
				id, r = e.createAndCancelInOneBlock(b, providerA, smallOrder, duration)
			} else {
				var cr *types.Receipt
				id, cr = e.createOrder(b, providerA, smallOrder, duration)
				start := e.blockTime(cr)
				if tc.at > 1 {
					e.nextBlockAt(start + uint64(tc.at))
				}
				tx, err := e.market.Cancel(e.opts(b), id)
				if tc.wantErr != "" {
					args := e.expectRevert(err, tc.wantErr)
					if !sameArg(args[0], id) || args[1].(uint64) != start+duration {
						t.Fatalf("%s%v", tc.wantErr, args)
					}
					if o := e.order(id); o.Status != statusOpen {
						t.Fatalf("status = %d after failed cancel", o.Status)
					}
					// Settle is the way out.
					e.mine(e.market.Settle(e.opts(outsider), id))
					eq(t, "payee credit after settle", e.credit(orgA), escrow)
					return
				}
				r = e.mine(tx, err)
				if got := e.blockTime(r) - start; got != uint64(tc.at) {
					t.Fatalf("cancel mined %ds after start, want %d", got, tc.at)
				}
			}
			refund := sub(escrow, tc.paid)
			ev, err := e.market.ParseOrderCancelled(*r.Logs[len(r.Logs)-1])
			if err != nil || ev.Id.Cmp(id) != 0 || ev.ProviderPaid.Cmp(tc.paid) != 0 || ev.BuyerRefund.Cmp(refund) != 0 {
				t.Fatalf("OrderCancelled = %+v, %v; want paid %v refund %v", ev, err, tc.paid, refund)
			}
			eq(t, "payee credit", e.credit(orgA), tc.paid)
			eq(t, "buyer credit", e.credit(b), refund)
			eq(t, "paid + refund", add(e.credit(orgA), e.credit(b)), escrow)
			eq(t, "market balance", e.balance(e.marketAddr), escrow)
			o := e.order(id)
			if o.Status != statusCancelled || o.Escrow.Cmp(escrow) != 0 {
				t.Fatalf("order after cancel = %+v", o)
			}
			if must(e.market.IsActive(nil, id)) {
				t.Fatal("isActive after cancel")
			}

			_, err = e.market.Cancel(e.opts(b), id)
			e.expectRevert(err, "OrderAlreadyCancelled")
			_, err = e.market.Settle(e.opts(b), id)
			e.expectRevert(err, "OrderAlreadyCancelled")
		})
	}
}

func TestCancelRights(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	id, _ := e.createOrder(buyer0, providerA, smallOrder, 100)

	for name, who := range map[string]int{"provider owner": orgA, "outsider": outsider, "another buyer": buyer0 + 1} {
		t.Run(name, func(t *testing.T) {
			_, err := e.market.Cancel(e.opts(who), id)
			args := e.expectRevert(err, "NotBuyer")
			if !sameArg(args[0], id) || args[1] != e.addrs[who] {
				t.Fatalf("NotBuyer%v", args)
			}
		})
	}
	_, err := e.market.Cancel(e.opts(buyer0), bi(999))
	args := e.expectRevert(err, "UnknownOrder")
	if !sameArg(args[0], bi(999)) {
		t.Fatalf("UnknownOrder%v", args)
	}
	if o := e.order(id); o.Status != statusOpen {
		t.Fatalf("status = %d", o.Status)
	}
}

func TestSettle(t *testing.T) {
	const duration = 50
	rate := rateOf(smallOrder, defaultPrices)
	escrow := mul(rate, duration)

	tests := []struct {
		name    string
		at      uint64 // seconds after start
		wantErr string
	}{
		{name: "one second after start", at: 1, wantErr: "OrderNotEnded"},
		{name: "end − 1", at: duration - 1, wantErr: "OrderNotEnded"},
		{name: "end", at: duration},
		{name: "end + 1", at: duration + 1},
		{name: "long after end", at: 300 * 24 * 3600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.fund(buyer0, escrow)
			id, cr := e.createOrder(buyer0, providerA, smallOrder, duration)
			start := e.blockTime(cr)
			if !must(e.market.IsActive(nil, id)) {
				t.Fatal("not active right after creation")
			}
			if tc.at > 1 {
				e.nextBlockAt(start + tc.at)
			}
			// Anyone may settle: here an account with no stake in the order.
			tx, err := e.market.Settle(e.opts(outsider), id)
			if tc.wantErr != "" {
				args := e.expectRevert(err, tc.wantErr)
				if !sameArg(args[0], id) || args[1].(uint64) != start+duration {
					t.Fatalf("%s%v", tc.wantErr, args)
				}
				eq(t, "payee credit", e.credit(orgA), bi(0))
				return
			}
			if must(e.market.IsActive(nil, id)) != (e.now() < start+duration) {
				t.Fatalf("isActive wrong at %d (end %d)", e.now(), start+duration)
			}
			r := e.mine(tx, err)
			if got := e.blockTime(r) - start; got != tc.at {
				t.Fatalf("settle mined %ds after start, want %d", got, tc.at)
			}
			ev, err := e.market.ParseOrderSettled(*r.Logs[0])
			if err != nil || ev.Id.Cmp(id) != 0 || ev.ProviderPaid.Cmp(escrow) != 0 || ev.BuyerRefund.Sign() != 0 {
				t.Fatalf("OrderSettled = %+v, %v", ev, err)
			}
			eq(t, "payee credit", e.credit(orgA), escrow)
			eq(t, "buyer credit", e.credit(buyer0), bi(0))
			eq(t, "outsider credit", e.credit(outsider), bi(0))
			if o := e.order(id); o.Status != statusSettled {
				t.Fatalf("status = %d", o.Status)
			}
			if must(e.market.IsActive(nil, id)) {
				t.Fatal("isActive after settle")
			}

			_, err = e.market.Settle(e.opts(outsider), id)
			args := e.expectRevert(err, "OrderAlreadySettled")
			if !sameArg(args[0], id) {
				t.Fatalf("OrderAlreadySettled%v", args)
			}
			_, err = e.market.Cancel(e.opts(buyer0), id)
			e.expectRevert(err, "OrderAlreadySettled")
			eq(t, "payee credit after retries", e.credit(orgA), escrow)

			// The payee withdraws its earnings.
			e.mine(e.market.Withdraw(e.opts(orgA), escrow))
			eq(t, "payee wallet", e.balance(e.addrs[orgA]), escrow)
		})
	}

	t.Run("unknown order", func(t *testing.T) {
		e := newEnv(t)
		for _, id := range []*big.Int{bi(0), bi(1), new(big.Int).Lsh(bi(1), 255)} {
			_, err := e.market.Settle(e.opts(outsider), id)
			args := e.expectRevert(err, "UnknownOrder")
			if !sameArg(args[0], id) {
				t.Fatalf("UnknownOrder%v", args)
			}
			if must(e.market.IsActive(nil, id)) || e.order(id).Status != statusNone {
				t.Fatalf("unknown order %v reads as active or known", id)
			}
		}
	})
}

// TestPayeeFixedAtOrderTime: price changes and a change of owner after the
// order do not change what it costs or whom it pays.
func TestPayeeFixedAtOrderTime(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	id, cr := e.createOrder(buyer0, providerA, smallOrder, 10)
	escrow := mul(rateOf(smallOrder, defaultPrices), 10)

	e.mine(e.registry.Deregister(e.opts(orgA), providerA))
	e.register(orgB, providerA, registry.RegistryPrices{CpuMilli: bi(1000), MemoryMiB: bi(1000), StorageGiB: bi(1000), Gpu: bi(1000)})

	e.nextBlockAt(e.blockTime(cr) + 10)
	e.mine(e.market.Settle(e.opts(outsider), id))
	eq(t, "orgA (payee at order time)", e.credit(orgA), escrow)
	eq(t, "orgB", e.credit(orgB), bi(0))
}

// TestExactPayment: for awkward rates and durations the split of a cancelled
// order is exactly rate × served, with nothing lost to rounding.
func TestExactPayment(t *testing.T) {
	e := newEnv(t)
	prices := registry.RegistryPrices{CpuMilli: bi(7), MemoryMiB: bi(11), StorageGiB: bi(13), Gpu: bi(999_999_937)}
	e.register(orgB, providerAddr(400), prices)
	e.fund(buyer0, new(big.Int).Lsh(bi(1), 90))
	res := market.MarketResources{CpuMillis: 997, MemoryBytes: 3*mib + 5, StorageBytes: 1, Gpus: 3}
	rate := rateOf(res, prices)

	paidTotal := bi(0)
	for _, c := range []struct{ duration, served uint64 }{{3, 1}, {7, 3}, {97, 13}, {1009, 1008}, {86_413, 43_201}, {31_536_000, 1}} {
		id, cr := e.createOrder(buyer0, providerAddr(400), res, c.duration)
		if c.served > 1 {
			e.nextBlockAt(e.blockTime(cr) + c.served)
		}
		r := e.mine(e.market.Cancel(e.opts(buyer0), id))
		ev, err := e.market.ParseOrderCancelled(*r.Logs[0])
		if err != nil {
			t.Fatal(err)
		}
		escrow := mul(rate, c.duration)
		eq(t, "paid", ev.ProviderPaid, mul(rate, c.served))
		eq(t, "paid + refund", add(ev.ProviderPaid, ev.BuyerRefund), escrow)
		paidTotal.Add(paidTotal, ev.ProviderPaid)
	}
	eq(t, "payee credit", e.credit(orgB), paidTotal)
	eq(t, "conservation", add(e.credit(orgB), e.credit(buyer0)), new(big.Int).Lsh(bi(1), 90))
}

func TestSettleBatch(t *testing.T) {
	e := newEnv(t)
	rate := rateOf(smallOrder, defaultPrices)
	for i := range 4 {
		e.fund(buyer0+i, bi(1e12))
	}
	// 1: settled already; 2, 3: ended (different buyers and payees); 4: running;
	// 5: cancelled; 999: unknown.
	id1, _ := e.createOrder(buyer0, providerA, smallOrder, 5)
	id2, _ := e.createOrder(buyer0+1, providerA2, smallOrder, 5)
	id3, _ := e.createOrder(buyer0+2, providerB, smallOrder, 5)
	id4, _ := e.createOrder(buyer0+3, providerA, smallOrder, 1000)
	id5, r5 := e.createOrder(buyer0, providerB, smallOrder, 1000)
	e.mine(e.market.Cancel(e.opts(buyer0), id5))
	e.nextBlockAt(e.blockTime(r5) + 20)
	e.mine(e.market.Settle(e.opts(outsider), id1))
	paidA, paidB := e.credit(orgA), e.credit(orgB)

	ids := []*big.Int{id1, id2, bi(999), id3, id4, id5, id2, bi(0)}
	var out []any
	if err := (&market.MarketRaw{Contract: e.market}).Call(&bind.CallOpts{}, &out, "settleBatch", ids); err != nil {
		t.Fatalf("eth_call settleBatch: %v", err)
	}
	if !sameArg(out[0], bi(2)) {
		t.Fatalf("settleBatch returns %v, want 2", out[0])
	}

	r := e.mine(e.market.SettleBatch(e.opts(outsider), ids))
	var settled []int64
	for _, l := range r.Logs {
		ev, err := e.market.ParseOrderSettled(*l)
		if err != nil {
			t.Fatalf("unexpected log: %v", err)
		}
		if ev.ProviderPaid.Cmp(mul(rate, 5)) != 0 || ev.BuyerRefund.Sign() != 0 {
			t.Fatalf("OrderSettled = %+v", ev)
		}
		settled = append(settled, ev.Id.Int64())
	}
	if len(settled) != 2 || settled[0] != id2.Int64() || settled[1] != id3.Int64() {
		t.Fatalf("settled %v, want [%v %v]", settled, id2, id3)
	}
	eq(t, "orgA credit", e.credit(orgA), add(paidA, mul(rate, 5)))
	eq(t, "orgB credit", e.credit(orgB), add(paidB, mul(rate, 5)))
	for id, want := range map[*big.Int]uint8{id1: statusSettled, id2: statusSettled, id3: statusSettled, id4: statusOpen, id5: statusCancelled} {
		if got := e.order(id).Status; got != want {
			t.Fatalf("order %v status %d, want %d", id, got, want)
		}
	}

	t.Run("empty", func(t *testing.T) {
		r := e.mine(e.market.SettleBatch(e.opts(outsider), nil))
		if len(r.Logs) != 0 {
			t.Fatalf("%d logs", len(r.Logs))
		}
	})
	t.Run("at the max", func(t *testing.T) {
		ids := make([]*big.Int, 100)
		for i := range ids {
			ids[i] = bi(int64(1000 + i))
		}
		e.mine(e.market.SettleBatch(e.opts(outsider), ids))
	})
	t.Run("over the max", func(t *testing.T) {
		ids := make([]*big.Int, 101)
		for i := range ids {
			ids[i] = id4
		}
		_, err := e.market.SettleBatch(e.opts(outsider), ids)
		args := e.expectRevert(err, "BatchTooLarge")
		if !sameArg(args[0], bi(101)) || !sameArg(args[1], bi(100)) {
			t.Fatalf("BatchTooLarge%v", args)
		}
	})
}

func TestEventFilters(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	e.fund(buyer0+1, bi(1e12))
	id1, r1 := e.createOrder(buyer0, providerA, smallOrder, 10)
	_, _ = e.createOrder(buyer0+1, providerB, smallOrder, 10)
	id3, _ := e.createOrder(buyer0, providerB, smallOrder, 10)

	from := r1.BlockNumber.Uint64()
	it, err := e.market.FilterOrderCreated(&bind.FilterOpts{Start: from}, nil, nil, []common.Address{e.addrs[buyer0]})
	if err != nil {
		t.Fatalf("filter: %v", err)
	}
	defer it.Close()
	var ids []int64
	for it.Next() {
		if it.Event.Buyer != e.addrs[buyer0] || it.Event.Escrow.Cmp(mul(rateOf(smallOrder, defaultPrices), 10)) != 0 {
			t.Fatalf("event %+v", it.Event)
		}
		ids = append(ids, it.Event.Id.Int64())
	}
	if it.Error() != nil || len(ids) != 2 || ids[0] != id1.Int64() || ids[1] != id3.Int64() {
		t.Fatalf("orders of buyer0 = %v (%v), want [%v %v]", ids, it.Error(), id1, id3)
	}

	dep, err := e.market.FilterDeposited(&bind.FilterOpts{Start: 0}, []common.Address{e.addrs[buyer0+1]})
	if err != nil {
		t.Fatalf("filter: %v", err)
	}
	defer dep.Close()
	n := 0
	for dep.Next() {
		n++
		if dep.Event.Account != e.addrs[buyer0+1] || dep.Event.Amount.Int64() != 1e12 {
			t.Fatalf("Deposited %+v", dep.Event)
		}
	}
	if n != 1 {
		t.Fatalf("%d Deposited events for buyer1, want 1", n)
	}
}

// sameArg compares a decoded error argument with an expected value.
func sameArg(got, want any) bool {
	switch w := want.(type) {
	case *big.Int:
		g, ok := got.(*big.Int)
		return ok && g.Cmp(w) == 0
	default:
		return got == want
	}
}

// sameOrder fails unless the order reads as want did (a failed call changed
// nothing).
func (e *env) sameOrder(id *big.Int, want market.MarketOrderView) {
	e.tb.Helper()
	got := e.order(id)
	if got.Buyer != want.Buyer || got.Provider != want.Provider || got.Payee != want.Payee || got.Resources != want.Resources ||
		got.Start != want.Start || got.End != want.End || got.Escrow.Cmp(want.Escrow) != 0 ||
		got.ManifestHash != want.ManifestHash || got.Status != want.Status {
		e.tb.Fatalf("order %v = %+v, want %+v", id, got, want)
	}
}

// TestPriceGuard: createOrder's maxEscrow stops an order whose price rose
// after the buyer read it.
func TestPriceGuard(t *testing.T) {
	e := newEnv(t)
	b := buyer0
	e.fund(b, bi(1e15))
	const duration = 60
	// quote is what a buyer computes from the prices it reads.
	quote := func() *big.Int {
		return escrowOf(smallOrder, must(e.registry.PricesOf(nil, providerA)), duration)
	}
	raised := registry.RegistryPrices{CpuMilli: bi(4), MemoryMiB: bi(5), StorageGiB: bi(7), Gpu: bi(1000)}
	cost := quote()

	t.Run("maxEscrow equal to the cost", func(t *testing.T) {
		r := e.mine(e.market.CreateOrder(e.opts(b), providerA, smallOrder, duration, testManifest, cost))
		eq(t, "escrow", e.orderCreated(r).Escrow, cost)
	})
	t.Run("one unit below the cost", func(t *testing.T) {
		for _, max := range []*big.Int{sub(cost, bi(1)), bi(0)} {
			before := e.credit(b)
			_, err := e.market.CreateOrder(e.opts(b), providerA, smallOrder, duration, testManifest, max)
			args := e.expectRevert(err, "PriceAboveMaximum")
			if !sameArg(args[0], cost) || !sameArg(args[1], max) {
				t.Fatalf("PriceAboveMaximum%v, want [%v %v]", args, cost, max)
			}
			eq(t, "credit", e.credit(b), before)
		}
	})
	t.Run("raised between the read and the order", func(t *testing.T) {
		read := quote()
		e.mine(e.registry.Update(e.opts(orgA), providerA, "https://gw", "eu", testCapacity, raised))
		_, err := e.market.CreateOrder(e.opts(b), providerA, smallOrder, duration, testManifest, read)
		args := e.expectRevert(err, "PriceAboveMaximum")
		if !sameArg(args[0], escrowOf(smallOrder, raised, duration)) || !sameArg(args[1], read) {
			t.Fatalf("PriceAboveMaximum%v", args)
		}
		e.mine(e.registry.Update(e.opts(orgA), providerA, "https://gw", "eu", testCapacity, defaultPrices))
	})
	t.Run("raised in the same block, just before the order", func(t *testing.T) {
		read := quote()
		count, before := must(e.market.OrderCount(nil)), e.credit(b)
		// The owner's update outbids the buyer's order into the same block.
		up := e.opts(orgA)
		up.GasTipCap, up.GasLimit = big.NewInt(50e9), 500_000
		upTx, err := e.registry.Update(up, providerA, "https://gw", "eu", testCapacity, raised)
		if err != nil {
			t.Fatal(err)
		}
		o := e.opts(b)
		o.GasTipCap, o.GasLimit = big.NewInt(1e9), 1_000_000
		orderTx, err := e.market.CreateOrder(o, providerA, smallOrder, duration, testManifest, read)
		if err != nil {
			t.Fatal(err)
		}
		e.sim.Commit()
		ur, or := e.receipt(upTx), e.failedReceipt(orderTx)
		if ur.BlockNumber.Cmp(or.BlockNumber) != 0 || ur.TransactionIndex >= or.TransactionIndex {
			t.Fatal("the update did not land before the order in the same block")
		}
		if name, args := decodeRevert(e.callAt(orderTx, e.addrs[b], or.BlockNumber)); name != "PriceAboveMaximum" ||
			!sameArg(args[0], escrowOf(smallOrder, raised, duration)) {
			t.Fatalf("the order failed with %s%v, want PriceAboveMaximum", name, args)
		}
		eq(t, "orderCount", must(e.market.OrderCount(nil)), count)
		eq(t, "credit", e.credit(b), before)
	})
	t.Run("lowered: the order pays the lower cost", func(t *testing.T) {
		read := quote() // at the raised prices
		e.mine(e.registry.Update(e.opts(orgA), providerA, "https://gw", "eu", testCapacity, defaultPrices))
		before := e.credit(b)
		r := e.mine(e.market.CreateOrder(e.opts(b), providerA, smallOrder, duration, testManifest, read))
		eq(t, "escrow", e.orderCreated(r).Escrow, cost)
		eq(t, "credit", e.credit(b), sub(before, cost))
	})
}

// TestExtend: the buyer adds time at the rate the order was created with;
// every later payment stays exact.
func TestExtend(t *testing.T) {
	// Awkward prices and resources: a rate no power of two divides.
	prices := registry.RegistryPrices{CpuMilli: bi(7), MemoryMiB: bi(11), StorageGiB: bi(13), Gpu: bi(999_999_937)}
	res := market.MarketResources{CpuMillis: 997, MemoryBytes: 3*mib + 5, StorageBytes: 1, Gpus: 3}
	rate := rateOf(res, prices)
	p := providerAddr(900)

	t.Run("cancel after two extensions", func(t *testing.T) {
		e := newEnv(t)
		e.register(orgB, p, prices)
		e.fund(buyer0, bi(1e18))
		id, cr := e.createOrder(buyer0, p, res, 97)
		s := e.blockTime(cr)
		credit, balance := e.credit(buyer0), e.balance(e.marketAddr)

		e.nextBlockAt(s + 13)
		r := e.mine(e.market.Extend(e.opts(buyer0), id, 1009))
		ev := logOf(t, r, e.market.ParseOrderExtended)
		if ev.Id.Cmp(id) != 0 || ev.AddedEscrow.Cmp(mul(rate, 1009)) != 0 || ev.End != s+97+1009 {
			t.Fatalf("OrderExtended = %+v, want added %v end %d", ev, mul(rate, 1009), s+97+1009)
		}
		if len(r.Logs) != 1 {
			t.Fatalf("%d logs", len(r.Logs))
		}
		o := e.order(id)
		if o.End != s+97+1009 || o.Start != s || o.Escrow.Cmp(mul(rate, 97+1009)) != 0 || o.Status != statusOpen || o.Payee != e.addrs[orgB] {
			t.Fatalf("order after extend = %+v", o)
		}
		eq(t, "buyer credit", e.credit(buyer0), sub(credit, mul(rate, 1009)))
		eq(t, "market balance (credit moved into escrow)", e.balance(e.marketAddr), balance)

		e.mine(e.market.Extend(e.opts(buyer0), id, 3))
		total := uint64(97 + 1009 + 3)
		eq(t, "escrow after the second extension", e.order(id).Escrow, mul(rate, total))
		// Past the original end the order is still active.
		e.nextBlockAt(s + 500)
		if !must(e.market.IsActive(nil, id)) {
			t.Fatal("not active between the old and the new end")
		}
		r = e.mine(e.market.Cancel(e.opts(buyer0), id))
		c := logOf(t, r, e.market.ParseOrderCancelled)
		eq(t, "paid", c.ProviderPaid, mul(rate, 500))
		eq(t, "refund", c.BuyerRefund, mul(rate, total-500))
		eq(t, "payee credit", e.credit(orgB), mul(rate, 500))
		eq(t, "buyer credit", e.credit(buyer0), add(sub(credit, mul(rate, 1012)), mul(rate, total-500)))
	})
	t.Run("settle after the new end, at the creation price and payee", func(t *testing.T) {
		e := newEnv(t)
		e.register(orgB, p, prices)
		e.fund(buyer0, bi(1e18))
		id, cr := e.createOrder(buyer0, p, res, 10)
		s := e.blockTime(cr)
		// The provider's prices rise and it moves to orgA before the
		// extension: neither touches the order.
		e.mine(e.registry.Update(e.opts(orgB), p, "https://x", "", testCapacity, defaultPrices))
		e.mine(e.registry.Transfer(e.opts(orgB), p, e.addrs[orgA], e.proof(p, e.addrs[orgA])))
		r := e.mine(e.market.Extend(e.opts(buyer0), id, 31))
		eq(t, "added at the creation rate", logOf(t, r, e.market.ParseOrderExtended).AddedEscrow, mul(rate, 31))
		if o := e.order(id); o.Payee != e.addrs[orgB] {
			t.Fatalf("payee = %s after the transfer, want orgB", o.Payee)
		}
		e.nextBlockAt(s + 10)
		_, err := e.market.Settle(e.opts(outsider), id)
		args := e.expectRevert(err, "OrderNotEnded")
		if args[1].(uint64) != s+41 {
			t.Fatalf("OrderNotEnded%v, want end %d", args, s+41)
		}
		e.nextBlockAt(s + 41)
		r = e.mine(e.market.Settle(e.opts(outsider), id))
		st := logOf(t, r, e.market.ParseOrderSettled)
		eq(t, "paid", st.ProviderPaid, mul(rate, 41))
		eq(t, "refund", st.BuyerRefund, bi(0))
		eq(t, "orgB (payee at creation)", e.credit(orgB), mul(rate, 41))
		eq(t, "orgA (owner now)", e.credit(orgA), bi(0))
	})

	t.Run("errors", func(t *testing.T) {
		e := newEnv(t)
		rate := rateOf(smallOrder, defaultPrices)
		maxDuration := uint64(365 * 24 * 3600)
		e.fund(buyer0, bi(1e15))
		id, cr := e.createOrder(buyer0, providerA, smallOrder, 100)
		s := e.blockTime(cr)
		// expect sends extend(id, d) from who and expects the named revert
		// with args, the order and the caller's credit unchanged.
		expect := func(t *testing.T, who int, id *big.Int, d uint64, name string, args ...any) {
			t.Helper()
			o, credit := e.order(id), e.credit(who)
			_, err := e.market.Extend(e.opts(who), id, d)
			got := e.expectRevert(err, name)
			for i, want := range args {
				if !sameArg(got[i], want) {
					t.Fatalf("%s%v, want %v", name, got, args)
				}
			}
			e.sameOrder(id, o)
			eq(t, "credit", e.credit(who), credit)
		}
		t.Run("not the buyer", func(t *testing.T) {
			for _, who := range []int{orgA, outsider, buyer0 + 1} {
				expect(t, who, id, 10, "NotBuyer", id, e.addrs[who])
			}
		})
		t.Run("zero duration", func(t *testing.T) { expect(t, buyer0, id, 0, "ZeroDuration") })
		t.Run("too long", func(t *testing.T) {
			now := e.now() + 1
			// The new end may be at most MAX_DURATION after now.
			tooFar := maxDuration - (s + 100 - now) + 1
			expect(t, buyer0, id, tooFar, "DurationTooLong", maxDuration+1, maxDuration)
			expect(t, buyer0, id, maxDuration+1, "DurationTooLong", maxDuration+1, maxDuration)
			expect(t, buyer0, id, math.MaxUint64, "DurationTooLong", uint64(math.MaxUint64), maxDuration)
			// One second less is fine.
			r := e.mine(e.market.Extend(e.opts(buyer0), id, tooFar-1))
			if end := logOf(t, r, e.market.ParseOrderExtended).End; end != e.blockTime(r)+maxDuration {
				t.Fatalf("end = %d, want now + MAX_DURATION = %d", end, e.blockTime(r)+maxDuration)
			}
		})
		t.Run("insufficient credit", func(t *testing.T) {
			poor := buyer0 + 2
			e.fund(poor, mul(rate, 10))
			pid, _ := e.createOrder(poor, providerA, smallOrder, 10)
			expect(t, poor, pid, 5, "InsufficientCredit", bi(0), mul(rate, 5))
			e.fund(poor, sub(mul(rate, 5), bi(1)))
			expect(t, poor, pid, 5, "InsufficientCredit", sub(mul(rate, 5), bi(1)), mul(rate, 5))
			e.fund(poor, bi(1))
			e.mine(e.market.Extend(e.opts(poor), pid, 5))
			eq(t, "credit", e.credit(poor), bi(0))
		})
		t.Run("escrow over 96 bits", func(t *testing.T) {
			huge := providerAddr(901)
			unit := new(big.Int).Lsh(bi(1), 90)
			e.register(orgB, huge, registry.RegistryPrices{CpuMilli: unit, MemoryMiB: bi(0), StorageGiB: bi(0), Gpu: bi(0)})
			rich := buyer0 + 3
			e.fund(rich, new(big.Int).Lsh(bi(1), 97))
			bid, _ := e.createOrder(rich, huge, market.MarketResources{CpuMillis: 1}, 60)
			e.mine(e.market.Extend(e.opts(rich), bid, 3)) // 63 × 2^90 < 2^96
			u96 := new(big.Int).Sub(new(big.Int).Lsh(bi(1), 96), bi(1))
			expect(t, rich, bid, 1, "EscrowTooLarge", new(big.Int).Lsh(bi(1), 96), u96)
		})
		t.Run("ended", func(t *testing.T) {
			eid, er := e.createOrder(buyer0, providerA, smallOrder, 10)
			end := e.blockTime(er) + 10
			e.nextBlockAt(end)
			expect(t, buyer0, eid, 10, "OrderEnded", eid, end)
			e.nextBlockAt(end + 1000)
			expect(t, buyer0, eid, 10, "OrderEnded", eid, end)
			e.mine(e.market.Settle(e.opts(outsider), eid))
			expect(t, buyer0, eid, 10, "OrderAlreadySettled", eid)
		})
		t.Run("cancelled, closed, unknown", func(t *testing.T) {
			cid, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
			e.mine(e.market.Cancel(e.opts(buyer0), cid))
			expect(t, buyer0, cid, 10, "OrderAlreadyCancelled", cid)
			kid, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
			e.mine(e.market.Close(e.opts(orgA), kid))
			expect(t, buyer0, kid, 10, "OrderAlreadyClosed", kid)
			_, err := e.market.Extend(e.opts(buyer0), bi(999), 10)
			e.expectRevert(err, "UnknownOrder")
		})
	})
}

// TestClose: the payee ends a running order, paid for the time served to
// the second, the buyer refunded the rest; a closed order is final.
func TestClose(t *testing.T) {
	const duration = 100
	rate := rateOf(smallOrder, defaultPrices)
	escrow := mul(rate, duration)

	tests := []struct {
		name    string
		at      int64 // seconds after start at which close is mined; -1: same block as create
		wantErr string
	}{
		{name: "at start (same block)", at: -1},
		{name: "after 1 second", at: 1},
		{name: "mid-way", at: 37},
		{name: "last second", at: duration - 1},
		{name: "at end", at: duration, wantErr: "OrderEnded"},
		{name: "long after end", at: 10 * duration, wantErr: "OrderEnded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			b := buyer0
			e.fund(b, escrow)
			var id *big.Int
			var r *types.Receipt
			var start uint64
			if tc.at < 0 {
				// The buyer's order outbids the payee's close into one block.
				id = add(must(e.market.OrderCount(nil)), bi(1))
				o := e.opts(b)
				o.GasTipCap, o.GasLimit = big.NewInt(50e9), 1_000_000
				ctx, err := e.market.CreateOrder(o, providerA, smallOrder, duration, testManifest, noMax)
				if err != nil {
					t.Fatal(err)
				}
				c := e.opts(orgA)
				c.GasTipCap, c.GasLimit = big.NewInt(1e9), 300_000
				closeTx, err := e.market.Close(c, id)
				if err != nil {
					t.Fatal(err)
				}
				e.sim.Commit()
				cr := e.receipt(ctx)
				r = e.receipt(closeTx)
				if cr.BlockNumber.Cmp(r.BlockNumber) != 0 || cr.TransactionIndex > r.TransactionIndex {
					t.Fatal("create and close not in this order in one block")
				}
				start = e.blockTime(cr)
			} else {
				var cr *types.Receipt
				id, cr = e.createOrder(b, providerA, smallOrder, duration)
				start = e.blockTime(cr)
				if tc.at > 1 {
					e.nextBlockAt(start + uint64(tc.at))
				}
				tx, err := e.market.Close(e.opts(orgA), id)
				if tc.wantErr != "" {
					args := e.expectRevert(err, tc.wantErr)
					if !sameArg(args[0], id) || args[1].(uint64) != start+duration {
						t.Fatalf("%s%v", tc.wantErr, args)
					}
					if o := e.order(id); o.Status != statusOpen {
						t.Fatalf("status = %d after failed close", o.Status)
					}
					e.mine(e.market.Settle(e.opts(outsider), id))
					eq(t, "payee credit after settle", e.credit(orgA), escrow)
					return
				}
				r = e.mine(tx, err)
			}
			served := e.blockTime(r) - start
			if tc.at >= 0 && served != uint64(tc.at) {
				t.Fatalf("close mined %ds after start, want %d", served, tc.at)
			}
			paid := mul(rate, served)
			refund := sub(escrow, paid)
			if len(r.Logs) != 1 {
				t.Fatalf("%d logs, want 1", len(r.Logs))
			}
			ev := logOf(t, r, e.market.ParseOrderClosed)
			if ev.Id.Cmp(id) != 0 || ev.ProviderPaid.Cmp(paid) != 0 || ev.BuyerRefund.Cmp(refund) != 0 {
				t.Fatalf("OrderClosed = %+v; want paid %v refund %v", ev, paid, refund)
			}
			eq(t, "payee credit", e.credit(orgA), paid)
			eq(t, "buyer credit", e.credit(b), refund)
			eq(t, "market balance", e.balance(e.marketAddr), escrow)
			o := e.order(id)
			if o.Status != statusClosed || o.Escrow.Cmp(escrow) != 0 || o.End != start+duration {
				t.Fatalf("order after close = %+v", o)
			}
			if must(e.market.IsActive(nil, id)) {
				t.Fatal("isActive after close")
			}

			// Final: nothing ends, pays, extends or changes it again, before
			// or after its end.
			final := func() {
				t.Helper()
				_, err := e.market.Close(e.opts(orgA), id)
				e.expectRevert(err, "OrderAlreadyClosed")
				_, err = e.market.Cancel(e.opts(b), id)
				e.expectRevert(err, "OrderAlreadyClosed")
				_, err = e.market.Settle(e.opts(outsider), id)
				e.expectRevert(err, "OrderAlreadyClosed")
				_, err = e.market.Extend(e.opts(b), id, 10)
				e.expectRevert(err, "OrderAlreadyClosed")
				_, err = e.market.UpdateManifest(e.opts(b), id, crypto.Keccak256Hash([]byte("v2")))
				e.expectRevert(err, "OrderAlreadyClosed")
				r := e.mine(e.market.SettleBatch(e.opts(outsider), []*big.Int{id}))
				if len(r.Logs) != 0 {
					t.Fatal("settleBatch settled a closed order")
				}
				eq(t, "payee credit", e.credit(orgA), paid)
				eq(t, "buyer credit", e.credit(b), refund)
			}
			final()
			e.nextBlockAt(start + 2*duration)
			final()
		})
	}
}

// TestCloseRights: only the payee recorded at creation may close: not the
// buyer, not the provider's key, not whoever owns the provider now.
func TestCloseRights(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	id, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
	notPayee := func(t *testing.T, opts *bind.TransactOpts) {
		t.Helper()
		_, err := e.market.Close(opts, id)
		args := e.expectRevert(err, "NotPayee")
		if !sameArg(args[0], id) || args[1] != opts.From {
			t.Fatalf("NotPayee%v", args)
		}
		if o := e.order(id); o.Status != statusOpen {
			t.Fatalf("status %d", o.Status)
		}
	}
	for name, who := range map[string]int{"buyer": buyer0, "outsider": outsider, "another provider's owner": orgB} {
		t.Run(name, func(t *testing.T) { notPayee(t, e.opts(who)) })
	}
	t.Run("the provider's own key", func(t *testing.T) {
		e.sendEther(providerA)
		notPayee(t, e.keyOpts(providerKey(providerA)))
	})
	t.Run("the provider's new owner", func(t *testing.T) {
		e.mine(e.registry.Transfer(e.opts(orgA), providerA, e.addrs[orgB], e.proof(providerA, e.addrs[orgB])))
		notPayee(t, e.opts(orgB))
		// An order created now is the new owner's to close.
		id2, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
		_, err := e.market.Close(e.opts(orgA), id2)
		e.expectRevert(err, "NotPayee")
		e.mine(e.market.Close(e.opts(orgB), id2))
	})
	t.Run("unknown order", func(t *testing.T) {
		_, err := e.market.Close(e.opts(orgA), bi(999))
		e.expectRevert(err, "UnknownOrder")
	})
	t.Run("the payee, after a transfer and a deregistration", func(t *testing.T) {
		e.mine(e.registry.Deregister(e.opts(orgB), providerA))
		e.mine(e.market.Close(e.opts(orgA), id))
		if o := e.order(id); o.Status != statusClosed {
			t.Fatalf("status %d", o.Status)
		}
	})
}

// TestUpdateManifest: the buyer replaces the manifest hash of a running
// order; nothing else about the order changes.
func TestUpdateManifest(t *testing.T) {
	e := newEnv(t)
	e.fund(buyer0, bi(1e12))
	id, cr := e.createOrder(buyer0, providerA, smallOrder, 100)
	start := e.blockTime(cr)
	v2, v3 := crypto.Keccak256Hash([]byte("manifest v2")), crypto.Keccak256Hash([]byte("manifest v3"))
	expect := func(t *testing.T, who int, id *big.Int, h common.Hash, name string, args ...any) {
		t.Helper()
		o := e.order(id)
		_, err := e.market.UpdateManifest(e.opts(who), id, h)
		got := e.expectRevert(err, name)
		for i, want := range args {
			if !sameArg(got[i], want) {
				t.Fatalf("%s%v, want %v", name, got, args)
			}
		}
		e.sameOrder(id, o)
	}

	t.Run("buyer", func(t *testing.T) {
		credit, before := e.credit(buyer0), e.order(id)
		prev := common.Hash(testManifest)
		for _, h := range []common.Hash{v2, v3, testManifest} { // back to an earlier one is fine
			r := e.mine(e.market.UpdateManifest(e.opts(buyer0), id, h))
			if len(r.Logs) != 1 {
				t.Fatalf("%d logs", len(r.Logs))
			}
			ev := logOf(t, r, e.market.ParseManifestUpdated)
			if ev.Id.Cmp(id) != 0 || ev.PreviousHash != prev || ev.ManifestHash != h {
				t.Fatalf("ManifestUpdated = %+v, want %x → %x", ev, prev, h)
			}
			want := before
			want.ManifestHash = h
			e.sameOrder(id, want)
			prev = h
		}
		eq(t, "credit", e.credit(buyer0), credit)
		if !must(e.market.IsActive(nil, id)) {
			t.Fatal("not active")
		}
	})
	t.Run("not the buyer", func(t *testing.T) {
		for _, who := range []int{orgA, outsider, buyer0 + 1} {
			expect(t, who, id, v2, "NotBuyer", id, e.addrs[who])
		}
	})
	t.Run("zero and same hash", func(t *testing.T) {
		expect(t, buyer0, id, common.Hash{}, "ZeroManifestHash")
		expect(t, buyer0, id, testManifest, "SameManifestHash", id)
		// The zero hash is refused before the order is looked at.
		_, err := e.market.UpdateManifest(e.opts(buyer0), bi(999), common.Hash{})
		e.expectRevert(err, "ZeroManifestHash")
		_, err = e.market.UpdateManifest(e.opts(buyer0), bi(999), v2)
		e.expectRevert(err, "UnknownOrder")
	})
	t.Run("cancelled and closed", func(t *testing.T) {
		cid, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
		e.mine(e.market.Cancel(e.opts(buyer0), cid))
		expect(t, buyer0, cid, v2, "OrderAlreadyCancelled", cid)
		kid, _ := e.createOrder(buyer0, providerA, smallOrder, 100)
		e.mine(e.market.Close(e.opts(orgA), kid))
		expect(t, buyer0, kid, v2, "OrderAlreadyClosed", kid)
	})
	t.Run("ended, then settled", func(t *testing.T) {
		e.nextBlockAt(start + 100)
		expect(t, buyer0, id, v2, "OrderEnded", id, start+100)
		e.mine(e.market.Settle(e.opts(outsider), id))
		expect(t, buyer0, id, v2, "OrderAlreadySettled", id)
	})
}

// TestSettleBatchSkipsClosedAndExtended: a batch settles the ended open
// orders only: a closed order is final, an extended one runs on.
func TestSettleBatchSkipsClosedAndExtended(t *testing.T) {
	e := newEnv(t)
	rate := rateOf(smallOrder, defaultPrices)
	e.fund(buyer0, bi(1e12))
	closed, cr := e.createOrder(buyer0, providerA, smallOrder, 10)
	ended, _ := e.createOrder(buyer0, providerA, smallOrder, 10)
	extended, _ := e.createOrder(buyer0, providerA, smallOrder, 10)
	e.mine(e.market.Close(e.opts(orgA), closed)) // 3 seconds served
	e.mine(e.market.Extend(e.opts(buyer0), extended, 100))
	paid := e.credit(orgA)
	eq(t, "paid for the closed order", paid, mul(rate, 3))
	e.nextBlockAt(e.blockTime(cr) + 20)

	r := e.mine(e.market.SettleBatch(e.opts(outsider), []*big.Int{closed, ended, extended, closed}))
	if len(r.Logs) != 1 {
		t.Fatalf("%d logs, want 1", len(r.Logs))
	}
	if ev := logOf(t, r, e.market.ParseOrderSettled); ev.Id.Cmp(ended) != 0 || ev.ProviderPaid.Cmp(mul(rate, 10)) != 0 {
		t.Fatalf("OrderSettled = %+v", ev)
	}
	eq(t, "payee credit", e.credit(orgA), add(paid, mul(rate, 10)))
	for id, want := range map[*big.Int]uint8{closed: statusClosed, ended: statusSettled, extended: statusOpen} {
		if got := e.order(id).Status; got != want {
			t.Fatalf("order %v status %d, want %d", id, got, want)
		}
	}
}
