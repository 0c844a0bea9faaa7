package e2e

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/test/consultest"
)

// crashTrials is the number of kill -9 trials: GRIDNODE_CRASH_TRIALS, or
// 50 by default (make bench runs 100; docs/benchmarks.md).
func crashTrials(t *testing.T) int {
	if s := os.Getenv("GRIDNODE_CRASH_TRIALS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("GRIDNODE_CRASH_TRIALS=%q: want a positive integer", s)
		}
		return n
	}
	return 50
}

// killPoints are the provider carrier's log messages that mark how far
// settlement had got when it was killed.
var killPoints = []string{"settling", "intent journaled", "transaction mined", "intent confirmed", "settlement batch confirmed",
	"submitting a settlement batch written before a stop", "chain mediator running"}

// TestChainSettlementCrash kill -9s the provider's carrier (a real
// process) at random points while orders end and are settled, restarts
// it, and checks at the end: every ended order settled, each exactly once,
// the provider paid exactly the escrows, and the transaction journal in
// agreement with the chain.
//
// Each restart uses a fresh organization id, and so a fresh carrier lock:
// a carrier killed with -9 holds the org's lock until Consul expires its
// session (up to 2×10 s + lock delay), which tests Consul, not
// settlement. The data dir, wallet, journal and chain state are the same.
func TestChainSettlementCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash trials take minutes")
	}
	trials := crashTrials(t)
	e := startDevnet(t)
	agent := consultest.Start(t)
	provider := crypto.PubkeyToAddress(e.key("provider-a").PublicKey)
	registerGateway(t, agent, "gateway-crash-1", "", provider)
	tok := writeToken(t, 0o600)
	ks, pass := e.keystoreOf("provider-b")
	payee := crypto.PubkeyToAddress(e.key("provider-b").PublicKey)
	dataDir := t.TempDir()
	start := func(n int) *daemon {
		return startDaemon(t, "carrier", daemonArgs("carrier", agent, fmt.Sprintf("crash-%d", n), append(append(append(
			[]string{"--api-token-file", tok}, chainArgs(e, dataDir, ks, pass)...), staticChainArgs(e)...), sellerArgs()...)...)...)
	}
	a := start(0)
	ca := newAPIClient(t, a, tok)
	handProof(t, e, ca, tok, "provider-a", payee)
	waitFor(t, time.Minute, "provider registered", func() bool {
		var ps []struct{ State string }
		code, _ := ca.do("GET", "providers", nil, &ps)
		return code == http.StatusOK && len(ps) == 1 && ps[0].State == "registered"
	})

	// The buyer deposits once, then orders directly on chain.
	buyer := e.transactor("buyer-a")
	buyer.GasLimit = 200_000
	if _, err := bind.WaitMined(e.ctx, e.client, must(t)(e.token.Approve(buyer, e.info.Contracts.Market, big.NewInt(1e15)))); err != nil {
		t.Fatal(err)
	}
	if _, err := bind.WaitMined(e.ctx, e.client, must(t)(e.market.Deposit(buyer, big.NewInt(1e15)))); err != nil {
		t.Fatal(err)
	}
	buyer.GasLimit = 600_000
	// The buyer's nonces are counted here: asking the node for the pending
	// nonce before each of a trial's back-to-back orders can hand out one
	// twice (a "replacement transaction underpriced" refusal).
	nonce, err := e.client.PendingNonceAt(e.ctx, buyer.From)
	if err != nil {
		t.Fatal(err)
	}
	credit0 := e.credit(payee)
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	type placed struct {
		id     uint64
		escrow *big.Int
	}
	var orders []placed
	points := map[string]int{}
	begin := time.Now()
	for trial := range trials {
		n := 1 + rnd.IntN(3)
		var txs []*types.Transaction
		for range n {
			res := market.MarketResources{CpuMillis: uint64(100 + rnd.IntN(2000)), MemoryBytes: 1 << 20}
			buyer.Nonce = new(big.Int).SetUint64(nonce)
			tx, err := e.market.CreateOrder(buyer, provider, res, uint64(2+rnd.IntN(2)), crypto.Keccak256Hash([]byte(fmt.Sprint(trial))), devchaintest.NoMax)
			if err != nil {
				t.Fatalf("trial %d: createOrder: %v", trial, err)
			}
			nonce++
			txs = append(txs, tx)
		}
		for _, tx := range txs {
			r, err := bind.WaitMined(e.ctx, e.client, tx)
			if err != nil || r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("trial %d: order not mined: %v", trial, err)
			}
			for _, l := range r.Logs {
				if ev, err := e.market.ParseOrderCreated(*l); err == nil {
					orders = append(orders, placed{ev.Id.Uint64(), ev.Escrow})
				}
			}
		}
		time.Sleep(time.Duration(rnd.IntN(4500)) * time.Millisecond)
		point := lastPoint(a.log())
		points[point]++
		a.Kill() // SIGKILL
		a = start(trial + 1)
	}
	crashPhase := time.Since(begin)

	// All ended orders get settled by the last carrier.
	ca = newAPIClient(t, a, tok)
	restarted := time.Now()
	waitFor(t, 3*time.Minute, "every order settled", func() bool {
		for _, o := range orders {
			v, err := e.market.GetOrder(&bind.CallOpts{Context: e.ctx}, new(big.Int).SetUint64(o.id))
			if err != nil || v.Status != 3 {
				return false
			}
		}
		return true
	})
	catchUp := time.Since(restarted)
	var s struct {
		Due     []uint64
		Earned  amount
		Batches []struct {
			Seq     uint64
			Key     string
			Done    bool
			Result  string
			Settled int
			IDs     []uint64 `json:"ids"`
			Tx      *common.Hash
		}
	}
	waitFor(t, time.Minute, "the carrier to see every settlement", func() bool {
		code, _ := ca.do("GET", "settlements?limit=1000", nil, &s)
		if code != http.StatusOK || len(s.Due) > 0 {
			return false
		}
		for _, b := range s.Batches {
			if !b.Done {
				return false
			}
		}
		return true
	})

	// The chain: one settlement per order, the escrows paid exactly.
	logs, err := e.client.FilterLogs(e.ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(e.info.DeployBlock), Addresses: []common.Address{e.info.Contracts.Market},
	})
	if err != nil {
		t.Fatal(err)
	}
	settledEvents, cancelledEvents := map[uint64]int{}, 0
	settleTxs := map[common.Hash]int{}
	paid := new(big.Int)
	for _, l := range logs {
		if ev, err := e.market.ParseOrderSettled(l); err == nil && l.Topics[0] == settledTopic(t) {
			settledEvents[ev.Id.Uint64()]++
			settleTxs[l.TxHash]++
			paid.Add(paid, ev.ProviderPaid)
		}
		if _, err := e.market.ParseOrderCancelled(l); err == nil && l.Topics[0] == cancelledTopic(t) {
			cancelledEvents++
		}
	}
	escrows := new(big.Int)
	doubles, unsettled := 0, 0
	for _, o := range orders {
		escrows.Add(escrows, o.escrow)
		switch settledEvents[o.id] {
		case 0:
			unsettled++
		case 1:
		default:
			doubles++
		}
	}
	if doubles != 0 || unsettled != 0 || cancelledEvents != 0 {
		t.Errorf("double payments %d, unsettled %d, cancels %d; want 0", doubles, unsettled, cancelledEvents)
	}
	if paid.Cmp(escrows) != 0 {
		t.Errorf("paid %s, escrows %s", paid, escrows)
	}
	if got, want := e.credit(payee), new(big.Int).Add(credit0, escrows); got.Cmp(want) != 0 {
		t.Errorf("provider credit %s, want %s", got, want)
	}
	if s.Earned.big(t).Cmp(escrows) != 0 {
		t.Errorf("carrier reports earned %s, want %s", s.Earned, escrows)
	}

	// The journal agrees with the chain: every settle intent confirmed in
	// the block the chain has it in, and every settlement on chain sent by
	// a journaled intent.
	var intents []apiIntent
	ca.must("GET", "txs?prefix=settle&limit=1000", nil, &intents)
	journaled := map[common.Hash]bool{}
	var gas uint64
	wasted := 0
	for _, in := range intents {
		if in.State != "confirmed" || in.Hash == nil {
			t.Errorf("intent %q is %s (%s), want confirmed", in.Key, in.State, in.Reason)
			continue
		}
		r, err := e.client.TransactionReceipt(e.ctx, *in.Hash)
		if err != nil || r.Status != types.ReceiptStatusSuccessful || r.BlockHash != *in.BlockHash {
			t.Errorf("intent %q: receipt %v (%v) disagrees with the journal", in.Key, r, err)
			continue
		}
		journaled[*in.Hash] = true
		gas += r.GasUsed
		if settleTxs[*in.Hash] == 0 {
			wasted++
		}
	}
	for h := range settleTxs {
		if !journaled[h] {
			t.Errorf("settlement tx %s on chain is not in the journal", h)
		}
	}
	notSent := 0
	for _, b := range s.Batches {
		if strings.HasPrefix(b.Result, "not sent") {
			notSent++
		}
	}
	var pts []string
	for p, n := range points {
		pts = append(pts, fmt.Sprintf("%q: %d", p, n))
	}
	sort.Strings(pts)
	t.Logf("crash figures: %d trials (kill -9 + restart each), %d orders, %d settle transactions (%.2f orders each, %d settled nothing), "+
		"%d batches written (%d found unnecessary before sending), %d double payments, %d unsettled, gas %d (%.0f per order); "+
		"crash phase %s, catch-up after the last restart %s; last log line before each kill: {%s}",
		trials, len(orders), len(intents), float64(len(orders))/float64(max(len(intents), 1)), wasted,
		len(s.Batches), notSent, doubles, unsettled, gas, float64(gas)/float64(max(len(orders), 1)),
		crashPhase.Round(time.Second), catchUp.Round(100*time.Millisecond), strings.Join(pts, ", "))
	// The same figures for make bench (hack/benchtable): FIGURE <key> <value> <unit>.
	unjournaled := 0
	for h := range settleTxs {
		if !journaled[h] {
			unjournaled++
		}
	}
	for _, f := range []struct {
		key  string
		v    any
		unit string
	}{
		{"trials", trials, "count"}, {"orders", len(orders), "count"}, {"double_payments", doubles, "count"},
		{"unsettled", unsettled, "count"}, {"paid_minus_escrows", new(big.Int).Sub(paid, escrows), "base-units"},
		{"journal_disagreements", len(intents) - len(journaled), "count"}, {"unjournaled_settlements", unjournaled, "count"},
		{"settle_txs", len(intents), "count"}, {"orders_per_tx", fmt.Sprintf("%.2f", float64(len(orders))/float64(max(len(intents), 1))), "count"},
		{"txs_settled_nothing", wasted, "count"}, {"batches_not_sent", notSent, "count"},
		{"gas_per_order", fmt.Sprintf("%.0f", float64(gas)/float64(max(len(orders), 1))), "gas"},
		{"catch_up_s", fmt.Sprintf("%.1f", catchUp.Seconds()), "s"}, {"crash_phase_s", fmt.Sprintf("%.0f", crashPhase.Seconds()), "s"},
	} {
		t.Logf("FIGURE %s %v %s", f.key, f.v, f.unit)
	}
}

// lastPoint is the last settlement milestone in a carrier's JSON log.
func lastPoint(log string) string {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var entry struct{ Msg string }
		if json.Unmarshal([]byte(lines[i]), &entry) != nil {
			continue
		}
		for _, p := range killPoints {
			if entry.Msg == p {
				return p
			}
		}
	}
	return "(before the mediator ran)"
}

func must(t *testing.T) func(*types.Transaction, error) *types.Transaction {
	return func(tx *types.Transaction, err error) *types.Transaction {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}
}

func eventTopic(t *testing.T, name string) common.Hash {
	a, err := market.MarketMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	return a.Events[name].ID
}

func settledTopic(t *testing.T) common.Hash   { return eventTopic(t, "OrderSettled") }
func cancelledTopic(t *testing.T) common.Hash { return eventTopic(t, "OrderCancelled") }
