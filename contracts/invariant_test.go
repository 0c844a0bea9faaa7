package contracts_test

import (
	"flag"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/contracts/bindings/market"
)

// defaultSeed exercises every operation and error path the test checks for.
const defaultSeed = 4

var (
	invariantSeed  = flag.Uint64("seed", defaultSeed, "seed of TestInvariantRandomOps")
	invariantSteps = flag.Int("steps", 200, "operations in TestInvariantRandomOps")
)

type modelOrder struct {
	id           *big.Int
	buyer, payee common.Address
	escrow       *big.Int
	start, end   uint64
	status       uint8
}

// TestInvariantRandomOps runs a seeded random sequence of deposits,
// withdrawals, orders, cancels, settlements and time jumps among several
// accounts. It predicts every outcome (success or the exact custom error) from
// a model and checks after each step that
//
//	token.balanceOf(market) == Σ creditOf(accounts) + Σ escrow of open orders
//
// and that every credit and order status matches the model.
func TestInvariantRandomOps(t *testing.T) {
	seed := *invariantSeed
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	e := newEnv(t)

	// Actors: both provider owners (they also buy) and five buyers.
	actors := []int{orgA, orgB, buyer0, buyer0 + 1, buyer0 + 2, buyer0 + 3, buyer0 + 4}
	payeeOf := map[common.Address]int{providerA: orgA, providerA2: orgA, providerB: orgB}
	providers := []common.Address{providerA, providerA2, providerB}
	credit := map[common.Address]*big.Int{}
	wallet := big.NewInt(1e15)
	for _, a := range actors {
		e.mine(e.token.Mint(e.opts(deployer), e.addrs[a], wallet))
		e.mine(e.token.Approve(e.opts(a), e.marketAddr, wallet))
		credit[e.addrs[a]] = bi(0)
	}
	var orders []*modelOrder

	pick := func() int { return actors[rng.IntN(len(actors))] }
	// pickOrder returns an open order (half the time, if any), any known
	// order, or sometimes an unknown id.
	pickOrder := func() (*modelOrder, *big.Int) {
		if len(orders) == 0 || rng.IntN(10) == 0 {
			return nil, bi(int64(len(orders) + 1 + rng.IntN(5)))
		}
		if rng.IntN(2) == 0 {
			var open []*modelOrder
			for _, o := range orders {
				if o.status == statusOpen {
					open = append(open, o)
				}
			}
			if len(open) > 0 {
				o := open[rng.IntN(len(open))]
				return o, o.id
			}
		}
		o := orders[rng.IntN(len(orders))]
		return o, o.id
	}
	closedErr := func(o *modelOrder) string {
		switch {
		case o == nil:
			return "UnknownOrder"
		case o.status == statusCancelled:
			return "OrderAlreadyCancelled"
		case o.status == statusSettled:
			return "OrderAlreadySettled"
		}
		return ""
	}

	counts := map[string]int{}
	for step := range *invariantSteps {
		next := e.now() + 1 // the time of the block a transaction sent now lands in
		var op string
		switch w := rng.IntN(100); {
		case w < 14: // deposit
			a := pick()
			amount := bi(rng.Int64N(20_000_000))
			tx, err := e.market.Deposit(e.opts(a), amount)
			if amount.Sign() == 0 {
				op = "deposit/ZeroAmount"
				e.expectRevert(err, "ZeroAmount")
				break
			}
			op = "deposit"
			e.mine(tx, err)
			credit[e.addrs[a]].Add(credit[e.addrs[a]], amount)
		case w < 24: // withdraw, sometimes more than the credit
			a := pick()
			c := credit[e.addrs[a]]
			amount := new(big.Int).SetUint64(1 + rng.Uint64N(c.Uint64()+c.Uint64()/4+1))
			tx, err := e.market.Withdraw(e.opts(a), amount)
			if amount.Cmp(c) > 0 {
				op = "withdraw/InsufficientCredit"
				e.expectRevert(err, "InsufficientCredit")
				break
			}
			op = "withdraw"
			e.mine(tx, err)
			c.Sub(c, amount)
		case w < 50: // create
			a := pick()
			p := providers[rng.IntN(len(providers))]
			res := market.MarketResources{
				CpuMillis:    uint64(rng.IntN(3)) * uint64(rng.IntN(4001)),
				MemoryBytes:  uint64(rng.IntN(2)) * rng.Uint64N(8*gib),
				StorageBytes: uint64(rng.IntN(2)) * rng.Uint64N(100*gib),
				Gpus:         uint32(rng.IntN(3) / 2),
			}
			duration := 1 + rng.Uint64N(300)
			escrow := escrowOf(res, defaultPrices, duration)
			tx, err := e.market.CreateOrder(e.opts(a), p, res, duration, testManifest, noMax)
			switch {
			case res == (market.MarketResources{}):
				op = "create/EmptyResources"
				e.expectRevert(err, "EmptyResources")
			case escrow.Cmp(credit[e.addrs[a]]) > 0:
				op = "create/InsufficientCredit"
				e.expectRevert(err, "InsufficientCredit")
			default:
				op = "create"
				r := e.mine(tx, err)
				ev := e.orderCreated(r)
				if ev.Escrow.Cmp(escrow) != 0 || ev.Start != next || ev.End != next+duration {
					t.Fatalf("step %d: OrderCreated %+v, want escrow %v start %d", step, ev, escrow, next)
				}
				credit[e.addrs[a]].Sub(credit[e.addrs[a]], escrow)
				orders = append(orders, &modelOrder{id: ev.Id, buyer: e.addrs[a], payee: e.addrs[payeeOf[p]],
					escrow: escrow, start: next, end: next + duration, status: statusOpen})
				if ev.Id.Int64() != int64(len(orders)) {
					t.Fatalf("step %d: order id %v, want %d", step, ev.Id, len(orders))
				}
			}
		case w < 62: // cancel, mostly by the buyer
			o, id := pickOrder()
			a := pick()
			if o != nil && rng.IntN(4) != 0 {
				a = indexOf(e, o.buyer)
			}
			tx, err := e.market.Cancel(e.opts(a), id)
			want := closedErr(o)
			if want == "" && e.addrs[a] != o.buyer {
				want = "NotBuyer"
			}
			if want == "" && next >= o.end {
				want = "OrderEnded"
			}
			if want != "" {
				op = "cancel/" + want
				e.expectRevert(err, want)
				break
			}
			op = "cancel"
			r := e.mine(tx, err)
			paid := new(big.Int).Div(mul(o.escrow, next-o.start), bi(int64(o.end-o.start)))
			ev, perr := e.market.ParseOrderCancelled(*r.Logs[0])
			if perr != nil || ev.ProviderPaid.Cmp(paid) != 0 || ev.BuyerRefund.Cmp(sub(o.escrow, paid)) != 0 {
				t.Fatalf("step %d: OrderCancelled %+v, %v; want paid %v of %v", step, ev, perr, paid, o.escrow)
			}
			o.status = statusCancelled
			credit[o.payee].Add(credit[o.payee], paid)
			credit[o.buyer].Add(credit[o.buyer], sub(o.escrow, paid))
		case w < 74: // settle, by anyone
			o, id := pickOrder()
			tx, err := e.market.Settle(e.opts(pick()), id)
			want := closedErr(o)
			if want == "" && next < o.end {
				want = "OrderNotEnded"
			}
			if want != "" {
				op = "settle/" + want
				e.expectRevert(err, want)
				break
			}
			op = "settle"
			e.mine(tx, err)
			o.status = statusSettled
			credit[o.payee].Add(credit[o.payee], o.escrow)
		case w < 82: // settleBatch of a random mix, duplicates and unknown ids included
			n := rng.IntN(9)
			ids := make([]*big.Int, 0, n)
			want := 0
			for range n {
				o, id := pickOrder()
				ids = append(ids, id)
				if o != nil && o.status == statusOpen && next >= o.end {
					o.status = statusSettled
					credit[o.payee].Add(credit[o.payee], o.escrow)
					want++
				}
			}
			op = "settleBatch"
			r := e.mine(e.market.SettleBatch(e.opts(pick()), ids))
			if len(r.Logs) != want {
				t.Fatalf("step %d: settleBatch(%v) settled %d, want %d", step, ids, len(r.Logs), want)
			}
			counts["settleBatch/orders"] += want
		default: // time passes
			op = "time"
			e.adjustTime(time.Duration(1+rng.IntN(40)) * time.Second)
		}
		counts[op]++
		checkInvariant(t, e, step, op, actors, credit, orders)
	}
	t.Logf("operations: %v", counts)
	if seed != defaultSeed || *invariantSteps != 200 {
		return
	}
	// The default run is not hollow: it reaches every path below.
	for _, op := range []string{"deposit", "withdraw", "create", "cancel", "settle", "settleBatch/orders", "time",
		"withdraw/InsufficientCredit", "create/InsufficientCredit", "cancel/NotBuyer", "cancel/OrderEnded",
		"settle/OrderNotEnded", "settle/OrderAlreadySettled", "settle/UnknownOrder"} {
		if counts[op] == 0 {
			t.Errorf("seed %d never exercised %s", seed, op)
		}
	}
}

func checkInvariant(t *testing.T, e *env, step int, op string, actors []int, credit map[common.Address]*big.Int, orders []*modelOrder) {
	t.Helper()
	sum := bi(0)
	for _, a := range actors {
		c := e.credit(a)
		if c.Cmp(credit[e.addrs[a]]) != 0 {
			t.Fatalf("step %d (%s): credit of %d = %v, model %v", step, op, a, c, credit[e.addrs[a]])
		}
		sum.Add(sum, c)
	}
	for _, o := range orders {
		got := e.order(o.id)
		if got.Status != o.status || got.Escrow.Cmp(o.escrow) != 0 {
			t.Fatalf("step %d (%s): order %v is %+v, model status %d", step, op, o.id, got, o.status)
		}
		if got.Status == statusOpen {
			sum.Add(sum, got.Escrow)
		}
	}
	if bal := e.balance(e.marketAddr); bal.Cmp(sum) != 0 {
		t.Fatalf("step %d (%s): balanceOf(market) = %v, Σ credits + open escrow = %v", step, op, bal, sum)
	}
}

func indexOf(e *env, a common.Address) int {
	for i, x := range e.addrs {
		if x == a {
			return i
		}
	}
	e.tb.Fatalf("unknown account %s", a)
	return -1
}
