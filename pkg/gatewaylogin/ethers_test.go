package gatewaylogin

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// ethersScript returns node and test/ethers/sign-challenge.mjs, or skips
// the test (fails it in CI) when Node.js or the ethers package (hack/setup
// npm) is missing.
func ethersScript(t *testing.T) (node, script string) {
	t.Helper()
	dir, err := filepath.Abs("../../test/ethers")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(what string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing: run hack/setup npm", what)
		}
		t.Skipf("%s missing: run hack/setup npm", what)
	}
	node, err = exec.LookPath("node")
	if err != nil {
		missing("node")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ethers", "package.json")); err != nil {
		missing("test/ethers/node_modules/ethers")
	}
	return node, filepath.Join(dir, "sign-challenge.mjs")
}

// TestEthersSignature: ethers.js (a real client, as dapps use it) hashes
// the gateway's challenge JSON to the gateway's digest, and its
// signTypedData signature recovers the signer.
func TestEthersSignature(t *testing.T) {
	node, script := ethersScript(t)
	key, _ := crypto.ToECDSA(testKey)
	keyFile := filepath.Join(t.TempDir(), "buyer.key")
	if err := os.WriteFile(keyFile, []byte(hexutil.Encode(crypto.FromECDSA(key))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Challenge{
		testChallenge(),
		{ChainID: common.Big1, Market: common.Address{0xff}, Gateway: common.Address{19: 1}, OrderID: common.BytesToHash([]byte{1, 2, 3}).Big(),
			Nonce: [32]byte{31: 7}, Expires: 4_000_000_000},
		{ChainID: testChallenge().ChainID, Market: testChallenge().Market, Gateway: testChallenge().Gateway, OrderID: maxUint256,
			Nonce: [32]byte{0: 0xff}, Expires: 1},
	} {
		in, _ := json.Marshal(c.JSON())
		run := func(args ...string) []byte {
			t.Helper()
			cmd := exec.Command(node, append([]string{script}, args...)...)
			cmd.Stdin = bytes.NewReader(in)
			cmd.Env = append(os.Environ(), "BUYER_KEY_FILE="+keyFile)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			}
			return out
		}
		var d struct{ Digest string }
		if err := json.Unmarshal(run("--digest"), &d); err != nil {
			t.Fatal(err)
		}
		if want := c.Digest(); d.Digest != hexutil.Encode(want[:]) {
			t.Errorf("ethers' digest %s, the gateway's %x", d.Digest, want)
		}
		req, err := ParseLogin(run())
		if err != nil {
			t.Fatalf("the login body ethers produced: %v", err)
		}
		if req.Nonce != c.Nonce || req.Expires != c.Expires {
			t.Errorf("login body %+v does not echo the challenge", req)
		}
		got, err := c.Recover(req.Signature[:])
		if err != nil || got != crypto.PubkeyToAddress(key.PublicKey) {
			t.Errorf("ethers' signature recovers %s, %v; want %s", got.Hex(), err, crypto.PubkeyToAddress(key.PublicKey).Hex())
		}
	}
}
