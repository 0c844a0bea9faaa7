package carrier

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/secret"
	"github.com/gridnode/gridnode/test/consultest"
)

// TestCarrierWiresItsSubsystems starts a carrier in-process, as main does,
// against a real Consul agent, with the API and the p2p subsystem on and
// the chain subsystem off, and checks the wiring through the API: the
// directory the root opened answers listing queries, the chain routes say
// the subsystem is off, the p2p node waits for the registry settings, and
// Run returns cleanly when its context ends.
func TestCarrierWiresItsSubsystems(t *testing.T) {
	agent := consultest.Start(t)
	dir := t.TempDir()
	token := strings.Repeat("t", secret.MinTokenLen)
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.Member = consul.MemberConfig{Org: "org-a", Consul: consul.Options{Addr: agent.Addr()}}
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.API.TokenFile = writeFile(t, dir, "api-token", token+"\n")
	cfg.P2P.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.P2P.KeyFile = writeFile(t, dir, "p2p.key", hex.EncodeToString(crypto.FromECDSA(key)))
	d, err := New(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	cl := &carrierapi.Client{BaseURL: d.HTTP().URL(), Token: token}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := cl.Status(ctx)
		if err == nil && s.State == "active" && s.Org == "org-a" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the carrier never became active: %+v, %v", s, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var found carrierapi.SearchResult
	if err := cl.Do(ctx, "GET", "listings", nil, &found); err != nil || found.Total != 0 || found.Listings == nil {
		t.Errorf("GET /v1/listings on an empty directory: %+v, %v", found, err)
	}
	cs, err := cl.Chain(ctx)
	if err != nil || cs.Enabled || cs.Running ||
		cs.Problem != "the chain subsystem is off: start the carrier with --keystore" {
		t.Errorf("GET /v1/chain with the chain subsystem off: %+v, %v", cs, err)
	}
	for path, want := range map[string]string{
		"orders": "the chain subsystem is off: start the carrier with --keystore",
		"peers":  "the p2p node is not running",
	} {
		var e *carrierapi.Error
		if err := cl.Do(ctx, "GET", path, nil, nil); !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable || !strings.Contains(e.Message, want) {
			t.Errorf("GET /v1/%s: %v, want 503 saying %q", path, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, directoryFile)); err != nil {
		t.Errorf("the directory is not in --data-dir: %v", err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
