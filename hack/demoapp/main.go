// Command demoapp is the small HTTP app that gridnode's demo deploys on the
// local Kubernetes node: GET / answers JSON naming the pod, /ws echoes
// WebSocket messages, /healthz answers "ok"; with -data DIR, PUT and GET
// /data/{key} store and read small values as files in DIR (a volume, to show
// that data outlives a rollout). hack/images packs it into a one-layer
// image; manifest.yaml deploys it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// version is set by hack/images (-ldflags -X main.version=...) to the
// image's tag.
var version = "dev"

const (
	maxMessage  = 64 << 10         // bytes per WebSocket message and per stored value
	idleTimeout = 60 * time.Second // WebSocket read deadline, renewed per message
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	data := flag.String("data", "", "directory of the values PUT and GET /data/{key} store (empty: no /data)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *data); err != nil {
		log.Printf("demoapp: %v", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, data string) error {
	host, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("hostname: %w", err)
	}
	srv := &http.Server{
		Addr:              addr,
		Handler:           handler(host, data),
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

// validKey is a /data key: 1 to 64 of [a-z0-9-].
func validKey(k string) bool {
	if len(k) == 0 || len(k) > 64 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func handler(host, data string) http.Handler {
	mux := http.NewServeMux()
	if data != "" {
		mux.HandleFunc("PUT /data/{key}", func(w http.ResponseWriter, r *http.Request) {
			key := r.PathValue("key")
			if !validKey(key) {
				http.Error(w, "key: 1 to 64 of a-z, 0-9 and -", http.StatusBadRequest)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMessage))
			if err != nil {
				http.Error(w, "value: at most 64 KiB", http.StatusRequestEntityTooLarge)
				return
			}
			tmp := filepath.Join(data, "."+key+".tmp")
			if err := os.WriteFile(tmp, body, 0o600); err != nil {
				http.Error(w, "storing: "+err.Error(), http.StatusInternalServerError)
				return
			}
			if err := os.Rename(tmp, filepath.Join(data, key)); err != nil {
				http.Error(w, "storing: "+err.Error(), http.StatusInternalServerError)
				return
			}
			log.Printf("PUT /data/%s: %d bytes", key, len(body))
			w.WriteHeader(http.StatusNoContent)
		})
		mux.HandleFunc("GET /data/{key}", func(w http.ResponseWriter, r *http.Request) {
			key := r.PathValue("key")
			if !validKey(key) {
				http.Error(w, "key: 1 to 64 of a-z, 0-9 and -", http.StatusBadRequest)
				return
			}
			b, err := os.ReadFile(filepath.Join(data, key))
			if errors.Is(err, os.ErrNotExist) {
				http.Error(w, "no value "+key, http.StatusNotFound)
				return
			}
			if err != nil {
				http.Error(w, "reading: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(b)
		})
	}
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
