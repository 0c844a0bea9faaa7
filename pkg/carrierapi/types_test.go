package carrierapi

import (
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/gridnode/gridnode/pkg/market"
)

// TestWire pins the JSON of wire types whose fields come from other
// packages (market.Resources in listings, the raw intent of a provider)
// and of Amount, so that a change there does not change the API unseen.
func TestWire(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"listing", Listing{Provider: "0xab", Owner: "0xcd", Org: "org-a", Total: market.Resources{CPUMillis: 1, MemoryBytes: 2, StorageBytes: 3, GPUs: 1, GPUModel: "a100"},
			Free: market.Resources{CPUMillis: 1}, Prices: map[string]string{"gpu": "0"}, Seq: 5,
			IssuedAt: time.Unix(0, 0).UTC(), Expires: time.Unix(60, 0).UTC(), Hash: "0x01"},
			`{"provider":"0xab","owner":"0xcd","org":"org-a","total":{"cpuMillis":1,"memoryBytes":2,"storageBytes":3,"gpus":1,"gpuModel":"a100"},` +
				`"free":{"cpuMillis":1,"memoryBytes":0,"storageBytes":0,"gpus":0},"prices":{"gpu":"0"},"seq":5,` +
				`"issuedAt":"1970-01-01T00:00:00Z","expires":"1970-01-01T00:01:00Z","hash":"0x01"}`},
		{"provider", ProviderInfo{State: "pending", Intent: json.RawMessage(`{"key":"register-1"}`)},
			`{"provider":"0x0000000000000000000000000000000000000000","state":"pending","gateways":0,"url":"","intent":{"key":"register-1"}}`},
		{"amount request", AmountRequest{Amount: NewAmount(big.NewInt(1_000_000_000)), Operation: "op-1"},
			`{"amount":"1000000000","operation":"op-1"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil || string(b) != tc.want {
				t.Fatalf("JSON = %s, %v\nwant %s", b, err, tc.want)
			}
		})
	}
}

func TestAmountJSON(t *testing.T) {
	for in, want := range map[string]string{`"12"`: "12", `12`: "12", `"0"`: "0"} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err != nil || a.String() != want {
			t.Errorf("Amount from %s = %s, %v; want %s", in, a.String(), err, want)
		}
	}
	for _, in := range []string{`"-1"`, `"1.5"`, `""`, `"0x10"`} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("Amount from %s = %s, want an error", in, a.String())
		}
	}
	if s := (*Amount)(nil).Big(); s.Sign() != 0 {
		t.Errorf("nil Amount = %s, want 0", s)
	}
}
