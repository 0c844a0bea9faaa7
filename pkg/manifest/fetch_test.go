package manifest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

func newFetcher(t *testing.T, mod func(*Options)) *Fetcher {
	t.Helper()
	o := Defaults()
	o.MaxBytes = 1024
	o.AllowLoopback = true
	if mod != nil {
		mod(&o)
	}
	f, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFetch(t *testing.T) {
	body := "apiVersion: v1\nkind: ConfigMap\n"
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(strings.Repeat("x", 2000))) })
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, _ *http.Request) {
		for range 20 {
			_, _ = w.Write([]byte(strings.Repeat("x", 100)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/empty", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.1.2.3/x", http.StatusFound)
	})
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	closed := httptest.NewServer(mux)
	closedURL := closed.URL
	closed.Close()

	f := newFetcher(t, nil)
	ctx := context.Background()
	m, err := f.Fetch(ctx, srv.URL+"/ok")
	if err != nil {
		t.Fatal(err)
	}
	if m.Size != int64(len(body)) || m.Hash != [32]byte(crypto.Keccak256([]byte(body))) {
		t.Errorf("got size %d hash %x", m.Size, m.Hash)
	}
	if m, err := f.Fetch(ctx, srv.URL+"/redirect"); err != nil || m.Hash != [32]byte(crypto.Keccak256([]byte(body))) {
		t.Errorf("redirect: %v", err)
	}

	for _, tc := range []struct {
		name, url string
		f         *Fetcher
		want      error
	}{
		{"too big", srv.URL + "/big", f, ErrTooLarge},
		{"too big chunked", srv.URL + "/big-chunked", f, ErrTooLarge},
		{"empty", srv.URL + "/empty", f, ErrEmpty},
		{"404", srv.URL + "/missing", f, ErrUnreachable},
		{"closed port", closedURL + "/ok", f, ErrUnreachable},
		{"redirect loop", srv.URL + "/loop", f, ErrTooManyRedirects},
		{"redirect to private", srv.URL + "/to-private", f, ErrForbiddenAddress},
		{"redirect to metadata", srv.URL + "/to-metadata", f, ErrForbiddenAddress},
		{"private literal", "http://192.168.1.1/m.yaml", f, ErrForbiddenAddress},
		{"metadata literal", "http://169.254.169.254/", f, ErrForbiddenAddress},
		{"ipv6 link-local", "http://[fe80::1]/", f, ErrForbiddenAddress},
		{"mapped private", "http://[::ffff:10.0.0.1]/", f, ErrForbiddenAddress},
		{"loopback without allow", srv.URL + "/ok", newFetcher(t, func(o *Options) { o.AllowLoopback = false }), ErrForbiddenAddress},
		{"scheme", "file:///etc/passwd", f, ErrInvalidURL},
		{"userinfo", "http://u:p@example.com/", f, ErrInvalidURL},
		{"no host", "http:///x", f, ErrInvalidURL},
		{"long", "http://example.com/" + strings.Repeat("a", MaxURLLength), f, ErrInvalidURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Fetch(ctx, tc.url)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Fetch(%s) = %v, want %v", tc.url, err, tc.want)
			}
			t.Log(err)
		})
	}
}

// TestResolvedAddressChecked: a name that resolves to a private address is
// refused before any connection.
func TestResolvedAddressChecked(t *testing.T) {
	f := newFetcher(t, nil)
	f.resolve = func(context.Context, string, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("10.0.0.8")}, nil
	}
	_, err := f.Fetch(context.Background(), "http://rebind.example/m.yaml")
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("got %v, want ErrForbiddenAddress", err)
	}
}

// TestControlRefusesAtConnect: the dialer's Control refuses a forbidden
// address even if resolution was bypassed.
func TestControlRefusesAtConnect(t *testing.T) {
	f := newFetcher(t, func(o *Options) { o.AllowLoopback = false })
	d := &net.Dialer{Control: f.control}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := d.Dial("tcp", ln.Addr().String()); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("dial loopback = %v, want ErrForbiddenAddress", err)
	}
}

// TestAllowList: the operator's prefixes let exactly those addresses
// through; everything else stays refused.
func TestAllowList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("kind: ConfigMap\n")) }))
	t.Cleanup(srv.Close)
	f := newFetcher(t, func(o *Options) {
		o.AllowLoopback = false
		o.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.9.0.0/16")}
	})
	if _, err := f.Fetch(context.Background(), srv.URL); err != nil {
		t.Fatalf("allow-listed loopback: %v", err)
	}
	for _, tc := range []struct {
		addr string
		want error
	}{
		{"10.9.1.2", nil},
		{"127.0.0.2", ErrForbiddenAddress},
		{"10.8.1.2", ErrForbiddenAddress},
		{"169.254.169.254", ErrForbiddenAddress},
	} {
		if err := f.allowed(netip.MustParseAddr(tc.addr)); !errors.Is(err, tc.want) && (tc.want != nil || err != nil) {
			t.Errorf("allowed(%s) = %v, want %v", tc.addr, err, tc.want)
		}
	}
	if err := (Options{MaxBytes: 1, Timeout: time.Second, Allow: []netip.Prefix{{}}}).Validate(); err == nil {
		t.Error("an invalid prefix passed Validate")
	}
}
