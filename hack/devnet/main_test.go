package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gridnode/gridnode/pkg/service"
)

// TestInvalidConfigExits2 checks that a configuration mistake ends the
// command with exit code 2 and a message naming the flag, before any chain
// starts.
func TestInvalidConfigExits2(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no accounts", []string{"--accounts", "0"}, "accounts"},
		{"negative mint", []string{"--token-mint", "-1"}, "token-mint"},
		{"non-loopback RPC", []string{"--http-addr", "0.0.0.0:0"}, "loopback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := service.RunApp(context.Background(), app(), append([]string{"devnet"}, tc.args...), &out, &out)
			if code != 2 {
				t.Fatalf("exit code %d, want 2:\n%s", code, out.String())
			}
			if !strings.Contains(out.String(), "invalid configuration") || !strings.Contains(out.String(), tc.want) {
				t.Fatalf("output does not name the mistake (%q):\n%s", tc.want, out.String())
			}
		})
	}
}
