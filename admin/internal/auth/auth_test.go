package auth

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/test/consultest"
)

// clock is a settable clock for lockout and expiry.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// newService returns a service on a real Consul agent (two, sharing the
// agent, stand for two admin replicas).
func newServices(t testing.TB, n int, opts Options) ([]*Service, *consul.KV) {
	t.Helper()
	agent := consultest.Start(t)
	kv := consul.NewKV(agent.Client(), zaptest.NewLogger(t))
	if opts.Org == "" {
		opts.Org = "org-a"
	}
	var out []*Service
	for range n {
		s, err := New(kv, opts, zaptest.NewLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out, kv
}

const goodPassword = "correct horse battery"

func TestBootstrapLoginAndForcedChange(t *testing.T) {
	c := newClock()
	ss, kv := newServices(t, 2, Options{Now: c.now})
	a, b := ss[0], ss[1]
	ctx := context.Background()

	if _, err := a.Bootstrap(ctx, "admin", "short"); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("weak bootstrap password: %v", err)
	}
	// Two replicas start at once: exactly one creates the admin.
	var wg sync.WaitGroup
	created := make([]bool, 2)
	for i, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if created[i], err = s.Bootstrap(ctx, "admin", goodPassword); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if created[0] == created[1] {
		t.Fatalf("bootstrap created = %v, want exactly one", created)
	}
	if again, err := a.Bootstrap(ctx, "admin", "another password!"); again || err != nil {
		t.Fatalf("second bootstrap = %v, %v", again, err)
	}

	// The hash is argon2id, never the password.
	raw, _, _, err := kv.Get(ctx, a.Prefix()+"accounts/admin")
	if err != nil || !strings.Contains(string(raw), `"hash":"$argon2id$v=19$m=19456,t=2,p=1$`) || strings.Contains(string(raw), goodPassword) {
		t.Fatalf("stored account: %s (%v)", raw, err)
	}

	if _, _, err := a.Login(ctx, "admin", "wrong password!!"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := a.Login(ctx, "nobody", goodPassword); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	tok, sess, err := a.Login(ctx, "admin", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !sess.MustChange || sess.Role != RoleAdmin || sess.CSRF == "" || len(tok) != 43 {
		t.Fatalf("session = %+v", sess)
	}
	// The KV key is the token's hash, not the token.
	entries, _ := kv.List(ctx, a.Prefix()+"sessions/")
	for _, e := range entries {
		if strings.Contains(e.Key, tok) || strings.Contains(string(e.Value), tok) {
			t.Fatal("the session token is stored in KV")
		}
	}
	// Another replica knows the session.
	got, err := b.Authenticate(ctx, tok)
	if err != nil || got.User != "admin" || got.CSRF != sess.CSRF {
		t.Fatalf("replica b: %+v, %v", got, err)
	}
	// A second session of the same user, to be revoked by the change.
	tok2, _, err := b.Login(ctx, "admin", goodPassword)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ cur, next string }{
		{goodPassword, goodPassword},
		{goodPassword, "short"},
		{goodPassword, "ADMIN"},
		{"not the password", "a brand new password"},
	} {
		if _, err := a.ChangePassword(ctx, got, tc.cur, tc.next); err == nil {
			t.Errorf("change %q -> %q accepted", tc.cur, tc.next)
		}
	}
	sess, err = a.ChangePassword(ctx, got, goodPassword, "a brand new password")
	if err != nil || sess.MustChange {
		t.Fatalf("change: %+v, %v", sess, err)
	}
	if s, err := b.Authenticate(ctx, tok); err != nil || s.MustChange {
		t.Fatalf("the changing session after the change: %+v, %v", s, err)
	}
	if _, err := b.Authenticate(ctx, tok2); !errors.Is(err, ErrNoSession) {
		t.Fatalf("the other session survived the password change: %v", err)
	}
	if _, _, err := a.Login(ctx, "admin", goodPassword); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old password still works: %v", err)
	}

	// Logout on one replica revokes on the other.
	if err := a.Logout(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, tok); !errors.Is(err, ErrNoSession) {
		t.Fatalf("after logout: %v", err)
	}

	// Sessions expire.
	tok3, _, err := a.Login(ctx, "admin", "a brand new password")
	if err != nil {
		t.Fatal(err)
	}
	c.advance(8*time.Hour + time.Second)
	if _, err := b.Authenticate(ctx, tok3); !errors.Is(err, ErrNoSession) {
		t.Fatalf("expired session: %v", err)
	}
	for _, bad := range []string{"", "x", strings.Repeat("A", 43), tok + "x"} {
		if _, err := a.Authenticate(ctx, bad); !errors.Is(err, ErrNoSession) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
}

func TestLockout(t *testing.T) {
	c := newClock()
	ss, _ := newServices(t, 2, Options{Now: c.now, MaxFailures: 3, Lockout: time.Minute})
	a, b := ss[0], ss[1]
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "admin", goodPassword); err != nil {
		t.Fatal(err)
	}
	// Failures on two replicas count together.
	for i, s := range []*Service{a, b} {
		if _, _, err := s.Login(ctx, "admin", "wrong wrong wrong"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var locked *LockedError
	if _, _, err := a.Login(ctx, "admin", "wrong wrong wrong"); !errors.As(err, &locked) {
		t.Fatalf("third failure: %v", err)
	}
	if !locked.Until.Equal(c.now().Add(time.Minute)) {
		t.Errorf("locked until %s", locked.Until)
	}
	// Even the right password is refused while locked, on any replica.
	if _, _, err := b.Login(ctx, "admin", goodPassword); !errors.As(err, &locked) {
		t.Fatalf("right password while locked: %v", err)
	}
	infos, err := a.Accounts(ctx)
	if err != nil || len(infos) != 1 || !infos[0].Locked {
		t.Fatalf("accounts = %+v, %v", infos, err)
	}
	c.advance(time.Minute + time.Second)
	if _, _, err := b.Login(ctx, "admin", goodPassword); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	// A success resets the count: two more failures do not lock.
	for range 2 {
		if _, _, err := a.Login(ctx, "admin", "wrong wrong wrong"); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	if _, _, err := a.Login(ctx, "admin", goodPassword); err != nil {
		t.Fatal(err)
	}
	// An admin can unlock.
	for range 3 {
		_, _, _ = a.Login(ctx, "admin", "wrong wrong wrong")
	}
	if _, err := a.UpdateAccount(ctx, "admin", AccountUpdate{Unlock: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Login(ctx, "admin", goodPassword); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestAccounts(t *testing.T) {
	ss, _ := newServices(t, 1, Options{MaxSessionsPerUser: 2})
	s := ss[0]
	ctx := context.Background()
	if _, err := s.Bootstrap(ctx, "admin", goodPassword); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		role Role
		pw   string
		want error
	}{
		{"Bad Name", RoleViewer, goodPassword, ErrBadInput},
		{"ops", "root", goodPassword, ErrBadInput},
		{"ops", RoleViewer, "short", ErrWeakPassword},
		{"admin", RoleViewer, goodPassword, ErrExists},
	} {
		if _, err := s.CreateAccount(ctx, tc.name, tc.role, tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("create %s/%s: %v, want %v", tc.name, tc.role, err, tc.want)
		}
	}
	if _, err := s.CreateAccount(ctx, "ops", RoleViewer, goodPassword); err != nil {
		t.Fatal(err)
	}
	_, sess, err := s.Login(ctx, "ops", goodPassword)
	if err != nil || sess.Role != RoleViewer || !sess.MustChange {
		t.Fatalf("viewer login: %+v, %v", sess, err)
	}
	// Per-user session bound: the oldest goes.
	toks := []string{}
	for range 3 {
		tok, _, err := s.Login(ctx, "ops", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
		time.Sleep(2 * time.Millisecond) // distinct creation times
	}
	if _, err := s.Authenticate(ctx, toks[0]); !errors.Is(err, ErrNoSession) {
		t.Errorf("oldest session kept beyond the bound: %v", err)
	}
	if _, err := s.Authenticate(ctx, toks[2]); err != nil {
		t.Errorf("newest session: %v", err)
	}

	// The last admin can be neither demoted nor removed.
	viewer := RoleViewer
	if _, err := s.UpdateAccount(ctx, "admin", AccountUpdate{Role: &viewer}); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("demote the last admin: %v", err)
	}
	if err := s.DeleteAccount(ctx, "admin"); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("delete the last admin: %v", err)
	}
	// Promoting ops makes it possible; a role change revokes ops' sessions.
	admin := RoleAdmin
	if _, err := s.UpdateAccount(ctx, "ops", AccountUpdate{Role: &admin}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, toks[2]); !errors.Is(err, ErrNoSession) {
		t.Errorf("session kept its old role: %v", err)
	}
	if err := s.DeleteAccount(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	infos, err := s.Accounts(ctx)
	if err != nil || len(infos) != 1 || infos[0].Name != "ops" || infos[0].Role != RoleAdmin {
		t.Fatalf("accounts = %+v, %v", infos, err)
	}
	if err := s.DeleteAccount(ctx, "ghost"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
}

func TestWalletSignIn(t *testing.T) {
	owner, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	ownerAddr := crypto.PubkeyToAddress(owner.PublicKey)
	c := newClock()
	ss, _ := newServices(t, 2, Options{Now: c.now, Owners: []common.Address{ownerAddr}})
	a, b := ss[0], ss[1]
	ctx := context.Background()
	req := ChallengeRequest{Address: ownerAddr, Domain: "console.org-a.example", URI: "https://console.org-a.example/admin/", ChainID: 1337}

	sign := func(k *ecdsa.PrivateKey, msg string) string {
		sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), k)
		if err != nil {
			t.Fatal(err)
		}
		sig[64] += 27 // as wallets send it
		return "0x" + hex.EncodeToString(sig)
	}

	if _, err := a.WalletChallenge(ctx, ChallengeRequest{Address: crypto.PubkeyToAddress(other.PublicKey), Domain: "x"}); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("challenge for a non-owner: %v", err)
	}
	ch, err := a.WalletChallenge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"console.org-a.example wants you to sign in with your Ethereum account:\n" + ownerAddr.Hex() + "\n",
		"\nVersion: 1\n", "\nChain ID: 1337\n", "\nNonce: " + ch.Nonce + "\n", "\nIssued At: 2026-03-01T12:00:00Z\n", "\nExpiration Time: 2026-03-01T12:05:00Z"} {
		if !strings.Contains(ch.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, ch.Message)
		}
	}
	// Wrong signer, altered message: refused (and the nonce stays usable
	// only for the exact message).
	if _, _, err := b.WalletLogin(ctx, ch.Message, sign(other, ch.Message)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("other signer: %v", err)
	}
	ch, err = a.WalletChallenge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	altered := strings.Replace(ch.Message, "Chain ID: 1337", "Chain ID: 1", 1)
	if _, _, err := b.WalletLogin(ctx, altered, sign(owner, altered)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("altered message: %v", err)
	}
	ch, err = a.WalletChallenge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	sig := sign(owner, ch.Message)
	tok, sess, err := b.WalletLogin(ctx, ch.Message, sig)
	if err != nil || sess.Role != RoleAdmin || sess.Kind != KindWallet || sess.Address != ownerAddr.Hex() || sess.MustChange {
		t.Fatalf("wallet login: %+v, %v", sess, err)
	}
	if _, err := a.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	// Replays are refused on either replica.
	for _, s := range []*Service{a, b} {
		if _, _, err := s.WalletLogin(ctx, ch.Message, sig); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("replay: %v", err)
		}
	}
	// Expired challenges are refused.
	ch, err = a.WalletChallenge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(6 * time.Minute)
	if _, _, err := b.WalletLogin(ctx, ch.Message, sign(owner, ch.Message)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("expired: %v", err)
	}
	// A wallet session has no password to change.
	if _, err := a.ChangePassword(ctx, sess, "x", "a brand new password"); !errors.Is(err, ErrBadInput) {
		t.Fatalf("wallet password change: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword(goodPassword)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !verifyPassword(h, goodPassword) || verifyPassword(h, goodPassword+"!") {
		t.Error("verify")
	}
	parts := strings.Split(h, "$")
	for _, bad := range []string{
		"", "plain", strings.Replace(h, "argon2id", "argon2i", 1),
		strings.Replace(h, parts[3], "m=4194304,t=2,p=1", 1), // 4 GiB: refused, not computed
		strings.Replace(h, parts[3], "m=19456,t=1000,p=1", 1),
	} {
		if verifyPassword(bad, goodPassword) {
			t.Errorf("hash %q verified", bad)
		}
	}
}
