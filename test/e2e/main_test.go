package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binDir holds the daemon binaries, and the devnet's, built once for the
// whole package.
var binDir string

var roles = []string{"carrier", "admin", "gateway", "via"}

// packages are the binaries' packages, as make build builds them.
var packages = map[string]string{
	"carrier": "carrier/cmd/carrier",
	"admin":   "admin/cmd/admin",
	"gateway": "gateway/cmd/gateway",
	"via":     "via/cmd/via",
	"devnet":  "hack/devnet",
}

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
	for name, pkg := range packages {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), "github.com/gridnode/gridnode/"+pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", name, err)
			return 1
		}
	}
	return m.Run()
}

func bin(role string) string { return filepath.Join(binDir, role) }
