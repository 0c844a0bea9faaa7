package gatewaylogin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func testChallenge() Challenge {
	return Challenge{
		ChainID: big.NewInt(1337),
		Market:  common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
		Gateway: common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
		OrderID: big.NewInt(42),
		Nonce:   [32]byte{0xde, 0xad, 0xbe, 0xef, 31: 0x01},
		Expires: 1_900_000_000,
	}
}

// signTyped signs as MetaMask's eth_signTypedData_v4 does: go-ethereum's
// own typed-data hashing, V 27/28.
func signTyped(t testing.TB, c Challenge, key []byte) []byte {
	t.Helper()
	k, err := crypto.ToECDSA(key)
	if err != nil {
		t.Fatal(err)
	}
	hash, _, err := apitypes.TypedDataAndHash(c.TypedData())
	if err != nil {
		t.Fatal(err)
	}
	sig, err := crypto.Sign(hash, k)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return sig
}

var testKey = common.FromHex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

func TestDigestMatchesGoEthereum(t *testing.T) {
	for _, c := range []Challenge{
		testChallenge(),
		{ChainID: big.NewInt(1), Market: common.Address{}, Gateway: common.Address{}, OrderID: big.NewInt(1), Expires: 1},
		{ChainID: new(big.Int).Lsh(big.NewInt(1), 200), Market: common.Address{0xff}, Gateway: common.Address{19: 0xff},
			OrderID: new(big.Int).Set(maxUint256), Nonce: [32]byte{0: 0xff, 31: 0xff}, Expires: 1<<63 - 1},
	} {
		want, _, err := apitypes.TypedDataAndHash(c.TypedData())
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Digest(); !bytes.Equal(got[:], want) {
			t.Errorf("digest %x, go-ethereum's %x for %+v", got, want, c)
		}
	}
}

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

func TestRecover(t *testing.T) {
	c := testChallenge()
	k, _ := crypto.ToECDSA(testKey)
	want := crypto.PubkeyToAddress(k.PublicKey)
	sig := signTyped(t, c, testKey)

	for _, tc := range []struct {
		name string
		sig  func() []byte
		ok   bool
	}{
		{"v 27/28", func() []byte { return sig }, true},
		{"v 0/1", func() []byte { s := bytes.Clone(sig); s[64] -= 27; return s }, true},
		{"v 29", func() []byte { s := bytes.Clone(sig); s[64] = 29; return s }, false},
		{"short", func() []byte { return sig[:64] }, false},
		{"long", func() []byte { return append(bytes.Clone(sig), 0) }, false},
		{"high s", func() []byte {
			s := bytes.Clone(sig)
			n := crypto.S256().Params().N
			hs := new(big.Int).Sub(n, new(big.Int).SetBytes(s[32:64]))
			hs.FillBytes(s[32:64])
			s[64] ^= 1 // (r, n-s) recovers with the other parity
			return s
		}, false},
		{"zero r", func() []byte { s := bytes.Clone(sig); clear(s[:32]); return s }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Recover(tc.sig())
			if tc.ok && (err != nil || got != want) {
				t.Fatalf("Recover = %s, %v; want %s", got, err, want)
			}
			if !tc.ok && !errors.Is(err, ErrMalformed) {
				t.Fatalf("Recover = %s, %v; want ErrMalformed", got, err)
			}
		})
	}

	// Any change to the signed data recovers someone else.
	for name, mutate := range map[string]func(*Challenge){
		"chain":   func(c *Challenge) { c.ChainID = big.NewInt(1) },
		"market":  func(c *Challenge) { c.Market[0] ^= 1 },
		"gateway": func(c *Challenge) { c.Gateway[0] ^= 1 },
		"order":   func(c *Challenge) { c.OrderID = big.NewInt(43) },
		"nonce":   func(c *Challenge) { c.Nonce[5] ^= 1 },
		"expires": func(c *Challenge) { c.Expires++ },
	} {
		m := testChallenge()
		mutate(&m)
		if got, err := m.Recover(sig); err == nil && got == want {
			t.Errorf("changing the %s still recovers the signer", name)
		}
	}
}

func TestChallengeJSON(t *testing.T) {
	c := testChallenge()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		t.Fatal(err)
	}
	// The typed data as JSON (what MetaMask receives), read by go-ethereum's
	// own signer types, hashes to the digest.
	var back ChallengeJSON
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var td apitypes.TypedData
	raw, _ := json.Marshal(back.TypedData)
	if err := json.Unmarshal(raw, &td); err != nil {
		t.Fatalf("go-ethereum reads the typed data: %v\n%s", err, raw)
	}
	if strings.Contains(string(raw), "salt") {
		t.Errorf("the domain has a salt field: %s", raw)
	}
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Digest(); !bytes.Equal(hash, d[:]) {
		t.Fatalf("typed data after JSON hashes to %x, want %x\n%s", hash, d, b)
	}
	if back.Nonce != hexutil.Encode(c.Nonce[:]) || back.Expires != c.Expires || back.OrderID != "42" {
		t.Errorf("challenge JSON = %s", b)
	}
}

func TestParseLogin(t *testing.T) {
	nonce := "0x" + strings.Repeat("ab", 32)
	sig := "0x" + strings.Repeat("cd", 65)
	body := func(n, e, s string) string {
		return fmt.Sprintf(`{"nonce":%s,"expires":%s,"signature":%s}`, n, e, s)
	}
	q := func(s string) string { return `"` + s + `"` }
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"number", body(q(nonce), "1900000000", q(sig)), true},
		{"string expiry", body(q(nonce), q("1900000000"), q(sig)), true},
		{"upper 0X", body(q("0X"+nonce[2:]), "1900000000", q(sig)), true},
		{"no 0x", body(q(nonce[2:]), "1900000000", q(sig)), false},
		{"short nonce", body(q(nonce[:64]), "1900000000", q(sig)), false},
		{"short signature", body(q(nonce), "1900000000", q(sig[:130])), false},
		{"bad hex", body(q(nonce), "1900000000", q("0x"+strings.Repeat("zz", 65))), false},
		{"zero expiry", body(q(nonce), "0", q(sig)), false},
		{"negative expiry", body(q(nonce), "-5", q(sig)), false},
		{"float expiry", body(q(nonce), "1.5", q(sig)), false},
		{"huge expiry", body(q(nonce), "99999999999999999999", q(sig)), false},
		{"missing expiry", `{"nonce":"` + nonce + `","signature":"` + sig + `"}`, false},
		{"unknown field", `{"nonce":"` + nonce + `","expires":1,"signature":"` + sig + `","x":1}`, false},
		{"trailing data", body(q(nonce), "1900000000", q(sig)) + "}", false},
		{"two objects", body(q(nonce), "1900000000", q(sig)) + "{}", false},
		{"not json", "nonce=1", false},
		{"too large", body(q(nonce), "1900000000", q(sig)) + strings.Repeat(" ", MaxLoginBody), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := ParseLogin([]byte(tc.body))
			if tc.ok != (err == nil) {
				t.Fatalf("ParseLogin = %+v, %v; want ok=%v", req, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if err == nil && (req.Expires != 1_900_000_000 || req.Nonce[0] != 0xab || req.Signature[64] != 0xcd) {
				t.Fatalf("parsed %+v", req)
			}
		})
	}
}

// FuzzLogin feeds arbitrary bodies to the login parser and, for those it
// accepts, the signature to recovery: neither may panic, an accepted body
// must re-encode to the same values, and every refusal is ErrMalformed.
func FuzzLogin(f *testing.F) {
	c := testChallenge()
	sig := signTyped(f, c, testKey)
	f.Add([]byte(fmt.Sprintf(`{"nonce":"%s","expires":%d,"signature":"%s"}`, hexutil.Encode(c.Nonce[:]), c.Expires, hexutil.Encode(sig))))
	f.Add([]byte(`{"nonce":"0x","expires":"1","signature":"0x"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"expires":1e3}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseLogin(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("refusal %v is not ErrMalformed", err)
			}
			return
		}
		again, err := ParseLogin([]byte(fmt.Sprintf(`{"nonce":"%s","expires":%d,"signature":"%s"}`,
			hexutil.Encode(req.Nonce[:]), req.Expires, hexutil.Encode(req.Signature[:]))))
		if err != nil || again != req {
			t.Fatalf("re-encoded login parses to %+v, %v; want %+v", again, err, req)
		}
		m := c
		m.Nonce, m.Expires = req.Nonce, req.Expires
		if _, err := m.Recover(req.Signature[:]); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("recover: %v is not ErrMalformed", err)
		}
	})
}

func BenchmarkLoginVerify(b *testing.B) {
	c := testChallenge()
	sig := signTyped(b, c, testKey)
	body := []byte(fmt.Sprintf(`{"nonce":"%s","expires":%d,"signature":"%s"}`, hexutil.Encode(c.Nonce[:]), c.Expires, hexutil.Encode(sig)))
	k, _ := crypto.ToECDSA(testKey)
	want := crypto.PubkeyToAddress(k.PublicKey)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req, err := ParseLogin(body)
		if err != nil {
			b.Fatal(err)
		}
		m := c
		m.Nonce, m.Expires = req.Nonce, req.Expires
		got, err := m.Recover(req.Signature[:])
		if err != nil || got != want {
			b.Fatal(got, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
