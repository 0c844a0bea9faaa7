package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binDir holds the daemon binaries built once for the whole package.
var binDir string

var roles = []string{"carrier", "admin", "gateway", "via"}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gridnode-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	for _, role := range roles {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, role), "github.com/gridnode/gridnode/"+role+"/cmd/"+role)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", role, err)
			return 1
		}
	}
	return m.Run()
}

func bin(role string) string { return filepath.Join(binDir, role) }
