package audit

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/test/consultest"
)

// TestRing appends from two logs on one real Consul agent (two admin
// replicas) concurrently, then past the ring's size: every entry gets its
// own sequence number, and the newest Max are kept.
func TestRing(t *testing.T) {
	agent := consultest.Start(t)
	kv := agent.Client().KV()
	const size = 10
	a, err := New(kv, "org-a", size, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(kv, "org-a", size, zaptest.NewLogger(t))
	ctx := context.Background()

	var wg sync.WaitGroup
	seqs := make(chan uint64, 8)
	for i := range 8 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq, err := l.Append(ctx, Entry{Actor: "admin", Action: "POST /api/credits/deposit", Target: fmt.Sprint(i), Result: ResultOK, Status: 200})
			if err != nil {
				t.Error(err)
			}
			seqs <- seq
		}()
	}
	wg.Wait()
	close(seqs)
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] || s < 1 || s > 8 {
			t.Errorf("sequence %d given twice or out of range", s)
		}
		seen[s] = true
	}

	page, err := b.List(ctx, Query{})
	if err != nil || len(page.Entries) != 8 || page.Entries[0].Seq != 8 || page.Entries[7].Seq != 1 {
		t.Fatalf("list = %+v, %v", page, err)
	}
	for i := range 7 {
		if _, err := a.Append(ctx, Entry{Actor: "viewer", Action: "POST /api/orders", Result: ResultDenied, Status: 403,
			Message: strings.Repeat("x", 2000), Detail: map[string]string{"amount": "1"}}); err != nil {
			t.Fatal(i, err)
		}
	}
	page, err = a.List(ctx, Query{Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if page.Held != size || page.Entries[0].Seq != 15 || len(page.Entries) != 4 || page.Next != 12 {
		t.Fatalf("after wrap: held %d, first %d, %d entries, next %d", page.Held, page.Entries[0].Seq, len(page.Entries), page.Next)
	}
	if len(page.Entries[0].Message) > maxMessage+3 {
		t.Errorf("message not bounded: %d bytes", len(page.Entries[0].Message))
	}
	page, _ = a.List(ctx, Query{Before: page.Next, Limit: 100})
	if len(page.Entries) != 6 || page.Entries[len(page.Entries)-1].Seq != 6 {
		t.Fatalf("second page: %+v", page.Entries)
	}
	page, _ = a.List(ctx, Query{Actor: "admin"})
	if len(page.Entries) != 3 { // seqs 6, 7, 8 of admin are still held
		t.Fatalf("filter by actor: %d entries", len(page.Entries))
	}
	page, _ = a.List(ctx, Query{Result: ResultDenied, Text: "orders"})
	if len(page.Entries) != 7 {
		t.Fatalf("filter by result and text: %d entries", len(page.Entries))
	}
	// A smaller ring configured later shows only its newest entries.
	small, _ := New(kv, "org-a", 5, nil)
	if _, err := small.Append(ctx, Entry{Actor: "admin", Action: "x", Result: ResultOK}); err != nil {
		t.Fatal(err)
	}
	page, _ = small.List(ctx, Query{})
	if page.Held != 5 || page.Entries[0].Seq != 16 {
		t.Fatalf("smaller ring: held %d first %d", page.Held, page.Entries[0].Seq)
	}
}
