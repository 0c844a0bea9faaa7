package listingsync

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzDecodeFrame: the decoder never panics, and whatever it accepts
// encodes back to the very bytes it took.
func FuzzDecodeFrame(f *testing.F) {
	seeds := []Frame{
		{Type: FrameEnd},
		{Type: FrameDigest, Digest: []Entry{{Provider: common.Address{1}, Seq: 7}, {Provider: common.Address{2}, Seq: 1 << 40}}},
		{Type: FrameWant, Want: []common.Address{{3}, {4}}},
		{Type: FrameRecords, Records: [][]byte{[]byte("GNL\x01abc"), bytes.Repeat([]byte{9}, 200)}},
	}
	for _, s := range seeds {
		b, err := AppendFrame(nil, s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{3, 0x80, 0x00})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, n, err := DecodeFrame(data)
		if err != nil {
			return
		}
		again, err := AppendFrame(nil, fr)
		if err != nil {
			t.Fatalf("decoded frame does not encode: %v", err)
		}
		if !bytes.Equal(again, data[:n]) {
			t.Fatalf("round trip differs:\n in %x\nout %x", data[:n], again)
		}
	})
}
