package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/test/consultest"
)

// rpcServer answers eth_chainId with id: enough of a chain for Dial.
func rpcServer(t *testing.T, id int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Method != "eth_chainId" {
			http.Error(w, "unsupported", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":"0x%x"}`, req.ID, id)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// recorder collects what a follower tells: sessions started and ended,
// and Idle reasons.
type recorder struct {
	mu       sync.Mutex
	sessions []Conn
	ended    int
	idle     []error
	fail     error // a session returns it at once when set
	changed  chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 100)} }

func (r *recorder) session(ctx context.Context, c Conn) error {
	defer c.Client.Close()
	r.mu.Lock()
	r.sessions = append(r.sessions, c)
	fail := r.fail
	r.mu.Unlock()
	r.changed <- struct{}{}
	if fail != nil {
		return fail
	}
	<-ctx.Done()
	r.mu.Lock()
	r.ended++
	r.mu.Unlock()
	r.changed <- struct{}{}
	return nil
}

func (r *recorder) onIdle(why error) {
	r.mu.Lock()
	r.idle = append(r.idle, why)
	r.mu.Unlock()
	r.changed <- struct{}{}
}

// wait waits until cond holds (checked under the lock).
func (r *recorder) wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		r.mu.Lock()
		ok := cond()
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// session returns the i-th session's Conn.
func (r *recorder) conn(i int) Conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sessions[i]
}

// lastIdle is the last Idle reason; call it with r.mu held.
func (r *recorder) lastIdle() error {
	if len(r.idle) == 0 {
		return nil
	}
	return r.idle[len(r.idle)-1]
}

// TestFollowerConsul follows the settings in a real Consul agent's KV: a
// session per complete set, restarted when a needed setting changes, not
// when another one does, and Idle told why nothing runs.
func TestFollowerConsul(t *testing.T) {
	agent := consultest.Start(t)
	log := zaptest.NewLogger(t)
	kv := consul.NewKV(agent.Client(), log)
	rpc1, rpc2 := rpcServer(t, 1337), rpcServer(t, 42)
	const market = "0x00000000000000000000000000000000000000aa"
	rec := newRecorder()
	f, err := NewFollower(FollowerConfig{Org: "org-a", Needs: Needs{Market: true}, KV: kv, Log: log,
		Session: rec.session, Idle: rec.onIdle})
	if err != nil {
		t.Fatal(err)
	}
	if f.Static() {
		t.Fatal("a follower without flags is static")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	rec.wait(t, "awaiting the settings", func() bool { return errors.Is(rec.lastIdle(), ErrAwaitingSettings) })
	rec.wait(t, "incomplete settings (none in KV)", func() bool { return errors.Is(rec.lastIdle(), ErrIncompleteSettings) })
	rec.mu.Lock()
	got := rec.lastIdle().Error()
	rec.mu.Unlock()
	if got != "chain settings incomplete: no chain RPC, market address" {
		t.Errorf("incomplete settings: %q", got)
	}

	write := func(s consul.Settings) {
		t.Helper()
		if err := kv.WriteSettings(ctx, "org-a", s); err != nil {
			t.Fatal(err)
		}
	}
	write(consul.Settings{ChainRPC: rpc1, Contracts: consul.Contracts{Market: market}})
	rec.wait(t, "a session on rpc1", func() bool { return len(rec.sessions) == 1 })
	if c := rec.conn(0); c.ChainID.Int64() != 1337 || c.Settings.ChainRPC != rpc1 || c.Settings.Contracts.Market != market {
		t.Fatalf("session 1: chain %v, settings %+v", c.ChainID, c.Settings)
	}

	// A setting the follower does not need changes nothing.
	write(consul.Settings{OrgName: "Org A", ChainRPC: rpc1,
		Contracts: consul.Contracts{Market: market, Token: "0x00000000000000000000000000000000000000bb"}})
	// A needed one restarts the session.
	write(consul.Settings{ChainRPC: rpc2, Contracts: consul.Contracts{Market: market}})
	rec.wait(t, "a session on rpc2", func() bool { return len(rec.sessions) == 2 && rec.ended == 1 })
	if c := rec.conn(1); c.ChainID.Int64() != 42 || c.Settings.Contracts.Token != "" || c.Settings.OrgName != "" {
		t.Fatalf("session 2: chain %v, settings %+v (want only the needed ones)", c.ChainID, c.Settings)
	}

	// Invalid settings stop the session and say why.
	prefix, _ := consul.SettingsPrefix("org-a")
	if err := kv.Put(ctx, prefix+consul.SettingContractMarket, []byte("not-an-address")); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "invalid settings", func() bool { return rec.ended == 2 && errors.Is(rec.lastIdle(), ErrInvalidSettings) })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if len(rec.sessions) != 2 {
		t.Errorf("%d sessions, want 2", len(rec.sessions))
	}
}

// TestFollowerStaticRetry runs on flags alone (no Consul): a session that
// fails is dialed again after RetryFirst, and Idle says the chain is
// unavailable.
func TestFollowerStaticRetry(t *testing.T) {
	rec := newRecorder()
	rec.fail = errors.New("mediator stopped")
	f, err := NewFollower(FollowerConfig{Flags: consul.Settings{ChainRPC: rpcServer(t, 7)}, Log: zaptest.NewLogger(t),
		Session: rec.session, Idle: rec.onIdle})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Static() {
		t.Fatal("a follower with every needed flag is not static")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	rec.wait(t, "a second session after the first failed", func() bool { return len(rec.sessions) == 2 })
	rec.mu.Lock()
	last := rec.lastIdle()
	rec.mu.Unlock()
	if err := last; !errors.Is(err, ErrUnavailable) || err.Error() != "chain unavailable: mediator stopped" {
		t.Fatalf("idle = %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, why := range rec.idle {
		if errors.Is(why, ErrAwaitingSettings) {
			t.Error("a static follower said it awaits the settings")
		}
	}

	if _, err := NewFollower(FollowerConfig{Needs: Needs{Market: true}, Flags: consul.Settings{ChainRPC: "http://x"},
		Session: rec.session}); err == nil {
		t.Error("NewFollower took a follower that needs Consul KV without one")
	}
}
