package consultest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/testport"
	"github.com/gridnode/gridnode/test/toolcache"
)

// EnvBinary names the environment variable that overrides the Consul binary.
const EnvBinary = "GRIDNODE_CONSUL"

// Bounds of the harness; generous because CI machines are small and busy.
const (
	startTimeout   = 30 * time.Second // leader elected and node registered
	stopTimeout    = 10 * time.Second // SIGTERM to exit, then SIGKILL
	startAttempts  = 3                // fresh ports after a bind collision
	restartRetries = 5                // same ports: retry if one is briefly taken
	logTailLines   = 60
	clientTimeout  = 90 * time.Second // longer than any blocking query tests use
)

// Ports are an agent's listening ports, all on 127.0.0.1. HTTPS is 0 unless
// the agent was started WithTLS.
type Ports struct {
	HTTP, HTTPS, DNS, SerfLAN, SerfWAN, Server, GRPC, GRPCTLS int
}

// TB is the part of testing.TB the package uses; *testing.T and *testing.B
// satisfy it. The package does not import testing, so that dev tools
// (hack/scenario) can run agents with Launch.
type TB interface {
	Helper()
	Cleanup(func())
	Failed() bool
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
	TempDir() string
}

// Option configures Start and Launch.
type Option func(*settings)

type settings struct {
	node     string
	logLevel string
	args     []string
	hcl      []string
	token    string
	tls      *TLSFiles
	logf     func(format string, args ...any)
}

// TLSFiles are PEM files for an agent's HTTPS listener.
type TLSFiles struct {
	CAFile, CertFile, KeyFile string
	// VerifyIncoming makes the agent require a client certificate signed by
	// the CA on its HTTPS port.
	VerifyIncoming bool
}

// WithNode sets the agent's node name (default: a unique gridnode-test-… name).
func WithNode(name string) Option { return func(s *settings) { s.node = name } }

// WithLogLevel sets the agent's -log-level (default info).
func WithLogLevel(level string) Option { return func(s *settings) { s.logLevel = level } }

// WithArgs appends raw command-line arguments to `consul agent`.
func WithArgs(args ...string) Option {
	return func(s *settings) { s.args = append(s.args, args...) }
}

// WithConfig adds an HCL configuration fragment, written to a file in the
// agent's directory and passed with -config-file.
func WithConfig(hcl string) Option { return func(s *settings) { s.hcl = append(s.hcl, hcl) } }

// WithACL enables ACLs with default policy deny and the given initial
// management token. Client and the readiness probe use that token.
func WithACL(managementToken string) Option {
	return func(s *settings) {
		s.token = managementToken
		s.hcl = append(s.hcl, fmt.Sprintf(`acl {
  enabled = true
  default_policy = "deny"
  enable_token_persistence = false
  tokens { initial_management = %q }
}`, managementToken))
	}
}

// WithLogf sends the harness's notes (a start retried on other ports) to
// logf. Start uses the test's log.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(s *settings) { s.logf = logf }
}

// WithTLS adds an HTTPS listener (Ports().HTTPS) that serves the given
// certificate. The plain HTTP port stays open for the harness itself.
func WithTLS(files TLSFiles) Option {
	return func(s *settings) { f := files; s.tls = &f }
}

// Agent is one running (or stopped) dev agent.
type Agent struct {
	t       TB // nil for an agent from Launch
	bin     string
	dir     string
	logPath string
	s       settings

	mu    sync.Mutex
	ports Ports
	lease *testport.Lease // holds the ports across Restart
	proc  *process

	closed      bool
	closedState string // the agent's state when Close was called
}

// releasePorts gives the agent's ports back (at cleanup, or after a failed
// attempt).
func (a *Agent) releasePorts() {
	a.mu.Lock()
	l := a.lease
	a.lease = nil
	a.mu.Unlock()
	if l != nil {
		l.Release()
	}
}

type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  *os.File
}

var nodeSeq atomic.Int64

// Binary returns the path of the Consul binary, or fails the test with the
// command that installs it.
func Binary(t TB) string {
	t.Helper()
	path, err := BinaryPath()
	if err != nil {
		t.Fatalf("consultest: %v", err)
	}
	return path
}

// BinaryPath returns the path of the Consul binary ($GRIDNODE_CONSUL, else
// bin/consul in the tool cache), or an error with the command that
// installs it.
func BinaryPath() (string, error) {
	path := os.Getenv(EnvBinary)
	if path == "" {
		cache, err := toolcache.Dir()
		if err != nil {
			return "", fmt.Errorf("finding the consul binary: %w (or set %s, or run hack/setup consul)", err, EnvBinary)
		}
		path = filepath.Join(cache, "bin", "consul")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("consul binary %s: %w: run hack/setup consul (or set %s)", path, err, EnvBinary)
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return "", fmt.Errorf("consul binary %s is not executable: run hack/setup consul (or set %s)", path, EnvBinary)
	}
	return path, nil
}

// Start runs a dev agent for the rest of the test and returns once it is the
// leader of its one-node cluster and its node is in the catalog with a
// passing serfHealth check (so sessions can be created at once). It must be
// called from the test goroutine.
func Start(t TB, opts ...Option) *Agent {
	t.Helper()
	// The agent's files in a temporary directory, removed after the agent's
	// cleanup (cleanups run last registered, first run).
	a, err := Launch(t.TempDir(), append([]Option{WithLogf(t.Logf)}, opts...)...)
	if err != nil {
		t.Fatalf("consultest: %v", err)
	}
	a.t = t
	t.Cleanup(func() {
		a.Close()
		if t.Failed() {
			t.Logf("%s", a.Report())
		}
	})
	return a
}

// Launch runs a dev agent with its files in dir (which must exist), as
// Start does, until Close; it returns once the agent is ready. Client and
// Restart are for agents from Start.
func Launch(dir string, opts ...Option) (*Agent, error) {
	bin, err := BinaryPath()
	if err != nil {
		return nil, err
	}
	a := &Agent{
		bin: bin,
		dir: dir,
		s: settings{
			node:     fmt.Sprintf("gridnode-test-%d-%d", os.Getpid(), nodeSeq.Add(1)),
			logLevel: "info",
			logf:     func(string, ...any) {},
		},
	}
	for _, o := range opts {
		o(&a.s)
	}
	a.logPath = filepath.Join(a.dir, "consul.log")
	if len(a.s.hcl) > 0 {
		cfg := strings.Join(a.s.hcl, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(a.dir, "extra.hcl"), []byte(cfg), 0o600); err != nil {
			return nil, fmt.Errorf("writing agent config: %w", err)
		}
	}
	var lastErr error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		ports, lease, err := reservePorts(a.s.tls != nil)
		if err != nil {
			return nil, fmt.Errorf("reserving ports: %w", err)
		}
		a.mu.Lock()
		a.ports, a.lease = ports, lease
		a.mu.Unlock()
		lastErr = a.launch(attempt)
		if lastErr == nil {
			return a, nil
		}
		a.releasePorts()
		if !errors.Is(lastErr, errPortInUse) {
			break
		}
		a.s.logf("consultest: attempt %d: %v; retrying with other ports", attempt, lastErr)
	}
	return nil, fmt.Errorf("starting consul agent: %w\nlast lines of %s:\n%s", lastErr, a.logPath, tail(a.logPath, logTailLines))
}

// Close stops the agent (SIGTERM, SIGKILL after a bound) and gives its
// ports back. Start's cleanup calls it; closing twice does nothing.
func (a *Agent) Close() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.closed = true
	a.mu.Unlock()
	state := a.state()
	a.stop(syscall.SIGTERM)
	a.releasePorts()
	a.mu.Lock()
	a.closedState = state
	a.mu.Unlock()
}

// Report describes the agent for a failed test or run: how it was when
// Close was called (or is now) and the last lines of its log.
func (a *Agent) Report() string {
	a.mu.Lock()
	state := a.closedState
	a.mu.Unlock()
	if state == "" {
		state = a.state()
	}
	return fmt.Sprintf("consultest: agent %s at the end; last lines of %s (node %s, http %d):\n%s",
		state, a.logPath, a.s.node, a.Ports().HTTP, tail(a.logPath, logTailLines))
}

// Addr is the agent's HTTP address, 127.0.0.1:port.
func (a *Agent) Addr() string { return fmt.Sprintf("127.0.0.1:%d", a.Ports().HTTP) }

// HTTPSAddr is the agent's HTTPS address (WithTLS only), 127.0.0.1:port.
func (a *Agent) HTTPSAddr() string { return fmt.Sprintf("127.0.0.1:%d", a.Ports().HTTPS) }

// Ports returns the agent's ports; they stay the same across Restart.
func (a *Agent) Ports() Ports {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ports
}

// Node is the agent's node name.
func (a *Agent) Node() string { return a.s.node }

// LogPath is the file that receives the agent's output (all runs appended).
func (a *Agent) LogPath() string { return a.logPath }

// Env returns CONSUL_HTTP_ADDR (and CONSUL_HTTP_TOKEN with WithACL) for
// running the consul CLI against this agent.
func (a *Agent) Env() []string {
	env := []string{"CONSUL_HTTP_ADDR=" + a.Addr()}
	if a.s.token != "" {
		env = append(env, "CONSUL_HTTP_TOKEN="+a.s.token)
	}
	return env
}

// Client returns an API client for the agent's HTTP port, with the
// management token under WithACL. It does not read CONSUL_* variables for
// its transport, so tests may set them freely. Every call returns a new
// client with its own transport, whose idle connections are closed when the
// test ends: poll loops should keep one client rather than call Client in
// the loop (the agent refuses more than 200 connections per client IP).
func (a *Agent) Client() *api.Client {
	a.t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	a.t.Cleanup(tr.CloseIdleConnections)
	c, err := api.NewClient(&api.Config{
		Address:    a.Addr(),
		Scheme:     "http",
		Token:      a.s.token,
		Transport:  tr,
		HttpClient: &http.Client{Transport: tr, Timeout: clientTimeout},
	})
	if err != nil {
		a.t.Fatalf("consultest: api client: %v", err)
	}
	return c
}

// state says whether the agent runs, or how it exited by itself.
func (a *Agent) state() string {
	a.mu.Lock()
	p := a.proc
	a.mu.Unlock()
	if p == nil {
		return "stopped by the test"
	}
	select {
	case <-p.done:
		if p.err == nil {
			return "exited by itself (exit status 0)"
		}
		return fmt.Sprintf("exited by itself (%v)", p.err)
	default:
		return fmt.Sprintf("running (pid %d)", p.cmd.Process.Pid)
	}
}

// Running reports whether the agent process is up.
func (a *Agent) Running() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.proc != nil
}

// Stop terminates the agent with SIGTERM (SIGKILL after a bound) and waits
// for it to exit. Stopping a stopped agent does nothing.
func (a *Agent) Stop() { a.stop(syscall.SIGTERM) }

// Kill stops the agent with SIGKILL.
func (a *Agent) Kill() { a.stop(syscall.SIGKILL) }

// Restart stops the agent if it runs and starts it again on the same ports.
// A dev agent keeps nothing: it comes back with an empty catalog and KV. It
// must be called from the test goroutine.
func (a *Agent) Restart() {
	a.t.Helper()
	a.Stop()
	var err error
	for i := 1; i <= restartRetries; i++ {
		if err = a.launch(i); err == nil {
			return
		}
		if !errors.Is(err, errPortInUse) {
			break
		}
		time.Sleep(time.Duration(i) * 200 * time.Millisecond)
	}
	a.t.Fatalf("consultest: restarting consul agent: %v\nlast lines of %s:\n%s", err, a.logPath, tail(a.logPath, logTailLines))
}

func (a *Agent) stop(sig syscall.Signal) {
	a.mu.Lock()
	p := a.proc
	a.proc = nil
	a.mu.Unlock()
	if p == nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	_ = p.log.Close()
}

var errPortInUse = errors.New("a port was taken by another process")

func (a *Agent) args() []string {
	p := a.ports
	args := []string{
		"agent", "-dev",
		"-node", a.s.node,
		"-bind", "127.0.0.1",
		"-client", "127.0.0.1",
		"-log-level", a.s.logLevel,
		"-http-port", strconv.Itoa(p.HTTP),
		"-dns-port", strconv.Itoa(p.DNS),
		"-serf-lan-port", strconv.Itoa(p.SerfLAN),
		"-serf-wan-port", strconv.Itoa(p.SerfWAN),
		"-server-port", strconv.Itoa(p.Server),
		"-grpc-port", strconv.Itoa(p.GRPC),
		"-grpc-tls-port", strconv.Itoa(p.GRPCTLS),
	}
	if len(a.s.hcl) > 0 {
		args = append(args, "-config-file", filepath.Join(a.dir, "extra.hcl"))
	}
	if a.s.tls != nil {
		args = append(args, "-hcl", fmt.Sprintf(`ports { https = %d }
tls {
  defaults { ca_file = %q
    cert_file = %q
    key_file = %q }
  https { verify_incoming = %t }
}`, p.HTTPS, a.s.tls.CAFile, a.s.tls.CertFile, a.s.tls.KeyFile, a.s.tls.VerifyIncoming))
	}
	return append(args, a.s.args...)
}

// launch starts the process on a.ports and waits until it is ready.
func (a *Agent) launch(attempt int) error {
	log, err := os.OpenFile(a.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening agent log: %w", err)
	}
	offset, _ := log.Seek(0, io.SeekEnd)
	args := a.args()
	fmt.Fprintf(log, "=== consultest: %s (attempt %d): %s %s\n",
		time.Now().Format(time.RFC3339Nano), attempt, a.bin, strings.Join(args, " "))
	cmd := exec.Command(a.bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Dir = a.dir
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return fmt.Errorf("running %s: %w", a.bin, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{}), log: log}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	a.mu.Lock()
	a.proc = p
	a.mu.Unlock()

	if err := a.waitReady(p); err != nil {
		a.stop(syscall.SIGKILL)
		if bytes.Contains(readFrom(a.logPath, offset), []byte("address already in use")) {
			return fmt.Errorf("%w: %w", errPortInUse, err)
		}
		return err
	}
	return nil
}

// waitReady polls until the agent has a leader and its own node has a
// passing serfHealth check, or the process exits, or startTimeout passes.
func (a *Agent) waitReady(p *process) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	base := "http://" + a.Addr()
	deadline := time.Now().Add(startTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("consul exited before it was ready: %v", p.err)
		default:
		}
		if last = a.probe(hc, base); last == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("consul not ready after %s: %w", startTimeout, last)
}

func (a *Agent) probe(hc *http.Client, base string) error {
	var leader string
	if err := getJSON(hc, base+"/v1/status/leader", "", &leader); err != nil {
		return err
	}
	if leader == "" {
		return errors.New("no leader yet")
	}
	var checks []struct{ CheckID, Status string }
	if err := getJSON(hc, base+"/v1/health/node/"+a.s.node, a.s.token, &checks); err != nil {
		return err
	}
	for _, c := range checks {
		if c.CheckID == "serfHealth" && c.Status == api.HealthPassing {
			return nil
		}
	}
	return errors.New("node not yet in the catalog with a passing serfHealth check")
}

func getJSON(hc *http.Client, url, token string, out any) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("X-Consul-Token", token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(b))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// reservePorts reserves distinct ports, free for TCP and UDP (DNS and Serf
// use both), from the project's test range (package testport): no other
// test process and no kernel-chosen port takes them until releasePorts.
// Something outside the project may still bind one: Start then retries
// with fresh ports when the agent says so.
func reservePorts(https bool) (Ports, *testport.Lease, error) {
	n := 7
	if https {
		n++
	}
	lease, err := testport.Reserve(n, testport.TCPUDP)
	if err != nil {
		return Ports{}, nil, err
	}
	got := lease.Ports
	p := Ports{HTTP: got[0], DNS: got[1], SerfLAN: got[2], SerfWAN: got[3], Server: got[4], GRPC: got[5], GRPCTLS: got[6]}
	if https {
		p.HTTPS = got[7]
	}
	return p, lease, nil
}

func readFrom(path string, offset int64) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(f, 4<<20))
	return b
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
