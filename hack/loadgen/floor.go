package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// floor is the least any Go proxy does per request: one upstream
// connection per client connection and two goroutines copying bytes both
// ways with io.Copy (splice on Linux), no HTTP parsing, no header rewrite,
// no log, no metric. hack/bench-via runs it next to via and nginx: what it
// reaches is the ceiling of an HTTP proxy written on Go's net package on the
// machine, which must parse and rewrite on top of it.
//
//	go run ./hack/loadgen floor -addr 127.0.0.1:18717 -upstream 127.0.0.1:18710
func floor(args []string) {
	fs := flag.NewFlagSet("floor", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18717", "listen address")
	up := fs.String("upstream", "127.0.0.1:18700", "upstream address")
	_ = fs.Parse(args)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
	)
	track := func(c net.Conn, add bool) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case add && ctx.Err() != nil: // shutting down: the closer has run or will not see c
			_ = c.Close()
		case add:
			conns[c] = struct{}{}
		default:
			delete(conns, c)
		}
	}
	go func() {
		<-ctx.Done()
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
	}()
	d := net.Dialer{Timeout: 5 * time.Second}
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				break
			}
			fmt.Fprintln(os.Stderr, "floor: accept:", err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			u, err := d.DialContext(ctx, "tcp", *up)
			if err != nil {
				return
			}
			defer u.Close()
			track(c, true)
			track(u, true)
			defer track(c, false)
			defer track(u, false)
			done := make(chan struct{})
			go func() {
				_, _ = io.Copy(u, c)
				_ = u.(*net.TCPConn).CloseWrite()
				close(done)
			}()
			_, _ = io.Copy(c, u)
			_ = c.Close()
			<-done
		}()
	}
	wg.Wait()
}
