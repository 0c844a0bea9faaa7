package listing

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/market"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the fixed clock of these tests.
const testNow = int64(1_800_000_000)

func testKey(t testing.TB, i int) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("gridnode listing test key " + string(rune('a'+i)))))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testOwner is the owner of the test records' providers.
var testOwner = common.HexToAddress("0x00000000000000000000000000000000000a11ce")

// testRecord is a valid, unsigned record of key's provider, owned by
// testOwner.
func testRecord(key *ecdsa.PrivateKey) *Record {
	return &Record{
		Version:    Version2,
		Provider:   crypto.PubkeyToAddress(key.PublicKey),
		Owner:      testOwner,
		Org:        "org-a",
		GatewayURL: "https://via.org-a.example/gw/p1",
		Capacity: Capacity{
			Total: market.Resources{CPUMillis: 8000, MemoryBytes: 32 << 30, StorageBytes: 500 << 30, GPUs: 2, GPUModel: "nvidia-a100"},
			Free:  market.Resources{CPUMillis: 6000, MemoryBytes: 16 << 30, StorageBytes: 400 << 30, GPUs: 1, GPUModel: "nvidia-a100"},
		},
		Prices: market.Prices{
			CPUMilli:   big.NewInt(3),
			MemoryMiB:  big.NewInt(2),
			StorageGiB: big.NewInt(1),
			GPU:        big.NewInt(500_000),
		},
		Region:   "eu-west",
		Labels:   map[string]string{"tier": "gold", "arch": "amd64"},
		Seq:      7,
		IssuedAt: testNow - 60,
		Expires:  testNow + 3600,
	}
}

func signed(t testing.TB, key *ecdsa.PrivateKey, r *Record) []byte {
	t.Helper()
	if err := Sign(r, key); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	b, err := Marshal(r)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return b
}

// recordsEqual compares two records field by field (big.Int by value, nil
// as zero).
func recordsEqual(a, b *Record) bool {
	eqInt := func(x, y *big.Int) bool {
		if x == nil {
			x = new(big.Int)
		}
		if y == nil {
			y = new(big.Int)
		}
		return x.Cmp(y) == 0
	}
	if len(a.Labels) != len(b.Labels) {
		return false
	}
	for k, v := range a.Labels {
		if w, ok := b.Labels[k]; !ok || w != v {
			return false
		}
	}
	return a.Version == b.Version && a.Provider == b.Provider && a.Owner == b.Owner && a.Org == b.Org && a.GatewayURL == b.GatewayURL &&
		a.Capacity == b.Capacity && a.Region == b.Region && a.Seq == b.Seq && a.IssuedAt == b.IssuedAt &&
		a.Expires == b.Expires && a.Tombstone == b.Tombstone && a.Signature == b.Signature &&
		eqInt(a.Prices.CPUMilli, b.Prices.CPUMilli) && eqInt(a.Prices.MemoryMiB, b.Prices.MemoryMiB) &&
		eqInt(a.Prices.StorageGiB, b.Prices.StorageGiB) && eqInt(a.Prices.GPU, b.Prices.GPU)
}

func TestRoundTrip(t *testing.T) {
	key := testKey(t, 0)
	tomb := testRecord(key)
	tomb.Tombstone, tomb.GatewayURL, tomb.Labels = true, "", nil
	tomb.Capacity = Capacity{}
	tomb.Prices = market.Prices{}
	wide := testRecord(key)
	wide.Prices.GPU = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	wide.Prices.CPUMilli = nil
	for name, r := range map[string]*Record{"listing": testRecord(key), "tombstone": tomb, "128-bit price": wide} {
		t.Run(name, func(t *testing.T) {
			b := signed(t, key, r)
			got, err := Unmarshal(b)
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !recordsEqual(got, r) {
				t.Errorf("decoded %+v, want %+v", got, r)
			}
			again, err := Marshal(got)
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("re-encoding differs (%v):\n%x\n%x", err, again, b)
			}
			if err := CheckSignature(got); err != nil {
				t.Errorf("CheckSignature: %v", err)
			}
		})
	}
}

// TestGolden pins the version-2 wire format: a change to the encoding or the
// signing digest shows up here. Run with -update only for a new version.
func TestGolden(t *testing.T) {
	key := testKey(t, 0)
	b := signed(t, key, testRecord(key))
	path := filepath.Join("testdata", "record-v2.hex")
	if *update {
		if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := hex.EncodeToString(b), readHex(t, path); got != want {
		t.Errorf("encoding changed:\ngot  %s\nwant %s", got, want)
	}
	if h := Hash(b); h != crypto.Keccak256Hash(b) {
		t.Errorf("Hash = %x", h)
	}
}

// TestVersion1Refused: a version-1 record (the golden record of that
// format, validly signed) names no owner, so it is refused with
// ErrUnsupportedVersion, and so is every other version but 2.
func TestVersion1Refused(t *testing.T) {
	v1, err := hex.DecodeString(readHex(t, filepath.Join("testdata", "record-v1.hex")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unmarshal(v1); !errors.Is(err, ErrUnsupportedVersion) || !strings.Contains(err.Error(), "without its owner") {
		t.Errorf("Unmarshal of a version-1 record = %v, want ErrUnsupportedVersion naming the missing owner", err)
	}
	v := &Verifier{Registry: registrySet{}}
	if _, err := v.Verify(context.Background(), v1, nil); Reason(err) != "unsupported_version" {
		t.Errorf("Verify of a version-1 record = %v (%s), want unsupported_version", err, Reason(err))
	}
	key := testKey(t, 0)
	good := signed(t, key, testRecord(key))
	for _, version := range []byte{0, 1, 3, 255} {
		b := append([]byte(nil), good...)
		b[offVersion] = version
		if _, err := Unmarshal(b); !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("version %d: Unmarshal = %v, want ErrUnsupportedVersion", version, err)
		}
		if _, err := Unmarshal(b[:offVersion+1]); !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("version %d, header only: Unmarshal = %v, want ErrUnsupportedVersion", version, err)
		}
	}
	if _, err := Unmarshal(good[:offVersion+1]); !errors.Is(err, ErrMalformed) {
		t.Errorf("version 2, header only: Unmarshal = %v, want ErrMalformed", err)
	}
}

func readHex(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestSignDeterministic(t *testing.T) {
	key := testKey(t, 0)
	a := signed(t, key, testRecord(key))
	b := signed(t, key, testRecord(key))
	if !bytes.Equal(a, b) {
		t.Error("signing the same record twice gave different bytes")
	}
	r := testRecord(key)
	r.Seq++
	if c := signed(t, key, r); Hash(c) == Hash(a) {
		t.Error("records with different seq have the same hash")
	}
}

func TestSignWrongKey(t *testing.T) {
	r := testRecord(testKey(t, 0))
	if err := Sign(r, testKey(t, 1)); err == nil {
		t.Fatal("signed another provider's record")
	}
}

func TestMaxRecordSize(t *testing.T) {
	key := testKey(t, 0)
	r := testRecord(key)
	r.Org = strings.Repeat("o", MaxOrgLength)
	r.GatewayURL = "https://" + strings.Repeat("u", MaxURLLength-len("https://"))
	r.Region = strings.Repeat("r", MaxRegionLength)
	r.Capacity.Total.GPUModel = strings.Repeat("g", MaxGPUModelLength)
	r.Capacity.Free.GPUModel = r.Capacity.Total.GPUModel
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), MaxPriceBits), big.NewInt(1))
	r.Prices = market.Prices{CPUMilli: max, MemoryMiB: max, StorageGiB: max, GPU: max}
	r.Labels = map[string]string{}
	for i := range MaxLabels {
		k := strings.Repeat("k", MaxLabelKeyLength-2) + string(rune('a'+i/26)) + string(rune('a'+i%26))
		r.Labels[k] = strings.Repeat("v", MaxLabelValLength)
	}
	b := signed(t, key, r)
	if len(b) > MaxRecordSize || len(b) != 6952 {
		t.Errorf("largest record is %d bytes; MaxRecordSize %d, documented 6952", len(b), MaxRecordSize)
	}
	if _, err := Unmarshal(b); err != nil {
		t.Errorf("Unmarshal of the largest record: %v", err)
	}
	if _, err := Unmarshal(make([]byte, MaxRecordSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized: %v, want ErrTooLarge", err)
	}
}

func TestValidate(t *testing.T) {
	key := testKey(t, 0)
	tests := []struct {
		name   string
		mutate func(r *Record)
	}{
		{"version 1", func(r *Record) { r.Version = Version1 }},
		{"version 3", func(r *Record) { r.Version = 3 }},
		{"zero provider", func(r *Record) { r.Provider = common.Address{} }},
		{"zero owner", func(r *Record) { r.Owner = common.Address{} }},
		{"zero owner, tombstone", func(r *Record) { r.Owner, r.Tombstone, r.GatewayURL = common.Address{}, true, "" }},
		{"empty org", func(r *Record) { r.Org = "" }},
		{"long org", func(r *Record) { r.Org = strings.Repeat("a", MaxOrgLength+1) }},
		{"uppercase org", func(r *Record) { r.Org = "Org-a" }},
		{"org leading dash", func(r *Record) { r.Org = "-org" }},
		{"org trailing dash", func(r *Record) { r.Org = "org-" }},
		{"empty url", func(r *Record) { r.GatewayURL = "" }},
		{"ftp url", func(r *Record) { r.GatewayURL = "ftp://via.example/" }},
		{"no host", func(r *Record) { r.GatewayURL = "https:///path" }},
		{"userinfo", func(r *Record) { r.GatewayURL = "https://user:pw@via.example/" }},
		{"fragment", func(r *Record) { r.GatewayURL = "https://via.example/#x" }},
		{"control byte in url", func(r *Record) { r.GatewayURL = "https://via.example/\x00" }},
		{"long url", func(r *Record) { r.GatewayURL = "https://" + strings.Repeat("u", MaxURLLength) }},
		{"long gpu model", func(r *Record) { r.Capacity.Total.GPUModel = strings.Repeat("g", MaxGPUModelLength+1) }},
		{"free cpu above total", func(r *Record) { r.Capacity.Free.CPUMillis = r.Capacity.Total.CPUMillis + 1 }},
		{"free gpus above total", func(r *Record) { r.Capacity.Free.GPUs = 3 }},
		{"free model differs", func(r *Record) { r.Capacity.Free.GPUModel = "other" }},
		{"negative price", func(r *Record) { r.Prices.CPUMilli = big.NewInt(-1) }},
		{"129-bit price", func(r *Record) { r.Prices.MemoryMiB = new(big.Int).Lsh(big.NewInt(1), 128) }},
		{"region charset", func(r *Record) { r.Region = "EU West" }},
		{"long region", func(r *Record) { r.Region = strings.Repeat("r", MaxRegionLength+1) }},
		{"empty label key", func(r *Record) { r.Labels[""] = "x" }},
		{"label key charset", func(r *Record) { r.Labels["Tier"] = "x" }},
		{"label key starts with dot", func(r *Record) { r.Labels[".x"] = "x" }},
		{"long label key", func(r *Record) { r.Labels[strings.Repeat("k", MaxLabelKeyLength+1)] = "x" }},
		{"label value charset", func(r *Record) { r.Labels["k"] = "a b" }},
		{"long label value", func(r *Record) { r.Labels["k"] = strings.Repeat("v", MaxLabelValLength+1) }},
		{"too many labels", func(r *Record) {
			for i := range MaxLabels {
				r.Labels["l"+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
			}
		}},
		{"zero seq", func(r *Record) { r.Seq = 0 }},
		{"zero issuedAt", func(r *Record) { r.IssuedAt = 0 }},
		{"expires not after issuedAt", func(r *Record) { r.Expires = r.IssuedAt }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRecord(key)
			tt.mutate(r)
			if err := r.Validate(); !errors.Is(err, ErrInvalidField) {
				t.Errorf("Validate = %v, want ErrInvalidField", err)
			}
			if _, err := Marshal(r); !errors.Is(err, ErrInvalidField) {
				t.Errorf("Marshal = %v, want ErrInvalidField", err)
			}
		})
	}
	if err := testRecord(key).Validate(); err != nil {
		t.Errorf("valid record: %v", err)
	}
}

// offsets in the encoding of testRecord (see the layout in encoding.go).
const (
	offVersion = 3
	offOwner   = 24
	offFlags   = 44
	offSeq     = 45
	offOrg     = 69
)

func TestUnmarshalRejectsNonCanonical(t *testing.T) {
	key := testKey(t, 0)
	good := signed(t, key, testRecord(key))
	body := good[:len(good)-SignatureSize]
	sig := good[len(good)-SignatureSize:]
	// Price fields follow the region; find the cpuMilli price (1 byte, 3).
	priceOff := bytes.Index(body, []byte{1, 3, 1, 2, 1, 1})
	if priceOff < 0 {
		t.Fatal("prices not found in encoding")
	}
	labelsOff := priceOff + 6 + 1 + 3 // gpu price 500000 is 3 bytes

	highS := func() []byte {
		// (r, n−s, v^1) is the same signature in its malleable form.
		s := new(big.Int).SetBytes(sig[32:64])
		s.Sub(crypto.S256().Params().N, s)
		out := append([]byte(nil), good...)
		s.FillBytes(out[len(out)-33 : len(out)-1])
		out[len(out)-1] ^= 1
		return out
	}
	splice := func(at int, remove int, insert ...byte) []byte {
		out := append([]byte(nil), good[:at]...)
		out = append(out, insert...)
		return append(out, good[at+remove:]...)
	}
	set := func(at int, v byte) []byte {
		out := append([]byte(nil), good...)
		out[at] = v
		return out
	}
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"bad magic", set(0, 'X'), ErrMalformed},
		{"version 1", set(offVersion, 1), ErrUnsupportedVersion},
		{"version 3", set(offVersion, 3), ErrUnsupportedVersion},
		{"zero owner", splice(offOwner, common.AddressLength, make([]byte, common.AddressLength)...), ErrInvalidField},
		{"truncated owner", good[:offOwner+10], ErrMalformed},
		{"unknown flag", set(offFlags, 2), ErrMalformed},
		{"trailing byte", append(append([]byte(nil), good...), 0), ErrMalformed},
		{"truncated signature", good[:len(good)-1], ErrMalformed},
		{"truncated body", good[:offOrg+3], ErrMalformed},
		{"org length over limit", set(offOrg, MaxOrgLength+1), ErrMalformed},
		{"org uppercase", set(offOrg+1, 'O'), ErrInvalidField},
		{"price with leading zero", splice(priceOff, 2, 2, 0, 3), ErrMalformed},
		{"price of 17 bytes", splice(priceOff, 2, append([]byte{17, 1}, make([]byte, 16)...)...), ErrMalformed},
		{"labels unsorted", splice(labelsOff, len(body)-labelsOff,
			2, 4, 't', 'i', 'e', 'r', 4, 'g', 'o', 'l', 'd', 4, 'a', 'r', 'c', 'h', 5, 'a', 'm', 'd', '6', '4'), ErrMalformed},
		{"labels duplicate", splice(labelsOff, len(body)-labelsOff,
			2, 4, 't', 'i', 'e', 'r', 1, 'a', 4, 't', 'i', 'e', 'r', 1, 'b'), ErrMalformed},
		{"issuedAt over int64", splice(offSeq+8, 1, 0x80), ErrMalformed},
		{"high-s signature", highS(), ErrBadSignature},
		{"v = 27", set(len(good)-1, 27), ErrBadSignature},
		{"zero signature", append(append([]byte(nil), body...), make([]byte, SignatureSize)...), ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Unmarshal(tt.b)
			if !errors.Is(err, tt.want) {
				t.Errorf("Unmarshal = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Unmarshal(good); err != nil {
		t.Fatalf("Unmarshal of the unmodified record: %v", err)
	}
}

func TestSignerDetectsTampering(t *testing.T) {
	key := testKey(t, 0)
	b := signed(t, key, testRecord(key))
	r, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	r.Capacity.Free.CPUMillis--
	if err := CheckSignature(r); !errors.Is(err, ErrBadSignature) {
		t.Errorf("CheckSignature of a modified record = %v, want ErrBadSignature", err)
	}
	// The owner is signed like every other field.
	r, err = Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	r.Owner = common.Address{0xee}
	if err := CheckSignature(r); !errors.Is(err, ErrBadSignature) {
		t.Errorf("CheckSignature of a record with another owner = %v, want ErrBadSignature", err)
	}
	// Another key's valid signature over the same body.
	other := testRecord(key)
	other.Provider = crypto.PubkeyToAddress(testKey(t, 1).PublicKey)
	if err := Sign(other, testKey(t, 1)); err != nil {
		t.Fatal(err)
	}
	forged := testRecord(key)
	forged.Signature = other.Signature
	if err := CheckSignature(forged); !errors.Is(err, ErrBadSignature) {
		t.Errorf("CheckSignature of a foreign signature = %v, want ErrBadSignature", err)
	}
}

func TestReason(t *testing.T) {
	for _, label := range Reasons() {
		if label == "" || strings.ContainsAny(label, " -") {
			t.Errorf("label %q is not a metric label", label)
		}
	}
	if got := Reason(nil); got != "ok" {
		t.Errorf("Reason(nil) = %q", got)
	}
	if got := Reason(errors.New("x")); got != "other" {
		t.Errorf("Reason(other) = %q", got)
	}
	_, err := Unmarshal([]byte("junk"))
	if got := Reason(err); got != "malformed" {
		t.Errorf("Reason(%v) = %q", err, got)
	}
}
