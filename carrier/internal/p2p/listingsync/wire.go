package listingsync

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/listing"
)

// FrameType is the first byte of a frame.
type FrameType byte

// Frame types.
const (
	// FrameDigest carries digest entries: provider (20 bytes) and sequence
	// number (8 bytes, big-endian) each.
	FrameDigest FrameType = 1
	// FrameWant carries providers (20 bytes each) whose records the sender
	// wants.
	FrameWant FrameType = 2
	// FrameRecords carries one or more signed records, each a uvarint
	// length (1 to listing.MaxRecordSize) and the bytes.
	FrameRecords FrameType = 3
	// FrameEnd ends a phase; its body is empty.
	FrameEnd FrameType = 4
)

// MaxFrameSize bounds a frame's body.
const MaxFrameSize = 1 << 20

const (
	entrySize = common.AddressLength + 8
	// maxHeader is the type byte and the longest uvarint of a body length.
	maxHeader = 1 + binary.MaxVarintLen32
)

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("malformed sync frame")

// Entry is one digest entry.
type Entry struct {
	Provider common.Address
	Seq      uint64
}

// Frame is one decoded frame: the field of its Type is set.
type Frame struct {
	Type    FrameType
	Digest  []Entry
	Want    []common.Address
	Records [][]byte
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// AppendFrame appends the encoding of f to b.
func AppendFrame(b []byte, f Frame) ([]byte, error) {
	var body []byte
	switch f.Type {
	case FrameDigest:
		body = make([]byte, 0, len(f.Digest)*entrySize)
		for _, e := range f.Digest {
			body = append(body, e.Provider[:]...)
			body = binary.BigEndian.AppendUint64(body, e.Seq)
		}
	case FrameWant:
		body = make([]byte, 0, len(f.Want)*common.AddressLength)
		for _, p := range f.Want {
			body = append(body, p[:]...)
		}
	case FrameRecords:
		if len(f.Records) == 0 {
			return b, errors.New("encoding sync frame: no records")
		}
		for _, r := range f.Records {
			if len(r) == 0 || len(r) > listing.MaxRecordSize {
				return b, fmt.Errorf("encoding sync frame: record of %d bytes", len(r))
			}
			body = binary.AppendUvarint(body, uint64(len(r)))
			body = append(body, r...)
		}
	case FrameEnd:
	default:
		return b, fmt.Errorf("encoding sync frame: unknown type %d", f.Type)
	}
	if len(body) > MaxFrameSize {
		return b, fmt.Errorf("encoding sync frame: body of %d bytes, max %d", len(body), MaxFrameSize)
	}
	b = append(b, byte(f.Type))
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...), nil
}

// DecodeFrame decodes the frame at the start of b and returns it and the
// number of bytes it took. Every valid frame has exactly one encoding.
func DecodeFrame(b []byte) (Frame, int, error) {
	if len(b) == 0 {
		return Frame{}, 0, malformed("empty")
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 {
		return Frame{}, 0, malformed("bad body length")
	}
	if k != uvarintLen(n) {
		return Frame{}, 0, malformed("non-minimal body length")
	}
	if n > MaxFrameSize {
		return Frame{}, 0, malformed("body of %d bytes, max %d", n, MaxFrameSize)
	}
	if uint64(len(b)-1-k) < n {
		return Frame{}, 0, malformed("truncated body")
	}
	body := b[1+k : 1+k+int(n)]
	f, err := decodeBody(FrameType(b[0]), body)
	return f, 1 + k + int(n), err
}

func uvarintLen(n uint64) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], n)
}

func decodeBody(t FrameType, body []byte) (Frame, error) {
	f := Frame{Type: t}
	switch t {
	case FrameDigest:
		if len(body)%entrySize != 0 {
			return Frame{}, malformed("digest body of %d bytes", len(body))
		}
		f.Digest = make([]Entry, len(body)/entrySize)
		for i := range f.Digest {
			e := body[i*entrySize:]
			f.Digest[i] = Entry{Provider: common.BytesToAddress(e[:common.AddressLength]), Seq: binary.BigEndian.Uint64(e[common.AddressLength:])}
		}
	case FrameWant:
		if len(body)%common.AddressLength != 0 {
			return Frame{}, malformed("want body of %d bytes", len(body))
		}
		f.Want = make([]common.Address, len(body)/common.AddressLength)
		for i := range f.Want {
			f.Want[i] = common.BytesToAddress(body[i*common.AddressLength : (i+1)*common.AddressLength])
		}
	case FrameRecords:
		if len(body) == 0 {
			return Frame{}, malformed("records frame without records")
		}
		for len(body) > 0 {
			n, k := binary.Uvarint(body)
			if k <= 0 || k != uvarintLen(n) {
				return Frame{}, malformed("bad record length")
			}
			if n == 0 || n > listing.MaxRecordSize {
				return Frame{}, malformed("record of %d bytes", n)
			}
			if uint64(len(body)-k) < n {
				return Frame{}, malformed("truncated record")
			}
			f.Records = append(f.Records, body[k:k+int(n)])
			body = body[k+int(n):]
		}
	case FrameEnd:
		if len(body) != 0 {
			return Frame{}, malformed("end frame with a body")
		}
	default:
		return Frame{}, malformed("unknown type %d", t)
	}
	return f, nil
}

// ReadFrame reads one frame from r. The records of a FrameRecords alias a
// buffer of their own.
func ReadFrame(r *bufio.Reader) (Frame, error) {
	t, err := r.ReadByte()
	if err != nil {
		return Frame{}, err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return Frame{}, malformed("bad body length: %v", err)
	}
	if n > MaxFrameSize {
		return Frame{}, malformed("body of %d bytes, max %d", n, MaxFrameSize)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return Frame{}, fmt.Errorf("reading sync frame: %w", err)
	}
	return decodeBody(FrameType(t), body)
}
