package txmgr

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestDecode(t *testing.T) {
	d, err := ContractsDecoder()
	if err != nil {
		t.Fatal(err)
	}
	word := func(n int64) []byte { return common.LeftPadBytes(big.NewInt(n).Bytes(), 32) }
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	sel := func(sig string) []byte { return crypto.Keccak256([]byte(sig))[:4] }
	errorString := cat(selectorError, word(32), word(5), common.RightPadBytes([]byte("nope!"), 32))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"custom error", cat(sel("OrderAlreadySettled(uint256)"), word(42)), "OrderAlreadySettled(42)"},
		{"two arguments", cat(sel("InsufficientCredit(uint256,uint256)"), word(3), word(9)), "InsufficientCredit(3, 9)"},
		{"address argument", cat(sel("ProviderNotRegistered(address)"), common.LeftPadBytes(common.HexToAddress("0x00000000000000000000000000000000000000aa").Bytes(), 32)),
			"ProviderNotRegistered(0x00000000000000000000000000000000000000AA)"},
		{"no arguments", sel("ZeroAmount()"), "ZeroAmount()"},
		{"Error(string)", errorString, "nope!"},
		{"Panic(uint256)", cat(selectorPanic, word(0x11)), "Panic(0x11: arithmetic overflow or underflow)"},
		{"unknown panic", cat(selectorPanic, word(0x99)), "Panic(0x99: unknown panic code)"},
		{"unknown selector", common.FromHex("0xdeadbeef"), "unknown error 0xdeadbeef"},
		{"empty", nil, "reverted without a reason"},
		{"short", []byte{1, 2}, "reverted with malformed data 0x0102"},
		{"truncated arguments", cat(sel("OrderAlreadySettled(uint256)"), word(42)[:10]), "unknown error 0x" + fmt.Sprintf("%x", cat(sel("OrderAlreadySettled(uint256)"), word(42)[:10]))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := d.Decode(tc.data); got != tc.want {
				t.Errorf("Decode = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClassifySend(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want sendResult
	}{
		{nil, sendOK},
		{errors.New("already known"), sendKnown},
		{errors.New("known transaction: 0xabc"), sendKnown},
		{errors.New("nonce too low: next nonce 5, tx nonce 4"), sendNonceLow},
		{errors.New("replacement transaction underpriced"), sendUnderpriced},
		{errors.New("insufficient funds for gas * price + value"), sendError},
		{errors.New("connection refused"), sendError},
	} {
		if got := classifySend(tc.err); got != tc.want {
			t.Errorf("classifySend(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// TestRaise checks bumps clear go-ethereum's txpool rule (new ≥ old ×
// (100+10)/100, integer division) for small and large values.
func TestRaise(t *testing.T) {
	for _, v := range []int64{0, 1, 2, 9, 10, 11, 99, 100, 101, 1_000_000_007, 30_000_000_000} {
		old := big.NewInt(v)
		got := raise(old, 10)
		floor := new(big.Int).Div(new(big.Int).Mul(old, big.NewInt(110)), big.NewInt(100))
		if got.Cmp(floor) < 0 || got.Cmp(old) <= 0 {
			t.Errorf("raise(%d, 10) = %s: want > %d and ≥ %s", v, got, v, floor)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Defaults()
	ok.Path = "j.db"
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for name, mut := range map[string]func(*Config){
		"no path":          func(c *Config) { c.Path = "" },
		"small bump":       func(c *Config) { c.BumpPercent = 9 },
		"no poll interval": func(c *Config) { c.PollInterval = 0 },
		"no bump after":    func(c *Config) { c.BumpAfter = 0 },
		"no rebroadcast":   func(c *Config) { c.RebroadcastInterval = 0 },
		"zero fee cap":     func(c *Config) { c.MaxFeeCap = new(big.Int) },
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			mut(&c)
			if c.Validate() == nil {
				t.Fatal("accepted")
			}
		})
	}
}
