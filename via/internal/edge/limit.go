package edge

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// limiter is a token bucket per client IP, in shards so that clients do
// not queue on one lock. It tracks at most max clients; when a shard is
// full it forgets the clients whose buckets have refilled, and if none
// has, it refuses new clients until some have (a flood of addresses
// cannot grow it without bound).
type limiter struct {
	rate  float64 // tokens per second
	burst float64
	// perShard is the most clients a shard tracks.
	perShard int
	shards   [limiterShards]limiterShard
}

const limiterShards = 32

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	_       [48]byte // keep shards on separate cache lines
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst, maxClients int) *limiter {
	l := &limiter{rate: rate, burst: float64(burst), perShard: max(1, (maxClients+limiterShards-1)/limiterShards)}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	return l
}

// shard picks ip's shard (FNV-1a).
func (l *limiter) shard(ip string) *limiterShard {
	h := uint32(2166136261)
	for i := 0; i < len(ip); i++ {
		h ^= uint32(ip[i])
		h *= 16777619
	}
	return &l.shards[h%limiterShards]
}

// allow takes a token from ip's bucket; false means rate limited, with how
// long until a token is there.
func (l *limiter) allow(ip string, now time.Time) (bool, time.Duration) {
	s := l.shard(ip)
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[ip]
	if b == nil {
		if len(s.buckets) >= l.perShard {
			l.sweep(s, now)
			if len(s.buckets) >= l.perShard {
				return false, time.Second
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		s.buckets[ip] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// sweep forgets buckets that are full again: forgetting them changes
// nothing. Caller holds s.mu.
func (l *limiter) sweep(s *limiterShard, now time.Time) {
	for ip, b := range s.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(s.buckets, ip)
		}
	}
}

// size is how many clients are tracked.
func (l *limiter) size() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.buckets)
		s.mu.Unlock()
	}
	return n
}

// limitListener accepts at most n connections at a time; Accept waits for
// one to close beyond that, leaving newer clients in the kernel's queue.
type limitListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{}
	once sync.Once
	// conns counts the connections open (the semaphore also holds the
	// slot of a pending Accept).
	conns atomic.Int64
}

func newLimitListener(l net.Listener, n int) *limitListener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	l.conns.Add(1)
	return &limitConn{Conn: c, l: l}, nil
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// open is the number of connections currently open.
func (l *limitListener) open() int { return int(l.conns.Load()) }

type limitConn struct {
	net.Conn
	l      *limitListener
	closed atomic.Bool
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.l.conns.Add(-1)
		<-c.l.sem
	}
	return err
}
