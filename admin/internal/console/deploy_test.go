package console

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCopyBounded: logs pass through admin as they come, and stop at the
// limit whatever the gateway sends.
func TestCopyBounded(t *testing.T) {
	var out bytes.Buffer
	flushes := 0
	flush := func() error { flushes++; return nil }
	capped, err := copyBounded(&out, flush, io.LimitReader(zeros{}, 10<<20), 1<<20)
	if !capped || err != nil || out.Len() != 1<<20 || flushes == 0 {
		t.Errorf("10 MiB through a 1 MiB limit: capped %t, %v, %d bytes, %d flushes", capped, err, out.Len(), flushes)
	}
	out.Reset()
	capped, err = copyBounded(&out, flush, strings.NewReader("line 1\nline 2\n"), 1<<20)
	if capped || err != nil || out.String() != "line 1\nline 2\n" {
		t.Errorf("a short log: capped %t, %v, %q", capped, err, out.String())
	}
	boom := errors.New("connection reset")
	if _, err := copyBounded(&out, flush, io.MultiReader(strings.NewReader("x"), errReader{boom}), 1<<20); !errors.Is(err, boom) {
		t.Errorf("a broken stream: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
