package regproof

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func testRegistration(t *testing.T) (Registration, KeySigner) {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return Registration{ChainID: big.NewInt(1337), Registry: common.Address{0x11}, Provider: crypto.PubkeyToAddress(k.PublicKey),
		Owner: common.Address{0x22}, Nonce: big.NewInt(3), Deadline: 1_900_000_000}, KeySigner{Key: k}
}

func TestSignVerifyParse(t *testing.T) {
	r, k := testRegistration(t)
	s, err := NewSigned(r, k)
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Signature[64]; v != 27 && v != 28 {
		t.Fatalf("V = %d, want 27 or 28", v)
	}
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse of a good proof: %v", err)
	}
	if got.Registration().Owner != r.Owner || got.Registration().Nonce.Cmp(r.Nonce) != 0 || got.Deadline != r.Deadline {
		t.Errorf("Parse = %+v", got)
	}
	// V as 0/1 recovers the same; the binding argument carries 27/28.
	low := append([]byte(nil), s.Signature...)
	low[64] -= 27
	if err := r.Verify(low); err != nil {
		t.Errorf("V 0/1: %v", err)
	}
	if p := r.Proof(low); p.Signature[64] < 27 {
		t.Errorf("Proof kept V %d", p.Signature[64])
	}
	if low[64] >= 27 {
		t.Errorf("Proof changed its argument")
	}
}

func TestRefusals(t *testing.T) {
	r, k := testRegistration(t)
	s, err := NewSigned(r, k)
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(m map[string]any)) []byte {
		raw, _ := json.Marshal(s)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	other, _ := crypto.GenerateKey()
	byOther, _ := NewSigned(r, KeySigner{Key: other})
	byOtherRaw, _ := json.Marshal(byOther)
	cases := map[string][]byte{
		"another owner":    mutate(func(m map[string]any) { m["owner"] = common.Address{0x33}.Hex() }),
		"another chain":    mutate(func(m map[string]any) { m["chainId"] = "0x1" }),
		"another registry": mutate(func(m map[string]any) { m["registry"] = common.Address{0x44}.Hex() }),
		"another nonce":    mutate(func(m map[string]any) { m["nonce"] = "0x4" }),
		"another deadline": mutate(func(m map[string]any) { m["deadline"] = 1 }),
		"no deadline":      mutate(func(m map[string]any) { delete(m, "deadline") }),
		"no nonce":         mutate(func(m map[string]any) { delete(m, "nonce") }),
		"zero owner":       mutate(func(m map[string]any) { m["owner"] = common.Address{}.Hex() }),
		"short signature":  mutate(func(m map[string]any) { m["signature"] = "0x1234" }),
		"bad V": mutate(func(m map[string]any) {
			sig := append([]byte(nil), s.Signature...)
			sig[64] = 30
			m["signature"] = "0x" + common.Bytes2Hex(sig)
		}),
		"signed by another": byOtherRaw,
		"not JSON":          []byte("{"),
		"oversized":         []byte(`{"pad":"` + strings.Repeat("a", MaxJSON) + `"}`),
	}
	for name, raw := range cases {
		if _, err := Parse(raw); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse = %v, want ErrInvalid", name, err)
		}
	}
}
