package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestRoot(t *testing.T) {
	srv := httptest.NewServer(handler("pod-1", ""))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") != "application/json" || got["hostname"] != "pod-1" || got["app"] != "gridnode-demo" || got["version"] != version {
		t.Errorf("GET / = %v (%s)", got, resp.Header.Get("Content-Type"))
	}
	for path, want := range map[string]int{"/healthz": 200, "/nothing": 404} {
		r, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, r.StatusCode, want)
		}
	}
}

func TestWebSocketEcho(t *testing.T) {
	srv := httptest.NewServer(handler("pod-1", ""))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, m := range []struct {
		kind int
		data string
	}{{websocket.TextMessage, "hello"}, {websocket.BinaryMessage, "\x00\x01\x02"}} {
		if err := c.WriteMessage(m.kind, []byte(m.data)); err != nil {
			t.Fatal(err)
		}
		kind, got, err := c.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if kind != m.kind || string(got) != m.data {
			t.Errorf("echo = (%d, %q), want (%d, %q)", kind, got, m.kind, m.data)
		}
	}
	// A message over the limit closes the connection.
	if err := c.WriteMessage(websocket.TextMessage, make([]byte, maxMessage+1)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadMessage(); err == nil {
		t.Errorf("an oversized message was echoed, want the connection closed")
	}
}

func TestData(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewServer(handler("pod-1", dir))
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if c, _ := do("GET", "/data/k1", ""); c != 404 {
		t.Errorf("GET of a missing key: %d", c)
	}
	if c, _ := do("PUT", "/data/k1", "hello"); c != 204 {
		t.Errorf("PUT: %d", c)
	}
	if c, b := do("GET", "/data/k1", ""); c != 200 || b != "hello" {
		t.Errorf("GET: %d %q", c, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "k1")); err != nil {
		t.Errorf("value not in the data directory: %v", err)
	}
	for _, k := range []string{"UPPER", "a.b", strings.Repeat("a", 65)} {
		if c, _ := do("PUT", "/data/"+k, "x"); c != 400 {
			t.Errorf("PUT key %q: %d, want 400", k, c)
		}
	}
	if c, _ := do("PUT", "/data/..", "x"); c == 204 {
		t.Errorf("PUT /data/.. stored a value")
	}
	if c, _ := do("PUT", "/data/big", strings.Repeat("x", maxMessage+1)); c != 413 {
		t.Errorf("oversized PUT: %d, want 413", c)
	}
	// Without -data there is no /data.
	plain := httptest.NewServer(handler("pod-1", ""))
	defer plain.Close()
	r, err := http.Get(plain.URL + "/data/k1")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 {
		t.Errorf("GET /data without -data: %d, want 404", r.StatusCode)
	}
}
