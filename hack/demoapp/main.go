// Command demoapp is the small HTTP app that gridnode's demo deploys on the
// local Kubernetes node: GET / answers JSON naming the pod, /ws echoes
// WebSocket messages, /healthz answers "ok". hack/images packs it into a
// one-layer image; manifest.yaml deploys it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// version is set by hack/images (-ldflags -X main.version=...) to the
// image's tag.
var version = "dev"

const (
	maxMessage  = 64 << 10         // bytes per WebSocket message
	idleTimeout = 60 * time.Second // WebSocket read deadline, renewed per message
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr); err != nil {
		log.Printf("demoapp: %v", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr string) error {
	host, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("hostname: %w", err)
	}
	srv := &http.Server{
		Addr:              addr,
		Handler:           handler(host),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("demoapp %s listening on %s as %s", version, addr, host)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Printf("demoapp: shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func handler(host string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("GET / from %s", r.RemoteAddr)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"app":      "gridnode-demo",
			"version":  version,
			"hostname": host,
		})
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered the client
		}
		defer c.Close()
		log.Printf("websocket from %s", r.RemoteAddr)
		c.SetReadLimit(maxMessage)
		for {
			_ = c.SetReadDeadline(time.Now().Add(idleTimeout))
			kind, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.WriteMessage(kind, msg); err != nil {
				return
			}
		}
	})
	return mux
}
