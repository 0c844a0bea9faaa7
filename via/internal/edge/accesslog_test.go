package edge

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowBuffer is a writer that takes its time, as a disk under load.
type slowBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *slowBuffer) Write(p []byte) (int, error) {
	time.Sleep(time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *slowBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAsyncWriter: lines from many goroutines all arrive, whole and in
// few writes, through a small buffer and a slow writer; a quiet writer's
// lines go out on the tick; Stop writes the rest and later lines go
// straight out.
func TestAsyncWriter(t *testing.T) {
	out := &slowBuffer{}
	w := newAsyncWriter(out, 4096, 50*time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				_, _ = fmt.Fprintf(w, "line g%d i%d %s\n", g, i, strings.Repeat("x", i%100))
			}
		}()
	}
	wg.Wait()
	_, _ = w.Write([]byte("quiet line\n"))
	eventually(t, 5*time.Second, "the quiet line out on the tick", func() bool { return strings.Contains(out.String(), "quiet line\n") })
	_, _ = w.Write([]byte("before stop\n"))
	w.Stop()
	_, _ = w.Write([]byte("after stop\n"))
	w.Stop() // twice is fine

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*2000+3 {
		t.Fatalf("%d lines, want %d", len(lines), 8*2000+3)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var g, i int
		var rest string
		if n, _ := fmt.Sscanf(l, "line g%d i%d %s", &g, &i, &rest); n >= 2 {
			if want := strings.Repeat("x", i%100); rest != want && !(want == "" && rest == "") {
				t.Fatalf("line split or mixed: %q", l)
			}
		}
		seen[l] = true
	}
	if !seen["before stop"] || !seen["after stop"] || lines[len(lines)-1] != "after stop" {
		t.Fatalf("lines around Stop missing or out of order: %q", lines[len(lines)-3:])
	}
	t.Logf("%d lines in %d writes", len(lines), out.writes)
}
