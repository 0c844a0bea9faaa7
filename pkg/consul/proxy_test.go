package consul

import (
	"net"
	"sync"
	"testing"
)

// partitionProxy is a TCP proxy to an agent that can simulate a network
// partition: while paused it accepts and reads but forwards nothing, so
// requests hang (as with dropped packets) instead of failing fast.
type partitionProxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	cond   *sync.Cond
	paused bool
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func newPartitionProxy(t testing.TB, target string) *partitionProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &partitionProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.cond = sync.NewCond(&p.mu)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *partitionProxy) Addr() string { return p.ln.Addr().String() }

func (p *partitionProxy) setPaused(v bool) {
	p.mu.Lock()
	p.paused = v
	p.mu.Unlock()
	p.cond.Broadcast()
}

// waitOpen blocks while paused; it reports false once the proxy or the
// connection pair is closed.
func (p *partitionProxy) waitOpen(pairDone *bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.paused && !p.closed && !*pairDone {
		p.cond.Wait()
	}
	return !p.closed && !*pairDone
}

func (p *partitionProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *partitionProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *partitionProxy) serve(client net.Conn) {
	defer p.wg.Done()
	pairDone := false
	closePair := func(conns ...net.Conn) {
		p.mu.Lock()
		pairDone = true
		for _, c := range conns {
			delete(p.conns, c)
		}
		p.mu.Unlock()
		p.cond.Broadcast()
		for _, c := range conns {
			_ = c.Close()
		}
	}
	if !p.track(client) {
		_ = client.Close()
		return
	}
	if !p.waitOpen(&pairDone) {
		closePair(client)
		return
	}
	upstream, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(upstream) {
		if upstream != nil {
			_ = upstream.Close()
		}
		closePair(client)
		return
	}
	var wg sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				if !p.waitOpen(&pairDone) {
					return
				}
				if _, werr := dst.Write(buf[:n]); werr != nil {
					closePair(client, upstream)
					return
				}
			}
			if err != nil {
				closePair(client, upstream)
				return
			}
		}
	}
	wg.Add(2)
	go pipe(upstream, client)
	go pipe(client, upstream)
	wg.Wait()
}

func (p *partitionProxy) close() {
	p.mu.Lock()
	p.closed = true
	conns := make([]net.Conn, 0, len(p.conns))
	for c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	p.cond.Broadcast()
	_ = p.ln.Close()
	for _, c := range conns {
		_ = c.Close()
	}
	p.wg.Wait()
}
