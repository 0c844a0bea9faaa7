package api

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestForwarded(t *testing.T) {
	s := &Server{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}}
	for _, tc := range []struct {
		name, remote, prefix, proto, host string
		want                              forwarded
	}{
		{"trusted", "10.1.2.3:5000", "/gw/0xabc", "https", "via.example", forwarded{prefix: "/gw/0xabc", https: true, host: "via.example", trusted: true}},
		{"trusted v6", "[::1]:5000", "/gw/0xabc/", "http", "", forwarded{prefix: "/gw/0xabc", host: "gw.local", trusted: true}},
		{"untrusted", "192.0.2.1:5000", "/gw/0xabc", "https", "evil.example", forwarded{host: "gw.local"}},
		{"dot segments", "10.1.2.3:1", "/gw/../admin", "", "", forwarded{host: "gw.local", trusted: true}},
		{"cookie syntax", "10.1.2.3:1", "/gw/x;Domain=evil", "", "", forwarded{host: "gw.local", trusted: true}},
		{"relative", "10.1.2.3:1", "gw/x", "", "", forwarded{host: "gw.local", trusted: true}},
		{"bad host", "10.1.2.3:1", "", "", "a b", forwarded{host: "gw.local", trusted: true}},
		{"first proto", "10.1.2.3:1", "", "https, http", "", forwarded{https: true, host: "gw.local", trusted: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://gw.local/v1/session", nil)
			r.RemoteAddr = tc.remote
			r.Header.Set("X-Forwarded-Prefix", tc.prefix)
			r.Header.Set("X-Forwarded-Proto", tc.proto)
			r.Header.Set("X-Forwarded-Host", tc.host)
			if got := s.forwardedInfo(r); got != tc.want {
				t.Errorf("forwardedInfo = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestStripSession(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Cookie", "gridnode_session_1=tok; theme=dark")
	r.Header.Add("Cookie", `app="quoted value"; gridnode_session_22=tok2`)
	r.Header.Set("Authorization", "Bearer tok")
	stripSession(r, true)
	if got := r.Header.Get("Cookie"); got != `theme=dark; app="quoted value"` {
		t.Errorf("Cookie = %q", got)
	}
	if r.Header.Get("Authorization") != "" {
		t.Error("Authorization kept")
	}
}
