package service_test

import (
	"testing"

	"github.com/gridnode/gridnode/pkg/service"
)

func TestClipText(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "hello", 10, "hello"},
		{"exact", "hello", 5, "hello"},
		{"cut", "hello world", 5, "hello…"},
		{"control characters dropped", "a\x00b\nc\x7fd", 10, "abcd"},
		{"cut at a rune boundary", "ééé", 3, "é…"},
		{"empty", "", 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := service.ClipText(tc.in, tc.n); got != tc.want {
				t.Fatalf("ClipText(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}
