package mediator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// ProofMargin is how long before its deadline a registration proof stops
// being taken or used: the time a registration has to be mined.
const ProofMargin = 2 * time.Minute

// Codes of ProofError: why a posted registration proof was refused.
const (
	ProofMalformed        = "proof_malformed"         // not the JSON of a proof, or fields missing
	ProofTooLarge         = "proof_too_large"         // over regproof.MaxJSON bytes
	ProofProviderMismatch = "proof_provider_mismatch" // names another provider than the route's
	ProofOwnerMismatch    = "proof_owner_mismatch"    // names another owner than this carrier's wallet
	ProofChainMismatch    = "proof_chain_mismatch"    // another chain id or Registry than the carrier's
	ProofExpired          = "proof_expired"           // deadline past or within ProofMargin
	ProofBadSignature     = "proof_bad_signature"     // not signed by the provider's key
	ProofNonceUsed        = "proof_nonce_used"        // its nonce was used already (a replay)
	ProofNonceAhead       = "proof_nonce_mismatch"    // its nonce is not the Registry's next one
)

// ProofError is a refused registration proof: Code is one of the Proof*
// codes, which the API returns with a 400.
type ProofError struct {
	Code string
	Msg  string
}

func (e *ProofError) Error() string { return "registration proof refused: " + e.Msg }

func proofErr(code, format string, args ...any) *ProofError {
	return &ProofError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// decodeProof decodes raw strictly: one JSON object of a regproof.Signed
// with every field present.
func decodeProof(raw []byte) (regproof.Signed, error) {
	if len(raw) > regproof.MaxJSON {
		return regproof.Signed{}, proofErr(ProofTooLarge, "%d bytes or more, at most %d", len(raw), regproof.MaxJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var s regproof.Signed
	if err := dec.Decode(&s); err != nil {
		return s, proofErr(ProofMalformed, "not a registration proof's JSON: %v", err)
	}
	if dec.More() {
		return s, proofErr(ProofMalformed, "trailing data after the proof")
	}
	switch {
	case s.ChainID == nil || s.Nonce == nil:
		return s, proofErr(ProofMalformed, "chainId and nonce are required")
	case s.Provider == (common.Address{}) || s.Owner == (common.Address{}) || s.Registry == (common.Address{}):
		return s, proofErr(ProofMalformed, "provider, owner and registry are required")
	case s.Deadline == 0:
		return s, proofErr(ProofMalformed, "deadline is required")
	case len(s.Signature) != regproof.SignatureLength:
		return s, proofErr(ProofMalformed, "signature of %d bytes, want %d", len(s.Signature), regproof.SignatureLength)
	}
	return s, nil
}

// PostProof takes the provider key's proof of possession for p (the JSON
// of a regproof.Signed, as `gateway keys prove` prints it and the gateway
// posts it) after checking that the registrar can use it now: it names p
// and this carrier's wallet, this chain and Registry, a deadline beyond
// ProofMargin, the Registry's current nonce of p, and it is p's signature.
// The freshest proof of each provider is kept in memory (the gateway posts
// it again) and the registrar is woken. A refusal is a *ProofError.
func (m *Mediator) PostProof(ctx context.Context, p common.Address, raw []byte) (carrierapi.ProofAccepted, error) {
	s, err := m.checkProof(p, m.self, raw)
	if err != nil {
		return carrierapi.ProofAccepted{}, err
	}
	nonce, err := m.registry.NonceOf(m.call(ctx), p)
	if err != nil {
		return carrierapi.ProofAccepted{}, fmt.Errorf("reading the registry: %w", err)
	}
	if err := checkNonce(s, nonce); err != nil {
		return carrierapi.ProofAccepted{}, err
	}
	m.provMu.Lock()
	old, had := m.proofs[p]
	fresher := !had || old.Nonce.ToInt().Cmp(s.Nonce.ToInt()) != 0 || old.Deadline < s.Deadline
	if fresher {
		m.proofs[p] = s
	}
	m.provMu.Unlock()
	if fresher { // the gateway posts the same proof again every 30 s
		m.log.Info("registration proof received", zap.Stringer("provider", p), zap.Stringer("nonce", s.Nonce.ToInt()),
			zap.Time("deadline", time.Unix(int64(min(s.Deadline, 1<<62)), 0)))
	}
	select {
	case m.kick <- struct{}{}:
	default:
	}
	return carrierapi.ProofAccepted{Provider: p, Owner: s.Owner, Nonce: s.Nonce.ToInt().String(), Deadline: s.Deadline}, nil
}

// checkProof decodes raw and checks what needs no chain read: a proof for
// p naming owner, for this chain and Registry, with a usable deadline,
// signed by p.
func (m *Mediator) checkProof(p, owner common.Address, raw []byte) (regproof.Signed, error) {
	s, err := decodeProof(raw)
	if err != nil {
		return s, err
	}
	if s.Provider != p {
		return s, proofErr(ProofProviderMismatch, "the proof is for provider %s, not %s", s.Provider.Hex(), p.Hex())
	}
	if s.Owner != owner {
		if owner == m.self {
			return s, proofErr(ProofOwnerMismatch,
				"the proof names owner %s, not this carrier's wallet %s (start the gateway with --owner %s)", s.Owner.Hex(), m.self.Hex(), m.self.Hex())
		}
		return s, proofErr(ProofOwnerMismatch, "the proof names owner %s, not the new owner %s", s.Owner.Hex(), owner.Hex())
	}
	if id := m.ChainID(); s.ChainID.ToInt().Cmp(id) != 0 || s.Registry != m.contracts.Registry {
		return s, proofErr(ProofChainMismatch, "the proof is for chain %s, Registry %s; this carrier uses chain %s, Registry %s",
			s.ChainID.ToInt(), s.Registry.Hex(), id, m.contracts.Registry.Hex())
	}
	if err := usableDeadline(s.Deadline, time.Now()); err != nil {
		return s, err
	}
	if err := s.Registration().Verify(s.Signature); err != nil {
		return s, proofErr(ProofBadSignature, "%v", err)
	}
	return s, nil
}

func usableDeadline(deadline uint64, now time.Time) error {
	limit := now.Add(ProofMargin).Unix()
	if deadline <= uint64(max(limit, 0)) {
		return proofErr(ProofExpired, "the proof's deadline %s is past or less than %s away; sign a new one",
			time.Unix(int64(min(deadline, 1<<62)), 0).UTC().Format(time.RFC3339), ProofMargin)
	}
	return nil
}

func checkNonce(s regproof.Signed, nonce *big.Int) error {
	switch c := s.Nonce.ToInt().Cmp(nonce); {
	case c < 0:
		return proofErr(ProofNonceUsed, "the proof's nonce %s was used already (the Registry's nonce of %s is %s): sign a new proof",
			s.Nonce.ToInt(), s.Provider.Hex(), nonce)
	case c > 0:
		return proofErr(ProofNonceAhead, "the proof's nonce is %s, the Registry's nonce of %s is %s", s.Nonce.ToInt(), s.Provider.Hex(), nonce)
	}
	return nil
}

// usableProof is p's kept proof if the registrar can submit it now: nonce
// the Registry's current one, deadline beyond ProofMargin. A kept proof
// that can never be used again is dropped.
func (m *Mediator) usableProof(ctx context.Context, p common.Address) (regproof.Signed, bool, error) {
	m.provMu.Lock()
	s, ok := m.proofs[p]
	m.provMu.Unlock()
	if !ok {
		return s, false, nil
	}
	nonce, err := m.registry.NonceOf(m.call(ctx), p)
	if err != nil {
		return s, false, fmt.Errorf("reading the registry: %w", err)
	}
	if checkNonce(s, nonce) != nil || usableDeadline(s.Deadline, time.Now()) != nil {
		m.dropProof(p, s)
		return s, false, nil
	}
	return s, true, nil
}

// dropProof forgets p's proof if it is still s.
func (m *Mediator) dropProof(p common.Address, s regproof.Signed) {
	m.provMu.Lock()
	defer m.provMu.Unlock()
	if cur, ok := m.proofs[p]; ok && bytes.Equal(cur.Signature, s.Signature) {
		delete(m.proofs, p)
	}
}

// waitingForProof is the Problem of a provider that cannot be registered
// for want of a proof.
func (m *Mediator) waitingForProof() string {
	return "waiting for the gateway's proof of possession (gateway --owner must be " + m.self.Hex() + ")"
}

// Transfer moves p, owned by this carrier's wallet, to the wallet to with
// the provider key's proof naming to (Registry.transfer), through the
// transaction journal: intent key "transfer provider <p> to <to> n<nonce>",
// so that the same request again shows the same intent and sends nothing.
// Orders already placed keep paying this wallet. A refused proof is a
// *ProofError.
func (m *Mediator) Transfer(ctx context.Context, p, to common.Address, raw []byte) (txmgr.Status, error) {
	if to == (common.Address{}) || to == m.self {
		return txmgr.Status{}, badInput("new owner %s: want another wallet than this organization's", to.Hex())
	}
	s, err := m.checkProof(p, to, raw)
	if err != nil {
		return txmgr.Status{}, err
	}
	key := fmt.Sprintf("transfer provider %s to %s n%s", p.Hex(), to.Hex(), s.Nonce.ToInt())
	if st, err := m.tx.Get(key); err == nil && st.State != txmgr.StateFailed {
		return st, nil // asked again
	}
	owner, err := m.registry.OwnerOf(m.call(ctx), p)
	if err != nil {
		return txmgr.Status{}, fmt.Errorf("reading the registry: %w", err)
	}
	switch owner {
	case m.self:
	case common.Address{}:
		return txmgr.Status{}, fmt.Errorf("%w %s: not registered", ErrUnknownProvider, p)
	default:
		return txmgr.Status{}, badInput("provider %s is registered by %s, not by this organization", p, owner)
	}
	nonce, err := m.registry.NonceOf(m.call(ctx), p)
	if err != nil {
		return txmgr.Status{}, fmt.Errorf("reading the registry: %w", err)
	}
	if err := checkNonce(s, nonce); err != nil {
		return txmgr.Status{}, err
	}
	data, err := pack(m.registryABI, "transfer", p, to, s.Registration().Proof(s.Signature))
	if err != nil {
		return txmgr.Status{}, err
	}
	ps, err := m.store.provider(p)
	if err != nil {
		return txmgr.Status{}, err
	}
	ps.Rev++
	ps.LastKey = key
	if err := m.store.saveProvider(ps); err != nil {
		return txmgr.Status{}, err
	}
	m.log.Info("transferring provider on operator request", zap.Stringer("provider", p), zap.Stringer("to", to))
	return m.tx.Submit(ctx, txmgr.Intent{Key: key, To: m.contracts.Registry, Data: data})
}
