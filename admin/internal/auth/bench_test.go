package auth

import (
	"context"
	"testing"
)

// BenchmarkVerifyPassword is the argon2id cost of one sign-in (19 MiB,
// 2 passes, 1 lane): what a login costs the admin replica's CPU, and
// what slows a password guesser per attempt.
func BenchmarkVerifyPassword(b *testing.B) {
	h, err := hashPassword(goodPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !verifyPassword(h, goodPassword) {
			b.Fatal("no match")
		}
	}
}

// BenchmarkAuthenticate is the session check every API request makes: one
// Consul KV read of the session record on a real local agent.
func BenchmarkAuthenticate(b *testing.B) {
	ss, _ := newServices(b, 1, Options{})
	s := ss[0]
	ctx := context.Background()
	if _, err := s.Bootstrap(ctx, "admin", goodPassword); err != nil {
		b.Fatal(err)
	}
	tok, _, err := s.Login(ctx, "admin", goodPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Authenticate(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogin is a whole password sign-in: account read, argon2id,
// the account update (CAS) and the new session (CAS, then pruning).
func BenchmarkLogin(b *testing.B) {
	ss, _ := newServices(b, 1, Options{MaxSessionsPerUser: 5})
	s := ss[0]
	ctx := context.Background()
	if _, err := s.Bootstrap(ctx, "admin", goodPassword); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := s.Login(ctx, "admin", goodPassword); err != nil {
			b.Fatal(err)
		}
	}
}
