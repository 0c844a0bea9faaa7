package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/service"
)

// syncBuffer is a bytes.Buffer safe for the daemon goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testApp is a minimal daemon: it records its config and serves the
// lifecycle server until cancelled.
type testApp struct {
	got   chan service.Config
	srv   chan *service.Server
	check service.CheckFunc
	label string
}

func newTestApp() *testApp {
	return &testApp{got: make(chan service.Config, 1), srv: make(chan *service.Server, 1)}
}

func (a *testApp) app() service.App {
	return service.App{
		Name:     "testd",
		Defaults: service.Defaults("127.0.0.1:0"),
		Flags:    []cli.Flag{&cli.StringFlag{Name: "label", Value: "default-label"}},
		Run: func(ctx context.Context, c *cli.Context, log *zap.Logger) error {
			cfg := service.FromCLI(c)
			a.label = c.String("label")
			a.got <- cfg
			if err := cfg.Validate(); err != nil {
				return errors.Join(service.ErrInvalidConfig, err)
			}
			s, err := service.NewServer(cfg, "testd", log)
			if err != nil {
				return err
			}
			if a.check != nil {
				s.AddCheck("dep", a.check)
			}
			a.srv <- s
			return s.Serve(ctx)
		},
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// start runs the app in-process the way main does and returns its server
// and a function that stops it and returns the exit code.
func start(t *testing.T, a *testApp, args ...string) (*service.Server, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- service.RunApp(ctx, a.app(), append([]string{"testd", "--log-format", "console"}, args...), io.Discard, &stderr)
	}()
	select {
	case s := <-a.srv:
		return s, func() int {
			cancel()
			select {
			case code := <-done:
				return code
			case <-time.After(30 * time.Second):
				t.Fatalf("daemon did not stop; stderr:\n%s", stderr.String())
				return -1
			}
		}
	case code := <-done:
		cancel()
		t.Fatalf("daemon exited with %d before serving; stderr:\n%s", code, stderr.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("daemon did not start; stderr:\n%s", stderr.String())
	}
	return nil, nil
}

func TestServerEndpoints(t *testing.T) {
	a := newTestApp()
	var failing sync.Mutex
	fail := true
	a.check = func(context.Context) error {
		failing.Lock()
		defer failing.Unlock()
		if fail {
			return errors.New("consul not reachable")
		}
		return nil
	}
	s, stop := start(t, a)

	if code, body := get(t, s.URL()+"/healthz"); code != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz = %d %q, want 200 ok", code, body)
	}

	code, body := get(t, s.URL()+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a failing check = %d, want 503", code)
	}
	var r struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	if r.Status != "not ready" || r.Checks["dep"] != "consul not reachable" {
		t.Errorf("/readyz = %+v, want not ready with the check's error", r)
	}
	failing.Lock()
	fail = false
	failing.Unlock()
	if code, _ := get(t, s.URL()+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz with passing checks = %d, want 200", code)
	}

	code, body = get(t, s.URL()+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`gridnode_build_info{commit=`,
		`role="testd"`,
		`gridnode_http_requests_total{code="200",method="get"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get(t, s.URL()+"/nope"); code != http.StatusNotFound {
		t.Errorf("unknown path = %d, want 404", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code after cancel = %d, want 0", code)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "testd.yaml")
	if err := os.WriteFile(cfgFile, []byte("shutdown-grace: 7s\nlabel: from-file\nhttp-addr: 127.0.0.1:0\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("file", func(t *testing.T) {
		a := newTestApp()
		_, stop := start(t, a, "--config", cfgFile)
		cfg := <-a.got
		stop()
		if cfg.ShutdownGrace != 7*time.Second || a.label != "from-file" {
			t.Errorf("from file: grace %s label %q, want 7s from-file", cfg.ShutdownGrace, a.label)
		}
	})
	t.Run("env over file", func(t *testing.T) {
		t.Setenv("GRIDNODE_TESTD_SHUTDOWN_GRACE", "3s")
		t.Setenv("GRIDNODE_TESTD_LABEL", "from-env")
		a := newTestApp()
		_, stop := start(t, a, "--config", cfgFile)
		cfg := <-a.got
		stop()
		if cfg.ShutdownGrace != 3*time.Second || a.label != "from-env" {
			t.Errorf("env over file: grace %s label %q, want 3s from-env", cfg.ShutdownGrace, a.label)
		}
	})
	t.Run("flag over env", func(t *testing.T) {
		t.Setenv("GRIDNODE_TESTD_SHUTDOWN_GRACE", "3s")
		a := newTestApp()
		_, stop := start(t, a, "--config", cfgFile, "--shutdown-grace", "2s")
		cfg := <-a.got
		stop()
		if cfg.ShutdownGrace != 2*time.Second {
			t.Errorf("flag over env: grace %s, want 2s", cfg.ShutdownGrace)
		}
	})
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.yaml", "label: "+strings.Repeat("x", 2<<20)+"\n")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown config key", []string{"--config", write("typo.yaml", "htp-addr: 1\n")}, 2, "unknown keys htp-addr"},
		{"config not yaml", []string{"--config", write("bad.yaml", "a: [\n")}, 2, "config file"},
		{"config missing", []string{"--config", filepath.Join(dir, "absent.yaml")}, 2, "no such file"},
		{"config too large", []string{"--config", big}, 2, "larger than"},
		{"bad log level", []string{"--log-level", "loud"}, 2, `log level "loud"`},
		{"bad log format", []string{"--log-format", "xml"}, 2, `log format "xml"`},
		{"bad duration", []string{"--shutdown-grace", "soon"}, 2, "shutdown-grace"},
		{"grace out of range", []string{"--shutdown-grace", "0s"}, 2, "shutdown-grace 0s"},
		{"address without port", []string{"--http-addr", "127.0.0.1"}, 2, "http-addr"},
		{"unknown flag", []string{"--frobnicate"}, 2, "frobnicate"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"port in use", nil, 1, "address already in use"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.name == "port in use" {
				a := newTestApp()
				s, stop := start(t, a)
				defer stop()
				args = []string{"--http-addr", s.Addr().String()}
			}
			var stderr syncBuffer
			code := service.RunApp(context.Background(), newTestApp().app(), append([]string{"testd", "--log-format", "console"}, args...), io.Discard, &stderr)
			if code != tc.code {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, stderr.String())
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	var out bytes.Buffer
	if code := service.RunApp(context.Background(), newTestApp().app(), []string{"testd", "version"}, &out, io.Discard); code != 0 {
		t.Fatalf("version exit code %d", code)
	}
	if !regexp.MustCompile(`^testd \S+ \(commit \S+, go\S+ \w+/\w+\)\n$`).MatchString(out.String()) {
		t.Errorf("version printed %q", out.String())
	}
}

func TestShutdownGraceBoundsSlowRequests(t *testing.T) {
	cfg := service.Defaults("127.0.0.1:0")
	cfg.ShutdownGrace = 200 * time.Millisecond
	s, err := service.NewServer(cfg, "testd", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	s.Handle("GET /slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release // never released before shutdown: only the grace ends it
	}))
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()

	reqErr := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL() + "/slow")
		if err == nil {
			resp.Body.Close()
		}
		reqErr <- err
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after grace = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return although the grace period is over")
	}
	if err := <-reqErr; err == nil {
		t.Error("the request still in flight after the grace period was not cut off")
	}
}

func TestEnvVarNames(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"carrier", "http-addr"}:    "GRIDNODE_CARRIER_HTTP_ADDR",
		{"carrier-keys-new", "out"}: "GRIDNODE_CARRIER_KEYS_NEW_OUT",
		{"via", "log-level"}:        "GRIDNODE_VIA_LOG_LEVEL",
	} {
		if got := service.EnvVar(in[0], in[1]); got != want {
			t.Errorf("EnvVar(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

func TestServeWithStopsRunnersBeforeDraining(t *testing.T) {
	s, err := service.NewServer(service.Defaults("127.0.0.1:0"), "testd", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	servedDuringStop := make(chan int, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.ServeWith(ctx, func(ctx context.Context) error {
			<-ctx.Done()
			// Deregistering from Consul happens here: the server must still
			// answer, or callers see refused connections before Consul
			// stops sending them.
			resp, err := http.Get(s.URL() + "/healthz")
			if err != nil {
				servedDuringStop <- 0
				return nil
			}
			resp.Body.Close()
			servedDuringStop <- resp.StatusCode
			return nil
		})
	}()
	waitServing(t, s)
	cancel()
	if code := <-servedDuringStop; code != http.StatusOK {
		t.Errorf("/healthz while the runner stopped = %d, want 200 (HTTP drained too early)", code)
	}
	if err := <-done; err != nil {
		t.Errorf("ServeWith = %v, want nil", err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Error("server still answers after ServeWith returned")
	}
}

func TestServeWithFailingRunnerStopsServer(t *testing.T) {
	s, err := service.NewServer(service.Defaults("127.0.0.1:0"), "testd", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("lock lost for good")
	other := make(chan error, 1)
	err = s.ServeWith(context.Background(),
		func(context.Context) error { return boom },
		func(ctx context.Context) error { <-ctx.Done(); other <- ctx.Err(); return nil },
	)
	if !errors.Is(err, boom) {
		t.Errorf("ServeWith = %v, want the runner's error", err)
	}
	if e := <-other; e == nil {
		t.Error("the other runner was not stopped")
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Error("server still answers after a runner failed")
	}
}

// waitServing waits until the server answers (Serve runs in a goroutine).
func waitServing(t *testing.T, s *service.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.URL() + "/healthz"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("server never answered")
}

// A daemon that stops by itself, not on a signal, exits non-zero with one
// final error-level line that says why; one stopped by its context exits 0.
// Each case runs in a child process: the logger writes to the process's
// stderr.
func TestStopByItselfSaysWhy(t *testing.T) {
	if c := os.Getenv("STOP_CASE"); c != "" {
		ctx, cancel := context.WithCancel(context.Background())
		run := func(ctx context.Context) error { <-ctx.Done(); return nil }
		switch c {
		case "error":
			run = func(context.Context) error {
				return errors.New("leader callback: starting the p2p node: address already in use")
			}
		case "nil":
			// A daemon's parts all return by themselves, with no error.
			run = func(ctx context.Context) error {
				s, err := service.NewServer(service.Defaults("127.0.0.1:0"), "testd", zap.NewNop())
				if err != nil {
					return err
				}
				return s.ServeWith(ctx, func(context.Context) error { return nil })
			}
		default:
			cancel()
		}
		app := service.App{Name: "testd", Defaults: service.Defaults("127.0.0.1:0"),
			Run: func(ctx context.Context, _ *cli.Context, _ *zap.Logger) error { return run(ctx) }}
		os.Exit(service.RunApp(ctx, app, []string{"testd", "--log-format", "json"}, io.Discard, io.Discard))
	}
	for _, tc := range []struct {
		name string
		code int
		line string
	}{
		{"error", 1, `"level":"error".*"msg":"stopped with error".*"error":"leader callback: starting the p2p node: address already in use","signalled":false`},
		{"nil", 1, `"level":"error".*"msg":"stopped with error".*"error":"every part of the daemon stopped by itself, with no error and no signal","signalled":false`},
		{"cancelled", 0, `"level":"info".*"msg":"stopped".*"cause":"context canceled"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run", "^TestStopByItselfSaysWhy$", "-test.count=1")
			cmd.Env = append(os.Environ(), "STOP_CASE="+tc.name)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			_ = cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; !regexp.MustCompile(tc.line).MatchString(last) {
				t.Errorf("last line %s\nwant it to match %q", last, tc.line)
			}
		})
	}
}

// TestNoServerFlags: an app without the lifecycle's server (the devnet)
// keeps the log flags and may declare its own --http-addr.
func TestNoServerFlags(t *testing.T) {
	app := service.App{Name: "devnet", NoServer: true, Run: func(context.Context, *cli.Context, *zap.Logger) error { return nil },
		Flags: []cli.Flag{&cli.StringFlag{Name: "http-addr", Value: "127.0.0.1:8545", Usage: "JSON-RPC endpoint"}}}
	flags, err := app.AllFlags()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()[0])
	}
	if got, want := strings.Join(names, " "), "log-level log-format http-addr"; got != want {
		t.Errorf("flags %q, want %q", got, want)
	}
	var out bytes.Buffer
	if code := service.RunApp(context.Background(), app, []string{"devnet", "--http-addr", "127.0.0.1:0", "--shutdown-grace", "1s"}, &out, &out); code != 2 {
		t.Errorf("--shutdown-grace on a NoServer app: exit %d, want 2 (unknown flag)\n%s", code, out.String())
	}
}
