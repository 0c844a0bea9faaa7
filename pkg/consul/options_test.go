package consul

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/test/consultest"
)

// Every standard Consul variable this package honours; cleared for tests
// that must not see the machine's environment.
var consulEnv = []string{
	api.HTTPAddrEnvName, api.HTTPTokenEnvName, api.HTTPTokenFileEnvName, api.HTTPCAFile,
	api.HTTPClientCert, api.HTTPClientKey, api.HTTPTLSServerName, api.HTTPSSLEnvName,
}

func clearConsulEnv(t *testing.T) {
	for _, k := range consulEnv {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

func TestFlags(t *testing.T) {
	want := map[string][]string{
		"consul-addr":            {"GRIDNODE_GATEWAY_CONSUL_ADDR", "CONSUL_HTTP_ADDR"},
		"consul-token-file":      {"GRIDNODE_GATEWAY_CONSUL_TOKEN_FILE", "CONSUL_HTTP_TOKEN_FILE"},
		"consul-cacert":          {"GRIDNODE_GATEWAY_CONSUL_CACERT", "CONSUL_CACERT"},
		"consul-client-cert":     {"GRIDNODE_GATEWAY_CONSUL_CLIENT_CERT", "CONSUL_CLIENT_CERT"},
		"consul-client-key":      {"GRIDNODE_GATEWAY_CONSUL_CLIENT_KEY", "CONSUL_CLIENT_KEY"},
		"consul-tls-server-name": {"GRIDNODE_GATEWAY_CONSUL_TLS_SERVER_NAME", "CONSUL_TLS_SERVER_NAME"},
		"consul-datacenter":      {"GRIDNODE_GATEWAY_CONSUL_DATACENTER"},
	}
	flags := Flags("gateway")
	if len(flags) != len(want) {
		t.Fatalf("%d flags, want %d", len(flags), len(want))
	}
	for _, f := range flags {
		name := f.Names()[0]
		if strings.Contains(name, "token") && name != FlagTokenFile {
			t.Errorf("flag --%s: no flag may take a raw token", name)
		}
		env := f.(interface{ GetEnvVars() []string }).GetEnvVars()
		if !slices.Equal(env, want[name]) {
			t.Errorf("--%s env vars %v, want %v", name, env, want[name])
		}
	}
}

// runApp parses args and the environment the way a daemon does (through
// pkg/service) and returns the options.
func runApp(t *testing.T, args ...string) Options {
	t.Helper()
	var got Options
	app := service.App{
		Name:     "carrier",
		Defaults: service.Defaults("127.0.0.1:0"),
		Flags:    Flags("carrier"),
		Run: func(_ context.Context, c *cli.Context, _ *zap.Logger) error {
			got = OptionsFromCLI(c)
			return nil
		},
	}
	var out strings.Builder
	if code := service.RunApp(t.Context(), app, append([]string{"carrier", "--log-level", "error"}, args...), io.Discard, &out); code != 0 {
		t.Fatalf("app exited %d: %s", code, out.String())
	}
	return got
}

func TestOptionsFromEnvironment(t *testing.T) {
	clearConsulEnv(t)
	if got := runApp(t); got.Addr != DefaultAddr {
		t.Fatalf("default addr %q", got.Addr)
	}
	t.Setenv("CONSUL_HTTP_ADDR", "10.1.1.1:8500")
	t.Setenv("CONSUL_CACERT", "/etc/consul/ca.pem")
	t.Setenv("CONSUL_TLS_SERVER_NAME", "consul.org-a")
	t.Setenv("CONSUL_HTTP_TOKEN_FILE", "/run/secrets/consul-token")
	got := runApp(t)
	want := Options{Addr: "10.1.1.1:8500", CACert: "/etc/consul/ca.pem", TLSServerName: "consul.org-a", TokenFile: "/run/secrets/consul-token"}
	if got != want {
		t.Fatalf("from CONSUL_* variables: %+v, want %+v", got, want)
	}
	// The role's own variable wins over the standard one, a flag over both.
	t.Setenv("GRIDNODE_CARRIER_CONSUL_ADDR", "10.2.2.2:8500")
	if got := runApp(t); got.Addr != "10.2.2.2:8500" {
		t.Fatalf("GRIDNODE_CARRIER_CONSUL_ADDR: addr %q", got.Addr)
	}
	if got := runApp(t, "--consul-addr", "10.3.3.3:8500"); got.Addr != "10.3.3.3:8500" {
		t.Fatalf("flag: addr %q", got.Addr)
	}
}

func TestOptionsValidate(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "token-0600")
	shared := filepath.Join(dir, "token-0644")
	groupOnly := filepath.Join(dir, "token-0640")
	for path, mode := range map[string]os.FileMode{private: 0o600, shared: 0o644, groupOnly: 0o640} {
		if err := os.WriteFile(path, []byte("secret\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // umask
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		opts   Options
		errHas string
	}{
		{"empty", Options{}, ""},
		{"host port", Options{Addr: "127.0.0.1:8500"}, ""},
		{"https url", Options{Addr: "https://consul.org-a:8501"}, ""},
		{"unix socket", Options{Addr: "unix:///run/consul.sock"}, ""},
		{"no port", Options{Addr: "127.0.0.1"}, FlagAddr},
		{"bad scheme", Options{Addr: "ftp://x:1"}, "scheme"},
		{"private token file", Options{TokenFile: private}, ""},
		{"world-readable token file", Options{TokenFile: shared}, "mode 0644 lets group or others access the ACL token; run chmod 600"},
		{"group-readable token file", Options{TokenFile: groupOnly}, "mode 0640"},
		{"missing token file", Options{TokenFile: filepath.Join(dir, "nope")}, FlagTokenFile},
		{"missing ca", Options{CACert: filepath.Join(dir, "nope.pem")}, FlagCACert},
		{"cert without key", Options{ClientCert: private}, "set both or neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			switch {
			case tt.errHas == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
				t.Fatalf("Validate: %v, want an error containing %q", err, tt.errHas)
			}
		})
	}
	clearConsulEnv(t)
	if _, err := NewClient(Options{TokenFile: shared}); err == nil {
		t.Fatal("NewClient accepted a world-readable token file")
	}
	t.Setenv("CONSUL_HTTP_TOKEN_FILE", shared)
	if _, err := NewClient(Options{}); err == nil || !strings.Contains(err.Error(), "mode 0644") {
		t.Fatalf("NewClient with CONSUL_HTTP_TOKEN_FILE mode 0644: %v", err)
	}
}

func TestOptionsNeverShowTheToken(t *testing.T) {
	o := Options{Addr: "127.0.0.1:8500", Token: "s3cr3t-token"}
	var buf bytes.Buffer
	core := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&buf), zapcore.InfoLevel)
	zap.New(core).Info("consul", zap.Object("consul", o), zap.Stringer("as_string", o), zap.Any("any", o))
	if strings.Contains(buf.String(), "s3cr3t") || !strings.Contains(buf.String(), "[redacted]") {
		t.Fatalf("log line shows the token: %s", buf.String())
	}
	if strings.Contains(o.String(), "s3cr3t") {
		t.Fatalf("String() = %s", o)
	}
}

// ACL tokens reach the agent from a token file, CONSUL_HTTP_TOKEN and
// CONSUL_HTTP_TOKEN_FILE; without one the agent refuses.
func TestTokenAgainstACLAgent(t *testing.T) {
	clearConsulEnv(t)
	const root = "7c4b2d58-7f2b-4f4e-9a7e-2b8f0f3f1c11"
	a := consultest.Start(t, consultest.WithACL(root))
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(root+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	put := func(c *api.Client) error {
		_, err := c.KV().Put(&api.KVPair{Key: "gridnode/org-a/acl-test", Value: []byte("x")}, nil)
		return err
	}
	tests := []struct {
		name  string
		opts  Options
		env   map[string]string
		allow bool
	}{
		{"no token", Options{}, nil, false},
		{"token file", Options{TokenFile: tokenFile}, nil, true},
		{"token option", Options{Token: root}, nil, true},
		{"CONSUL_HTTP_TOKEN", Options{}, map[string]string{"CONSUL_HTTP_TOKEN": root}, true},
		{"CONSUL_HTTP_TOKEN_FILE", Options{}, map[string]string{"CONSUL_HTTP_TOKEN_FILE": tokenFile}, true},
		{"file wins over CONSUL_HTTP_TOKEN", Options{TokenFile: tokenFile}, map[string]string{"CONSUL_HTTP_TOKEN": "wrong"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tt.opts.Addr = a.Addr()
			c, err := NewClient(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			err = put(c)
			if tt.allow && err != nil {
				t.Fatalf("put with a token: %v", err)
			}
			if !tt.allow && (err == nil || !strings.Contains(err.Error(), "403")) {
				t.Fatalf("put without a token: %v, want 403", err)
			}
		})
	}
}

// CONSUL_HTTP_ADDR, CONSUL_CACERT, client certificates and the TLS server
// name, against an agent that serves HTTPS and verifies its clients.
func TestTLSAgainstAgent(t *testing.T) {
	clearConsulEnv(t)
	pki := newTestPKI(t)
	a := consultest.Start(t, consultest.WithTLS(consultest.TLSFiles{
		CAFile: pki.ca, CertFile: pki.serverCert, KeyFile: pki.serverKey, VerifyIncoming: true,
	}))
	leader := func(opts Options) error {
		c, err := NewClient(opts)
		if err != nil {
			return err
		}
		_, err = c.Status().Leader()
		return err
	}

	// Everything from the standard variables, read through the flags.
	t.Setenv("CONSUL_HTTP_ADDR", a.HTTPSAddr())
	t.Setenv("CONSUL_CACERT", pki.ca)
	t.Setenv("CONSUL_CLIENT_CERT", pki.clientCert)
	t.Setenv("CONSUL_CLIENT_KEY", pki.clientKey)
	t.Setenv("CONSUL_TLS_SERVER_NAME", "consul.org-a.test")
	opts := runApp(t)
	if opts.Addr != a.HTTPSAddr() || opts.CACert != pki.ca || opts.TLSServerName != "consul.org-a.test" {
		t.Fatalf("options from the environment: %+v", opts)
	}
	if err := leader(opts); err != nil {
		t.Fatalf("https with CONSUL_CACERT and client cert: %v", err)
	}
	clearConsulEnv(t)

	base := Options{Addr: a.HTTPSAddr(), CACert: pki.ca, ClientCert: pki.clientCert, ClientKey: pki.clientKey, TLSServerName: "consul.org-a.test"}
	tests := []struct {
		name   string
		modify func(*Options)
		errHas string
	}{
		{"complete", func(*Options) {}, ""},
		{"https url", func(o *Options) { o.Addr = "https://" + a.HTTPSAddr() }, ""},
		// TLS 1.3: the client learns of the refusal on its first read, as
		// an alert or as a reset connection, depending on timing.
		{"no client certificate", func(o *Options) { o.ClientCert, o.ClientKey = "", "" }, "/v1/status/leader"},
		{"no CA", func(o *Options) { o.CACert = "" }, "certificate"},
		{"wrong server name", func(o *Options) { o.TLSServerName = "" }, "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.modify(&o)
			err := leader(o)
			switch {
			case tt.errHas == "" && err != nil:
				t.Fatalf("leader: %v", err)
			case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
				t.Fatalf("leader: %v, want an error containing %q", err, tt.errHas)
			}
		})
	}
}

type testPKI struct {
	ca, serverCert, serverKey, clientCert, clientKey string
}

// newTestPKI writes a CA, a server certificate for consul.org-a.test (and
// no IP, so that the server name matters) and a client certificate.
func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte {
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	now := time.Now()
	caKey := newKey()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gridnode test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, cn string, usage x509.ExtKeyUsage, dns []string) ([]byte, []byte) {
		k := newKey()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn}, DNSNames: dns,
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, keyDER(k)
	}
	sc, sk := leaf(2, "consul.org-a.test", x509.ExtKeyUsageServerAuth, []string{"consul.org-a.test"})
	cc, ck := leaf(3, "carrier.org-a.test", x509.ExtKeyUsageClientAuth, nil)
	return testPKI{
		ca:         write("ca.pem", "CERTIFICATE", caDER),
		serverCert: write("server.pem", "CERTIFICATE", sc),
		serverKey:  write("server-key.pem", "EC PRIVATE KEY", sk),
		clientCert: write("client.pem", "CERTIFICATE", cc),
		clientKey:  write("client-key.pem", "EC PRIVATE KEY", ck),
	}
}
