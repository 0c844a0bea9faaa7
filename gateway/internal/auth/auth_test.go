package auth_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
	"github.com/gridnode/gridnode/test/consultest"
)

// env is a chain with the Market, a Consul agent, and the orders of one
// provider.
type env struct {
	t        *testing.T
	chain    *devchaintest.Chain
	agent    *consultest.Agent
	provider common.Address
	buyer    *ecdsa.PrivateKey
	other    *ecdsa.PrivateKey
	clock    *clock
	// cacheTTL and owner configure the replicas' order checkers (-1: no
	// cache; zero owner: no payee check).
	cacheTTL time.Duration
	owner    common.Address
}

type clock struct{ off atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) Advance(d time.Duration) { c.off.Add(int64(d)) }

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, chain: devchaintest.Start(t), agent: consultest.Start(t), clock: &clock{}, cacheTTL: -1}
	_, e.provider = e.chain.NewProvider()
	e.buyer, e.other = e.chain.Buyers[0], e.chain.Buyers[1]
	return e
}

// replica is one gateway replica's authenticator, sharing the env's
// Consul and chain.
func (e *env) replica(opts auth.Options) *auth.Authenticator {
	e.t.Helper()
	client, err := ethclient.Dial(e.chain.RPC)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(client.Close)
	ch := orders.Chain{ID: e.chain.ID, Market: e.chain.Market}
	r, err := orders.NewMarketReader(client, ch)
	if err != nil {
		e.t.Fatal(err)
	}
	oc := orders.NewChecker(orders.Options{Provider: e.provider, Owner: e.owner, CacheTTL: e.cacheTTL, Now: e.clock.Now})
	oc.SetSource(r, ch)
	store, err := auth.NewConsulStore(e.agent.Client(), "org-a", e.provider)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	key, err := store.SessionKey(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	opts.Provider = e.provider
	opts.Now = e.clock.Now
	a, err := auth.New(opts, oc, store, key, zaptest.NewLogger(e.t))
	if err != nil {
		e.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	e.t.Cleanup(func() { cancel(); <-done })
	eventually(e.t, "revocations read", func() bool { return a.Ready(ctx) == nil })
	return a
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sign signs c with key as eth_signTypedData_v4 does (V 27/28).
func sign(t *testing.T, c gatewaylogin.Challenge, key *ecdsa.PrivateKey) [65]byte {
	t.Helper()
	d := c.Digest()
	sig, err := crypto.Sign(d[:], key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return [65]byte(sig)
}

func login(c gatewaylogin.Challenge, sig [65]byte) gatewaylogin.LoginRequest {
	return gatewaylogin.LoginRequest{Nonce: c.Nonce, Expires: c.Expires, Signature: sig}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.replica(auth.Options{})
	order := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{1})
	other := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{2})

	c, err := a.Challenge(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	if c.Gateway != e.provider || c.Market != e.chain.Market || c.ChainID.Cmp(e.chain.ID) != 0 || c.OrderID.Cmp(order) != 0 {
		t.Fatalf("challenge = %+v", c)
	}
	s, err := a.Login(ctx, order, login(c, sign(t, c, e.buyer)))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	claims, err := a.Verify(s.Token)
	if err != nil || claims.Order != order.String() || !strings.EqualFold(claims.Subject, devchaintest.Address(e.buyer).Hex()) {
		t.Fatalf("verify = %+v, %v", claims, err)
	}
	if d := time.Until(s.Expires); d <= 0 || d > auth.DefaultSessionTTL+time.Second {
		t.Errorf("session expires in %s", d)
	}

	// The same signed challenge again: replayed.
	if _, err := a.Login(ctx, order, login(c, sign(t, c, e.buyer))); !errors.Is(err, auth.ErrReplayed) {
		t.Errorf("replay: %v, want ErrReplayed", err)
	}

	// Signed by someone else: wrong signer, and the nonce is not spent.
	c2, _ := a.Challenge(ctx, order)
	if _, err := a.Login(ctx, order, login(c2, sign(t, c2, e.other))); !errors.Is(err, auth.ErrWrongSigner) {
		t.Errorf("other signer: %v, want ErrWrongSigner", err)
	}
	if _, err := a.Login(ctx, order, login(c2, sign(t, c2, e.buyer))); err != nil {
		t.Errorf("the buyer after a wrong signer: %v", err)
	}

	// A challenge for this order presented at another order.
	c3, _ := a.Challenge(ctx, order)
	if _, err := a.Login(ctx, other, login(c3, sign(t, c3, e.buyer))); !errors.Is(err, auth.ErrOtherOrder) {
		t.Errorf("other order: %v, want ErrOtherOrder", err)
	}

	// A nonce that was never issued.
	c4 := c3
	c4.Nonce[0] ^= 0xff
	if _, err := a.Login(ctx, order, login(c4, sign(t, c4, e.buyer))); !errors.Is(err, auth.ErrReplayed) {
		t.Errorf("unknown nonce: %v, want ErrReplayed", err)
	}

	// A changed expiry: checked against the challenge's record.
	c5 := c3
	c5.Expires++
	if _, err := a.Login(ctx, order, login(c5, sign(t, c5, e.buyer))); !errors.Is(err, auth.ErrMalformed) {
		t.Errorf("changed expiry: %v, want ErrMalformed", err)
	}

	// Expired: the clock passes the challenge's expiry.
	c6, _ := a.Challenge(ctx, order)
	e.clock.Advance(auth.DefaultChallengeTTL + time.Second)
	if _, err := a.Login(ctx, order, login(c6, sign(t, c6, e.buyer))); !errors.Is(err, auth.ErrChallengeExpired) {
		t.Errorf("expired: %v, want ErrChallengeExpired", err)
	}
	e.clock.Advance(-(auth.DefaultChallengeTTL + time.Second))

	// Order refusals reach the caller unchanged, at challenge and login.
	c7, _ := a.Challenge(ctx, order)
	e.chain.Cancel(e.buyer, order)
	if _, err := a.Login(ctx, order, login(c7, sign(t, c7, e.buyer))); !errors.Is(err, orders.ErrCancelled) {
		t.Errorf("cancelled order: %v, want ErrCancelled", err)
	}
	if _, err := a.Challenge(ctx, order); !errors.Is(err, orders.ErrCancelled) {
		t.Errorf("challenge for a cancelled order: %v", err)
	}
	_, otherProvider := e.chain.NewProvider()
	foreign := e.chain.CreateOrder(e.buyer, otherProvider, time.Hour, [32]byte{3})
	if _, err := a.Challenge(ctx, foreign); !errors.Is(err, orders.ErrWrongProvider) {
		t.Errorf("challenge for another provider's order: %v, want ErrWrongProvider", err)
	}
	if _, err := a.Challenge(ctx, big.NewInt(1_000_000)); !errors.Is(err, orders.ErrNotFound) {
		t.Errorf("challenge for an unknown order: %v, want ErrNotFound", err)
	}
}

// TestPayeeAndClosed: a replica configured with its organization refuses
// the orders that pay another one, at the challenge and at the login (a
// challenge issued by a replica without the check), and a closed order is
// refused like a cancelled one.
func TestPayeeAndClosed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lax := e.replica(auth.Options{}) // no --owner: any payee
	e.owner = devchaintest.Address(e.chain.Owner)
	mine := e.replica(auth.Options{})
	e.owner = devchaintest.Address(e.other)
	strict := e.replica(auth.Options{})
	order := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{1})

	if _, err := strict.Challenge(ctx, order); !errors.Is(err, orders.ErrWrongPayee) {
		t.Fatalf("challenge at another organization's gateway: %v, want ErrWrongPayee", err)
	}
	c, err := lax.Challenge(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Login(ctx, order, login(c, sign(t, c, e.buyer))); !errors.Is(err, orders.ErrWrongPayee) ||
		!strings.Contains(err.Error(), "pays "+devchaintest.Address(e.chain.Owner).Hex()) {
		t.Fatalf("login at another organization's gateway: %v, want ErrWrongPayee naming the payee", err)
	}
	// The refusal did not spend the nonce: the payee's own gateway accepts it.
	s, err := mine.Login(ctx, order, login(c, sign(t, c, e.buyer)))
	if err != nil {
		t.Fatalf("login at the payee's gateway: %v", err)
	}
	claims, err := strict.Verify(s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Renew(ctx, claims); !errors.Is(err, orders.ErrWrongPayee) {
		t.Errorf("renew at another organization's gateway: %v, want ErrWrongPayee", err)
	}

	// The provider's owner closes the order: no more logins or renewals.
	c2, _ := mine.Challenge(ctx, order)
	e.chain.CloseOrder(order)
	if _, err := mine.Login(ctx, order, login(c2, sign(t, c2, e.buyer))); !errors.Is(err, orders.ErrClosed) {
		t.Errorf("login to a closed order: %v, want ErrClosed", err)
	}
	if _, err := mine.Renew(ctx, claims); !errors.Is(err, orders.ErrClosed) {
		t.Errorf("renew of a closed order: %v, want ErrClosed", err)
	}
	if _, err := mine.Challenge(ctx, order); !errors.Is(err, orders.ErrClosed) {
		t.Errorf("challenge for a closed order: %v, want ErrClosed", err)
	}
}

// TestRenewAfterExtension: a session is capped at its order's end; once
// the buyer extends the order on chain, a renewal gets the new end at once,
// even from a replica whose order cache still holds the old one.
func TestRenewAfterExtension(t *testing.T) {
	e := newEnv(t)
	e.cacheTTL = time.Minute
	ctx := context.Background()
	a := e.replica(auth.Options{SessionTTL: 2 * time.Hour, SessionMaxAge: 24 * time.Hour})
	order := e.chain.CreateOrder(e.buyer, e.provider, 10*time.Minute, [32]byte{1})
	c, _ := a.Challenge(ctx, order) // caches the order
	s, err := a.Login(ctx, order, login(c, sign(t, c, e.buyer)))
	if err != nil {
		t.Fatal(err)
	}
	reader, err := orders.NewMarketReader(e.chain.Client(), orders.Chain{ID: e.chain.ID, Market: e.chain.Market})
	if err != nil {
		t.Fatal(err)
	}
	o, err := reader.ReadOrder(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Expires.Equal(o.End) {
		t.Fatalf("session of a 10-minute order expires at %s, want its end %s", s.Expires, o.End)
	}
	oldEnd := s.Expires
	e.chain.Extend(e.buyer, order, time.Hour)
	if _, err := a.Challenge(ctx, order); err != nil { // the cache still holds the old order
		t.Fatal(err)
	}
	claims, err := a.Verify(s.Token)
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Renew(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Expires.Equal(oldEnd.Add(time.Hour)) {
		t.Errorf("renewed after the extension: expires %s, want the new end %s", r.Expires, oldEnd.Add(time.Hour))
	}
}

func TestChallengeRate(t *testing.T) {
	e := newEnv(t)
	a := e.replica(auth.Options{ChallengeRate: 3})
	order := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{1})
	for i := range 4 {
		_, err := a.Challenge(context.Background(), order)
		if want := i < 3; want != (err == nil) {
			t.Fatalf("challenge %d: %v", i+1, err)
		}
		if err != nil && !errors.Is(err, auth.ErrTooManyChallenges) {
			t.Fatalf("challenge %d: %v, want ErrTooManyChallenges", i+1, err)
		}
	}
	e.clock.Advance(time.Minute)
	if _, err := a.Challenge(context.Background(), order); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
}

// TestReplicas runs two replicas of one provider's gateway on one Consul:
// a nonce is spent once across both, a session from one is honoured by the
// other, and a logout on one revokes on both.
func TestReplicas(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, b := e.replica(auth.Options{}), e.replica(auth.Options{})
	order := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{1})

	// Many concurrent logins with one signed challenge, half on each
	// replica: exactly one succeeds, the others are replays.
	c, err := a.Challenge(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	req := login(c, sign(t, c, e.buyer))
	var (
		wg       sync.WaitGroup
		ok       atomic.Int64
		replayed atomic.Int64
		token    atomic.Value
	)
	for i := range 16 {
		r := a
		if i%2 == 1 {
			r = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := r.Login(ctx, order, req)
			switch {
			case err == nil:
				ok.Add(1)
				token.Store(s.Token)
			case errors.Is(err, auth.ErrReplayed):
				replayed.Add(1)
			default:
				t.Errorf("login: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || replayed.Load() != 15 {
		t.Fatalf("16 concurrent logins with one nonce: %d succeeded, %d replayed; want 1 and 15", ok.Load(), replayed.Load())
	}

	// A challenge from b can be used at a.
	cb, err := b.Challenge(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	sa, err := a.Login(ctx, order, login(cb, sign(t, cb, e.buyer)))
	if err != nil {
		t.Fatalf("login at a with b's challenge: %v", err)
	}

	// The session from a is honoured by b, and renewable there.
	if _, err := b.Verify(sa.Token); err != nil {
		t.Fatalf("b verifies a's session: %v", err)
	}
	claims, _ := b.Verify(sa.Token)
	renewed, err := b.Renew(ctx, claims)
	if err != nil {
		t.Fatalf("renew at b: %v", err)
	}
	if _, err := a.Verify(renewed.Token); err != nil {
		t.Fatalf("a verifies b's renewed session: %v", err)
	}

	// Logout at b revokes at b at once and at a as soon as its watch sees
	// it.
	rc, _ := b.Verify(renewed.Token)
	if err := b.Logout(ctx, rc); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Verify(renewed.Token); !errors.Is(err, auth.ErrSessionRevoked) {
		t.Fatalf("b after logout: %v, want ErrSessionRevoked", err)
	}
	eventually(t, "a sees the logout", func() bool {
		_, err := a.Verify(renewed.Token)
		return errors.Is(err, auth.ErrSessionRevoked)
	})
	// The other session is untouched.
	if _, err := a.Verify(sa.Token); err != nil {
		t.Fatalf("the other session after a logout: %v", err)
	}
	// A replica started later reads the revocations before it is ready.
	late := e.replica(auth.Options{})
	if _, err := late.Verify(renewed.Token); !errors.Is(err, auth.ErrSessionRevoked) {
		t.Fatalf("a new replica: %v, want ErrSessionRevoked", err)
	}
	if _, err := late.Verify(sa.Token); err != nil {
		t.Fatalf("a new replica verifies a's session: %v", err)
	}
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.replica(auth.Options{SessionTTL: time.Minute, SessionMaxAge: 3 * time.Minute})
	order := e.chain.CreateOrder(e.buyer, e.provider, time.Hour, [32]byte{1})
	c, _ := a.Challenge(ctx, order)
	s, err := a.Login(ctx, order, login(c, sign(t, c, e.buyer)))
	if err != nil {
		t.Fatal(err)
	}

	// Tampering with any part of the token invalidates it.
	parts := strings.Split(s.Token, ".")
	for i := range parts {
		p := append([]string(nil), parts...)
		b := []byte(p[i])
		b[len(b)/2] ^= 0x01
		if b[len(b)/2] == '.' {
			b[len(b)/2] = 'A'
		}
		p[i] = string(b)
		if _, err := a.Verify(strings.Join(p, ".")); !errors.Is(err, auth.ErrSessionInvalid) {
			t.Errorf("token with part %d changed: %v, want ErrSessionInvalid", i, err)
		}
	}
	for name, tok := range map[string]string{
		"empty":     "",
		"garbage":   "not-a-token",
		"too long":  strings.Repeat("a", auth.MaxTokenLength+1),
		"alg none":  unsigned(t, jwt.MapClaims{"ord": order.String(), "iss": auth.Issuer(e.provider), "exp": time.Now().Add(time.Hour).Unix()}),
		"other key": foreignKey(t, e, order),
	} {
		want := auth.ErrSessionInvalid
		if name == "empty" {
			want = auth.ErrNoSession
		}
		if _, err := a.Verify(tok); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}

	// A session expires after its TTL; renewing before extends it, up to
	// the maximum age from the login.
	e.clock.Advance(50 * time.Second)
	claims, err := a.Verify(s.Token)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := a.Renew(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(15 * time.Second)
	if _, err := a.Verify(s.Token); !errors.Is(err, auth.ErrSessionExpired) {
		t.Errorf("old token after its TTL: %v, want ErrSessionExpired", err)
	}
	if _, err := a.Verify(r1.Token); err != nil {
		t.Errorf("renewed token: %v", err)
	}
	e.clock.Advance(2*time.Minute + 10*time.Second)
	c1, err := a.Verify(r1.Token)
	if err == nil {
		if _, err := a.Renew(ctx, c1); !errors.Is(err, auth.ErrSessionTooOld) {
			t.Errorf("renew past the maximum age: %v, want ErrSessionTooOld", err)
		}
	} else if !errors.Is(err, auth.ErrSessionExpired) {
		t.Errorf("renewed token later: %v", err)
	}
	if _, err := a.Renew(ctx, claims); !errors.Is(err, auth.ErrSessionTooOld) {
		t.Errorf("renew past the maximum age: %v, want ErrSessionTooOld", err)
	}
}

// unsigned is an "alg: none" token.
func unsigned(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// foreignKey is a well-formed session signed with another key.
func foreignKey(t *testing.T, e *env, order *big.Int) string {
	t.Helper()
	s, err := auth.NewSessions([]byte(strings.Repeat("k", 32)), e.provider, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.Issue(order, e.chain.ID, e.chain.Market, devchaintest.Address(e.buyer), time.Now(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
