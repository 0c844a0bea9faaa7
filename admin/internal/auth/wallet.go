package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/consul"
)

// Wallet sign-in follows EIP-4361 ("Sign-In with Ethereum"): the console
// asks for a challenge, the owner's wallet signs the message it gets with
// personal_sign (EIP-191), and the signed message comes back. The nonce is
// single-use across every replica (deleted with CAS from Consul KV) and
// expires after NonceTTL.

// MaxMessageLen bounds a sign-in message.
const MaxMessageLen = 2048

// WalletEnabled reports whether any owner address may sign in.
func (s *Service) WalletEnabled() bool { return len(s.opts.Owners) > 0 }

func (s *Service) owner(a common.Address) bool {
	for _, o := range s.opts.Owners {
		if o == a {
			return true
		}
	}
	return false
}

// Challenge is what the console shows the wallet to sign.
type Challenge struct {
	Message string    `json:"message"`
	Nonce   string    `json:"nonce"`
	Expires time.Time `json:"expires"`
}

type nonceRecord struct {
	Address common.Address `json:"address"`
	Message string         `json:"message"`
	Expires time.Time      `json:"expires"`
}

func (s *Service) nonceKey(n string) string { return s.prefix + "nonces/" + n }

// ChallengeRequest says where the console is reached, for the message.
type ChallengeRequest struct {
	Address common.Address
	// Domain is the host (and port) the console is served from; URI its
	// address.
	Domain, URI string
	ChainID     uint64
}

// WalletChallenge makes a sign-in message for one of the owner addresses.
// Other addresses get ErrBadCredentials; more than a few hundred
// outstanding challenges ErrBusy.
func (s *Service) WalletChallenge(ctx context.Context, r ChallengeRequest) (Challenge, error) {
	if !s.WalletEnabled() || !s.owner(r.Address) {
		return Challenge{}, fmt.Errorf("%w: %s may not sign in to this console", ErrBadCredentials, r.Address.Hex())
	}
	if strings.ContainsAny(r.Domain+r.URI, "\r\n") || r.Domain == "" || len(r.Domain) > 255 || len(r.URI) > 1024 {
		return Challenge{}, fmt.Errorf("%w: bad console address", ErrBadInput)
	}
	n, err := s.pruneNonces(ctx)
	if err != nil {
		return Challenge{}, err
	}
	if n >= maxNonces {
		return Challenge{}, ErrBusy
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Challenge{}, err
	}
	nonce := hex.EncodeToString(b)
	now := s.now().Truncate(time.Second)
	exp := now.Add(s.opts.NonceTTL)
	msg := fmt.Sprintf("%s wants you to sign in with your Ethereum account:\n%s\n\nSign in to the gridnode admin console of organization %s.\n\nURI: %s\nVersion: 1\nChain ID: %d\nNonce: %s\nIssued At: %s\nExpiration Time: %s",
		r.Domain, r.Address.Hex(), s.opts.Org, r.URI, r.ChainID, nonce, now.Format(time.RFC3339), exp.Format(time.RFC3339))
	rec, err := json.Marshal(nonceRecord{Address: r.Address, Message: msg, Expires: exp})
	if err != nil {
		return Challenge{}, err
	}
	if err := s.kv.CAS(ctx, s.nonceKey(nonce), rec, 0); err != nil {
		return Challenge{}, err
	}
	return Challenge{Message: msg, Nonce: nonce, Expires: exp}, nil
}

// WalletLogin checks a signed challenge and opens an admin session for the
// owner address that signed it. Anything wrong (unknown, used or expired
// nonce, altered message, bad signature, another signer) is
// ErrBadCredentials.
func (s *Service) WalletLogin(ctx context.Context, message, signature string) (string, Session, error) {
	if len(message) > MaxMessageLen {
		return "", Session{}, fmt.Errorf("%w: message too long", ErrBadCredentials)
	}
	var nonce string
	for _, line := range strings.Split(message, "\n") {
		if v, ok := strings.CutPrefix(line, "Nonce: "); ok {
			nonce = v
		}
	}
	if len(nonce) != 32 {
		return "", Session{}, fmt.Errorf("%w: no nonce in the message", ErrBadCredentials)
	}
	if _, err := hex.DecodeString(nonce); err != nil {
		return "", Session{}, fmt.Errorf("%w: no nonce in the message", ErrBadCredentials)
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(signature, "0x"))
	if err != nil || len(sig) != crypto.SignatureLength {
		return "", Session{}, fmt.Errorf("%w: the signature is not 65 bytes of hex", ErrBadCredentials)
	}
	raw, idx, found, err := s.kv.Get(ctx, s.nonceKey(nonce))
	if err != nil {
		return "", Session{}, err
	}
	if !found {
		return "", Session{}, fmt.Errorf("%w: unknown or used nonce", ErrBadCredentials)
	}
	var rec nonceRecord
	if err := json.Unmarshal(raw, &rec); err != nil || rec.Message != message {
		return "", Session{}, fmt.Errorf("%w: the message is not the one issued", ErrBadCredentials)
	}
	// Single use: whoever deletes the nonce first signs in; a replay, here
	// or on another replica, finds it gone.
	if err := s.kv.DeleteCAS(ctx, s.nonceKey(nonce), idx); err != nil {
		if errors.Is(err, consul.ErrCASConflict) {
			return "", Session{}, fmt.Errorf("%w: unknown or used nonce", ErrBadCredentials)
		}
		return "", Session{}, err
	}
	if !rec.Expires.After(s.now()) {
		return "", Session{}, fmt.Errorf("%w: the challenge expired", ErrBadCredentials)
	}
	if sig[64] >= 27 {
		sig[64] -= 27
	}
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(message)), sig)
	if err != nil {
		return "", Session{}, fmt.Errorf("%w: bad signature", ErrBadCredentials)
	}
	signer := crypto.PubkeyToAddress(*pub)
	if signer != rec.Address || !s.owner(signer) {
		return "", Session{}, fmt.Errorf("%w: signed by another account", ErrBadCredentials)
	}
	return s.open(ctx, Session{User: "wallet:" + signer.Hex(), Role: RoleAdmin, Kind: KindWallet, Address: signer.Hex()})
}

// pruneNonces deletes expired challenges and returns how many remain.
func (s *Service) pruneNonces(ctx context.Context) (int, error) {
	entries, err := s.kv.List(ctx, s.prefix+"nonces/")
	if err != nil {
		return 0, err
	}
	n := 0
	now := s.now()
	for _, e := range entries {
		var rec nonceRecord
		if json.Unmarshal(e.Value, &rec) != nil || !rec.Expires.After(now) {
			if err := s.kv.DeleteCAS(ctx, e.Key, e.ModifyIndex); err != nil && !errors.Is(err, consul.ErrCASConflict) {
				return 0, err
			}
			continue
		}
		n++
	}
	return n, nil
}
