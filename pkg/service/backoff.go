package service

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is the delay between the tries of something that fails: First,
// doubled after each failure up to Max, and First again after Reset (call
// it when a try succeeds, or ran long enough to count as recovered). With
// Jitter each delay is drawn from [d/2, d], so that many clients retrying
// the same server spread out. The zero value is not useful; set First and
// Max.
//
//	b := service.Backoff{First: time.Second, Max: 30 * time.Second}
//	for {
//		if err := try(ctx); err == nil {
//			b.Reset()
//			…
//		}
//		if !service.Sleep(ctx, b.Next()) {
//			return
//		}
//	}
type Backoff struct {
	First, Max time.Duration
	Jitter     bool

	cur time.Duration
}

// Next returns the delay before the next try: First after a Reset (or at
// the start), then twice the last one, at most Max.
func (b *Backoff) Next() time.Duration {
	switch {
	case b.cur == 0:
		b.cur = b.First
	case b.cur < b.Max:
		b.cur = min(2*b.cur, b.Max)
	}
	if !b.Jitter {
		return b.cur
	}
	half := b.cur / 2
	return half + rand.N(half+1)
}

// Reset makes the next delay First again.
func (b *Backoff) Reset() { b.cur = 0 }

// Sleep waits for d or until ctx is done; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
