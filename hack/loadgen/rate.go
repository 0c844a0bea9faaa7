package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// rate sends GETs to one URL at a fixed rate (open loop) over a fixed
// number of keep-alive connections and prints latency percentiles. Each
// request's latency counts from when it was due, not from when a
// connection was free, so a stall shows up in the figures instead of
// slowing the load down (no coordinated omission). wrk, by contrast, keeps
// every connection busy: at saturation its latencies measure the queue,
// not the proxy.
//
//	loadgen rate -url http://127.0.0.1:18612/gw/0x…/ -rate 5000 -duration 10s -conns 64
//
// Output, one line: rate=… sent=… errors=… p50=…µs p90=…µs p99=…µs
// p999=…µs max=…µs late=… (requests due while every connection was busy).
func rate(args []string) {
	fs := flag.NewFlagSet("rate", flag.ExitOnError)
	url := fs.String("url", "", "URL to GET")
	perSec := fs.Int("rate", 5000, "requests per second")
	dur := fs.Duration("duration", 10*time.Second, "how long to send")
	conns := fs.Int("conns", 64, "connections (and concurrent requests) at most")
	timeout := fs.Duration("timeout", 5*time.Second, "per request")
	_ = fs.Parse(args)
	if *url == "" || *perSec <= 0 || *conns <= 0 {
		fmt.Fprintln(os.Stderr, "rate: -url, a positive -rate and -conns are required")
		os.Exit(2)
	}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		MaxIdleConnsPerHost: *conns,
		MaxConnsPerHost:     *conns,
		DisableCompression:  true,
	}
	hc := &http.Client{Transport: tr, Timeout: *timeout}
	total := int(float64(*perSec) * dur.Seconds())
	lat := make([]time.Duration, total)
	var errs, late atomic.Int64
	due := make(chan int, *conns)
	var wg sync.WaitGroup
	start := time.Now()
	interval := time.Second / time.Duration(*perSec)
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range due {
				at := start.Add(time.Duration(i) * interval)
				resp, err := hc.Get(*url)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					errs.Add(1)
				}
				lat[i] = time.Since(at)
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), *dur+time.Minute)
	defer cancel()
	for i := range total {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		select {
		case due <- i:
		default:
			// Every connection busy: it waits, and its wait counts.
			late.Add(1)
			select {
			case due <- i:
			case <-ctx.Done():
			}
		}
	}
	close(due)
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) int64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds() }
	fmt.Printf("rate=%.0f sent=%d errors=%d p50=%dµs p90=%dµs p99=%dµs p999=%dµs max=%dµs late=%d\n",
		float64(total)/elapsed.Seconds(), total, errs.Load(), pct(0.50), pct(0.90), pct(0.99), pct(0.999),
		lat[len(lat)-1].Microseconds(), late.Load())
}
