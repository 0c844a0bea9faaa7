package audit

import (
	"context"
	"testing"

	"github.com/gridnode/gridnode/test/consultest"
)

// BenchmarkAppend is the audit cost of one mutating request: the sequence
// read and one KV transaction (counter CAS + slot) on a real local agent.
func BenchmarkAppend(b *testing.B) {
	agent := consultest.Start(b)
	l, err := New(agent.Client().KV(), "org-a", DefaultMax, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e := Entry{Actor: "admin", Role: "admin", Action: "POST /api/credits/deposit", Result: ResultOK, Status: 200,
		Detail: map[string]string{"amount": "100000000", "operation": "console-deposit-0123456789ab"}}
	for b.Loop() {
		if _, err := l.Append(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList reads a page of 100 from a full ring of DefaultMax
// entries.
func BenchmarkList(b *testing.B) {
	agent := consultest.Start(b)
	l, err := New(agent.Client().KV(), "org-a", DefaultMax, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e := Entry{Actor: "admin", Action: "POST /api/orders", Result: ResultOK, Status: 200, Detail: map[string]string{"provider": "0x00000000000000000000000000000000000000a1"}}
	for range DefaultMax {
		if _, err := l.Append(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		p, err := l.List(ctx, Query{Limit: 100})
		if err != nil || len(p.Entries) != 100 {
			b.Fatal(err)
		}
	}
}
