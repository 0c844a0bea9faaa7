package api

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// DefaultTrustedProxies are the addresses whose X-Forwarded-* headers are
// believed by default: loopback and private networks, where the
// organization's via runs.
var DefaultTrustedProxies = []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}

// ParsePrefixes parses CIDRs (or single addresses).
func ParsePrefixes(in []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q: want a CIDR or an address", s)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// forwarded is what the request's origin looks like from the buyer's
// side: behind via, the public prefix (/gw/<provider>), scheme and host.
type forwarded struct {
	// prefix is the path prefix under which the buyer sees this gateway,
	// "" when reached directly.
	prefix string
	https  bool
	host   string
	// trusted: the request came from a trusted proxy.
	trusted bool
}

const maxPrefixLen = 256

// forwardedInfo reads X-Forwarded-Prefix, -Proto and -Host when the peer is
// a trusted proxy, and ignores them otherwise.
func (s *Server) forwardedInfo(r *http.Request) forwarded {
	f := forwarded{https: r.TLS != nil, host: r.Host}
	if !s.trusted(r.RemoteAddr) {
		return f
	}
	f.trusted = true
	if p := r.Header.Get("X-Forwarded-Prefix"); validPrefix(p) {
		f.prefix = strings.TrimRight(p, "/")
	}
	switch strings.ToLower(strings.TrimSpace(firstValue(r.Header.Get("X-Forwarded-Proto")))) {
	case "https":
		f.https = true
	case "http":
		f.https = r.TLS != nil
	}
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" && len(h) <= 255 && !strings.ContainsAny(h, " /\\@") {
		f.host = h
	}
	return f
}

func (s *Server) trusted(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

// validPrefix accepts /seg/seg of printable ASCII without dot segments,
// quotes, semicolons or commas (it goes into cookies' Path and URLs).
func validPrefix(p string) bool {
	if p == "" || p[0] != '/' || len(p) > maxPrefixLen {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= 0x20 || c >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\' || c == '?' || c == '#' || c == '%' {
			return false
		}
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
