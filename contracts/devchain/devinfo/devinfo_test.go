package devinfo_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

func TestReadRejectsIncomplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "info.json")
	if err := os.WriteFile(path, []byte(`{"chainId":1337,"rpc":{"http":"http://127.0.0.1:8545"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := devinfo.Read(path); err == nil {
		t.Fatal("Read accepted an info file without contracts")
	}
	if _, err := devinfo.Read(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Read of a missing file = %v, want ErrNotExist", err)
	}
}
