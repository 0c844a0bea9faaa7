package toolcache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDir(t *testing.T) {
	for _, tc := range []struct {
		name, cache, home, want string
		fails                   bool
	}{
		{name: "GRIDNODE_CACHE wins", cache: "/srv/cache", home: "/home/u", want: "/srv/cache"},
		{name: "under the home directory", home: "/home/u", want: filepath.Join("/home/u", ".cache", "gridnode")},
		{name: "neither", fails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(Env, tc.cache)
			t.Setenv("HOME", tc.home)
			got, err := Dir()
			if tc.fails {
				if err == nil {
					t.Fatalf("Dir() = %q, want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Dir() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestBinary: the override wins, else bin/<name> in the cache; a missing or
// non-executable file fails with the setup command that builds it.
func TestBinary(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(Env, dir)
	t.Setenv(EnvGeth, "")
	if _, err := Geth(); err == nil || !strings.Contains(err.Error(), "hack/setup geth") {
		t.Fatalf("Geth() without a binary = %v, want an error naming hack/setup geth", err)
	}
	bin := filepath.Join(dir, "bin", "geth")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Geth(); err == nil || !strings.Contains(err.Error(), "not executable") {
		t.Fatalf("Geth() with a non-executable file = %v", err)
	}
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Geth(); err != nil || got != bin {
		t.Fatalf("Geth() = %q, %v; want %q", got, err, bin)
	}
	other := filepath.Join(dir, "other-geth")
	if err := os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvGeth, other)
	if got, err := Geth(); err != nil || got != other {
		t.Fatalf("Geth() with %s = %q, %v", EnvGeth, got, err)
	}
}
