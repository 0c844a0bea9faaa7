package txmgr

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Errors callers test with errors.Is.
var (
	// ErrFailed: the intent failed; Status.Reason says why.
	ErrFailed = errors.New("transaction failed")
	// ErrReverted: the call reverts, in pre-flight (nothing was sent) or on
	// chain. It is also ErrFailed. errors.As with *RevertError gives the
	// decoded reason and the raw data.
	ErrReverted = errors.New("execution reverted")
	// ErrNonceTaken: another transaction from the same account, not sent by
	// this manager, used the intent's nonce. It is also ErrFailed.
	ErrNonceTaken = errors.New("nonce used by a transaction the manager did not send")
	// ErrUnknownIntent: no intent has this key.
	ErrUnknownIntent = errors.New("unknown intent")
	// ErrIntentMismatch: the key is journaled with another destination,
	// calldata or value.
	ErrIntentMismatch = errors.New("intent key already used for a different transaction")
	// ErrInvalidIntent: the intent is malformed (no key, no destination…).
	ErrInvalidIntent = errors.New("invalid intent")
	// ErrJournalMismatch: the journal belongs to another account or chain.
	ErrJournalMismatch = errors.New("journal belongs to another account or chain")
	// ErrClosed: the manager is closed.
	ErrClosed = errors.New("transaction manager closed")
)

// MaxKeyLen bounds an intent key, in bytes.
const MaxKeyLen = 200

// Intent is a state change the caller wants on chain exactly once.
type Intent struct {
	// Key names the intent, e.g. "settle order 42". A key is sent at most
	// once, ever; Submit with a journaled key returns that intent.
	Key string
	// To is the contract or account called; contract creation is not
	// supported.
	To common.Address
	// Data is the calldata.
	Data []byte
	// Value is the wei sent along; nil is none.
	Value *big.Int
	// GasLimit is the gas limit; 0 estimates it with the configured
	// margin. With a limit, the pre-flight is an eth_call.
	GasLimit uint64
	// SkipPreflight sends without the estimate or call first: for a call
	// that only succeeds after an earlier intent is mined (deposit after
	// approve). It needs a GasLimit.
	SkipPreflight bool
}

// State is where an intent is in its life.
type State string

// The states. Confirmed and failed are final.
const (
	// StatePending: signed and journaled, sent or being sent, not mined.
	StatePending State = "pending"
	// StateMined: in a block, fewer than the required confirmations deep.
	StateMined State = "mined"
	// StateConfirmed: succeeded and the required confirmations deep.
	StateConfirmed State = "confirmed"
	// StateFailed: reverted (in pre-flight, with nothing sent, or on chain
	// at the required depth) or its nonce was taken.
	StateFailed State = "failed"
)

// States lists every state, in life order.
var States = []State{StatePending, StateMined, StateConfirmed, StateFailed}

// Final reports whether the state never changes again.
func (s State) Final() bool { return s == StateConfirmed || s == StateFailed }

// Status is an intent's journaled state, for callers, the API and the CLI.
type Status struct {
	// ID orders intents by first submission; List pages by it.
	ID    uint64         `json:"id"`
	Key   string         `json:"key"`
	State State          `json:"state"`
	To    common.Address `json:"to"`
	// Nonce is unset for an intent that failed pre-flight.
	Nonce *uint64 `json:"nonce,omitempty"`
	// Hash is the mined transaction's hash if mined, else the latest
	// attempt's. Hashes are all attempts', oldest first.
	Hash     *common.Hash  `json:"hash,omitempty"`
	Hashes   []common.Hash `json:"hashes,omitempty"`
	GasLimit uint64        `json:"gasLimit,omitempty"`
	// TipCap and FeeCap are the latest attempt's fees (wei per gas).
	TipCap *big.Int `json:"tipCap,omitempty"`
	FeeCap *big.Int `json:"feeCap,omitempty"`
	// Block, BlockHash and GasUsed describe the mined transaction.
	Block     uint64       `json:"block,omitempty"`
	BlockHash *common.Hash `json:"blockHash,omitempty"`
	GasUsed   uint64       `json:"gasUsed,omitempty"`
	// Confirmations is the mined block's depth (1 when it is the head);
	// Required is the depth that confirms.
	Confirmations uint64 `json:"confirmations"`
	Required      uint64 `json:"requiredConfirmations"`
	// Reason says why the intent failed (a decoded revert reason) or, when
	// mined but reverted, why it will fail.
	Reason string `json:"reason,omitempty"`
	// Preflight: the intent failed before anything was signed; a new
	// Submit of the key runs it again.
	Preflight bool `json:"preflight,omitempty"`
	// LastError is the latest transient problem (a send the node refused,
	// a fee bump at the fee cap…); the manager keeps trying.
	LastError string    `json:"lastError,omitempty"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	// Confirmed is when it was confirmed or failed.
	Confirmed *time.Time `json:"confirmed,omitempty"`
}

// Final reports whether the status never changes again.
func (s Status) Final() bool { return s.State.Final() }

// Err is nil unless the intent failed: then it is a *RevertError or wraps
// ErrNonceTaken, and is ErrFailed in both cases.
func (s Status) Err() error {
	if s.State != StateFailed {
		return nil
	}
	if s.reverted() {
		return &RevertError{Key: s.Key, Reason: s.Reason, Preflight: s.Preflight}
	}
	return fmt.Errorf("intent %q: %w: %w: %s", s.Key, ErrFailed, ErrNonceTaken, s.Reason)
}

func (s Status) reverted() bool { return s.Reason != nonceTakenReason }

const nonceTakenReason = "nonce taken by another transaction"

// String is a one-line progress report, e.g.
// `settle order 42: mined in block 1234 (1/3 confirmations) tx 0xab…`.
func (s Status) String() string {
	line := s.Key + ": " + string(s.State)
	switch s.State {
	case StatePending:
		if s.Nonce != nil {
			line += fmt.Sprintf(" (nonce %d, attempt %d)", *s.Nonce, len(s.Hashes))
		}
	case StateMined:
		line += fmt.Sprintf(" in block %d (%d/%d confirmations)", s.Block, s.Confirmations, s.Required)
	case StateConfirmed:
		line += fmt.Sprintf(" in block %d (%d confirmations, %d gas)", s.Block, s.Confirmations, s.GasUsed)
	case StateFailed:
		line += ": " + s.Reason
		if s.Preflight {
			line += " (pre-flight; nothing sent)"
		}
	}
	if s.Hash != nil {
		line += " tx " + s.Hash.Hex()
	}
	if s.LastError != "" && !s.Final() {
		line += " [" + s.LastError + "]"
	}
	return line
}

// RevertError is a failure by revert, with its decoded reason.
type RevertError struct {
	Key    string
	Reason string
	// Preflight: the revert was found before sending; nothing was sent.
	Preflight bool
}

func (e *RevertError) Error() string {
	if e.Preflight {
		return fmt.Sprintf("intent %q: execution reverted: %s (nothing sent)", e.Key, e.Reason)
	}
	return fmt.Sprintf("intent %q: execution reverted on chain: %s", e.Key, e.Reason)
}

// Is makes a RevertError both ErrReverted and ErrFailed.
func (e *RevertError) Is(target error) bool { return target == ErrReverted || target == ErrFailed }
