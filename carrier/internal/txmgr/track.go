package txmgr

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// nonceGoneChecks is how many polls in a row must see the account's mined
// nonce past an intent's with none of its attempts mined before the intent
// fails with ErrNonceTaken (a receipt may land between two reads).
const nonceGoneChecks = 3

// rpcTimeout bounds each poll's calls to the node.
const rpcTimeout = 30 * time.Second

// tracker is Run's per-intent memory; none of it needs to survive a
// restart.
type tracker struct {
	checked   map[string]time.Time // last check that the node knows the latest attempt
	nonceGone map[string]int
	capWarned map[string]bool
	lastErr   string
}

// Run tracks every intent that is not final (those journaled before a
// restart first) until ctx is done or the manager is closed: it reads
// receipts, rebroadcasts what the node lost, bumps fees of what is stuck,
// counts confirmations and handles reorgs. It returns nil when ctx is done
// or the manager is closed, before or while it runs.
func (m *Manager) Run(ctx context.Context) error {
	m.mu.Lock()
	select {
	case <-m.closing:
		m.mu.Unlock()
		return nil
	default:
	}
	m.runWG.Add(1)
	m.mu.Unlock()
	defer m.runWG.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-m.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	t := &tracker{checked: map[string]time.Time{}, nonceGone: map[string]int{}, capWarned: map[string]bool{}}
	ticker := time.NewTicker(m.cfg.PollInterval)
	defer ticker.Stop()
	for {
		m.poll(ctx, t)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-m.wake:
		}
	}
}

// poll checks every active intent once.
func (m *Manager) poll(ctx context.Context, t *tracker) {
	m.mu.Lock()
	keys := make([]string, 0, len(m.active))
	for k := range m.active {
		keys = append(keys, k)
	}
	m.mu.Unlock()
	if len(keys) == 0 {
		return
	}
	sort.Strings(keys)
	ctx, cancel := context.WithTimeout(ctx, rpcTimeout)
	defer cancel()
	head, err := m.client.HeaderByNumber(ctx, nil)
	if err != nil {
		m.pollError(ctx, t, fmt.Errorf("reading the head: %w", err))
		return
	}
	var chainNonce *uint64 // read once per poll, when needed
	for _, key := range keys {
		if ctx.Err() != nil {
			return
		}
		if err := m.step(ctx, t, key, head, &chainNonce); err != nil {
			m.pollError(ctx, t, fmt.Errorf("tracking intent %q: %w", key, err))
		}
	}
	if t.lastErr != "" {
		m.log.Info("tracking recovered")
		t.lastErr = ""
	}
}

// pollError logs a tracking problem once until it changes or clears.
func (m *Manager) pollError(ctx context.Context, t *tracker, err error) {
	if ctx.Err() != nil || err.Error() == t.lastErr {
		return
	}
	t.lastErr = err.Error()
	m.log.Warn("tracking intents; will retry", zap.Error(err))
}

// step advances one intent.
func (m *Manager) step(ctx context.Context, t *tracker, key string, head *types.Header, chainNonce **uint64) error {
	rec, err := m.journal.get(key)
	if err != nil {
		return err
	}
	if rec == nil || rec.State.Final() {
		m.untrack(t, key)
		return nil
	}
	if rec.State == StateMined {
		return m.checkMined(ctx, rec, head)
	}
	// Pending: is any attempt mined? Newest first: a replacement is the
	// likelier winner.
	for i := len(rec.Attempts) - 1; i >= 0; i-- {
		r, err := m.client.TransactionReceipt(ctx, rec.Attempts[i].Hash)
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading receipt: %w", err)
		}
		delete(t.nonceGone, key)
		return m.mined(ctx, rec, r, head)
	}
	latest := rec.latest()
	if latest == nil {
		return fmt.Errorf("intent %q is pending without a transaction", key)
	}

	// Is the nonce used by a transaction that is not ours?
	if *chainNonce == nil {
		n, err := m.client.NonceAt(ctx, m.from, nil)
		if err != nil {
			return fmt.Errorf("reading the account nonce: %w", err)
		}
		*chainNonce = &n
	}
	if **chainNonce > *rec.Nonce {
		t.nonceGone[key]++
		if t.nonceGone[key] >= nonceGoneChecks {
			return m.nonceTaken(t, rec)
		}
		return nil
	}
	delete(t.nonceGone, key)

	// Bump only what a node accepted: a transaction refused (no funds, say)
	// is sent again as it is until it is accepted.
	if rec.anySent() && time.Since(latest.Signed) >= m.cfg.BumpAfter {
		return m.bump(ctx, t, rec)
	}
	if !latest.Sent || time.Since(t.checked[key]) >= m.cfg.RebroadcastInterval {
		t.checked[key] = time.Now()
		known := false
		if latest.Sent {
			_, _, err := m.client.TransactionByHash(ctx, latest.Hash)
			switch {
			case err == nil:
				known = true
			case !errors.Is(err, ethereum.NotFound):
				return fmt.Errorf("looking up transaction: %w", err)
			}
		}
		if !known {
			tx, err := latest.tx()
			if err != nil {
				return err
			}
			if latest.Sent {
				m.log.Info("node lost the transaction; sending it again", zap.String("intent", key), zap.Stringer("tx", latest.Hash))
			}
			m.send(ctx, key, tx)
		}
	}
	return nil
}

func (m *Manager) untrack(t *tracker, key string) {
	m.mu.Lock()
	delete(m.active, key)
	m.mu.Unlock()
	delete(t.checked, key)
	delete(t.nonceGone, key)
	delete(t.capWarned, key)
}

// mined records the receipt r of one of rec's attempts.
func (m *Manager) mined(ctx context.Context, rec *record, r *types.Receipt, head *types.Header) error {
	mt := &minedTx{
		Hash: r.TxHash, Block: r.BlockNumber.Uint64(), BlockHash: r.BlockHash, GasUsed: r.GasUsed,
		Success: r.Status == types.ReceiptStatusSuccessful,
	}
	reason := ""
	if !mt.Success {
		reason = m.replay(ctx, rec, r)
	}
	log := m.log.With(zap.String("intent", rec.Key))
	if mt.Success {
		log.Info("transaction mined", zap.Stringer("tx", mt.Hash), zap.Uint64("block", mt.Block), zap.Uint64("gas_used", mt.GasUsed))
	} else {
		log.Warn("transaction reverted on chain", zap.Stringer("tx", mt.Hash), zap.Uint64("block", mt.Block), zap.String("reason", reason))
	}
	return m.update(rec.Key, func(r *record) error {
		r.State, r.Mined, r.Reason, r.LastError = StateMined, mt, reason, ""
		m.confirm(r, head)
		return nil
	})
}

// checkMined re-reads the receipt of a mined intent: a different block or
// none means a reorg took it out, and it is pending again. Otherwise it
// counts confirmations.
func (m *Manager) checkMined(ctx context.Context, rec *record, head *types.Header) error {
	r, err := m.client.TransactionReceipt(ctx, rec.Mined.Hash)
	if err != nil && !errors.Is(err, ethereum.NotFound) {
		return fmt.Errorf("reading receipt: %w", err)
	}
	if err != nil || r.BlockHash != rec.Mined.BlockHash {
		m.metrics.reorgs.Inc()
		m.log.Warn("mined transaction left the canonical chain; pending again", zap.String("intent", rec.Key),
			zap.Stringer("tx", rec.Mined.Hash), zap.Uint64("block", rec.Mined.Block))
		return m.update(rec.Key, func(r *record) error {
			r.State, r.Mined, r.Confirmations, r.Reason = StatePending, nil, 0, ""
			return nil
		})
	}
	return m.update(rec.Key, func(r *record) error {
		before := r.Confirmations
		m.confirm(r, head)
		if r.State == StateMined && r.Confirmations == before {
			return errNoChange
		}
		return nil
	})
}

// confirm counts r's confirmations at head and makes it final at the
// required depth.
func (m *Manager) confirm(r *record, head *types.Header) {
	r.Confirmations = 0
	if h := head.Number.Uint64(); h >= r.Mined.Block {
		r.Confirmations = h - r.Mined.Block + 1
	}
	if r.Confirmations < max(m.cfg.Confirmations, 1) {
		return
	}
	now := time.Now().UTC()
	r.Final = &now
	if r.Mined.Success {
		r.State = StateConfirmed
		m.metrics.latency.Observe(now.Sub(r.Created).Seconds())
	} else {
		r.State = StateFailed
	}
}

// replay runs a reverted transaction again with eth_call at its block to
// read the revert reason.
func (m *Manager) replay(ctx context.Context, rec *record, r *types.Receipt) string {
	msg := ethereum.CallMsg{From: m.from, To: &rec.To, Data: rec.Data, Value: rec.value(), Gas: rec.GasLimit}
	_, err := m.client.CallContract(ctx, msg, r.BlockNumber)
	if data, ok := revertData(err); ok {
		return m.decoder.Decode(data)
	}
	if r.GasUsed >= rec.GasLimit {
		return fmt.Sprintf("reverted on chain: out of gas (used all %d)", rec.GasLimit)
	}
	if err != nil {
		return "reverted on chain; replaying it failed: " + err.Error()
	}
	return "reverted on chain; the replay at its block succeeds (state changed within the block)"
}

func (m *Manager) nonceTaken(t *tracker, rec *record) error {
	m.log.Error("intent's nonce was used by a transaction this manager did not send; is another program using the wallet?",
		zap.String("intent", rec.Key), zap.Uint64("nonce", *rec.Nonce))
	m.nonceMu.Lock()
	m.nonceOK = false // re-read the pending nonce for the next intent
	m.nonceMu.Unlock()
	m.untrack(t, rec.Key)
	return m.update(rec.Key, func(r *record) error {
		now := time.Now().UTC()
		r.State, r.Reason, r.Final = StateFailed, nonceTakenReason, &now
		return nil
	})
}

// bump replaces rec's latest attempt with one paying at least BumpPercent
// more tip and fee cap, and at least what a new transaction would pay now.
func (m *Manager) bump(ctx context.Context, t *tracker, rec *record) error {
	latest := rec.latest()
	tip, feeCap, err := m.fees(ctx)
	if err != nil {
		return err
	}
	minTip, minCap := raise(latest.TipCap.ToInt(), m.cfg.BumpPercent), raise(latest.FeeCap.ToInt(), m.cfg.BumpPercent)
	if tip.Cmp(minTip) < 0 {
		tip = minTip
	}
	// The fee cap must cover the raised tip and the base fee fees() saw.
	if feeCap.Cmp(minCap) < 0 {
		feeCap = minCap
	}
	if feeCap.Cmp(tip) < 0 {
		feeCap = new(big.Int).Set(tip)
	}
	if c := m.cfg.MaxFeeCap; c != nil && feeCap.Cmp(c) > 0 {
		if !t.capWarned[rec.Key] {
			t.capWarned[rec.Key] = true
			m.log.Warn("transaction not mined and its fee cap is at the maximum; not bumping", zap.String("intent", rec.Key),
				zap.Stringer("fee_cap", latest.FeeCap.ToInt()), zap.Stringer("max_fee_cap", c))
			_ = m.update(rec.Key, func(r *record) error {
				r.LastError = "not mined and the fee cap is at the configured maximum"
				return nil
			})
		}
		return nil
	}
	old, err := latest.tx()
	if err != nil {
		return err
	}
	tx, err := m.sign(old.Nonce(), *old.To(), old.Data(), old.Value(), old.Gas(), tip, feeCap)
	if err != nil {
		return err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encoding transaction: %w", err)
	}
	a := attempt{Hash: tx.Hash(), Raw: raw, TipCap: (*hexutil.Big)(tip), FeeCap: (*hexutil.Big)(feeCap), Signed: time.Now().UTC()}
	if err := m.update(rec.Key, func(r *record) error {
		if r.State != StatePending || len(r.Attempts) != len(rec.Attempts) {
			return errNoChange // changed meanwhile; the next poll sees it
		}
		r.Attempts = append(r.Attempts, a)
		return nil
	}); err != nil {
		return err
	}
	m.metrics.bumps.Inc()
	m.log.Info("fee bump: replacing a transaction not mined in time", zap.String("intent", rec.Key),
		zap.Uint64("nonce", tx.Nonce()), zap.Stringer("old_tx", latest.Hash), zap.Stringer("tx", tx.Hash()),
		zap.Stringer("tip_cap", tip), zap.Stringer("fee_cap", feeCap), zap.Int("attempt", len(rec.Attempts)+1))
	t.checked[rec.Key] = time.Now()
	m.send(ctx, rec.Key, tx)
	return nil
}

// raise returns v increased by pct percent, rounded up, and by at least 1.
func raise(v *big.Int, pct uint64) *big.Int {
	inc := new(big.Int).Mul(v, new(big.Int).SetUint64(pct))
	inc.Add(inc, big.NewInt(99)).Div(inc, big.NewInt(100))
	if inc.Sign() == 0 {
		inc.SetInt64(1)
	}
	return inc.Add(inc, v)
}

// sendResult classifies a node's answer to eth_sendRawTransaction.
type sendResult int

const (
	sendOK          sendResult = iota // accepted
	sendKnown                         // the node has it already
	sendNonceLow                      // a transaction with this nonce is mined: ours or not, receipts tell
	sendUnderpriced                   // another transaction with this nonce is in the pool
	sendError                         // anything else; retried on the next poll
)

func classifySend(err error) sendResult {
	if err == nil {
		return sendOK
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "already known") || strings.Contains(msg, "known transaction") ||
		strings.Contains(msg, "already imported"):
		return sendKnown
	case strings.Contains(msg, "nonce too low"):
		return sendNonceLow
	case strings.Contains(msg, "replacement transaction underpriced") || strings.Contains(msg, "replacement fee too low"):
		return sendUnderpriced
	}
	return sendError
}

// send broadcasts one of key's journaled attempts and records the outcome:
// accepted (Sent) or the error, which the tracker acts on at its next poll.
func (m *Manager) send(ctx context.Context, key string, tx *types.Transaction) {
	var err error
	if drop := m.hooks.dropSend; drop != nil && drop(tx) {
		err = nil
	} else {
		err = m.client.SendTransaction(ctx, tx)
	}
	res := classifySend(err)
	log := m.log.With(zap.String("intent", key), zap.Stringer("tx", tx.Hash()), zap.Uint64("nonce", tx.Nonce()))
	newError := false
	switch res {
	case sendOK:
		m.metrics.sends.WithLabelValues("ok").Inc()
		log.Debug("transaction sent")
	case sendKnown:
		m.metrics.sends.WithLabelValues("known").Inc()
	default:
		m.metrics.sends.WithLabelValues("error").Inc()
	}
	uerr := m.update(key, func(r *record) error {
		for i := range r.Attempts {
			if r.Attempts[i].Hash != tx.Hash() {
				continue
			}
			switch res {
			case sendOK, sendKnown:
				r.Attempts[i].Sent, r.LastError = true, ""
			default:
				msg := "sending " + tx.Hash().Hex() + ": " + err.Error()
				if msg == r.LastError {
					return errNoChange
				}
				r.LastError, newError = msg, true
			}
			return nil
		}
		return errNoChange
	})
	if newError {
		log.Warn("node refused the transaction; will retry", zap.Error(err))
	}
	if uerr != nil {
		log.Warn("journaling a send", zap.Error(uerr))
	}
}

// update applies fn to key's journaled record, keeps the state metrics and
// wakes the key's waiters.
func (m *Manager) update(key string, fn func(*record) error) error {
	before, after, err := m.journal.update(key, fn)
	if err != nil {
		return fmt.Errorf("journaling intent %q: %w", key, err)
	}
	if before == after {
		return nil
	}
	m.metrics.transition(before.State, after.State)
	if after.State.Final() {
		m.mu.Lock()
		delete(m.active, key)
		m.mu.Unlock()
		log := m.log.With(zap.String("intent", key))
		if after.State == StateConfirmed {
			log.Info("intent confirmed", zap.Stringer("tx", after.Mined.Hash), zap.Uint64("block", after.Mined.Block),
				zap.Uint64("confirmations", after.Confirmations))
		} else {
			log.Warn("intent failed", zap.String("reason", after.Reason))
		}
	}
	m.notify(key)
	return nil
}
