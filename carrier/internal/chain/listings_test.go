package chain

import (
	"crypto/ecdsa"
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// signedListing is a listing of key's provider, valid from now for ttl
// (negative: expired), hex-encoded.
func signedListing(t *testing.T, key *ecdsa.PrivateKey, ttl time.Duration) string {
	t.Helper()
	now := time.Now()
	r := &listing.Record{
		Version: listing.Version2, Provider: crypto.PubkeyToAddress(key.PublicKey), Owner: common.Address{0xa1}, Org: "org-b",
		GatewayURL: "https://via.org-b.example/gw/1",
		Capacity: listing.Capacity{
			Total: market.Resources{CPUMillis: 4000, MemoryBytes: 8 << 30},
			Free:  market.Resources{CPUMillis: 4000, MemoryBytes: 8 << 30},
		},
		Prices: market.Prices{CPUMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(0), GPU: big.NewInt(0)},
		Seq:    1, IssuedAt: now.Add(-2 * time.Hour).Unix(), Expires: now.Add(ttl).Unix(),
	}
	if err := listing.Sign(r, key); err != nil {
		t.Fatal(err)
	}
	raw, err := listing.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return "0x" + hex.EncodeToString(raw)
}

func TestOpenStaticListings(t *testing.T) {
	keys := make([]*ecdsa.PrivateKey, 3)
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	good, other := signedListing(t, keys[0], time.Hour), signedListing(t, keys[1], time.Hour)
	expired := signedListing(t, keys[2], -time.Minute)
	tampered := good[:len(good)-2] + map[bool]string{true: "00", false: "01"}[strings.HasSuffix(good, "01")]
	for _, tc := range []struct {
		name  string
		lines []string
		held  int
		want  string // error text; "" for success
	}{
		{name: "records, comments and an expired one", lines: []string{"# org-b's providers", good, "", expired, strings.TrimPrefix(other, "0x")}, held: 2},
		{name: "not hex", lines: []string{good, "zz"}, want: ":2: not hex"},
		{name: "bad signature", lines: []string{tampered}, want: ":1: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "listings.txt")
			if err := os.WriteFile(file, []byte(strings.Join(tc.lines, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			d, err := openStaticListings(file, filepath.Join(dir, "scheduler-listings.db"), zaptest.NewLogger(t))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("openStaticListings: %v, want an error containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Len() != tc.held {
				t.Fatalf("held %d listings, want %d", d.Len(), tc.held)
			}
			if _, ok := d.Get(crypto.PubkeyToAddress(keys[0].PublicKey)); !ok {
				t.Fatal("the first provider's listing is missing")
			}
		})
	}
}
