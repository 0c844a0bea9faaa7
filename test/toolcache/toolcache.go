package toolcache

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env names the environment variable that overrides the cache directory.
const Env = "GRIDNODE_CACHE"

// Dir is the tool cache directory: $GRIDNODE_CACHE, else
// $HOME/.cache/gridnode.
func Dir() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the tool cache: %w (set %s)", err, Env)
	}
	return filepath.Join(home, ".cache", "gridnode"), nil
}

// EnvGeth names the environment variable that overrides the geth binary.
const EnvGeth = "GRIDNODE_GETH"

// Geth returns the path of the geth binary that `hack/setup geth` builds:
// $GRIDNODE_GETH, else bin/geth in the cache. It fails, naming the command
// that builds it, when that is not an executable file; tests that need
// geth fail then (in CI too), they never skip.
func Geth() (string, error) { return Binary("geth", EnvGeth) }

// Binary returns the path of the tool name that hack/setup builds into
// bin/ of the cache (the setup component has the tool's name), or the path
// in the environment variable env when it is set. It fails when that is
// not an executable file.
func Binary(name, env string) (string, error) {
	path := os.Getenv(env)
	if path == "" {
		dir, err := Dir()
		if err != nil {
			return "", fmt.Errorf("finding %s: %w (or set %s)", name, err, env)
		}
		path = filepath.Join(dir, "bin", name)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("%s binary %s: %w: run hack/setup %s (or set %s)", name, path, err, name, env)
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return "", fmt.Errorf("%s binary %s is not executable: run hack/setup %s (or set %s)", name, path, name, env)
	}
	return path, nil
}
