package edge

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// writeCert writes a self-signed certificate with the given serial.
func writeCert(t *testing.T, certFile, keyFile string, serial int64) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "via.test"},
		DNSNames:     []string{"via.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	// Write to temporary names and rename, as a certificate manager does.
	for path, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "EC PRIVATE KEY", Bytes: kder}} {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
}

// serialOf opens a new TLS connection and returns the server's serial.
func serialOf(t *testing.T, addr string) int64 {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, ServerName: "via.test"})
	if err != nil {
		t.Fatalf("tls dial: %v", err)
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
}

// healthz sends one request on an open connection.
func healthz(t *testing.T, c *tls.Conn, br *bufio.Reader) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: via.test\r\n\r\n")); err != nil {
		t.Fatalf("write on the old connection: %v", err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("read on the old connection: %v", err)
	}
	_, _ = bufio.NewReader(resp.Body).WriteTo(discard{})
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz on the old connection: %d", resp.StatusCode)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestTLSRotation: a rotated certificate is served to new connections,
// after a file change and after SIGHUP, while a connection opened before
// keeps working, and the redirect listener points at HTTPS.
func TestTLSRotation(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	writeCert(t, certFile, keyFile, 1)
	// Own SIGHUP first, so that the signal can never end the test process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	h := startHarness(t, func(c *Config) {
		c.TLSCert, c.TLSKey = certFile, keyFile
		c.TLSPollInterval = 100 * time.Millisecond
		c.RedirectAddr = "127.0.0.1:0"
	})
	addr := h.edge.Addr().String()
	if s := serialOf(t, addr); s != 1 {
		t.Fatalf("serial %d, want 1", s)
	}
	old, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, ServerName: "via.test", NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	br := bufio.NewReader(old)
	healthz(t, old, br)

	writeCert(t, certFile, keyFile, 2)
	took := eventually(t, 10*time.Second, "file change picked up", func() bool { return serialOf(t, addr) == 2 })
	t.Logf("new certificate served %s after the files changed (poll 100ms)", took.Round(time.Millisecond))
	healthz(t, old, br)

	// SIGHUP: with polling that would take an hour.
	writeCert(t, certFile, keyFile, 3)
	h.edge.certs.stamp.Store(h.edge.certs.fileStamp()) // the poller sees nothing new
	eventually(t, 10*time.Second, "SIGHUP reload", func() bool {
		_ = syscall.Kill(os.Getpid(), syscall.SIGHUP)
		time.Sleep(50 * time.Millisecond)
		return serialOf(t, addr) == 3
	})
	healthz(t, old, br)

	// The redirect listener sends plain HTTP to HTTPS on the public port.
	nc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := nc.Get("http://" + h.edge.RedirectAddr().String() + "/gw/x?y=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := "https://" + addr + "/gw/x?y=1"; resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Fatalf("redirect: %d %q, want 308 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}
