package consul

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/consul/api"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap/zapcore"

	"github.com/gridnode/gridnode/pkg/service"
)

// Flag names of the Consul client options, the same for every daemon.
const (
	FlagAddr          = "consul-addr"
	FlagTokenFile     = "consul-token-file"
	FlagCACert        = "consul-cacert"
	FlagClientCert    = "consul-client-cert"
	FlagClientKey     = "consul-client-key"
	FlagTLSServerName = "consul-tls-server-name"
	FlagDatacenter    = "consul-datacenter"
)

// DefaultAddr is the agent address when neither a flag nor CONSUL_HTTP_ADDR
// gives one.
const DefaultAddr = "127.0.0.1:8500"

// maxTokenFile bounds what is read from a token file.
const maxTokenFile = 4 << 10

// Options say how to reach the organization's Consul agent.
//
// There is deliberately no flag for a raw token: a token comes from
// TokenFile (--consul-token-file, CONSUL_HTTP_TOKEN_FILE) or, as for the
// consul CLI, from the CONSUL_HTTP_TOKEN environment variable. Token is for
// programs that build Options themselves. Neither is ever logged: String and
// MarshalLogObject redact them.
type Options struct {
	// Addr is host:port, or a URL with scheme http, https or unix. Empty
	// means CONSUL_HTTP_ADDR, then DefaultAddr.
	Addr string
	// Token is an ACL token; TokenFile wins over it. Empty means
	// CONSUL_HTTP_TOKEN.
	Token string
	// TokenFile holds the ACL token. It must not be readable by group or
	// others.
	TokenFile string
	// CACert verifies the agent's HTTPS certificate. Setting it (or a
	// client certificate) makes a scheme-less Addr use https.
	CACert string
	// ClientCert and ClientKey authenticate this daemon to an agent that
	// verifies incoming HTTPS connections; set both or neither.
	ClientCert string
	ClientKey  string
	// TLSServerName is the name expected in the agent's certificate when it
	// differs from Addr's host.
	TLSServerName string
	// Datacenter is sent with every request; empty means the agent's own.
	Datacenter string
}

// Flags returns the Consul client flags of a daemon. Each flag is also the
// variable GRIDNODE_<ROLE>_<FLAG> and, after it, the standard Consul
// variable where one exists (CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN_FILE,
// CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY,
// CONSUL_TLS_SERVER_NAME).
func Flags(role string) []cli.Flag {
	env := func(flag, std string) []string {
		if std == "" {
			return []string{service.EnvVar(role, flag)}
		}
		return []string{service.EnvVar(role, flag), std}
	}
	return []cli.Flag{
		&cli.StringFlag{
			Name: FlagAddr, Value: DefaultAddr, EnvVars: env(FlagAddr, api.HTTPAddrEnvName),
			Usage: "`address` of the organization's Consul agent: host:port or an http://, https:// or unix:// URL",
		},
		&cli.PathFlag{
			Name: FlagTokenFile, EnvVars: env(FlagTokenFile, api.HTTPTokenFileEnvName),
			Usage: "`file` holding the Consul ACL token (mode 0600 or stricter); without it CONSUL_HTTP_TOKEN is used",
		},
		&cli.PathFlag{
			Name: FlagCACert, EnvVars: env(FlagCACert, api.HTTPCAFile),
			Usage: "CA certificate `file` (PEM) that verifies the agent's HTTPS certificate",
		},
		&cli.PathFlag{
			Name: FlagClientCert, EnvVars: env(FlagClientCert, api.HTTPClientCert),
			Usage: "client certificate `file` (PEM) for an agent that verifies incoming HTTPS",
		},
		&cli.PathFlag{
			Name: FlagClientKey, EnvVars: env(FlagClientKey, api.HTTPClientKey),
			Usage: "private key `file` (PEM) of the client certificate",
		},
		&cli.StringFlag{
			Name: FlagTLSServerName, EnvVars: env(FlagTLSServerName, api.HTTPTLSServerName),
			Usage: "server `name` expected in the agent's certificate, when it differs from the address",
		},
		&cli.StringFlag{
			Name: FlagDatacenter, EnvVars: env(FlagDatacenter, ""),
			Usage: "Consul `datacenter` to query; empty means the agent's own",
		},
	}
}

// OptionsFromCLI reads the options from the flags Flags returned. The token
// itself is not read here: NewClient takes it from the token file or from
// CONSUL_HTTP_TOKEN.
func OptionsFromCLI(c *cli.Context) Options {
	return Options{
		Addr:          c.String(FlagAddr),
		TokenFile:     c.Path(FlagTokenFile),
		CACert:        c.Path(FlagCACert),
		ClientCert:    c.Path(FlagClientCert),
		ClientKey:     c.Path(FlagClientKey),
		TLSServerName: c.String(FlagTLSServerName),
		Datacenter:    c.String(FlagDatacenter),
	}
}

// Validate reports the first problem with o, naming the flag to fix. It
// checks that the files exist and that the token file is private.
func (o Options) Validate() error {
	if o.Addr != "" {
		if err := validateAddr(o.Addr); err != nil {
			return fmt.Errorf("%s %q: %w", FlagAddr, o.Addr, err)
		}
	}
	if o.TokenFile != "" {
		if err := checkTokenFile(o.TokenFile); err != nil {
			return fmt.Errorf("%s: %w", FlagTokenFile, err)
		}
	}
	for _, f := range []struct{ flag, path string }{
		{FlagCACert, o.CACert}, {FlagClientCert, o.ClientCert}, {FlagClientKey, o.ClientKey},
	} {
		if f.path == "" {
			continue
		}
		if fi, err := os.Stat(f.path); err != nil {
			return fmt.Errorf("%s: %w", f.flag, err)
		} else if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s %s: not a regular file", f.flag, f.path)
		}
	}
	if (o.ClientCert == "") != (o.ClientKey == "") {
		return fmt.Errorf("%s and %s: set both or neither", FlagClientCert, FlagClientKey)
	}
	if o.Datacenter != "" && strings.ContainsAny(o.Datacenter, "/?#& ") {
		return fmt.Errorf("%s %q: not a datacenter name", FlagDatacenter, o.Datacenter)
	}
	return nil
}

func validateAddr(addr string) error {
	hostport := addr
	if scheme, rest, ok := strings.Cut(addr, "://"); ok {
		switch scheme {
		case "unix":
			if rest == "" {
				return errors.New("empty socket path")
			}
			return nil
		case "http", "https":
			hostport, _, _ = strings.Cut(rest, "/")
		default:
			return fmt.Errorf("scheme %q: want http, https or unix", scheme)
		}
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return err
	}
	if host == "" || port == "" {
		return errors.New("want host:port")
	}
	return nil
}

// checkTokenFile refuses a token file that group or others can read or
// write: a leaked ACL token is a leaked organization.
func checkTokenFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s: mode %04o lets group or others access the ACL token; run chmod 600 %s", path, perm, path)
	}
	return nil
}

func readTokenFile(path string) (string, error) {
	if err := checkTokenFile(path); err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, maxTokenFile+1)
	n, _ := f.Read(buf)
	if n > maxTokenFile {
		return "", fmt.Errorf("%s: larger than %d bytes; not a token", path, maxTokenFile)
	}
	token := strings.TrimSpace(string(buf[:n]))
	if token == "" {
		return "", fmt.Errorf("%s: empty", path)
	}
	return token, nil
}

// String describes o without its token.
func (o Options) String() string {
	return fmt.Sprintf("consul{addr=%s token=%s token-file=%s cacert=%s client-cert=%s tls-server-name=%s datacenter=%s}",
		o.Addr, redacted(o.Token), o.TokenFile, o.CACert, o.ClientCert, o.TLSServerName, o.Datacenter)
}

// MarshalLogObject logs o without its token.
func (o Options) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("addr", o.Addr)
	enc.AddString("token", redacted(o.Token))
	enc.AddString("token_file", o.TokenFile)
	enc.AddString("cacert", o.CACert)
	enc.AddString("client_cert", o.ClientCert)
	enc.AddString("tls_server_name", o.TLSServerName)
	enc.AddString("datacenter", o.Datacenter)
	return nil
}

func redacted(token string) string {
	if token == "" {
		return ""
	}
	return "[redacted]"
}

// NewClient builds an API client for the agent. It starts from
// api.DefaultConfig, so the standard CONSUL_* variables apply to whatever
// opts leaves empty, and it times every request out after ClientTimeout.
func NewClient(opts Options) (*api.Client, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("consul client options: %w", err)
	}
	cfg := api.DefaultConfig()
	if opts.Addr != "" {
		cfg.Address = opts.Addr
	}
	if opts.Datacenter != "" {
		cfg.Datacenter = opts.Datacenter
	}
	if opts.CACert != "" {
		cfg.TLSConfig.CAFile = opts.CACert
	}
	if opts.ClientCert != "" {
		cfg.TLSConfig.CertFile = opts.ClientCert
		cfg.TLSConfig.KeyFile = opts.ClientKey
	}
	if opts.TLSServerName != "" {
		cfg.TLSConfig.Address = opts.TLSServerName
	}
	if !strings.Contains(cfg.Address, "://") && (cfg.TLSConfig.CAFile != "" || cfg.TLSConfig.CertFile != "") {
		cfg.Scheme = "https"
	}

	// The token: --consul-token-file, else Token, else
	// CONSUL_HTTP_TOKEN_FILE, else CONSUL_HTTP_TOKEN (the consul CLI's
	// order). A file is checked for its mode before it is read.
	tokenFile := opts.TokenFile
	if tokenFile == "" && opts.Token == "" {
		tokenFile = cfg.TokenFile
	}
	if cfg.TokenFile != "" && cfg.TokenFile != tokenFile {
		// api.NewClient may still fall back to it: it must be private too.
		if err := checkTokenFile(cfg.TokenFile); err != nil {
			return nil, fmt.Errorf("%s: %w", api.HTTPTokenFileEnvName, err)
		}
	}
	switch {
	case tokenFile != "":
		token, err := readTokenFile(tokenFile)
		if err != nil {
			return nil, fmt.Errorf("reading consul token file: %w", err)
		}
		cfg.Token = token
	case opts.Token != "":
		cfg.Token = opts.Token
	}
	cfg.TokenFile = ""

	hc, err := api.NewHttpClient(cfg.Transport, cfg.TLSConfig)
	if err != nil {
		return nil, fmt.Errorf("consul client tls: %w", err)
	}
	hc.Timeout = ClientTimeout
	cfg.HttpClient = hc
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("consul client: %w", err)
	}
	clientAddrs.Store(c, displayAddr(cfg))
	return c, nil
}

// clientAddrs remembers the agent address of clients built by NewClient, for
// error messages (api.Client does not expose its configuration).
var clientAddrs sync.Map // *api.Client -> string

func displayAddr(cfg *api.Config) string {
	if strings.Contains(cfg.Address, "://") {
		return cfg.Address
	}
	return cfg.Scheme + "://" + cfg.Address
}

// agentAddr names the agent c talks to, for messages.
func agentAddr(c *api.Client) string {
	if s, ok := clientAddrs.Load(c); ok {
		return s.(string)
	}
	return "the local agent"
}
