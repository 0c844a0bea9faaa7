package edge

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiter: a client gets its burst, then tokens at the rate; the
// limiter tracks a bounded number of clients, refusing new ones while all
// tracked buckets are in use and forgetting refilled ones.
func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(10, 3, 64)
	for i := range 3 {
		if ok, _ := l.allow("10.0.0.1", now); !ok {
			t.Fatalf("request %d within the burst refused", i)
		}
	}
	ok, wait := l.allow("10.0.0.1", now)
	if ok || wait <= 0 || wait > 100*time.Millisecond {
		t.Fatalf("past the burst: ok %v, wait %s; want refused for about 100ms", ok, wait)
	}
	if ok, _ := l.allow("10.0.0.1", now.Add(100*time.Millisecond)); !ok {
		t.Fatal("a token after 100ms at 10/s refused")
	}
	if ok, _ := l.allow("10.0.0.2", now); !ok {
		t.Fatal("another client is limited by the first")
	}

	// Fill every shard with clients that used their burst.
	for i := range 10_000 {
		ip := fmt.Sprintf("10.1.%d.%d", i/256, i%256)
		for range 3 {
			l.allow(ip, now)
		}
	}
	if n := l.size(); n > 64+limiterShards {
		t.Fatalf("tracking %d clients, max 64 (+ rounding per shard)", n)
	}
	refused := 0
	for i := range 100 {
		if ok, _ := l.allow(fmt.Sprintf("10.2.0.%d", i), now); !ok {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("new clients admitted beyond the bound while every bucket is in use")
	}
	// Once the buckets refilled, new clients take their place (up to the
	// bound again: two per shard here).
	later := now.Add(time.Second)
	admitted := 0
	for i := range 100 {
		if ok, _ := l.allow(fmt.Sprintf("10.3.0.%d", i), later); ok {
			admitted++
		}
	}
	if admitted < 32 {
		t.Fatalf("%d of 100 new clients admitted after the old buckets refilled; want at least 32", admitted)
	}
}
