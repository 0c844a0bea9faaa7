package chain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/wallet"
	"github.com/gridnode/gridnode/test/consultest"
)

// TestIdleProblems checks the GET /v1/chain "problem" for each reason the
// follower gives for running no mediator.
func TestIdleProblems(t *testing.T) {
	for _, tc := range []struct {
		why  error
		want string
	}{
		{gnchain.ErrAwaitingSettings, "waiting for the org settings in Consul KV (carrier settings set)"},
		{fmt.Errorf("%w: no chain RPC, market address", gnchain.ErrIncompleteSettings),
			"chain settings incomplete: no chain RPC, market address (flags or carrier settings set)"},
		{fmt.Errorf("%w: %w", gnchain.ErrInvalidSettings, errors.New(`setting chain-rpc "ftp://x": want an http, https, ws or wss URL`)),
			`chain settings invalid: setting chain-rpc "ftp://x": want an http, https, ws or wss URL`},
		{fmt.Errorf("%w: %w", gnchain.ErrUnavailable, errors.New("mediator stopped")), "chain unavailable: mediator stopped"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			cs := &Chain{}
			cs.idle(tc.why)
			if cs.problem != tc.want {
				t.Errorf("problem %q, want %q", cs.problem, tc.want)
			}
		})
	}
}

// TestRunSaysWhyNoMediator runs the subsystem's active duty against a real
// Consul agent, with the token address as a flag and the rest from the
// organization's settings in KV, and checks the problem GET /v1/chain
// shows as the settings go from missing to invalid to naming a chain that
// does not answer; and the standby problem once Run has returned.
func TestRunSaysWhyNoMediator(t *testing.T) {
	agent := consultest.Start(t)
	log := zaptest.NewLogger(t)
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte("chain subsystem test passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := wallet.Options{KeystorePath: filepath.Join(dir, "org.json"), PassphraseFile: pass, LightScrypt: true}
	if _, err := wallet.New(keys); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.Keystore, cfg.PassphraseFile = keys.KeystorePath, keys.PassphraseFile
	cfg.Token = "0x00000000000000000000000000000000000000bb"
	cs, err := New(Deps{Config: cfg, Org: "org-a", DataDir: dir, Consul: agent.Client(), Registerer: prometheus.NewRegistry(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	problem := func() string {
		s, err := cs.status(nil)
		if err != nil {
			t.Fatal(err)
		}
		return s.(carrierapi.ChainStatus).Problem
	}
	waitProblem := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for p := problem(); !ok(p); p = problem() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; problem %q", what, p)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cs.Run(ctx) }()

	waitProblem("incomplete settings", func(p string) bool {
		return p == "chain settings incomplete: no chain RPC, registry address, market address (flags or carrier settings set)"
	})

	kv := consul.NewKV(agent.Client(), log)
	contracts := consul.Contracts{Registry: "0x00000000000000000000000000000000000000cc", Market: "0x00000000000000000000000000000000000000dd"}
	if err := kv.WriteSettings(ctx, "org-a", consul.Settings{Contracts: contracts}); err != nil {
		t.Fatal(err)
	}
	waitProblem("the chain RPC missing", func(p string) bool {
		return p == "chain settings incomplete: no chain RPC (flags or carrier settings set)"
	})
	// WriteSettings refuses invalid settings: put the key as is.
	prefix, err := consul.SettingsPrefix("org-a")
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.Put(ctx, prefix+consul.SettingChainRPC, []byte("ftp://chain.example")); err != nil {
		t.Fatal(err)
	}
	waitProblem("invalid settings", func(p string) bool {
		return p == `chain settings invalid: setting chain-rpc "ftp://chain.example": want an http, https, ws or wss URL`
	})

	// A port nobody listens on, behind a URL with a key in its path.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	if err := kv.WriteSettings(ctx, "org-a", consul.Settings{ChainRPC: "http://" + addr + "/key-s3cret", Contracts: contracts}); err != nil {
		t.Fatal(err)
	}
	waitProblem("the chain unavailable", func(p string) bool {
		return strings.HasPrefix(p, "chain unavailable: reading the chain id from http://"+addr+": ")
	})
	if p := problem(); strings.Contains(p, "s3cret") {
		t.Errorf("the problem shows the RPC URL's path: %q", p)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if p := problem(); p != "standby: another carrier of the organization is active" {
		t.Errorf("problem after Run %q", p)
	}
}
