package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestRoot(t *testing.T) {
	srv := httptest.NewServer(handler("pod-1"))
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
	srv := httptest.NewServer(handler("pod-1"))
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
