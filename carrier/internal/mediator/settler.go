package mediator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	bolt "go.etcd.io/bbolt"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// Gas of settleBatch: a transaction plus a generous bound per order
// (measured 11,799 to 37,628 per order, docs/benchmarks.md).
const (
	settleBaseGas     = 60_000
	settlePerOrderGas = 45_000
)

// maxScanRounds bounds the eth_getLogs calls of one poll; a carrier far
// behind catches up over several polls without starving settlement.
const maxScanRounds = 50

// runSettler follows the Market's events and settles the org's ended
// orders until ctx is done.
func (m *Mediator) runSettler(ctx context.Context) error {
	ticker := time.NewTicker(m.cfg.PollInterval)
	defer ticker.Stop()
	var lastErr string
	for {
		err := m.settlerPass(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && err.Error() != lastErr:
			m.log.Warn("following the market; will retry", zap.Error(err))
			lastErr = err.Error()
		case err == nil && lastErr != "":
			m.log.Info("following the market again")
			lastErr = ""
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// settlerPass scans new blocks, finishes batches in flight and settles
// what is due.
func (m *Mediator) settlerPass(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	head, err := m.latestHead(ctx)
	if err != nil {
		return err
	}
	if err := m.scan(ctx, head); err != nil {
		return err
	}
	return m.settle(ctx, head)
}

// scan applies the Market's events up to the confirmed depth below head,
// range by range, each range and the cursor in one state transaction.
func (m *Mediator) scan(ctx context.Context, head *types.Header) error {
	depth := m.cfg.Tx.Confirmations
	n := head.Number.Uint64()
	if n+1 < depth {
		return nil
	}
	safe := n + 1 - depth
	cur, ok, err := m.store.cursor()
	if err != nil {
		return err
	}
	from := m.cfg.FromBlock
	if ok {
		from = cur + 1
	}
	for round := 0; from <= safe && round < maxScanRounds; round++ {
		to := min(safe, from+m.cfg.MaxLogRange-1)
		logs, err := m.chain.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
			Addresses: []common.Address{m.contracts.Market}, Topics: [][]common.Hash{m.orderTopics()},
		})
		if err != nil {
			return fmt.Errorf("reading market events of blocks %d-%d: %w", from, to, err)
		}
		maxEscrow, err := m.maxEscrows(ctx, logs)
		if err != nil {
			return err
		}
		err = m.store.applyRange(to, func(tx *bolt.Tx) error {
			for i := range logs {
				if err := m.apply(tx, &logs[i], maxEscrow); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("applying market events of blocks %d-%d: %w", from, to, err)
		}
		from = to + 1
	}
	return nil
}

// orderTopics are the Market events that change an order.
func (m *Mediator) orderTopics() []common.Hash {
	var out []common.Hash
	for _, name := range []string{"OrderCreated", "OrderCancelled", "OrderSettled", "OrderExtended", "OrderClosed", "ManifestUpdated"} {
		out = append(out, m.marketABI.Events[name].ID)
	}
	return out
}

// maxEscrows reads the buyer's maximum from the createOrder transactions
// of the org's orders among logs (before the state transaction: no
// network call holds the state file).
func (m *Mediator) maxEscrows(ctx context.Context, logs []types.Log) (map[common.Hash]*big.Int, error) {
	out := map[common.Hash]*big.Int{}
	for i := range logs {
		o := m.createdOrder(&logs[i])
		if o == nil || o.Buyer != m.self {
			continue
		}
		v, err := m.maxEscrowOf(ctx, logs[i].TxHash)
		if err != nil {
			return nil, err
		}
		out[logs[i].TxHash] = v
	}
	return out, nil
}

// maxEscrowOf decodes createOrder's maxEscrow from the transaction tx; nil
// when tx did not call the Market's createOrder itself (a contract that
// did).
func (m *Mediator) maxEscrowOf(ctx context.Context, tx common.Hash) (*big.Int, error) {
	t, _, err := m.chain.TransactionByHash(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("reading transaction %s: %w", tx.Hex(), err)
	}
	data, method := t.Data(), m.marketABI.Methods["createOrder"]
	if t.To() == nil || *t.To() != m.contracts.Market || len(data) < 4 || string(data[:4]) != string(method.ID) {
		return nil, nil
	}
	args, err := method.Inputs.Unpack(data[4:])
	if err != nil || len(args) != 5 {
		return nil, nil
	}
	v, _ := args[4].(*big.Int)
	return v, nil
}

// apply records one Market event that concerns the org; maxEscrow holds
// the buyer's maximum of the orders created in the range, by transaction.
func (m *Mediator) apply(tx *bolt.Tx, l *types.Log, maxEscrow map[common.Hash]*big.Int) error {
	if l.Removed || len(l.Topics) == 0 {
		return nil
	}
	if o := m.createdOrder(l); o != nil {
		if o.Buyer != m.self && o.Payee != m.self {
			return nil
		}
		have, err := getOrder(tx, o.id())
		if err != nil {
			return err
		}
		if have != nil { // placed by this carrier, or seen before
			o.Status, o.Paid, o.Refund, o.ClosedTx, o.Batch = have.Status, have.Paid, have.Refund, have.ClosedTx, have.Batch
			o.End, o.Escrow, o.ManifestHash, o.Extensions, o.ManifestUpdates = have.End, have.Escrow, have.ManifestHash, have.Extensions, have.ManifestUpdates
			o.MaxEscrow = have.MaxEscrow
		}
		if v := maxEscrow[l.TxHash]; v != nil && o.Buyer == m.self {
			o.MaxEscrow = v
		}
		return putOrder(tx, o)
	}
	id, ok := m.eventOrder(l)
	if !ok {
		return nil
	}
	o, err := getOrder(tx, id)
	if err != nil || o == nil { // not the org's
		return err
	}
	changed, err := m.applyEvent(o, l)
	if err != nil || !changed {
		return err
	}
	return putOrder(tx, o)
}

// eventOrder is the order id of a Market event of an order's life (not
// OrderCreated).
func (m *Mediator) eventOrder(l *types.Log) (uint64, bool) {
	if l.Address != m.contracts.Market || len(l.Topics) < 2 {
		return 0, false
	}
	id := new(big.Int).SetBytes(l.Topics[1][:])
	return id.Uint64(), id.IsUint64()
}

// applyEvent changes o by one event of its life: cancelled, settled or
// closed (status, paid, refund), extended (end, escrow) or its manifest
// updated (hash). An event o already shows changes nothing (an order
// closes once; its end only grows), so the answer of a call may apply its
// receipt to a copy of the held order that the scan has reached already.
func (m *Mediator) applyEvent(o *OrderRecord, l *types.Log) (bool, error) {
	var (
		paid, refund *big.Int
		closed       market.OrderStatus
	)
	switch l.Topics[0] {
	case m.marketABI.Events["OrderSettled"].ID:
		ev, err := m.events.ParseOrderSettled(*l)
		if err != nil {
			return false, fmt.Errorf("decoding OrderSettled: %w", err)
		}
		paid, refund, closed = ev.ProviderPaid, ev.BuyerRefund, market.StatusSettled
	case m.marketABI.Events["OrderCancelled"].ID:
		ev, err := m.events.ParseOrderCancelled(*l)
		if err != nil {
			return false, fmt.Errorf("decoding OrderCancelled: %w", err)
		}
		paid, refund, closed = ev.ProviderPaid, ev.BuyerRefund, market.StatusCancelled
	case m.marketABI.Events["OrderClosed"].ID:
		ev, err := m.events.ParseOrderClosed(*l)
		if err != nil {
			return false, fmt.Errorf("decoding OrderClosed: %w", err)
		}
		paid, refund, closed = ev.ProviderPaid, ev.BuyerRefund, market.StatusClosed
	case m.marketABI.Events["OrderExtended"].ID:
		ev, err := m.events.ParseOrderExtended(*l)
		if err != nil {
			return false, fmt.Errorf("decoding OrderExtended: %w", err)
		}
		if ev.End <= o.end() {
			return false, nil
		}
		o.End, o.Escrow = market.Unix(ev.End), new(big.Int).Add(orZero(o.Escrow), orZero(ev.AddedEscrow))
		o.Extensions++
		return true, nil
	case m.marketABI.Events["ManifestUpdated"].ID:
		ev, err := m.events.ParseManifestUpdated(*l)
		if err != nil {
			return false, fmt.Errorf("decoding ManifestUpdated: %w", err)
		}
		if o.ManifestHash == common.Hash(ev.ManifestHash) {
			return false, nil
		}
		o.ManifestHash = ev.ManifestHash
		o.ManifestUpdates++
		return true, nil
	default:
		return false, nil
	}
	if o.Status != market.StatusOpen {
		return false, nil
	}
	o.Status, o.Paid, o.Refund, o.ClosedTx = closed, orZero(paid), orZero(refund), l.TxHash
	return true, nil
}

// settle finishes the batches in flight, then, if orders have been due
// for the settle window (or fill a batch), checks each on chain and sends
// one settleBatch for those still open and ended.
func (m *Mediator) settle(ctx context.Context, head *types.Header) error {
	now := m.chainNow(head)
	open, err := m.store.batches(0, true)
	if err != nil {
		return err
	}
	inFlight := map[uint64]bool{}
	for _, b := range open {
		done, err := m.advance(ctx, b, now)
		if err != nil {
			return fmt.Errorf("settlement batch %d: %w", b.Seq, err)
		}
		if !done {
			for _, id := range b.IDs {
				inFlight[id] = true
			}
		}
	}
	due, err := m.store.orders(func(o *OrderRecord) bool {
		return o.Payee == m.self && o.Status == market.StatusOpen && o.end() <= now && !inFlight[o.id()]
	})
	if err != nil {
		return err
	}
	if !m.windowPassed(due) {
		return nil
	}
	sort.Slice(due, func(i, j int) bool { return due[i].id() < due[j].id() })
	ids, err := m.stillDue(ctx, idsOf(due), now)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	b, err := m.store.newBatch(ids, func(seq uint64) string { return batchKey(seq, ids) })
	if err != nil {
		return err
	}
	m.log.Info("settling", zap.Uint64("batch", b.Seq), zap.Int("orders", len(ids)), zap.String("intent", b.Key))
	return m.submitBatch(ctx, b)
}

func idsOf(orders []*OrderRecord) []uint64 {
	ids := make([]uint64, len(orders))
	for i, o := range orders {
		ids[i] = o.id()
	}
	return ids
}

// windowPassed tracks when each due order was first seen due and reports
// whether the oldest has waited the settle window, or a batch is full.
func (m *Mediator) windowPassed(due []*OrderRecord) bool {
	m.dueMu.Lock()
	defer m.dueMu.Unlock()
	now := time.Now()
	seen := make(map[uint64]time.Time, len(due))
	oldest := now
	for _, o := range due {
		t, ok := m.dueSince[o.id()]
		if !ok {
			t = now
		}
		seen[o.id()] = t
		if t.Before(oldest) {
			oldest = t
		}
	}
	m.dueSince = seen
	return len(due) > 0 && (len(due) >= MaxBatch || now.Sub(oldest) >= m.cfg.SettleWindow)
}

// stillDue keeps the ids (at most MaxBatch) whose order is open and ended
// on chain now: the check before anything is sent.
func (m *Mediator) stillDue(ctx context.Context, ids []uint64, now uint64) ([]uint64, error) {
	var out []uint64
	for _, id := range ids {
		v, err := m.market.GetOrder(m.call(ctx), new(big.Int).SetUint64(id))
		if err != nil {
			return nil, fmt.Errorf("reading order %d: %w", id, err)
		}
		if market.OrderStatus(v.Status) == market.StatusOpen && v.End <= now && v.Payee == m.self {
			out = append(out, id)
			if len(out) == MaxBatch {
				break
			}
		}
	}
	return out, nil
}

// batchKey names a batch's intent: its number and orders, e.g.
// "settle #7: orders 3,5,9".
func batchKey(seq uint64, ids []uint64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "settle #%d: orders ", seq)
	for i, id := range ids {
		s := strconv.FormatUint(id, 10)
		if i > 0 {
			s = "," + s
		}
		if b.Len()+len(s) > txmgr.MaxKeyLen-24 {
			return fmt.Sprintf("settle #%d: %d orders %d..%d", seq, len(ids), ids[0], ids[len(ids)-1])
		}
		b.WriteString(s)
	}
	return b.String()
}

func (m *Mediator) submitBatch(ctx context.Context, b *Batch) error {
	ids := make([]*big.Int, len(b.IDs))
	for i, id := range b.IDs {
		ids[i] = new(big.Int).SetUint64(id)
	}
	data, err := pack(m.marketABI, "settleBatch", ids)
	if err != nil {
		return err
	}
	gas := settleBaseGas + settlePerOrderGas*uint64(len(ids))
	_, err = m.tx.Submit(ctx, txmgr.Intent{Key: b.Key, To: m.contracts.Market, Data: data, GasLimit: gas})
	var rev *txmgr.RevertError
	if errors.As(err, &rev) { // journaled as failed; advance records it
		return nil
	}
	return err
}

// advance moves a batch on: a batch never journaled (the carrier stopped
// between writing it and submitting it) is submitted now if any of its
// orders is still due; a final intent closes the batch with its result.
func (m *Mediator) advance(ctx context.Context, b *Batch, now uint64) (done bool, err error) {
	st, err := m.tx.Get(b.Key)
	if errors.Is(err, txmgr.ErrUnknownIntent) {
		still, err := m.stillDue(ctx, b.IDs, now)
		if err != nil {
			return false, err
		}
		if len(still) == 0 {
			b.Done, b.Result = true, "not sent: its orders are closed already"
			return true, m.store.saveBatch(b)
		}
		m.log.Info("submitting a settlement batch written before a stop", zap.Uint64("batch", b.Seq), zap.String("intent", b.Key))
		return false, m.submitBatch(ctx, b) // the same orders: the same intent
	}
	if err != nil {
		return false, err
	}
	if !st.Final() {
		return false, nil
	}
	b.Done, b.Tx, b.GasUsed = true, st.Hash, st.GasUsed
	if st.State == txmgr.StateFailed {
		b.Result = "failed: " + st.Reason
		m.log.Warn("settlement batch failed", zap.Uint64("batch", b.Seq), zap.String("reason", st.Reason))
		return true, m.store.saveBatch(b)
	}
	b.Result = "confirmed"
	if st.Hash != nil {
		r, err := m.chain.TransactionReceipt(ctx, *st.Hash)
		if err != nil {
			return false, fmt.Errorf("reading the receipt: %w", err)
		}
		for _, l := range r.Logs {
			if l.Address == m.contracts.Market && len(l.Topics) > 0 && l.Topics[0] == m.marketABI.Events["OrderSettled"].ID {
				b.Settled++
			}
		}
	}
	m.log.Info("settlement batch confirmed", zap.Uint64("batch", b.Seq), zap.Int("settled", b.Settled), zap.Int("orders", len(b.IDs)))
	return true, m.store.saveBatch(b)
}

// Settlements summarises the org's settlement as provider.
type Settlements struct {
	Account string `json:"account"`
	// Earned is what the org's orders paid it; Pending what is still in
	// escrow of its open orders.
	Earned  *carrierapi.Amount `json:"earned"`
	Pending *carrierapi.Amount `json:"pending"`
	// Orders counts the org's orders as payee by state.
	Orders map[string]int `json:"orders"`
	// Due are ended orders not settled yet.
	Due []uint64 `json:"due"`
	// Batches are the latest settlement batches, newest first.
	Batches []*Batch `json:"batches"`
	// Cursor is the last block whose events are applied; Head the chain's.
	Cursor uint64 `json:"cursor"`
	Head   uint64 `json:"head"`
}

// Settlements reports earnings, due orders and recent batches.
func (m *Mediator) Settlements(limit int) (Settlements, error) {
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	head := m.lastHead()
	now := m.chainNow(head)
	s := Settlements{Account: m.self.Hex(), Orders: map[string]int{}, Due: []uint64{}}
	earned, pending := new(big.Int), new(big.Int)
	if _, err := m.store.orders(func(o *OrderRecord) bool {
		if o.Payee != m.self {
			return false
		}
		st := o.state(now)
		s.Orders[st]++
		switch st {
		case carrierapi.OrderEnded:
			s.Due = append(s.Due, o.id())
			pending.Add(pending, orZero(o.Escrow))
		case carrierapi.OrderActive:
			pending.Add(pending, orZero(o.Escrow))
		default:
			earned.Add(earned, orZero(o.Paid))
		}
		return false
	}); err != nil {
		return Settlements{}, err
	}
	s.Earned, s.Pending = carrierapi.NewAmount(earned), carrierapi.NewAmount(pending)
	var err error
	if s.Batches, err = m.store.batches(limit, false); err != nil {
		return Settlements{}, err
	}
	if s.Batches == nil {
		s.Batches = []*Batch{}
	}
	s.Cursor, _, err = m.store.cursor()
	if head != nil {
		s.Head = head.Number.Uint64()
	}
	return s, err
}
