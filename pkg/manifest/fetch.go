package manifest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// Errors callers test with errors.Is; every fetch error wraps one of them.
var (
	// ErrInvalidURL: not an absolute http(s) URL with a host, or too long.
	ErrInvalidURL = errors.New("invalid manifest URL")
	// ErrForbiddenAddress: the host resolves to (or connects to) an address
	// the rules refuse.
	ErrForbiddenAddress = errors.New("manifest address not allowed")
	// ErrTooLarge: the body is over the size limit.
	ErrTooLarge = errors.New("manifest too large")
	// ErrUnreachable: DNS, connect, TLS, timeout or a non-200 answer.
	ErrUnreachable = errors.New("manifest unreachable")
	// ErrTooManyRedirects: more redirects than allowed.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrEmpty: the body is empty.
	ErrEmpty = errors.New("manifest is empty")
)

// MaxURLLength bounds a manifest URL.
const MaxURLLength = 2048

// Options tune a Fetcher. Start from Defaults.
type Options struct {
	// MaxBytes bounds the manifest size.
	MaxBytes int64
	// Timeout bounds the whole fetch, redirects included.
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed, each re-checked.
	MaxRedirects int
	// AllowLoopback permits loopback addresses (127.0.0.0/8, ::1), for
	// tests and a devnet on one machine. Private, link-local, multicast and
	// metadata addresses stay refused.
	AllowLoopback bool
	// Allow is the operator's exception list: an address inside one of
	// these prefixes passes every address rule (a manifest server on the
	// provider's own private network, say). Keep it narrow.
	Allow []netip.Prefix
}

// Defaults are 1 MiB, 10 s and 3 redirects, loopback refused.
func Defaults() Options {
	return Options{MaxBytes: 1 << 20, Timeout: 10 * time.Second, MaxRedirects: 3}
}

// Validate reports the first problem with o.
func (o Options) Validate() error {
	switch {
	case o.MaxBytes <= 0:
		return fmt.Errorf("manifest max bytes %d: must be positive", o.MaxBytes)
	case o.Timeout <= 0:
		return fmt.Errorf("manifest timeout %s: must be positive", o.Timeout)
	case o.MaxRedirects < 0:
		return fmt.Errorf("manifest max redirects %d: must not be negative", o.MaxRedirects)
	}
	for _, p := range o.Allow {
		if !p.IsValid() {
			return fmt.Errorf("manifest allow-list: invalid prefix %s", p)
		}
	}
	return nil
}

// Manifest is a fetched manifest.
type Manifest struct {
	// URL is the URL asked for; FinalURL the one that answered.
	URL, FinalURL string
	Size          int64
	// Hash is keccak256 of the bytes.
	Hash [32]byte
	Body []byte
}

// Fetcher fetches manifests; safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	// resolve is net.DefaultResolver.LookupNetIP; tests replace it.
	resolve func(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// New returns a Fetcher with opts.
func New(opts Options) (*Fetcher, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	f := &Fetcher{opts: opts, resolve: net.DefaultResolver.LookupNetIP}
	dialer := &net.Dialer{Timeout: opts.Timeout, Control: f.control}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would connect for us, past the checks
		DialContext:            f.dialContext(dialer),
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxIdleConns:           4,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	f.client = &http.Client{
		Transport: transport,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, opts.MaxRedirects)
			}
			return checkURL(req.URL)
		},
	}
	return f, nil
}

// Transport is the fetcher's HTTP transport: no proxy, and every
// connection checked against the address rules after resolution and at
// connect time. Other outbound calls to URLs that come from outside (the
// carrier's gateway logins, admin's gateway calls) use it with their own
// client; a client's CheckRedirect should bound and re-check redirects as
// the fetcher's does (CheckURL).
func (f *Fetcher) Transport() http.RoundTripper { return f.client.Transport }

// CheckURL reports whether u is an absolute http(s) URL with a host and no
// credentials: the rule every fetched URL and redirect target passes.
func CheckURL(u *url.URL) error { return checkURL(u) }

// Fetch downloads rawURL and hashes it.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*Manifest, error) {
	if len(rawURL) > MaxURLLength {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidURL, MaxURLLength)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("Accept", "application/yaml, text/yaml, application/json, text/plain, */*")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrUnreachable, resp.Request.URL.Redacted(), resp.Status)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, classify(err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, f.opts.MaxBytes)
	}
	if len(body) == 0 {
		return nil, ErrEmpty
	}
	m := &Manifest{URL: rawURL, FinalURL: resp.Request.URL.String(), Size: int64(len(body)), Body: body}
	copy(m.Hash[:], crypto.Keccak256(body))
	return m, nil
}

// classify keeps our sentinel errors and maps the rest to ErrUnreachable.
func classify(err error) error {
	for _, known := range []error{ErrForbiddenAddress, ErrTooManyRedirects, ErrInvalidURL} {
		if errors.Is(err, known) {
			return err
		}
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, err)
}

func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q, want http or https", ErrInvalidURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in the URL are not accepted", ErrInvalidURL)
	}
	return nil
}

// dialContext resolves the host itself, refuses the connection if any
// resolved address is forbidden, and dials the first allowed address by IP
// (so that the checked address is the one connected to); the dialer's
// Control checks it once more on the socket.
func (f *Fetcher) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
		}
		var addrs []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			addrs = []netip.Addr{ip}
		} else if addrs, err = f.resolve(ctx, "ip", host); err != nil {
			return nil, fmt.Errorf("%w: resolving %s: %v", ErrUnreachable, host, err)
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("%w: %s has no address", ErrUnreachable, host)
		}
		for _, a := range addrs {
			if err := f.allowed(a); err != nil {
				if a.String() == host {
					return nil, err
				}
				return nil, fmt.Errorf("%s resolves to %s: %w", host, a, err)
			}
		}
		var last error
		for _, a := range addrs {
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			if errors.Is(err, ErrForbiddenAddress) {
				return nil, err
			}
			last = err
		}
		return nil, last
	}
}

// control is the dialer's last check, on the address actually connected to.
func (f *Fetcher) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrForbiddenAddress, address)
	}
	return f.allowed(ap.Addr())
}

// metadata lists cloud metadata addresses outside the ranges below
// (169.254.169.254 is link-local already).
var metadata = []netip.Prefix{
	netip.MustParsePrefix("100.100.100.200/32"), // Alibaba Cloud
	netip.MustParsePrefix("fd00:ec2::254/128"),  // AWS IPv6
}

// forbidden are refused whatever the options (besides the predicates).
var forbidden = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),  // NAT64 can reach IPv4 private space
	netip.MustParsePrefix("2002::/16"),     // 6to4, idem
}

// allowed applies the address rules.
func (f *Fetcher) allowed(a netip.Addr) error {
	a = a.Unmap()
	for _, p := range f.opts.Allow {
		if p.Contains(a) {
			return nil
		}
	}
	switch {
	case !a.IsValid():
		return fmt.Errorf("%w: invalid address", ErrForbiddenAddress)
	case a.IsLoopback():
		if f.opts.AllowLoopback {
			return nil
		}
		return fmt.Errorf("%w: %s is loopback", ErrForbiddenAddress, a)
	case a.IsUnspecified():
		return fmt.Errorf("%w: %s is unspecified", ErrForbiddenAddress, a)
	case a.IsPrivate():
		return fmt.Errorf("%w: %s is private", ErrForbiddenAddress, a)
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return fmt.Errorf("%w: %s is link-local (metadata services live there)", ErrForbiddenAddress, a)
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return fmt.Errorf("%w: %s is multicast", ErrForbiddenAddress, a)
	}
	for _, p := range metadata {
		if p.Contains(a) {
			return fmt.Errorf("%w: %s is a metadata address", ErrForbiddenAddress, a)
		}
	}
	for _, p := range forbidden {
		if p.Contains(a) {
			return fmt.Errorf("%w: %s is in reserved range %s", ErrForbiddenAddress, a, p)
		}
	}
	return nil
}
