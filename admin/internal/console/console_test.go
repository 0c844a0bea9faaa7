package console

import (
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/admin/internal/upstream"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

func TestSPABasePath(t *testing.T) {
	assets := fstest.MapFS{
		"index.html":         {Data: []byte(`<!doctype html><html><head><script src="./assets/app.js"></script></head></html>`)},
		"assets/app.js":      {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
		"assets/style-1.css": {Data: []byte("body{}")},
	}
	c := &Console{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	s, err := newSPA(assets)
	if err != nil {
		t.Fatal(err)
	}
	s.c = c
	cases := []struct {
		name, remote, prefix, want string
	}{
		{"direct", "192.0.2.1:5000", "", `<head><base href="/">`},
		{"behind a trusted via", "10.1.2.3:5000", "/admin", `<head><base href="/admin/">`},
		{"prefix from an untrusted peer", "192.0.2.1:5000", "/evil", `<head><base href="/">`},
		{"bad prefix", "10.1.2.3:5000", `/a"><script>`, `<head><base href="/">`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.prefix != "" {
				r.Header.Set("X-Forwarded-Prefix", tc.prefix)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			body, _ := io.ReadAll(w.Body)
			if !strings.Contains(string(body), tc.want) || w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("index = %s (%v)", body, w.Header())
			}
		})
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/assets/app.js", nil))
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %v", w.Code, w.Header())
	}
}

func TestPeer(t *testing.T) {
	c := &Console{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
	r := httptest.NewRequest("POST", "/api/login", nil)
	r.RemoteAddr = "127.0.0.1:4000"
	r.Host = "10.0.0.5:7402"
	r.Header.Set("X-Forwarded-For", "198.51.100.7, 203.0.113.9")
	r.Header.Set("X-Forwarded-Host", "console.example.org")
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Forwarded-Prefix", "/admin")
	p := c.peer(r)
	if !p.trusted || p.ip != "203.0.113.9" || p.host != "console.example.org" || p.proto != "https" || p.prefix != "/admin" {
		t.Errorf("trusted peer = %+v", p)
	}
	r.Header.Set("Origin", "https://console.example.org")
	if !sameOrigin(r, p) {
		t.Error("same origin refused")
	}
	r.Header.Set("Origin", "https://evil.example")
	if sameOrigin(r, p) {
		t.Error("foreign origin accepted")
	}
	r.RemoteAddr = "192.0.2.50:4000"
	p = c.peer(r)
	if p.trusted || p.ip != "192.0.2.50" || p.host != "10.0.0.5:7402" || p.prefix != "" {
		t.Errorf("untrusted peer = %+v", p)
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(3, 60)
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("4th attempt: %v, wait %s", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Fatal("another address is limited too")
	}
	for i := range maxBuckets + 10 {
		l.allow(strings.Repeat("x", i%7) + string(rune(i)))
	}
	if len(l.buckets) > maxBuckets {
		t.Errorf("%d buckets kept", len(l.buckets))
	}
}

func TestDetailOfLeavesSecretsOut(t *testing.T) {
	d := detailOf([]byte(`{"amount":"100","operation":"op-1","password":"hunter2 hunter2","resources":{"cpuMillis":1000,"x":{"deep":1}},"current":"a","new":"b","signature":"0x1","message":"m"}`))
	want := map[string]string{"amount": "100", "operation": "op-1", "resources.cpuMillis": "1000"}
	if len(d) != len(want) {
		t.Fatalf("detail = %v", d)
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("detail[%s] = %q, want %q", k, d[k], v)
		}
	}
}

func amount(v int64) *carrierapi.Amount { return carrierapi.NewAmount(big.NewInt(v)) }

func TestClosedAt(t *testing.T) {
	for _, tc := range []struct {
		o    carrierapi.OrderInfo
		want int64
	}{
		{carrierapi.OrderInfo{State: "settled", Start: 1000, End: 4600, Escrow: amount(3600), Paid: amount(3600)}, 4600},
		{carrierapi.OrderInfo{State: "cancelled", Start: 1000, End: 4600, Escrow: amount(7200), Paid: amount(20)}, 1010},
		{carrierapi.OrderInfo{State: "cancelled", Start: 1000, End: 4600, Escrow: amount(0), Paid: amount(0)}, 4600},
		{carrierapi.OrderInfo{State: "cancelled", Start: 1000, End: 4600, Paid: amount(1)}, 4600},
		{carrierapi.OrderInfo{State: "closed", Start: 1000, End: 4600, Escrow: amount(7200), Paid: amount(3600)}, 2800},
	} {
		if got := closedAt(tc.o); got != tc.want {
			t.Errorf("%+v closed at %d, want %d", tc.o, got, tc.want)
		}
	}
}

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{auth.ErrBadCredentials, 401, "bad_credentials"},
		{&auth.LockedError{Until: time.Now().Add(time.Minute)}, 429, "locked"},
		{auth.ErrLastAdmin, 409, "conflict"},
		{auth.ErrWeakPassword, 400, "bad_request"},
		{upstream.ErrNoCarrier, 503, "carrier_unavailable"},
		{upstream.ErrNoToken, 503, "carrier_not_configured"},
		{errors.New("disk on fire"), 500, "internal"},
	} {
		e, _ := asAPIError(tc.err)
		if e.Status != tc.status || e.Code != tc.code {
			t.Errorf("%v -> %d %s, want %d %s", tc.err, e.Status, e.Code, tc.status, tc.code)
		}
	}
	_, err := carrierResult(upstream.Response{Status: 401, Body: []byte(`{"error":{"code":"unauthorized","message":"missing or wrong bearer token"}}`)})
	if e, _ := asAPIError(err); e.Status != http.StatusBadGateway || e.Code != "carrier_unauthorized" {
		t.Errorf("carrier 401 -> %d %s", e.Status, e.Code)
	}
	_, err = carrierResult(upstream.Response{Status: 400, Body: []byte(`{"error":{"code":"insufficient_credits","message":"need 5"}}`)})
	if e, _ := asAPIError(err); e.Status != 400 || e.Code != "insufficient_credits" || e.Message != "carrier: need 5" {
		t.Errorf("carrier 400 -> %+v", e)
	}
	_, err = carrierResult(upstream.Response{Status: 502, Body: []byte(`<html>`)})
	if e, _ := asAPIError(err); e.Status != http.StatusBadGateway || e.Code != "bad_gateway" {
		t.Errorf("carrier html -> %+v", e)
	}
}
