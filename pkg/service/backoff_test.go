package service

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	b := Backoff{First: time.Second, Max: 5 * time.Second}
	var got []time.Duration
	for range 5 {
		got = append(got, b.Next())
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("delays = %v, want %v", got, want)
		}
	}
	b.Reset()
	if d := b.Next(); d != time.Second {
		t.Errorf("after Reset: %s, want 1s", d)
	}

	j := Backoff{First: 100 * time.Millisecond, Max: 400 * time.Millisecond, Jitter: true}
	for i, top := range []time.Duration{100, 200, 400, 400} {
		top *= time.Millisecond
		if d := j.Next(); d < top/2 || d > top {
			t.Errorf("jittered delay %d = %s, want in [%s, %s]", i, d, top/2, top)
		}
	}
}

func TestSleep(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep returned false with a live context")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("Sleep returned true with a cancelled context")
	}
}
