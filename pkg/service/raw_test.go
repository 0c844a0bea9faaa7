package service_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/service"
)

// TestHandleRaw: a raw prefix gets the path exactly as sent (no cleaning,
// no redirect); other paths still go through the mux.
func TestHandleRaw(t *testing.T) {
	s, err := service.NewServer(service.Defaults("127.0.0.1:0"), "testd", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	s.HandleRaw("/app/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "raw "+r.URL.Path)
	}))
	s.Handle("/other/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "mux "+r.URL.Path)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	get := func(path string) (int, string) {
		t.Helper()
		// A raw request line: clients clean paths themselves.
		c, err := net.Dial("tcp", s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _ = io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		resp, err := http.ReadResponse(bufioReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/app/1//a/../b"); code != 200 || body != "raw /app/1//a/../b" {
		t.Errorf("raw route: %d %q", code, body)
	}
	if code, _ := get("/other//x"); code != http.StatusMovedPermanently && code != http.StatusTemporaryRedirect {
		t.Errorf("mux route with an unclean path: %d, want the mux's redirect", code)
	}
	if code, body := get("/other/x"); code != 200 || body != "mux /other/x" {
		t.Errorf("mux route: %d %q", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz: %d", code)
	}
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
