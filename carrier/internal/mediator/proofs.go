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
	s, err := decodeProof(raw)
	if err != nil {
		return carrierapi.ProofAccepted{}, err
	}
	if s.Provider != p {
		return carrierapi.ProofAccepted{}, proofErr(ProofProviderMismatch, "the proof is for provider %s, not %s", s.Provider.Hex(), p.Hex())
	}
	if s.Owner != m.self {
		return carrierapi.ProofAccepted{}, proofErr(ProofOwnerMismatch,
			"the proof names owner %s, not this carrier's wallet %s (start the gateway with --owner %s)", s.Owner.Hex(), m.self.Hex(), m.self.Hex())
	}
	if id := m.ChainID(); s.ChainID.ToInt().Cmp(id) != 0 || s.Registry != m.contracts.Registry {
		return carrierapi.ProofAccepted{}, proofErr(ProofChainMismatch, "the proof is for chain %s, Registry %s; this carrier uses chain %s, Registry %s",
			s.ChainID.ToInt(), s.Registry.Hex(), id, m.contracts.Registry.Hex())
	}
	if err := usableDeadline(s.Deadline, time.Now()); err != nil {
		return carrierapi.ProofAccepted{}, err
	}
	if err := s.Registration().Verify(s.Signature); err != nil {
		return carrierapi.ProofAccepted{}, proofErr(ProofBadSignature, "%v", err)
	}
	nonce, err := m.registry.NonceOf(m.call(ctx), p)
	if err != nil {
		return carrierapi.ProofAccepted{}, fmt.Errorf("reading the registry: %w", err)
	}
	if err := checkNonce(s, nonce); err != nil {
		return carrierapi.ProofAccepted{}, err
	}
	m.provMu.Lock()
	if old, ok := m.proofs[p]; !ok || old.Nonce.ToInt().Cmp(s.Nonce.ToInt()) != 0 || old.Deadline < s.Deadline {
		m.proofs[p] = s
	}
	m.provMu.Unlock()
	m.log.Info("registration proof received", zap.Stringer("provider", p), zap.Stringer("nonce", s.Nonce.ToInt()),
		zap.Time("deadline", time.Unix(int64(min(s.Deadline, 1<<62)), 0)))
	select {
	case m.kick <- struct{}{}:
	default:
	}
	return carrierapi.ProofAccepted{Provider: p, Owner: s.Owner, Nonce: s.Nonce.ToInt().String(), Deadline: s.Deadline}, nil
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
