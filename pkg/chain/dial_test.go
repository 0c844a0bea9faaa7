package chain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:secret@rpc.example:8545/v3/KEY?apikey=KEY": "https://rpc.example:8545",
		"ws://127.0.0.1:8546": "ws://127.0.0.1:8546",
		"http://[::1]:8545/":  "http://[::1]:8545",
		"http://bad host/%zz": "(unparsable URL)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDialRefused dials a loopback port nobody listens on: the error names
// the endpoint without its secret parts.
func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, id, err := Dial(ctx, "http://"+addr+"/v3/SECRETKEY")
	if err == nil {
		client.Close()
		t.Fatalf("dial of a closed port gave chain id %v", id)
	}
	if !strings.Contains(err.Error(), "http://"+addr) || strings.Contains(err.Error(), "SECRETKEY") {
		t.Fatalf("error %q: want the redacted endpoint", err)
	}
}

func TestRedactError(t *testing.T) {
	inner := errors.New("connection refused")
	ue := &url.Error{Op: "Post", URL: "https://rpc.example/v3/SECRETKEY", Err: inner}
	err := RedactError(fmt.Errorf("settling order 7: %w", ue))
	if got, want := err.Error(), "settling order 7: Post: connection refused"; got != want {
		t.Fatalf("RedactError = %q, want %q", got, want)
	}
	if !errors.Is(err, inner) {
		t.Fatal("the redacted error does not unwrap to the original")
	}
	plain := errors.New("no URL here")
	if RedactError(plain) != plain || RedactError(nil) != nil {
		t.Fatal("an error without a url.Error must come back unchanged")
	}
}

func TestRetry(t *testing.T) {
	var waits []time.Duration
	runs := 0
	ctx := context.Background()
	// A fake clock is not needed: the first two waits are 1 s and 2 s.
	Retry(ctx, func(context.Context) error {
		runs++
		if runs < 3 {
			return errors.New("down")
		}
		return nil
	}, func(err error, wait time.Duration) { waits = append(waits, wait) })
	if runs != 3 || len(waits) != 2 || waits[0] != RetryFirst || waits[1] != 2*RetryFirst {
		t.Fatalf("runs %d, waits %v; want 3 runs after waits of 1s and 2s", runs, waits)
	}

	// Cancelling during a wait ends Retry at once.
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	Retry(ctx, func(context.Context) error { return errors.New("down") },
		func(error, time.Duration) { cancel() })
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("Retry returned %s after its context was cancelled", d)
	}
}
