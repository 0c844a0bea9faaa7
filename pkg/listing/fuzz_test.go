package listing

import (
	"bytes"
	"testing"
)

// FuzzUnmarshal: decoding never panics, and whatever decodes is canonical:
// encoding it again gives the same bytes, which decode to the same record.
// Seeds: testdata/fuzz/FuzzUnmarshal (version-2 records whole, truncated,
// with a trailing byte, their header, and a version-1 record, refused) and
// the records added here.
func FuzzUnmarshal(f *testing.F) {
	key := testKey(f, 0)
	f.Add(signed(f, key, testRecord(key)))
	tomb := testRecord(key)
	tomb.Tombstone, tomb.GatewayURL, tomb.Labels = true, "", nil
	f.Add(signed(f, key, tomb))
	f.Add([]byte("GNL\x02"))
	f.Add([]byte("GNL\x01")) // version 1: refused
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Unmarshal(b)
		if err != nil {
			if r != nil {
				t.Fatal("Unmarshal returned a record and an error")
			}
			if Reason(err) == "other" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		again, err := Marshal(r)
		if err != nil {
			t.Fatalf("Marshal of a decoded record: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs:\n in %x\nout %x", b, again)
		}
		r2, err := Unmarshal(again)
		if err != nil || !recordsEqual(r, r2) {
			t.Fatalf("decode(encode(x)) = %+v, %v; want %+v", r2, err, r)
		}
		_, _ = Signer(r) // must not panic on any decodable record
	})
}
