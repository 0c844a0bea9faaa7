package txmgr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// Manager submits intents and tracks them to confirmation. Submit, Get,
// List and Wait are safe for concurrent use; Run does the tracking and must
// be running for intents to progress past their first broadcast.
type Manager struct {
	cfg     Config
	client  Client
	signer  Signer
	from    common.Address
	chainID *big.Int
	decoder *Decoder
	log     *zap.Logger
	metrics *metrics
	journal *journal

	// nonceMu serialises nonce allocation, signing and journaling of new
	// intents.
	nonceMu   sync.Mutex
	nonceOK   bool
	nextNonce uint64

	mu       sync.Mutex
	active   map[string]bool          // keys the tracker follows
	watchers map[string]chan struct{} // closed when the key's record changes

	wake      chan struct{}
	closing   chan struct{}
	closeOnce sync.Once
	runWG     sync.WaitGroup

	hooks hooks
}

// hooks let tests interrupt the manager at points a crash could.
type hooks struct {
	// afterJournal runs after a new intent's signed transaction is
	// journaled and before it is sent; an error makes Submit return it
	// at once, as if the process had died there.
	afterJournal func(key string) error
	// dropSend reports whether to pretend tx was sent without sending it,
	// as if the node had lost it.
	dropSend func(tx *types.Transaction) bool
}

// Options are the collaborators of a Manager.
type Options struct {
	// Decoder renders revert data; nil decodes gridnode's contracts'
	// errors (ContractsDecoder).
	Decoder *Decoder
	// Registerer receives the metrics; nil registers none.
	Registerer prometheus.Registerer
	// Log is the logger; nil logs nothing.
	Log *zap.Logger
}

// New opens (or creates) the journal at cfg.Path for signer's account on
// client's chain. Call Run to track intents, Close when done.
func New(ctx context.Context, cfg Config, client Client, signer Signer, opts Options) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("transaction manager config: %w", err)
	}
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading chain id: %w", err)
	}
	dec := opts.Decoder
	if dec == nil {
		if dec, err = ContractsDecoder(); err != nil {
			return nil, err
		}
	}
	met, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	from := signer.Address()
	j, err := openJournal(cfg.Path, from, chainID)
	if err != nil {
		return nil, err
	}
	keys, counts, err := j.active()
	if err != nil {
		_ = j.close()
		return nil, fmt.Errorf("reading journal: %w", err)
	}
	for _, s := range States {
		met.intents.WithLabelValues(string(s)).Set(float64(counts[s]))
	}
	m := &Manager{
		cfg: cfg, client: client, signer: signer, from: from, chainID: chainID, decoder: dec,
		log:      log.Named("txmgr").With(zap.Stringer("from", from)),
		metrics:  met,
		journal:  j,
		active:   map[string]bool{},
		watchers: map[string]chan struct{}{},
		wake:     make(chan struct{}, 1),
		closing:  make(chan struct{}),
	}
	for _, k := range keys {
		m.active[k] = true
	}
	if len(keys) > 0 {
		m.log.Info("resuming journaled intents", zap.Int("count", len(keys)))
	}
	return m, nil
}

// Address is the account the manager sends from.
func (m *Manager) Address() common.Address { return m.from }

// ChainID is the chain the manager sends to.
func (m *Manager) ChainID() *big.Int { return new(big.Int).Set(m.chainID) }

// Close stops Run, makes waiters return ErrClosed and closes the journal.
// Intents not final are resumed by the next manager opened on the journal.
func (m *Manager) Close() error {
	var err error
	m.closeOnce.Do(func() {
		m.mu.Lock()
		close(m.closing)
		m.mu.Unlock()
		m.runWG.Wait()
		err = m.journal.close()
	})
	return err
}

// Submit journals and sends intent in, once per key. A key already
// journaled returns its current status and sends nothing, except a key
// whose intent failed pre-flight, which is run again (nothing was signed for
// it). Before signing, the call is estimated (or, with a GasLimit, made with
// eth_call); if it reverts, the intent is journaled as failed with the
// decoded reason, nothing is sent, and the error is a *RevertError. The
// error is also set, with the status, when the key is journaled and failed.
func (m *Manager) Submit(ctx context.Context, in Intent) (Status, error) {
	if err := m.checkIntent(in); err != nil {
		return Status{}, err
	}
	if st, done, err := m.existing(in); done {
		return st, err
	}

	gas := in.GasLimit
	if !in.SkipPreflight {
		est, revert, err := m.preflight(ctx, in)
		if err != nil {
			return Status{}, err
		}
		if revert != nil {
			return m.failPreflight(in, *revert)
		}
		if gas == 0 {
			gas = est*(100+m.cfg.GasMarginPercent)/100 + m.cfg.GasMarginFixed
		}
	}
	tip, feeCap, err := m.fees(ctx)
	if err != nil {
		return Status{}, err
	}

	m.nonceMu.Lock()
	if st, done, err := m.existing(in); done { // a concurrent Submit of the key won
		m.nonceMu.Unlock()
		return st, err
	}
	rec, replaced, err := m.signNew(ctx, in, gas, tip, feeCap)
	m.nonceMu.Unlock()
	if err != nil {
		return Status{}, err
	}
	m.metrics.transition(replaced, StatePending)
	log := m.log.With(zap.String("intent", in.Key))
	log.Info("intent journaled", zap.Uint64("nonce", *rec.Nonce), zap.Stringer("tx", rec.Attempts[0].Hash),
		zap.Uint64("gas", gas), zap.Stringer("tip_cap", tip), zap.Stringer("fee_cap", feeCap))
	m.notify(in.Key)

	if h := m.hooks.afterJournal; h != nil {
		if err := h(in.Key); err != nil {
			return Status{}, err
		}
	}
	tx, err := rec.Attempts[0].tx()
	if err != nil {
		return Status{}, err
	}
	m.send(ctx, in.Key, tx)
	m.track(in.Key)
	return m.Get(in.Key)
}

func (m *Manager) checkIntent(in Intent) error {
	switch {
	case in.Key == "":
		return fmt.Errorf("%w: no key", ErrInvalidIntent)
	case len(in.Key) > MaxKeyLen:
		return fmt.Errorf("%w: key longer than %d bytes", ErrInvalidIntent, MaxKeyLen)
	case in.To == (common.Address{}):
		return fmt.Errorf("%w %q: no destination address", ErrInvalidIntent, in.Key)
	case in.Value != nil && in.Value.Sign() < 0:
		return fmt.Errorf("%w %q: negative value", ErrInvalidIntent, in.Key)
	case in.SkipPreflight && in.GasLimit == 0:
		return fmt.Errorf("%w %q: skipping the pre-flight needs a gas limit", ErrInvalidIntent, in.Key)
	}
	return nil
}

// existing returns the journaled status of in's key, done if Submit has
// nothing more to do.
func (m *Manager) existing(in Intent) (Status, bool, error) {
	rec, err := m.journal.get(in.Key)
	if err != nil {
		return Status{}, true, err
	}
	if rec == nil {
		return Status{}, false, nil
	}
	if rec.State == StateFailed && rec.Preflight {
		return Status{}, false, nil
	}
	st := rec.status(m.cfg.Confirmations)
	if rec.To != in.To || !bytes.Equal(rec.Data, in.Data) || rec.value().Cmp(valueOf(in.Value)) != 0 {
		return st, true, fmt.Errorf("%w: %q", ErrIntentMismatch, in.Key)
	}
	return st, true, st.Err()
}

func valueOf(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// preflight estimates the gas of in, or with a gas limit calls it. A
// revert is returned as revert data, other errors as errors.
func (m *Manager) preflight(ctx context.Context, in Intent) (uint64, *[]byte, error) {
	msg := ethereum.CallMsg{From: m.from, To: &in.To, Data: in.Data, Value: in.Value, Gas: in.GasLimit}
	var (
		est uint64
		err error
	)
	if in.GasLimit == 0 {
		est, err = m.client.EstimateGas(ctx, msg)
	} else {
		_, err = m.client.CallContract(ctx, msg, nil)
	}
	if data, ok := revertData(err); ok {
		return 0, &data, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("pre-flight of intent %q: %w", in.Key, err)
	}
	return est, nil, nil
}

func (m *Manager) failPreflight(in Intent, data []byte) (Status, error) {
	reason := m.decoder.Decode(data)
	now := time.Now().UTC()
	rec := &record{
		Key: in.Key, To: in.To, Data: in.Data, GasLimit: in.GasLimit, State: StateFailed,
		Reason: reason, Preflight: true, Created: now, Updated: now, Final: &now,
	}
	if in.Value != nil {
		rec.Value = (*hexutil.Big)(new(big.Int).Set(in.Value))
	}
	m.nonceMu.Lock()
	defer m.nonceMu.Unlock()
	if st, done, err := m.existing(in); done { // a concurrent Submit of the key signed it
		return st, err
	}
	replaced, err := m.journal.insert(rec)
	if err != nil {
		return Status{}, fmt.Errorf("journaling intent %q: %w", in.Key, err)
	}
	m.metrics.transition(replaced, StateFailed)
	m.log.Info("intent reverts in pre-flight; nothing sent", zap.String("intent", in.Key), zap.String("reason", reason))
	m.notify(in.Key)
	st := rec.status(m.cfg.Confirmations)
	return st, st.Err()
}

// fees returns the tip and fee cap for a new transaction: the node's
// suggested tip (at least MinTipCap) and twice the base fee plus the tip,
// bounded by MaxFeeCap.
func (m *Manager) fees(ctx context.Context) (tip, feeCap *big.Int, err error) {
	head, err := m.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the head for fees: %w", err)
	}
	if head.BaseFee == nil {
		return nil, nil, errors.New("the chain has no base fee (pre-London): not supported")
	}
	tip, err = m.client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the suggested tip: %w", err)
	}
	if m.cfg.MinTipCap != nil && tip.Cmp(m.cfg.MinTipCap) < 0 {
		tip = new(big.Int).Set(m.cfg.MinTipCap)
	}
	feeCap = new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	if c := m.cfg.MaxFeeCap; c != nil && feeCap.Cmp(c) > 0 {
		feeCap = new(big.Int).Set(c)
		if tip.Cmp(feeCap) > 0 {
			tip = new(big.Int).Set(feeCap)
		}
	}
	return tip, feeCap, nil
}

// signNew allocates the next nonce, signs the first attempt and journals
// the intent. nonceMu is held.
func (m *Manager) signNew(ctx context.Context, in Intent, gas uint64, tip, feeCap *big.Int) (*record, State, error) {
	if !m.nonceOK {
		pending, err := m.client.PendingNonceAt(ctx, m.from)
		if err != nil {
			return nil, "", fmt.Errorf("reading the pending nonce: %w", err)
		}
		journaled, err := m.journal.nextNonce()
		if err != nil {
			return nil, "", fmt.Errorf("reading journal: %w", err)
		}
		m.nextNonce, m.nonceOK = max(pending, journaled), true
	}
	nonce := m.nextNonce
	tx, err := m.sign(nonce, in.To, in.Data, valueOf(in.Value), gas, tip, feeCap)
	if err != nil {
		return nil, "", err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, "", fmt.Errorf("encoding transaction: %w", err)
	}
	now := time.Now().UTC()
	rec := &record{
		Key: in.Key, To: in.To, Data: in.Data, GasLimit: gas, State: StatePending, Nonce: &nonce,
		Attempts: []attempt{{Hash: tx.Hash(), Raw: raw, TipCap: (*hexutil.Big)(tip), FeeCap: (*hexutil.Big)(feeCap), Signed: now}},
		Created:  now, Updated: now,
	}
	if in.Value != nil {
		rec.Value = (*hexutil.Big)(new(big.Int).Set(in.Value))
	}
	replaced, err := m.journal.insert(rec)
	if err != nil {
		return nil, "", fmt.Errorf("journaling intent %q: %w", in.Key, err)
	}
	m.nextNonce++
	return rec, replaced, nil
}

func (m *Manager) sign(nonce uint64, to common.Address, data []byte, value *big.Int, gas uint64, tip, feeCap *big.Int) (*types.Transaction, error) {
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID: m.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas,
		To: &to, Value: value, Data: data,
	})
	signed, err := m.signer.SignTx(tx, m.chainID)
	if err != nil {
		return nil, fmt.Errorf("signing transaction: %w", err)
	}
	return signed, nil
}

// Get returns the status of key.
func (m *Manager) Get(key string) (Status, error) {
	rec, err := m.journal.get(key)
	if err != nil {
		return Status{}, err
	}
	if rec == nil {
		return Status{}, fmt.Errorf("%w: %q", ErrUnknownIntent, key)
	}
	return rec.status(m.cfg.Confirmations), nil
}

// ListOptions select and page intents for List.
type ListOptions struct {
	// Prefix keeps keys that start with it ("settle order ").
	Prefix string
	// States keeps intents in one of these states; empty keeps all.
	States []State
	// Before keeps intents with an ID below it: pass the last ID of a page
	// to get the next. 0 starts from the newest.
	Before uint64
	// Limit is the page size; 0 means DefaultListLimit, at most
	// MaxListLimit.
	Limit int
}

// Page sizes of List.
const (
	DefaultListLimit = 50
	MaxListLimit     = 1000
)

// List returns intents newest first.
func (m *Manager) List(opts ListOptions) ([]Status, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	var out []Status
	err := m.journal.each(opts.Before, func(r *record) bool {
		if matches(r, opts) {
			out = append(out, r.status(m.cfg.Confirmations))
		}
		return len(out) < limit
	})
	if err != nil {
		return nil, fmt.Errorf("listing intents: %w", err)
	}
	return out, nil
}

// Wait blocks until key's intent is confirmed or failed, or ctx is done,
// calling progress (if not nil) with the status at once and on every change
// (state, confirmations, attempts, errors). A failed intent returns its
// status and Status.Err.
func (m *Manager) Wait(ctx context.Context, key string, progress func(Status)) (Status, error) {
	var last *Status
	for {
		changed := m.watch(key)
		st, err := m.Get(key)
		if err != nil {
			return st, err
		}
		if progress != nil && (last == nil || !st.Updated.Equal(last.Updated) || st.State != last.State) {
			progress(st)
		}
		last = &st
		if st.Final() {
			return st, st.Err()
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return st, ctx.Err()
		case <-m.closing:
			return st, ErrClosed
		}
	}
}

// watch returns a channel closed at the next change of key's record.
func (m *Manager) watch(key string) <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	ch, ok := m.watchers[key]
	if !ok {
		ch = make(chan struct{})
		m.watchers[key] = ch
	}
	return ch
}

func (m *Manager) notify(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ch, ok := m.watchers[key]; ok {
		close(ch)
		delete(m.watchers, key)
	}
}

// track adds key to the tracker's set and wakes it.
func (m *Manager) track(key string) {
	m.mu.Lock()
	m.active[key] = true
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}
