package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/golang-jwt/jwt/v5"
)

// Claims are a session token's claims: the standard ones (issuer = the
// provider's gateways, subject = the buyer's address, jti, iat, exp) and
// the order the session is scoped to, on its chain and Market.
type Claims struct {
	Order   string `json:"ord"`
	Chain   string `json:"chn"`
	Market  string `json:"mkt"`
	LoginAt int64  `json:"lat"`
	jwt.RegisteredClaims
}

// OrderID is the order the session is for.
func (c *Claims) OrderID() *big.Int {
	id, _ := new(big.Int).SetString(c.Order, 10)
	return id
}

// MaxTokenLength bounds a session token before it is parsed.
const MaxTokenLength = 2048

// Sessions issues and verifies session tokens with one HMAC key. The key
// may arrive after construction (SetKey: read from Consul KV once it
// answers); until then every operation is ErrStateUnavailable.
type Sessions struct {
	key    atomic.Pointer[[]byte]
	issuer string
	now    func() time.Time
	parser *jwt.Parser

	mu      sync.RWMutex
	revoked map[string]int64

	// verified caches the claims of tokens that passed verification,
	// keyed by the whole token: a hit skips the HMAC and the JSON, never
	// the expiry and revocation checks. A changed token is another key.
	cacheMu  sync.RWMutex
	verified map[string]*Claims
}

// maxVerified bounds the verified-token cache; when full it is emptied.
const maxVerified = 16384

// Issuer is the iss claim of provider's sessions.
func Issuer(provider common.Address) string {
	return "gridnode-gateway:" + strings.ToLower(provider.Hex())
}

// NewSessions returns sessions signed with key (at least SessionKeySize
// bytes; nil: set later with SetKey) for provider's gateways.
func NewSessions(key []byte, provider common.Address, now func() time.Time) (*Sessions, error) {
	if now == nil {
		now = time.Now
	}
	iss := Issuer(provider)
	s := &Sessions{
		issuer: iss,
		now:    now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(iss),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithTimeFunc(now),
		),
		revoked:  map[string]int64{},
		verified: map[string]*Claims{},
	}
	if key != nil {
		if err := s.SetKey(key); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SetKey sets the signing key (at least SessionKeySize bytes).
func (s *Sessions) SetKey(key []byte) error {
	if len(key) < SessionKeySize {
		return fmt.Errorf("session key of %d bytes, want at least %d", len(key), SessionKeySize)
	}
	k := append([]byte(nil), key...)
	s.key.Store(&k)
	return nil
}

// HasKey reports whether the key is set.
func (s *Sessions) HasKey() bool { return s.key.Load() != nil }

var errNoKey = fmt.Errorf("%w: the session key is not loaded yet", ErrStateUnavailable)

// Issue signs a session for buyer on order (of chain and market), valid
// until exp; loginAt is the time of the signature login it descends from.
func (s *Sessions) Issue(order *big.Int, chain *big.Int, market, buyer common.Address, loginAt, exp time.Time) (string, *Claims, error) {
	key := s.key.Load()
	if key == nil {
		return "", nil, errNoKey
	}
	now := s.now()
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", nil, fmt.Errorf("drawing a session id: %w", err)
	}
	c := &Claims{
		Order:   order.String(),
		Chain:   chain.String(),
		Market:  strings.ToLower(market.Hex()),
		LoginAt: loginAt.Unix(),
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   strings.ToLower(buyer.Hex()),
			ID:        base64.RawURLEncoding.EncodeToString(id[:]),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(*key)
	if err != nil {
		return "", nil, fmt.Errorf("signing the session: %w", err)
	}
	return tok, c, nil
}

// Verify checks a token's signature, issuer, expiry and revocation, and
// returns its claims. It does not check the order: the caller compares
// Claims.Order with the request's and the chain with its own.
func (s *Sessions) Verify(token string) (*Claims, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	if len(token) > MaxTokenLength {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrSessionInvalid, MaxTokenLength)
	}
	s.cacheMu.RLock()
	c, ok := s.verified[token]
	s.cacheMu.RUnlock()
	if ok {
		if !s.now().Before(c.ExpiresAt.Time) {
			return nil, ErrSessionExpired
		}
		if s.isRevoked(c.ID) {
			return nil, ErrSessionRevoked
		}
		return c, nil
	}
	if !s.HasKey() {
		return nil, errNoKey
	}
	c = &Claims{}
	_, err := s.parser.ParseWithClaims(token, c, s.keyFunc)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, ErrSessionExpired
	default:
		return nil, fmt.Errorf("%w: %s", ErrSessionInvalid, jwtReason(err))
	}
	if c.ID == "" || c.Subject == "" || c.OrderID() == nil {
		return nil, fmt.Errorf("%w: claims incomplete", ErrSessionInvalid)
	}
	if s.isRevoked(c.ID) {
		return nil, ErrSessionRevoked
	}
	s.cacheMu.Lock()
	if len(s.verified) >= maxVerified {
		clear(s.verified)
	}
	s.verified[token] = c
	s.cacheMu.Unlock()
	return c, nil
}

func (s *Sessions) keyFunc(*jwt.Token) (any, error) {
	k := s.key.Load()
	if k == nil {
		return nil, errNoKey
	}
	return *k, nil
}

// jwtReason says what was wrong without echoing the token.
func jwtReason(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad signature"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "unverifiable (wrong algorithm)"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "issued by another provider's gateway"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim is missing"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return "issued in the future"
	}
	return "rejected"
}

func (s *Sessions) isRevoked(jti string) bool {
	s.mu.RLock()
	_, ok := s.revoked[jti]
	s.mu.RUnlock()
	return ok
}

// markRevoked adds revocations to the local set.
func (s *Sessions) markRevoked(jti string, exp int64) {
	s.mu.Lock()
	s.revoked[jti] = exp
	s.mu.Unlock()
}

// setRevoked replaces the local set with what Consul holds, keeping
// entries this replica added that the watch has not seen yet.
func (s *Sessions) setRevoked(all map[string]int64, keepAfter int64) {
	s.mu.Lock()
	for jti, exp := range s.revoked {
		if _, ok := all[jti]; !ok && exp > keepAfter {
			all[jti] = exp
		}
	}
	s.revoked = all
	s.mu.Unlock()
}

// RevokedCount is the size of the local revocation set.
func (s *Sessions) RevokedCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.revoked)
}
