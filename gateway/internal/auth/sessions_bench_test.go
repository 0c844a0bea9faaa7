package auth

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// BenchmarkSessionVerify is the per-request cost of checking a session
// token a replica has seen before (every request after a session's first):
// the verified-token cache, expiry and the revocation set.
func BenchmarkSessionVerify(b *testing.B) { benchVerify(b, false) }

// BenchmarkSessionVerifyCold is the cost of a token's first check on a
// replica: HMAC-SHA256, JSON claims, expiry, revocation.
func BenchmarkSessionVerifyCold(b *testing.B) { benchVerify(b, true) }

func benchVerify(b *testing.B, cold bool) {
	s, err := NewSessions([]byte(strings.Repeat("k", 32)), common.Address{0xaa}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		s.markRevoked(strings.Repeat("x", 10)+string(rune('a'+i%26))+string(rune(i)), time.Now().Add(time.Hour).Unix())
	}
	tok, _, err := s.Issue(big.NewInt(12345), big.NewInt(1337), common.Address{0x01}, common.Address{0x02}, time.Now(), time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if cold {
			clear(s.verified)
		}
		if _, err := s.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}
