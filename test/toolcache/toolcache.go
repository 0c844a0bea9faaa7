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
