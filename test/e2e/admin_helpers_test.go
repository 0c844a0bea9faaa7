package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridnode/gridnode/test/consultest"
)

// writeSecret writes a 0600 file holding s and returns its path.
func writeSecret(t *testing.T, name, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startAdmin starts an admin of org on agent that reaches the carrier with
// the token in carrierToken and makes the first admin with password.
func startAdmin(t *testing.T, agent *consultest.Agent, org, carrierToken, password string, extra ...string) *daemon {
	t.Helper()
	args := []string{"--carrier-token-file", carrierToken, "--bootstrap-password-file", writeSecret(t, "bootstrap", password)}
	return startDaemon(t, "admin", daemonArgs("admin", agent, org, append(args, extra...)...)...)
}

// consoleClient is an operator's browser-less session with an admin
// console: the session cookie and the CSRF token it got at login.
type consoleClient struct {
	t      *testing.T
	base   string
	cookie string
	csrf   string
	header map[string]string
}

func newConsole(t *testing.T, base string) *consoleClient {
	return &consoleClient{t: t, base: base, header: map[string]string{}}
}

// as returns a client of the same session on another replica.
func (c *consoleClient) on(base string) *consoleClient {
	cp := *c
	cp.base = base
	return &cp
}

// apiResult is an admin API answer.
type apiResult struct {
	status int
	code   string
	msg    string
	body   []byte
}

// call sends a request; mutating ones carry the CSRF token (unless the
// caller set X-CSRF-Token in header). Body: nil, a string (sent as is)
// or a value sent as JSON.
func (c *consoleClient) call(method, path string, body any) apiResult {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
		if c.csrf == "" {
			req.Header.Set("X-CSRF-Token", "login")
		}
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", "gridnode_admin_session="+c.cookie)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	res := apiResult{status: resp.StatusCode, body: data}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		res.code, res.msg = e.Error.Code, e.Error.Message
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "gridnode_admin_session" {
			c.cookie = ck.Value
		}
	}
	return res
}

// must is call that fails the test unless the answer is 200, decoding it
// into out.
func (c *consoleClient) must(method, path string, body, out any) {
	c.t.Helper()
	res := c.call(method, path, body)
	if res.status != http.StatusOK {
		c.t.Fatalf("%s %s = %d %s: %s", method, path, res.status, res.code, res.msg)
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, res.body, err)
		}
	}
}

// expect is call that fails the test unless the answer has status and
// code.
func (c *consoleClient) expect(status int, code, method, path string, body any) apiResult {
	c.t.Helper()
	res := c.call(method, path, body)
	if res.status != status || res.code != code {
		c.t.Fatalf("%s %s = %d %s (%s), want %d %s", method, path, res.status, res.code, res.msg, status, code)
	}
	return res
}

// consoleSession is the session part of the login answer.
type consoleSession struct {
	User       string `json:"user"`
	Role       string `json:"role"`
	Kind       string `json:"kind"`
	MustChange bool   `json:"mustChange"`
	CSRF       string `json:"csrf"`
}

// login signs in and keeps the session.
func (c *consoleClient) login(user, password string) consoleSession {
	c.t.Helper()
	c.cookie, c.csrf = "", ""
	var s consoleSession
	c.must("POST", "/api/login", map[string]string{"username": user, "password": password}, &s)
	c.csrf = s.CSRF
	if c.cookie == "" {
		c.t.Fatal("login set no session cookie")
	}
	return s
}
