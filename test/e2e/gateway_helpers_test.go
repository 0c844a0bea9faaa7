package e2e

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// testProviderKey is the provider key of the gateways of the tests that
// need no particular provider (discovery, lifecycle). TEST ONLY.
const testProviderKey = "8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63"

// testProvider is its address.
var testProvider = func() string {
	k, err := crypto.HexToECDSA(testProviderKey)
	if err != nil {
		panic(err)
	}
	return crypto.PubkeyToAddress(k.PublicKey).Hex()
}()

var (
	testKeystoreOnce sync.Once
	testKeystoreArgs []string
	testKeystoreErr  error
)

// testProviderKeystore returns --keystore and --passphrase-file flags for
// the test provider's key, written once per test binary (light scrypt).
func testProviderKeystore() []string {
	testKeystoreOnce.Do(func() {
		k, _ := crypto.HexToECDSA(testProviderKey)
		dir := filepath.Join(binDir, "test-provider")
		if testKeystoreErr = os.MkdirAll(dir, 0o700); testKeystoreErr != nil {
			return
		}
		ks, pass, err := writeKeystore(dir, k, "test-provider-pass")
		testKeystoreErr = err
		testKeystoreArgs = []string{"--keystore", ks, "--passphrase-file", pass}
	})
	if testKeystoreErr != nil {
		panic(fmt.Sprintf("writing the test provider keystore: %v", testKeystoreErr))
	}
	return testKeystoreArgs
}

// writeKeystore writes key as a v3 keystore file (light scrypt) and a
// passphrase file, both mode 0600, in dir.
func writeKeystore(dir string, key *ecdsa.PrivateKey, pass string) (ks, passFile string, err error) {
	addr := crypto.PubkeyToAddress(key.PublicKey)
	store := keystore.NewKeyStore(filepath.Join(dir, "ks-"+strings.ToLower(addr.Hex())), keystore.LightScryptN, keystore.LightScryptP)
	acc, err := store.ImportECDSA(key, pass)
	if err != nil {
		return "", "", err
	}
	passFile = filepath.Join(dir, strings.ToLower(addr.Hex())+".pass")
	return acc.URL.Path, passFile, os.WriteFile(passFile, []byte(pass+"\n"), 0o600)
}

// gatewayKeystore writes key's keystore for a test and returns the
// gateway's flags for it.
func gatewayKeystore(t *testing.T, key *ecdsa.PrivateKey) []string {
	t.Helper()
	ks, pass, err := writeKeystore(t.TempDir(), key, "pass-"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return []string{"--keystore", ks, "--passphrase-file", pass}
}

// addressOf is key's address.
func addressOf(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// jsonOf decodes b into v or fails the test.
func jsonOf(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}
