package deploy

import (
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func testFile() File {
	return File{ChainID: 11155111, RPC: "https://rpc.example", DeployBlock: 42,
		Deployer:  common.HexToAddress("0xd0"),
		Contracts: Contracts{Token: common.HexToAddress("0x01"), Registry: common.HexToAddress("0x02"), Market: common.HexToAddress("0x03")}}
}

// TestFileRoundTrip: written with mode 0644, atomically, read back equal;
// never overwritten without force.
func TestFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "contracts.json")
	if err := CheckWritable(path, false); err != nil {
		t.Fatal(err)
	}
	f := testFile()
	if err := WriteFile(path, f, false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	got, err := ReadFile(path)
	if err != nil || got != f {
		t.Fatalf("ReadFile = %+v, %v; want %+v", got, err, f)
	}
	if err := CheckWritable(path, false); !errors.Is(err, ErrFileExists) {
		t.Fatalf("CheckWritable on an existing file = %v", err)
	}
	g := f
	g.DeployBlock = 43
	if err := WriteFile(path, g, false); !errors.Is(err, ErrFileExists) {
		t.Fatalf("WriteFile without force = %v", err)
	}
	if got, _ := ReadFile(path); got != f {
		t.Fatalf("file changed without force: %+v", got)
	}
	if err := CheckWritable(path, true); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, g, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := ReadFile(path); got != g {
		t.Fatalf("file after force: %+v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := CheckWritable(dir, true); err == nil {
		t.Error("CheckWritable accepts a directory")
	}
}

// TestReadFileRejects: a file that is not an addresses file is refused
// with a message naming the problem.
func TestReadFileRejects(t *testing.T) {
	dir := t.TempDir()
	a := func(n int) string { return `"` + common.BigToAddress(big.NewInt(int64(n))).Hex() + `"` }
	for _, tc := range []struct{ name, content, want string }{
		{"not json", "{", "unexpected end"},
		{"no chain id", `{"contracts":{"token":` + a(1) + `,"registry":` + a(2) + `,"market":` + a(3) + `}}`, "no chainId"},
		{"no market", `{"chainId":1,"contracts":{"token":` + a(1) + `,"registry":` + a(2) + `}}`, "no contracts.market"},
		{"bad address", `{"chainId":1,"contracts":{"token":"0xzz","registry":` + a(2) + `,"market":` + a(3) + `}}`, "hex"},
		{"too big", `{"chainId":1,"pad":"` + strings.Repeat("x", maxFileSize) + `"}`, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFile(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("ReadFile = %v, want an error naming %s and %q", err, path, tc.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile of a missing file = %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "empty.json"), File{}, false); err == nil {
		t.Error("WriteFile wrote a file without addresses")
	}
}
