package consul

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridnode/gridnode/test/consultest"
)

func TestOrgPrefix(t *testing.T) {
	tests := []struct {
		org, want string
		ok        bool
	}{
		{"org-a", "gridnode/org-a/", true},
		{"a", "gridnode/a/", true},
		{"acme42", "gridnode/acme42/", true},
		{strings.Repeat("a", 63), "gridnode/" + strings.Repeat("a", 63) + "/", true},
		{strings.Repeat("a", 64), "", false},
		{"", "", false},
		{"Org", "", false},
		{"org_a", "", false},
		{"-org", "", false},
		{"org-", "", false},
		{"org/a", "", false},
		{"org.a", "", false},
		{"../a", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.org, func(t *testing.T) {
			got, err := OrgPrefix(tt.org)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("OrgPrefix(%q) = %q, %v; want %q, ok=%v", tt.org, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestKV(t *testing.T) {
	a := consultest.Start(t)
	kv := NewKV(client(t, a), testLogger(t))
	ctx := t.Context()
	prefix, _ := OrgPrefix("org-a")

	t.Run("get missing", func(t *testing.T) {
		v, idx, found, err := kv.Get(ctx, prefix+"missing")
		if err != nil || found || v != nil || idx != 0 {
			t.Fatalf("Get missing = %q, %d, %v, %v", v, idx, found, err)
		}
	})

	t.Run("cas", func(t *testing.T) {
		key := prefix + "gateway/nonces/n1"
		if err := kv.CAS(ctx, key, []byte("v1"), 0); err != nil {
			t.Fatalf("create-only on a missing key: %v", err)
		}
		err := kv.CAS(ctx, key, []byte("v2"), 0)
		if !errors.Is(err, ErrCASConflict) {
			t.Fatalf("create-only on an existing key: %v, want ErrCASConflict", err)
		}
		v, idx, found, err := kv.Get(ctx, key)
		if err != nil || !found || string(v) != "v1" || idx == 0 {
			t.Fatalf("Get = %q, %d, %v, %v", v, idx, found, err)
		}
		if err := kv.CAS(ctx, key, []byte("v3"), idx); err != nil {
			t.Fatalf("CAS at the current index: %v", err)
		}
		if err := kv.CAS(ctx, key, []byte("v4"), idx); !errors.Is(err, ErrCASConflict) {
			t.Fatalf("CAS at a stale index: %v, want ErrCASConflict", err)
		}
		v, idx2, _, _ := kv.Get(ctx, key)
		if string(v) != "v3" || idx2 <= idx {
			t.Fatalf("after CAS: %q at %d (was %d)", v, idx2, idx)
		}
		if err := kv.DeleteCAS(ctx, key, idx); !errors.Is(err, ErrCASConflict) {
			t.Fatalf("DeleteCAS at a stale index: %v", err)
		}
		if err := kv.DeleteCAS(ctx, key, idx2); err != nil {
			t.Fatalf("DeleteCAS: %v", err)
		}
		if _, _, found, _ := kv.Get(ctx, key); found {
			t.Fatal("key still there after DeleteCAS")
		}
	})

	t.Run("list and delete", func(t *testing.T) {
		for _, k := range []string{"list/b", "list/a", "list/sub/c", "listx"} {
			if err := kv.Put(ctx, prefix+k, []byte(k)); err != nil {
				t.Fatal(err)
			}
		}
		entries, err := kv.List(ctx, prefix+"list/")
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range entries {
			keys = append(keys, strings.TrimPrefix(e.Key, prefix))
			if string(e.Value) != strings.TrimPrefix(e.Key, prefix) || e.ModifyIndex == 0 {
				t.Errorf("entry %+v", e)
			}
		}
		if strings.Join(keys, ",") != "list/a,list/b,list/sub/c" {
			t.Fatalf("List = %v", keys)
		}
		if err := kv.Delete(ctx, prefix+"list/a"); err != nil {
			t.Fatal(err)
		}
		if err := kv.Delete(ctx, prefix+"list/a"); err != nil {
			t.Fatalf("deleting a missing key: %v", err)
		}
		if entries, _ := kv.List(ctx, prefix+"list/"); len(entries) != 2 {
			t.Fatalf("after delete: %d entries", len(entries))
		}
		if entries, err := kv.List(ctx, prefix+"nothing/"); err != nil || len(entries) != 0 {
			t.Fatalf("empty prefix: %v, %v", entries, err)
		}
	})

	t.Run("size limit", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), MaxValueSize)
		if err := kv.Put(ctx, prefix+"big", big); err != nil {
			t.Fatalf("a value of exactly MaxValueSize: %v", err)
		}
		v, _, _, err := kv.Get(ctx, prefix+"big")
		if err != nil || len(v) != MaxValueSize {
			t.Fatalf("Get big: %d bytes, %v", len(v), err)
		}
		big = append(big, 'x')
		if err := kv.Put(ctx, prefix+"big", big); !errors.Is(err, ErrValueTooLarge) {
			t.Fatalf("Put over the limit: %v", err)
		}
		if err := kv.CAS(ctx, prefix+"big2", big, 0); !errors.Is(err, ErrValueTooLarge) {
			t.Fatalf("CAS over the limit: %v", err)
		}
	})

	t.Run("invalid keys", func(t *testing.T) {
		for _, k := range []string{"", "/abs", "a\x00b"} {
			if err := kv.Put(ctx, k, nil); err == nil {
				t.Errorf("Put(%q) accepted", k)
			}
		}
	})
}

func TestSettings(t *testing.T) {
	a := consultest.Start(t)
	kv := NewKV(client(t, a), testLogger(t))
	ctx := t.Context()

	empty, err := kv.ReadSettings(ctx, "org-a")
	if err != nil || empty != (Settings{}) {
		t.Fatalf("ReadSettings with nothing stored: %+v, %v", empty, err)
	}
	s := Settings{
		OrgName:  "Org A",
		ChainRPC: "http://127.0.0.1:8545",
		Contracts: Contracts{
			Token:    "0x5FbDB2315678afecb367f032d93F642f64180aa3",
			Registry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
			Market:   "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
		},
	}
	if err := kv.WriteSettings(ctx, "org-a", s); err != nil {
		t.Fatal(err)
	}
	got, err := kv.ReadSettings(ctx, "org-a")
	if err != nil || got != s {
		t.Fatalf("round trip: %+v, %v; want %+v", got, err, s)
	}
	// One key each, where docs/operations.md says.
	v, _, found, _ := kv.Get(ctx, "gridnode/org-a/settings/contracts/market")
	if !found || string(v) != s.Contracts.Market {
		t.Fatalf("contracts/market key: %q, %v", v, found)
	}
	if other, _ := kv.ReadSettings(ctx, "org-b"); other != (Settings{}) {
		t.Fatalf("org-b sees org-a's settings: %+v", other)
	}

	for name, bad := range map[string]Settings{
		"rpc scheme":   {ChainRPC: "ftp://x"},
		"rpc host":     {ChainRPC: "http://"},
		"contract hex": {Contracts: Contracts{Token: "0x1234"}},
	} {
		if err := kv.WriteSettings(ctx, "org-a", bad); err == nil {
			t.Errorf("%s: invalid settings written", name)
		}
	}

	updates := make(chan Settings, 16)
	background(t, func(ctx context.Context) error {
		return kv.WatchSettings(ctx, "org-a", func(s Settings) { updates <- s })
	})
	select {
	case first := <-updates:
		if first != s {
			t.Fatalf("first callback %+v", first)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no first callback")
	}
	changed := s
	changed.ChainRPC = "ws://127.0.0.1:8546"
	changed.Contracts.Registry = ""
	start := time.Now()
	if err := kv.WriteSettings(ctx, "org-a", changed); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-updates:
		if got != changed {
			t.Fatalf("after change: %+v, want %+v", got, changed)
		}
		t.Logf("settings change seen by WatchSettings after %s", time.Since(start).Round(time.Microsecond))
	case <-time.After(10 * time.Second):
		t.Fatal("change not seen")
	}
	// An unrelated key under the org does not call back.
	if err := kv.Put(ctx, "gridnode/org-a/gateway/nonces/x", []byte("1")); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-updates:
		t.Fatalf("callback without a change: %+v", got)
	case <-time.After(300 * time.Millisecond):
	}
}
