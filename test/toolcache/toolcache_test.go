package toolcache

import (
	"path/filepath"
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
