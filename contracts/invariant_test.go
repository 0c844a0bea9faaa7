package contracts_test

import (
	"flag"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// defaultSeed exercises every operation and error path the test checks for
// (see the list at the end of TestInvariantRandomOps).
const (
	defaultSeed  = 14
	defaultSteps = 500
)

var (
	invariantSeed  = flag.Uint64("seed", defaultSeed, "seed of TestInvariantRandomOps")
	invariantSteps = flag.Int("steps", defaultSteps, "operations in TestInvariantRandomOps")
)

const maxDuration = 365 * 24 * 3600 // Market.MAX_DURATION

type modelOrder struct {
	id       *big.Int
	provider common.Address
	buyer    common.Address
	payee    common.Address // the provider's owner when the order was created
	rate     *big.Int       // per second, at the prices of its creation
	escrow   *big.Int
	start    uint64
	end      uint64
	status   uint8
	manifest common.Hash
}

// model is what the test expects the chain to hold.
type model struct {
	credit    map[common.Address]*big.Int
	owner     map[common.Address]int // provider → owner (account index)
	prices    map[common.Address]registry.RegistryPrices
	orders    []*modelOrder
	deposited *big.Int // Σ deposits
	withdrawn *big.Int // Σ withdrawals
	// closings counts the closing events (OrderCancelled, OrderSettled,
	// OrderClosed) seen per order id.
	closings map[int64]int
}

// TestInvariantRandomOps runs a seeded random sequence of deposits,
// withdrawals, orders (some with a price guard, some after a price change
// between the buyer's quote and its order), cancels, settlements, batch
// settlements, extensions, provider closes, manifest updates, transfers of
// providers between owners, and time jumps, among several accounts. It
// predicts every outcome (success or the exact custom error) from a model
// and checks after each step (checkInvariant) that
//
//	Σ deposits == Σ creditOf + Σ escrow of open orders + Σ withdrawn
//	token.balanceOf(market) == Σ creditOf + Σ escrow of open orders
//
// that every credit and order matches the model, that each order has at
// most one closing event and has one exactly when its status is final,
// that every payment (paid + refund == escrow) went to the payee recorded
// at creation (the provider's owner then) and the buyer, and nobody else.
func TestInvariantRandomOps(t *testing.T) {
	seed := *invariantSeed
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	e := newEnv(t)

	// Actors: both provider owners (they also buy) and five buyers; any of
	// them may come to own a provider through a transfer.
	actors := []int{orgA, orgB, buyer0, buyer0 + 1, buyer0 + 2, buyer0 + 3, buyer0 + 4}
	providers := []common.Address{providerA, providerA2, providerB}
	m := &model{
		credit:    map[common.Address]*big.Int{},
		owner:     map[common.Address]int{providerA: orgA, providerA2: orgA, providerB: orgB},
		prices:    map[common.Address]registry.RegistryPrices{providerA: defaultPrices, providerA2: defaultPrices, providerB: defaultPrices},
		deposited: bi(0),
		withdrawn: bi(0),
		closings:  map[int64]int{},
	}
	firstOwner := map[common.Address]int{providerA: orgA, providerA2: orgA, providerB: orgB}
	wallet := big.NewInt(1e15)
	for _, a := range actors {
		e.mine(e.token.Mint(e.opts(deployer), e.addrs[a], wallet))
		e.mine(e.token.Approve(e.opts(a), e.marketAddr, wallet))
		m.credit[e.addrs[a]] = bi(0)
	}
	manifests := []common.Hash{testManifest, crypto.Keccak256Hash([]byte("manifest v2")), crypto.Keccak256Hash([]byte("manifest v3"))}

	pick := func() int { return actors[rng.IntN(len(actors))] }
	// pickOrder returns an order running at time next (almost half the
	// time, if any), an open one, any known order, or sometimes an unknown
	// id.
	pickOrder := func(next uint64) (*modelOrder, *big.Int) {
		w := rng.IntN(20)
		if len(m.orders) == 0 || w < 2 {
			return nil, bi(int64(len(m.orders) + 1 + rng.IntN(5)))
		}
		if w < 14 {
			var some []*modelOrder
			for _, o := range m.orders {
				if o.status == statusOpen && (w >= 11 || next < o.end) {
					some = append(some, o)
				}
			}
			if len(some) > 0 {
				o := some[rng.IntN(len(some))]
				return o, o.id
			}
		}
		o := m.orders[rng.IntN(len(m.orders))]
		return o, o.id
	}
	// byBuyer is mostly the order's buyer, else anyone.
	byBuyer := func(o *modelOrder) int {
		if o != nil && rng.IntN(4) != 0 {
			return indexOf(e, o.buyer)
		}
		return pick()
	}
	closedErr := func(o *modelOrder) string {
		switch {
		case o == nil:
			return "UnknownOrder"
		case o.status == statusCancelled:
			return "OrderAlreadyCancelled"
		case o.status == statusSettled:
			return "OrderAlreadySettled"
		case o.status == statusClosed:
			return "OrderAlreadyClosed"
		}
		return ""
	}
	randomResources := func() market.MarketResources {
		return market.MarketResources{
			CpuMillis:    uint64(rng.IntN(3)) * uint64(rng.IntN(4001)),
			MemoryBytes:  uint64(rng.IntN(2)) * rng.Uint64N(8*gib),
			StorageBytes: uint64(rng.IntN(2)) * rng.Uint64N(100*gib),
			Gpus:         uint32(rng.IntN(3) / 2),
		}
	}
	randomPrices := func() registry.RegistryPrices {
		return registry.RegistryPrices{CpuMilli: bi(1 + rng.Int64N(10)), MemoryMiB: bi(1 + rng.Int64N(10)),
			StorageGiB: bi(1 + rng.Int64N(10)), Gpu: bi(500 + rng.Int64N(1500))}
	}
	// created records a mined order: the payee must be the provider's
	// owner now.
	created := func(step int, r *types.Receipt, buyer int, p common.Address, res market.MarketResources, duration, next uint64) {
		t.Helper()
		ev := e.orderCreated(r)
		rate := rateOf(res, m.prices[p])
		escrow := mul(rate, duration)
		owner := e.addrs[m.owner[p]]
		if ev.Escrow.Cmp(escrow) != 0 || ev.Start != next || ev.End != next+duration || ev.Payee != owner ||
			ev.Payee != must(e.registry.OwnerOf(nil, p)) {
			t.Fatalf("step %d: OrderCreated %+v, want escrow %v start %d payee %s", step, ev, escrow, next, owner)
		}
		m.credit[e.addrs[buyer]].Sub(m.credit[e.addrs[buyer]], escrow)
		m.orders = append(m.orders, &modelOrder{id: ev.Id, provider: p, buyer: e.addrs[buyer], payee: owner, rate: rate,
			escrow: escrow, start: next, end: next + duration, status: statusOpen, manifest: testManifest})
		if ev.Id.Int64() != int64(len(m.orders)) {
			t.Fatalf("step %d: order id %v, want %d", step, ev.Id, len(m.orders))
		}
	}
	// pay moves an order's escrow to its payee (paid) and buyer (the rest).
	pay := func(o *modelOrder, paid *big.Int) {
		m.credit[o.payee].Add(m.credit[o.payee], paid)
		m.credit[o.buyer].Add(m.credit[o.buyer], sub(o.escrow, paid))
	}

	counts := map[string]int{}
	for step := range *invariantSteps {
		next := e.now() + 1 // the time of the block a transaction sent now lands in
		var op string
		var r *types.Receipt // the step's receipt holding closing events, if any
		// expect: the call failed with want, or op succeeded.
		expect := func(name string, err error, want string) bool {
			if want == "" {
				op = name
				return true
			}
			op = name + "/" + want
			e.expectRevert(err, want)
			return false
		}
		switch w := rng.IntN(100); {
		case w < 9: // deposit
			a := pick()
			amount := bi(rng.Int64N(20_000_000))
			tx, err := e.market.Deposit(e.opts(a), amount)
			want := ""
			if amount.Sign() == 0 {
				want = "ZeroAmount"
			}
			if expect("deposit", err, want) {
				e.mine(tx, err)
				m.credit[e.addrs[a]].Add(m.credit[e.addrs[a]], amount)
				m.deposited.Add(m.deposited, amount)
			}
		case w < 15: // withdraw, sometimes more than the credit
			a := pick()
			c := m.credit[e.addrs[a]]
			amount := new(big.Int).SetUint64(1 + rng.Uint64N(c.Uint64()+c.Uint64()/4+1))
			tx, err := e.market.Withdraw(e.opts(a), amount)
			want := ""
			if amount.Cmp(c) > 0 {
				want = "InsufficientCredit"
			}
			if expect("withdraw", err, want) {
				e.mine(tx, err)
				c.Sub(c, amount)
				m.withdrawn.Add(m.withdrawn, amount)
			}
		case w < 32: // create, with no maximum, the exact cost or one unit less
			a := pick()
			p := providers[rng.IntN(len(providers))]
			res := randomResources()
			duration := 1 + rng.Uint64N(600)
			escrow := escrowOf(res, m.prices[p], duration)
			max := noMax
			switch rng.IntN(8) {
			case 0, 1:
				max = escrow
			case 2:
				if escrow.Sign() > 0 {
					max = sub(escrow, bi(1))
				}
			}
			tx, err := e.market.CreateOrder(e.opts(a), p, res, duration, testManifest, max)
			want := ""
			switch {
			case res == (market.MarketResources{}):
				want = "EmptyResources"
			case escrow.Cmp(max) > 0:
				want = "PriceAboveMaximum"
			case escrow.Cmp(m.credit[e.addrs[a]]) > 0:
				want = "InsufficientCredit"
			}
			if expect("create", err, want) {
				created(step, e.mine(tx, err), a, p, res, duration, next)
				if m.owner[p] != firstOwner[p] {
					counts["create/after a transfer"]++
				}
			}
		case w < 38: // a buyer quotes, the owner changes the prices, the buyer orders with its quote as maximum
			a := pick()
			p := providers[rng.IntN(len(providers))]
			res := randomResources()
			res.CpuMillis++
			duration := 1 + rng.Uint64N(600)
			if got := must(e.registry.PricesOf(nil, p)); !samePrices(got, m.prices[p]) {
				t.Fatalf("step %d: pricesOf(%s) = %+v, model %+v", step, p, got, m.prices[p])
			}
			quote := escrowOf(res, m.prices[p], duration)
			m.prices[p] = randomPrices()
			e.mine(e.registry.Update(e.opts(m.owner[p]), p, "https://gw", "eu", testCapacity, m.prices[p]))
			next = e.now() + 1
			cost := escrowOf(res, m.prices[p], duration)
			tx, err := e.market.CreateOrder(e.opts(a), p, res, duration, testManifest, quote)
			want := ""
			switch {
			case cost.Cmp(quote) > 0:
				want = "PriceAboveMaximum"
			case cost.Cmp(m.credit[e.addrs[a]]) > 0:
				want = "InsufficientCredit"
			}
			if expect("quote", err, want) {
				created(step, e.mine(tx, err), a, p, res, duration, next)
				if cost.Cmp(quote) < 0 {
					op = "quote/lowered"
				}
			}
		case w < 45: // cancel, mostly by the buyer
			o, id := pickOrder(next)
			a := byBuyer(o)
			tx, err := e.market.Cancel(e.opts(a), id)
			want := closedErr(o)
			if want == "" && e.addrs[a] != o.buyer {
				want = "NotBuyer"
			}
			if want == "" && next >= o.end {
				want = "OrderEnded"
			}
			if expect("cancel", err, want) {
				r = e.mine(tx, err)
				paid := mul(o.rate, next-o.start)
				ev := logOf(t, r, e.market.ParseOrderCancelled)
				if ev.ProviderPaid.Cmp(paid) != 0 || ev.BuyerRefund.Cmp(sub(o.escrow, paid)) != 0 {
					t.Fatalf("step %d: OrderCancelled %+v; want paid %v of %v", step, ev, paid, o.escrow)
				}
				o.status = statusCancelled
				pay(o, paid)
			}
		case w < 52: // settle, by anyone
			o, id := pickOrder(next)
			tx, err := e.market.Settle(e.opts(pick()), id)
			want := closedErr(o)
			if want == "" && next < o.end {
				want = "OrderNotEnded"
			}
			if expect("settle", err, want) {
				r = e.mine(tx, err)
				o.status = statusSettled
				pay(o, o.escrow)
			}
		case w < 57: // settleBatch of a random mix, duplicates and unknown ids included
			n := rng.IntN(9)
			ids := make([]*big.Int, 0, n)
			want := 0
			for range n {
				o, id := pickOrder(next)
				ids = append(ids, id)
				if o != nil && o.status == statusOpen && next >= o.end {
					o.status = statusSettled
					pay(o, o.escrow)
					want++
				}
			}
			op = "settleBatch"
			r = e.mine(e.market.SettleBatch(e.opts(pick()), ids))
			if len(r.Logs) != want {
				t.Fatalf("step %d: settleBatch(%v) settled %d, want %d", step, ids, len(r.Logs), want)
			}
			counts["settleBatch/orders"] += want
		case w < 66: // extend, mostly by the buyer, sometimes by nothing or too far
			o, id := pickOrder(next)
			a := byBuyer(o)
			d := 1 + rng.Uint64N(200)
			switch rng.IntN(12) {
			case 0:
				d = 0
			case 1:
				d = maxDuration + 1
			case 2:
				if o != nil && o.end > next {
					d = maxDuration - (o.end - next) + 1 // ends one second too far
				}
			case 3:
				d = 1 + rng.Uint64N(100_000) // mostly more than the buyer's credit
			}
			tx, err := e.market.Extend(e.opts(a), id, d)
			want := closedErr(o)
			switch {
			case want != "":
			case e.addrs[a] != o.buyer:
				want = "NotBuyer"
			case next >= o.end:
				want = "OrderEnded"
			case d == 0:
				want = "ZeroDuration"
			case d > maxDuration || o.end+d-next > maxDuration:
				want = "DurationTooLong"
			case mul(o.rate, d).Cmp(m.credit[o.buyer]) > 0:
				want = "InsufficientCredit"
			}
			if expect("extend", err, want) {
				added := mul(o.rate, d)
				ev := logOf(t, e.mine(tx, err), e.market.ParseOrderExtended)
				if ev.AddedEscrow.Cmp(added) != 0 || ev.End != o.end+d {
					t.Fatalf("step %d: OrderExtended %+v, want added %v end %d", step, ev, added, o.end+d)
				}
				m.credit[o.buyer].Sub(m.credit[o.buyer], added)
				o.escrow.Add(o.escrow, added)
				o.end += d
			}
		case w < 73: // close, mostly by the payee, else the provider's owner now or anyone
			o, id := pickOrder(next)
			a := pick()
			if o != nil {
				switch rng.IntN(4) {
				case 0, 1:
					a = indexOf(e, o.payee)
				case 2:
					a = m.owner[o.provider]
				}
			}
			tx, err := e.market.Close(e.opts(a), id)
			want := closedErr(o)
			if want == "" && e.addrs[a] != o.payee {
				want = "NotPayee"
			}
			if want == "" && next >= o.end {
				want = "OrderEnded"
			}
			if expect("close", err, want) {
				r = e.mine(tx, err)
				paid := mul(o.rate, next-o.start)
				ev := logOf(t, r, e.market.ParseOrderClosed)
				if ev.ProviderPaid.Cmp(paid) != 0 || ev.BuyerRefund.Cmp(sub(o.escrow, paid)) != 0 {
					t.Fatalf("step %d: OrderClosed %+v; want paid %v of %v", step, ev, paid, o.escrow)
				}
				o.status = statusClosed
				pay(o, paid)
				if e.addrs[m.owner[o.provider]] != o.payee {
					counts["close/by the payee, not the owner now"]++
				}
			} else if want == "NotPayee" && e.addrs[a] == e.addrs[m.owner[o.provider]] {
				counts["close/NotPayee by the owner now"]++
			}
		case w < 78: // updateManifest, mostly by the buyer
			o, id := pickOrder(next)
			a := byBuyer(o)
			h := manifests[rng.IntN(len(manifests))]
			if rng.IntN(10) == 0 {
				h = common.Hash{}
			}
			tx, err := e.market.UpdateManifest(e.opts(a), id, h)
			want := ""
			switch {
			case h == (common.Hash{}):
				want = "ZeroManifestHash"
			case closedErr(o) != "":
				want = closedErr(o)
			case e.addrs[a] != o.buyer:
				want = "NotBuyer"
			case next >= o.end:
				want = "OrderEnded"
			case h == o.manifest:
				want = "SameManifestHash"
			}
			if expect("updateManifest", err, want) {
				ev := logOf(t, e.mine(tx, err), e.market.ParseManifestUpdated)
				if ev.PreviousHash != o.manifest || ev.ManifestHash != h {
					t.Fatalf("step %d: ManifestUpdated %+v, want %x → %x", step, ev, o.manifest, h)
				}
				o.manifest = h
			}
		case w < 83: // transfer a provider, mostly by its owner with a good proof
			p := providers[rng.IntN(len(providers))]
			owner := m.owner[p]
			from := owner
			if rng.IntN(5) == 0 {
				from = pick()
			}
			to := pick()
			var proof registry.RegistryProof
			proofErr := ""
			switch rng.IntN(7) {
			case 0: // the proof that bound it to its owner, replayed
				proof = e.proofWith(p, e.addrs[to], sub(must(e.registry.NonceOf(nil, p)), bi(1)), proofDeadline)
				proofErr = "InvalidNonce"
			case 1: // a proof naming someone else
				proof = e.proof(p, e.addrs[deployer])
				proofErr = "InvalidProviderSignature"
			default:
				proof = e.proof(p, e.addrs[to])
			}
			tx, err := e.registry.Transfer(e.opts(from), p, e.addrs[to], proof)
			want := ""
			switch {
			case from != owner:
				want = "NotProviderOwner"
			case to == owner:
				want = "InvalidNewOwner"
			default:
				want = proofErr
			}
			if expect("transfer", err, want) {
				ev := logOf(t, e.mine(tx, err), e.registry.ParseProviderTransferred)
				if ev.Provider != p || ev.From != e.addrs[owner] || ev.To != e.addrs[to] {
					t.Fatalf("step %d: ProviderTransferred %+v", step, ev)
				}
				m.owner[p] = to
			}
		default: // time passes
			op = "time"
			e.adjustTime(time.Duration(1+rng.IntN(40)) * time.Second)
		}
		counts[op]++
		if r != nil {
			m.recordClosings(t, e, step, r)
		}
		m.check(t, e, step, op, actors, providers)
	}
	m.checkClosingLogs(t, e)
	t.Logf("operations: %v", counts)
	if seed != defaultSeed || *invariantSteps != defaultSteps {
		return
	}
	// The default run is not hollow: it reaches every path below.
	for _, op := range []string{
		"deposit", "withdraw", "withdraw/InsufficientCredit",
		"create", "create/InsufficientCredit", "create/PriceAboveMaximum", "create/after a transfer",
		"quote/lowered", "quote/PriceAboveMaximum",
		"cancel", "cancel/NotBuyer", "cancel/OrderEnded", "cancel/OrderAlreadyClosed",
		"settle", "settle/OrderNotEnded", "settle/OrderAlreadySettled", "settle/UnknownOrder", "settle/OrderAlreadyClosed",
		"settleBatch/orders",
		"extend", "extend/NotBuyer", "extend/OrderEnded", "extend/ZeroDuration", "extend/DurationTooLong",
		"extend/InsufficientCredit", "extend/OrderAlreadyClosed",
		"close", "close/NotPayee", "close/OrderEnded", "close/by the payee, not the owner now", "close/NotPayee by the owner now",
		"updateManifest", "updateManifest/NotBuyer", "updateManifest/SameManifestHash", "updateManifest/ZeroManifestHash",
		"transfer", "transfer/NotProviderOwner", "transfer/InvalidNewOwner", "transfer/InvalidNonce",
		"transfer/InvalidProviderSignature",
		"time",
	} {
		if counts[op] == 0 {
			t.Errorf("seed %d never exercised %s", seed, op)
		}
	}
}

// recordClosings counts the closing events in r and checks each: its order
// is final in the model and its split adds up to the escrow.
func (m *model) recordClosings(t *testing.T, e *env, step int, r *types.Receipt) {
	t.Helper()
	for _, l := range r.Logs {
		var id, paid, refund *big.Int
		if ev, err := e.market.ParseOrderCancelled(*l); err == nil {
			id, paid, refund = ev.Id, ev.ProviderPaid, ev.BuyerRefund
		} else if ev, err := e.market.ParseOrderSettled(*l); err == nil {
			id, paid, refund = ev.Id, ev.ProviderPaid, ev.BuyerRefund
		} else if ev, err := e.market.ParseOrderClosed(*l); err == nil {
			id, paid, refund = ev.Id, ev.ProviderPaid, ev.BuyerRefund
		} else {
			continue
		}
		o := m.orders[id.Int64()-1]
		m.closings[id.Int64()]++
		if o.status == statusOpen || add(paid, refund).Cmp(o.escrow) != 0 {
			t.Fatalf("step %d: closing event of order %v: paid %v + refund %v, escrow %v, model status %d",
				step, id, paid, refund, o.escrow, o.status)
		}
	}
}

// check compares the chain with the model and checks the invariants.
func (m *model) check(t *testing.T, e *env, step int, op string, actors []int, providers []common.Address) {
	t.Helper()
	credits := bi(0)
	for _, a := range actors {
		c := e.credit(a)
		if c.Cmp(m.credit[e.addrs[a]]) != 0 {
			t.Fatalf("step %d (%s): credit of %d = %v, model %v", step, op, a, c, m.credit[e.addrs[a]])
		}
		credits.Add(credits, c)
	}
	// Nobody else was ever paid: the deployer and the provider keys hold
	// no credit.
	for _, a := range append([]common.Address{e.addrs[deployer], e.addrs[outsider]}, providers...) {
		if c := e.creditOf(a); c.Sign() != 0 {
			t.Fatalf("step %d (%s): %s has credit %v", step, op, a, c)
		}
	}
	open := bi(0)
	for _, o := range m.orders {
		got := e.order(o.id)
		if got.Status != o.status || got.Escrow.Cmp(o.escrow) != 0 || got.End != o.end || got.Start != o.start ||
			got.Payee != o.payee || got.Buyer != o.buyer || got.Provider != o.provider || got.ManifestHash != o.manifest {
			t.Fatalf("step %d (%s): order %v is %+v, model %+v", step, op, o.id, got, *o)
		}
		if got.Status == statusOpen {
			open.Add(open, got.Escrow)
		}
		// One closing event exactly when the order is final.
		n, final := m.closings[o.id.Int64()], o.status != statusOpen
		if n > 1 || (n == 1) != final {
			t.Fatalf("step %d (%s): order %v has %d closing events, status %d", step, op, o.id, n, o.status)
		}
	}
	held := add(credits, open)
	if bal := e.balance(e.marketAddr); bal.Cmp(held) != 0 {
		t.Fatalf("step %d (%s): balanceOf(market) = %v, Σ credits + open escrow = %v", step, op, bal, held)
	}
	if out := add(held, m.withdrawn); out.Cmp(m.deposited) != 0 {
		t.Fatalf("step %d (%s): Σ deposits = %v, Σ credits + open escrow + Σ withdrawn = %v", step, op, m.deposited, out)
	}
	for _, p := range providers {
		if got := must(e.registry.OwnerOf(nil, p)); got != e.addrs[m.owner[p]] {
			t.Fatalf("step %d (%s): ownerOf(%s) = %s, model %s", step, op, p, got, e.addrs[m.owner[p]])
		}
	}
}

// checkClosingLogs reads every closing event of the whole run from the
// chain's logs: one per final order, none for an open one.
func (m *model) checkClosingLogs(t *testing.T, e *env) {
	t.Helper()
	seen := map[int64]int{}
	opts := &bind.FilterOpts{Start: 0}
	c, err := e.market.FilterOrderCancelled(opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for c.Next() {
		seen[c.Event.Id.Int64()]++
	}
	s, err := e.market.FilterOrderSettled(opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for s.Next() {
		seen[s.Event.Id.Int64()]++
	}
	k, err := e.market.FilterOrderClosed(opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k.Next() {
		seen[k.Event.Id.Int64()]++
	}
	if c.Error() != nil || s.Error() != nil || k.Error() != nil {
		t.Fatalf("filters: %v %v %v", c.Error(), s.Error(), k.Error())
	}
	final := 0
	for _, o := range m.orders {
		n := seen[o.id.Int64()]
		if o.status != statusOpen {
			final++
		}
		if (o.status != statusOpen) != (n == 1) || n > 1 {
			t.Fatalf("order %v: %d closing events on chain, status %d", o.id, n, o.status)
		}
	}
	if len(seen) != final {
		t.Fatalf("closing events for %d orders, %d final orders", len(seen), final)
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
