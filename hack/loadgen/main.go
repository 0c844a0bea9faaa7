// Command loadgen holds the helpers of hack/bench-via: the upstream app the
// proxies forward to, and a fixed-rate load for latency (throughput is
// measured with wrk).
//
//	go run ./hack/loadgen upstream -addr 127.0.0.1:18700
//	go run ./hack/loadgen rate -url http://127.0.0.1:18700/ -rate 5000 -duration 10s
//	go run ./hack/loadgen floor -addr 127.0.0.1:18717 -upstream 127.0.0.1:18700
//
// upstream answers every path with a small fixed body (200, text/plain), so
// what the benchmark measures is the proxy in front of it. rate is in
// rate.go; floor, a byte-copying proxy (the floor of a Go proxy's cost), in
// floor.go.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "upstream":
		upstream(os.Args[2:])
	case "rate":
		rate(os.Args[2:])
	case "floor":
		floor(os.Args[2:])
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadgen upstream -addr host:port [-body-bytes N]\n       loadgen rate -url URL [-rate N] [-duration D] [-conns N]\n       loadgen floor -addr host:port -upstream host:port")
	os.Exit(2)
}

func upstream(args []string) {
	fs := flag.NewFlagSet("upstream", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18700", "listen address")
	size := fs.Int("body-bytes", 64, "size of the response body")
	_ = fs.Parse(args)

	body := make([]byte, *size)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	if len(body) > 0 {
		body[len(body)-1] = '\n'
	}
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr["Content-Type"] = []string{"text/plain"}
		hdr["Content-Length"] = []string{length}
		_, _ = w.Write(body)
	})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       5 * time.Minute,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "upstream:", err)
		os.Exit(1)
	}
}
