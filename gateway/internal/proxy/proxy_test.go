package proxy_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/service"
)

// resolver maps order ids to upstream URLs.
type resolver struct {
	mu sync.Mutex
	m  map[string]string
}

func (r *resolver) Entrypoint(_ context.Context, o market.Order) (*url.URL, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.m[o.ID.String()]
	if !ok {
		return nil, fmt.Errorf("%w: order %s not deployed", proxy.ErrNoEntrypoint, o.ID)
	}
	return url.Parse(s)
}

func order(id int64) market.Order {
	return market.Order{ID: big.NewInt(id), ChainID: big.NewInt(1337), Market: common.Address{1}}
}

// front is the gateway's side: it serves /app/<id>/… with the proxy, as
// the API does after authentication.
func front(t *testing.T, p *proxy.Proxy, tlsH2 bool) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/app/")
		id, tail, _ := strings.Cut(rest, "/")
		var n int64
		fmt.Sscan(id, &n)
		out := r.Clone(r.Context())
		out.URL.Path = "/" + tail
		out.URL.RawPath = ""
		_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
		p.ServeApp(w, out, order(n), "/gw/0xabc/app/"+id)
	})
	s := httptest.NewUnstartedServer(h)
	if tlsH2 {
		s.EnableHTTP2 = true
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func TestHTTP(t *testing.T) {
	var seen sync.Map
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen.Store("path", r.URL.RequestURI())
		seen.Store("prefix", r.Header.Get("X-Forwarded-Prefix"))
		seen.Store("xff", r.Header.Get("X-Forwarded-For"))
		http.SetCookie(w, &http.Cookie{Name: "gridnode_session_7", Value: "evil"})
		http.SetCookie(w, &http.Cookie{Name: "app", Value: "ok"})
		fmt.Fprintf(w, "app A %s %s body=%s", r.Method, r.URL.Path, b)
	}))
	t.Cleanup(up.Close)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "app B")
	}))
	t.Cleanup(other.Close)
	reg := prometheus.NewRegistry()
	p := proxy.New(proxy.Options{}, &resolver{m: map[string]string{"7": up.URL + "/base", "8": other.URL}}, reg, zaptest.NewLogger(t))
	t.Cleanup(p.Close)
	f := front(t, p, false)

	resp, err := http.Post(f.URL+"/app/7/x/y?q=1", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "app A POST /base/x/y body=hello" {
		t.Fatalf("body %q", b)
	}
	if p, _ := seen.Load("path"); p != "/base/x/y?q=1" {
		t.Errorf("upstream path %v", p)
	}
	if p, _ := seen.Load("prefix"); p != "/gw/0xabc/app/7" {
		t.Errorf("X-Forwarded-Prefix %v", p)
	}
	if x, _ := seen.Load("xff"); x != "127.0.0.1" {
		t.Errorf("X-Forwarded-For %v", x)
	}
	var names []string
	for _, c := range resp.Cookies() {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "app" {
		t.Errorf("cookies set by the app reach the client: %v; want only the app's own", names)
	}

	// Order 8's requests reach app B only.
	resp, err = http.Get(f.URL + "/app/8/../7/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "app B" {
		t.Errorf("order 8 reached %q", b)
	}

	// An order without an app: 502 with a JSON error.
	resp, err = http.Get(f.URL + "/app/9/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "app_unavailable") {
		t.Errorf("no app: %d %s", resp.StatusCode, b)
	}
	if n := counter(t, reg, "7", "2xx"); n != 1 {
		t.Errorf("proxy requests of order 7 = %v, want 1", n)
	}
}

func counter(t *testing.T, reg *prometheus.Registry, order, code string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "gridnode_gateway_proxy_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["order"] == order && labels["code"] == code {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestWebSocket(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			mt, m, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(mt, append([]byte("echo: "), m...)); err != nil {
				return
			}
		}
	}))
	t.Cleanup(up.Close)
	for _, h2c := range []bool{false, true} {
		t.Run(fmt.Sprintf("h2c=%v", h2c), func(t *testing.T) {
			p := proxy.New(proxy.Options{H2C: h2c}, &resolver{m: map[string]string{"1": up.URL}}, nil, zaptest.NewLogger(t))
			f := front(t, p, false)
			ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(f.URL, "http")+"/app/1/ws", nil)
			if err != nil {
				t.Fatalf("dial: %v (%v)", err, resp)
			}
			defer ws.Close()
			for i := range 5 {
				msg := fmt.Sprintf("message %d", i)
				if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
					t.Fatal(err)
				}
				_, got, err := ws.ReadMessage()
				if err != nil || string(got) != "echo: "+msg {
					t.Fatalf("read %q, %v", got, err)
				}
			}
		})
	}
}

// TestStreaming: a response of unknown length reaches the client chunk by
// chunk while the app is still writing; a request body streams to the app
// the same way.
func TestStreaming(t *testing.T) {
	next := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Echo each line of the request body as it arrives.
			_ = http.NewResponseController(w).EnableFullDuplex()
			sc := bufio.NewScanner(r.Body)
			for sc.Scan() {
				fmt.Fprintf(w, "got %s\n", sc.Text())
				w.(http.Flusher).Flush()
			}
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
			select {
			case <-next: // the test read this event
			case <-r.Context().Done():
				return
			}
		}
	}))
	t.Cleanup(up.Close)
	for _, mode := range []string{"http1", "http2-tls", "h2c-upstream"} {
		t.Run(mode, func(t *testing.T) {
			p := proxy.New(proxy.Options{H2C: mode == "h2c-upstream"}, &resolver{m: map[string]string{"1": upURL(t, up, mode == "h2c-upstream")}}, nil, zaptest.NewLogger(t))
			f := front(t, p, mode == "http2-tls")
			client := f.Client()
			resp, err := client.Get(f.URL + "/app/1/events")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if mode == "http2-tls" && resp.ProtoMajor != 2 {
				t.Fatalf("client spoke %s, want HTTP/2", resp.Proto)
			}
			rd := bufio.NewReader(resp.Body)
			for i := range 3 {
				line, err := rd.ReadString('\n')
				if err != nil || line != fmt.Sprintf("data: %d\n", i) {
					t.Fatalf("event %d: %q, %v", i, line, err)
				}
				_, _ = rd.ReadString('\n')
				next <- struct{}{} // only now may the app write the next one
			}

			// Request body streaming: write a line, read its echo, write the next.
			pr, pw := io.Pipe()
			req, _ := http.NewRequest(http.MethodPost, f.URL+"/app/1/echo", pr)
			done := make(chan *http.Response, 1)
			go func() {
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					close(done)
					return
				}
				done <- resp
			}()
			fmt.Fprintln(pw, "one")
			resp2 := <-done
			if resp2 == nil {
				return
			}
			defer resp2.Body.Close()
			rd2 := bufio.NewReader(resp2.Body)
			if l, err := rd2.ReadString('\n'); l != "got one\n" {
				t.Fatalf("first echo %q, %v", l, err)
			}
			fmt.Fprintln(pw, "two")
			if l, err := rd2.ReadString('\n'); l != "got two\n" {
				t.Fatalf("second echo %q, %v", l, err)
			}
			pw.Close()
		})
	}
}

// upURL is the upstream's URL; for h2c a second server on the same
// handler that speaks only cleartext HTTP/2.
func upURL(t *testing.T, up *httptest.Server, h2c bool) string {
	if !h2c {
		return up.URL
	}
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			http.Error(w, "want h2c, got "+r.Proto, http.StatusHTTPVersionNotSupported)
			return
		}
		up.Config.Handler.ServeHTTP(w, r)
	}))
	s.Config.Protocols = new(http.Protocols)
	s.Config.Protocols.SetUnencryptedHTTP2(true)
	s.Start()
	t.Cleanup(s.Close)
	return s.URL
}

// TestClientDisconnect: a client that goes away cancels the app's request.
func TestClientDisconnect(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done()
		close(cancelled)
	}))
	t.Cleanup(up.Close)
	reg := prometheus.NewRegistry()
	p := proxy.New(proxy.Options{}, &resolver{m: map[string]string{"1": up.URL}}, reg, zaptest.NewLogger(t))
	f := front(t, p, false)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.URL+"/app/1/long", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	cancel()
	resp.Body.Close()
	select {
	case <-cancelled:
	case <-time.After(20 * time.Second):
		t.Fatal("the app's request was not cancelled when the client went away")
	}
}

// TestUpstreamDown: a dead entrypoint is a 502, and the cached entrypoint
// is dropped so that a redeployed app is found at once.
func TestUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "back") }))
	t.Cleanup(up.Close)
	res := &resolver{m: map[string]string{"1": dead}}
	p := proxy.New(proxy.Options{EntrypointTTL: time.Hour}, res, nil, zaptest.NewLogger(t))
	f := front(t, p, false)
	resp, err := http.Get(f.URL + "/app/1/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "app_unavailable") {
		t.Fatalf("dead app: %d %s", resp.StatusCode, b)
	}
	res.mu.Lock()
	res.m["1"] = up.URL
	res.mu.Unlock()
	resp, err = http.Get(f.URL + "/app/1/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "back" {
		t.Fatalf("after redeploy: %d %q (the dead entrypoint stayed cached)", resp.StatusCode, b)
	}
}

// TestKeepAlive: requests without a body reuse the app connections, on
// the request's goroutine (pkg/h1client), with the same headers as those
// with a body; both kinds of request reach the app.
func TestKeepAlive(t *testing.T) {
	var conns sync.Map
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s host=%s xff=%s prefix=%s ua=%q body=%s", r.Method, r.URL.RequestURI(), r.Host,
			r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Prefix"), r.Header.Get("User-Agent"), b)
	}))
	up.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Store(c.RemoteAddr().String(), true)
		}
	}
	up.Start()
	t.Cleanup(up.Close)
	p := proxy.New(proxy.Options{}, &resolver{m: map[string]string{"1": up.URL + "/base"}}, nil, zaptest.NewLogger(t))
	t.Cleanup(p.Close)
	f := front(t, p, false)
	host := strings.TrimPrefix(up.URL, "http://")
	for i := range 20 {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/app/1/x?i=%d", f.URL, i), nil)
		req.Header.Set("User-Agent", "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := fmt.Sprintf(`GET /base/x?i=%d host=%s xff=127.0.0.1 prefix=/gw/0xabc/app/1 ua="" body=`, i, host)
		if string(b) != want {
			t.Fatalf("request %d: %d %q, want %q", i, resp.StatusCode, b, want)
		}
	}
	n := 0
	conns.Range(func(_, _ any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("20 sequential requests without a body used %d app connections, want 1", n)
	}
	resp, err := http.Post(f.URL+"/app/1/y", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := fmt.Sprintf(`POST /base/y host=%s xff=127.0.0.1 prefix=/gw/0xabc/app/1 ua="Go-http-client/1.1" body=hello`, host); string(b) != want {
		t.Fatalf("with a body: %d %q, want %q", resp.StatusCode, b, want)
	}
}

// TestAppErrors: an app that sends no response head in time is a 504, one
// whose head is too large or that hangs up before answering a 502, each
// with a JSON body.
func TestAppErrors(t *testing.T) {
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/bighead":
			w.Header().Set("X-Big", strings.Repeat("b", 2<<20))
		case "/hangup":
			c, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				c.Close()
			}
		}
	}))
	t.Cleanup(up.Close)
	t.Cleanup(func() { close(release) })
	reg := prometheus.NewRegistry()
	p := proxy.New(proxy.Options{ResponseHeaderTimeout: 300 * time.Millisecond}, &resolver{m: map[string]string{"1": up.URL}}, reg, zaptest.NewLogger(t))
	t.Cleanup(p.Close)
	f := front(t, p, false)
	for _, tc := range []struct {
		method, path string
		code         int
		errCode      string
	}{
		{"GET", "/slow", http.StatusGatewayTimeout, "app_timeout"},
		{"POST", "/slow", http.StatusGatewayTimeout, "app_timeout"},
		{"GET", "/bighead", http.StatusBadGateway, "app_unavailable"},
		{"GET", "/hangup", http.StatusBadGateway, "app_unavailable"},
		{"POST", "/hangup", http.StatusBadGateway, "app_unavailable"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			var body io.Reader
			if tc.method == "POST" {
				body = strings.NewReader("payload")
			}
			req, _ := http.NewRequest(tc.method, f.URL+"/app/1"+tc.path, body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var eb service.ErrorBody
			if resp.StatusCode != tc.code || json.Unmarshal(b, &eb) != nil || eb.Error.Code != tc.errCode {
				t.Fatalf("%d %s, want %d %s", resp.StatusCode, b, tc.code, tc.errCode)
			}
		})
	}
	if n := counter(t, reg, "1", "5xx"); n != 5 {
		t.Errorf("5xx requests counted %v, want 5", n)
	}
}

// TestIdleSweep: app connections idle for longer than the idle timeout
// are closed, without further traffic.
func TestIdleSweep(t *testing.T) {
	closed := make(chan struct{}, 16)
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	up.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			closed <- struct{}{}
		}
	}
	up.Start()
	t.Cleanup(up.Close)
	p := proxy.New(proxy.Options{IdleConnTimeout: 200 * time.Millisecond}, &resolver{m: map[string]string{"1": up.URL}}, nil, zaptest.NewLogger(t))
	t.Cleanup(p.Close)
	f := front(t, p, false)
	resp, err := http.Get(f.URL + "/app/1/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "ok" {
		t.Fatalf("%d %q", resp.StatusCode, b)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the idle app connection was not closed")
	}
}
