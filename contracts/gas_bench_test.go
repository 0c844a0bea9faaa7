package contracts_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Gas benchmarks: receipt.GasUsed of Market and Registry transactions on the
// simulated chain (Osaka rules, see osakaRules). Gas is deterministic, so one iteration
// says it all; the loop only satisfies the benchmark framework. Figures and
// the command are recorded in docs/benchmarks.md.
//
//	go test -run '^$' -bench Gas -benchtime 10x ./contracts/

// gasOf mines tx and returns the gas it used.
func (e *env) gasOf(tx *types.Transaction, err error) uint64 {
	e.tb.Helper()
	return e.mine(tx, err).GasUsed
}

// endedOrders creates one 10-second smallOrder per buyer (buyer0, buyer0+1,
// …) in a single block, at providerA (payee orgA), and moves time past their
// end. Each buyer needs credit.
func (e *env) endedOrders(n int) []*big.Int {
	e.tb.Helper()
	first := new(big.Int).Add(must(e.market.OrderCount(nil)), big.NewInt(1))
	txs := make([]*types.Transaction, n)
	for i := range n {
		o := e.opts(buyer0 + i)
		o.GasLimit = 500_000 // the pending-block estimate ignores the other creates in this block
		tx, err := e.market.CreateOrder(o, providerA, smallOrder, 10, testManifest, noMax)
		if err != nil {
			e.tb.Fatalf("createOrder: %v", err)
		}
		txs[i] = tx
	}
	e.sim.Commit()
	ids := make([]*big.Int, n)
	for i, tx := range txs {
		e.receipt(tx)
		ids[i] = new(big.Int).Add(first, big.NewInt(int64(i)))
	}
	e.nextBlockAt(e.now() + 20)
	return ids
}

func BenchmarkSettleGas(b *testing.B) {
	cases := []struct {
		name      string
		orders    int
		batch     bool
		payeeZero bool // the payee has no credit yet (first payment, or it withdrew everything)
	}{
		{name: "settle", orders: 1},
		{name: "settle-payee-zero", orders: 1, payeeZero: true},
		{name: "batch1", orders: 1, batch: true},
		{name: "batch5", orders: 5, batch: true},
		{name: "batch20", orders: 20, batch: true},
		{name: "batch20-payee-zero", orders: 20, batch: true, payeeZero: true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(b)
			for i := range c.orders {
				e.fund(buyer0+i, big.NewInt(1e15))
			}
			// Give the payee some credit first: the usual state of a provider.
			e.mine(e.market.Settle(e.opts(outsider), e.endedOrders(1)[0]))

			var gas uint64
			for b.Loop() {
				b.StopTimer()
				ids := e.endedOrders(c.orders)
				if c.payeeZero {
					e.mine(e.market.Withdraw(e.opts(orgA), e.credit(orgA)))
				}
				b.StartTimer()
				if c.batch {
					gas = e.gasOf(e.market.SettleBatch(e.opts(outsider), ids))
				} else {
					gas = e.gasOf(e.market.Settle(e.opts(outsider), ids[0]))
				}
			}
			b.ReportMetric(float64(gas), "gas/op")
			b.ReportMetric(float64(gas)/float64(c.orders), "gas/order")
		})
	}
}

func BenchmarkMarketGas(b *testing.B) {
	amount := big.NewInt(1e15)

	b.Run("deposit", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, amount) // credit is non-zero from here on
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			e.mine(e.token.Mint(e.opts(deployer), e.addrs[buyer0], amount))
			e.mine(e.token.Approve(e.opts(buyer0), e.marketAddr, amount))
			b.StartTimer()
			gas = e.gasOf(e.market.Deposit(e.opts(buyer0), amount))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("deposit-first", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0+1, amount) // the market holds someone else's tokens
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			e.mine(e.token.Mint(e.opts(deployer), e.addrs[buyer0], amount))
			e.mine(e.token.Approve(e.opts(buyer0), e.marketAddr, amount))
			if c := e.credit(buyer0); c.Sign() > 0 {
				// Back to the first iteration's state: no credit, and a wallet
				// holding exactly the minted amount.
				e.mine(e.market.Withdraw(e.opts(buyer0), c))
				e.mine(e.token.Transfer(e.opts(buyer0), e.addrs[deployer], c))
			}
			b.StartTimer()
			gas = e.gasOf(e.market.Deposit(e.opts(buyer0), amount))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("createOrder", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		e.createOrder(buyer0, providerA, smallOrder, 3600)
		var gas uint64
		for b.Loop() {
			gas = e.gasOf(e.market.CreateOrder(e.opts(buyer0), providerA, smallOrder, 3600, testManifest, noMax))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("cancel", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		// Earlier payments: the payee has credit.
		id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
		e.mine(e.market.Cancel(e.opts(buyer0), id))
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
			e.nextBlockAt(e.now() + 600)
			b.StartTimer()
			gas = e.gasOf(e.market.Cancel(e.opts(buyer0), id))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("extend", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
			e.nextBlockAt(e.now() + 600)
			b.StartTimer()
			gas = e.gasOf(e.market.Extend(e.opts(buyer0), id, 3600))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	// close is cancel's twin from the payee's side: mid-way, payee and buyer
	// both credited, the payee has credit already.
	b.Run("close", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
		e.mine(e.market.Close(e.opts(orgA), id))
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
			e.nextBlockAt(e.now() + 600)
			b.StartTimer()
			gas = e.gasOf(e.market.Close(e.opts(orgA), id))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("updateManifest", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		v2 := crypto.Keccak256Hash([]byte("manifest v2"))
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			id, _ := e.createOrder(buyer0, providerA, smallOrder, 3600)
			b.StartTimer()
			gas = e.gasOf(e.market.UpdateManifest(e.opts(buyer0), id, v2))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	b.Run("withdraw", func(b *testing.B) {
		e := newEnv(b)
		e.fund(buyer0, new(big.Int).Lsh(amount, 20))
		e.mine(e.market.Withdraw(e.opts(buyer0), big.NewInt(1e9))) // the wallet holds tokens again
		var gas uint64
		for b.Loop() {
			gas = e.gasOf(e.market.Withdraw(e.opts(buyer0), big.NewInt(1e9)))
		}
		b.ReportMetric(float64(gas), "gas/op")
	})
}

func BenchmarkRegistryGas(b *testing.B) {
	// register: a fresh provider with the record newEnv's providers have
	// (a 27-byte URL, a 7-byte region, a 2-byte GPU model) and its proof.
	b.Run("register", func(b *testing.B) {
		e := newEnv(b)
		i := 0
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			p := providerAddr(2000 + i)
			i++
			b.StartTimer()
			gas = e.register(orgA, p, defaultPrices).GasUsed
		}
		b.ReportMetric(float64(gas), "gas/op")
	})

	// transfer: providerA moves between orgA and orgB, each time with a
	// fresh proof naming the new owner.
	b.Run("transfer", func(b *testing.B) {
		e := newEnv(b)
		from, to := orgA, orgB
		var gas uint64
		for b.Loop() {
			b.StopTimer()
			proof := e.proof(providerA, e.addrs[to])
			b.StartTimer()
			gas = e.gasOf(e.registry.Transfer(e.opts(from), providerA, e.addrs[to], proof))
			from, to = to, from
		}
		b.ReportMetric(float64(gas), "gas/op")
	})
}
