package wallet

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gridnode/gridnode/pkg/service"
)

const testPass = "correct horse battery staple 7f3a"

// writeFile writes a file with the given mode (after the umask is undone).
func writeFile(t *testing.T, path, content string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// testKey is a fixed key whose hex the tests look for in outputs.
func testKey(t *testing.T) (hexKey string, addr common.Address) {
	t.Helper()
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("gridnode wallet test key")))
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(crypto.FromECDSA(key)), crypto.PubkeyToAddress(key.PublicKey)
}

func testOptions(t *testing.T) Options {
	t.Helper()
	dir := t.TempDir()
	return Options{
		KeystorePath:   filepath.Join(dir, "keys", "org.json"),
		PassphraseFile: writeFile(t, filepath.Join(dir, "pass"), testPass+"\n", 0o600),
		LightScrypt:    true,
	}
}

func TestNewLoadRoundTrip(t *testing.T) {
	opts := testOptions(t)
	w, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	fi, err := os.Stat(opts.KeystorePath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("keystore mode %04o, want 0600", fi.Mode().Perm())
	}
	loaded, err := Load(opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if loaded.Address() != w.Address() {
		t.Errorf("loaded address %s, created %s", loaded.Address(), w.Address())
	}
	addr, err := ReadAddress(opts.KeystorePath)
	if err != nil || addr != w.Address() {
		t.Errorf("ReadAddress = %s, %v; want %s", addr, err, w.Address())
	}

	// The loaded key signs for its address.
	chainID := big.NewInt(1337)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: 3, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000})
	signed, err := loaded.SignTx(tx, chainID)
	if err != nil {
		t.Fatal(err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(chainID), signed)
	if err != nil || from != w.Address() {
		t.Errorf("tx sender %s, %v; want %s", from, err, w.Address())
	}
	opts2 := loaded.Transactor(chainID)
	if _, err := opts2.Signer(common.Address{1}, tx); err == nil {
		t.Error("transactor signed for another address")
	}
	hash := crypto.Keccak256Hash([]byte("challenge"))
	sig, err := loaded.SignHash(hash)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := crypto.SigToPub(hash[:], sig)
	if err != nil || crypto.PubkeyToAddress(*pub) != w.Address() {
		t.Errorf("SignHash recovers %v, %v; want %s", pub, err, w.Address())
	}
}

func TestSignTypedDataRecovers(t *testing.T) {
	opts := testOptions(t)
	w, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "chainId", Type: "uint256"}},
			"Challenge":    {{Name: "orderId", Type: "uint256"}, {Name: "nonce", Type: "string"}},
		},
		PrimaryType: "Challenge",
		Domain:      apitypes.TypedDataDomain{Name: "gridnode", ChainId: math.NewHexOrDecimal256(1337)},
		Message:     apitypes.TypedDataMessage{"orderId": "42", "nonce": "abc"},
	}
	sig, err := w.SignTypedData(td)
	if err != nil {
		t.Fatal(err)
	}
	if sig[64] != 27 && sig[64] != 28 {
		t.Fatalf("v = %d, want 27 or 28", sig[64])
	}
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] -= 27
	pub, err := crypto.SigToPub(hash, sig)
	if err != nil || crypto.PubkeyToAddress(*pub) != w.Address() {
		t.Errorf("typed-data signature recovers %v, %v; want %s", pub, err, w.Address())
	}
}

func TestImport(t *testing.T) {
	hexKey, want := testKey(t)
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		ok      bool
		wantErr error // when !ok, if set
	}{
		{"plain", hexKey, 0o600, true, nil},
		{"0x and newline", "0x" + hexKey + "\n", 0o400, true, nil},
		{"group readable", hexKey, 0o640, false, ErrInsecureFile},
		{"not hex", strings.Repeat("z", 64), 0o600, false, nil},
		{"short", hexKey[:62], 0o600, false, nil},
		{"zero key", strings.Repeat("0", 64), 0o600, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t)
			keyFile := writeFile(t, filepath.Join(t.TempDir(), "key.hex"), tc.content, tc.mode)
			w, err := Import(opts, keyFile)
			switch {
			case tc.ok:
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				if w.Address() != want {
					t.Fatalf("address %s, want %s", w.Address(), want)
				}
				if _, err := Load(opts); err != nil {
					t.Fatalf("Load after import: %v", err)
				}
				return
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("Import: %v, want %v", err, tc.wantErr)
			case err == nil:
				t.Fatal("Import accepted a bad key file")
			}
			if strings.Contains(err.Error(), tc.content) || strings.Contains(err.Error(), hexKey[:16]) {
				t.Errorf("error shows the key: %v", err)
			}
			if _, statErr := os.Stat(opts.KeystorePath); !errors.Is(statErr, os.ErrNotExist) {
				t.Errorf("a failed import left a keystore file (%v)", statErr)
			}
		})
	}
}

func TestOverwriteRefused(t *testing.T) {
	opts := testOptions(t)
	first, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(opts.KeystorePath)
	hexKey, _ := testKey(t)
	keyFile := writeFile(t, filepath.Join(t.TempDir(), "key.hex"), hexKey, 0o600)
	for name, f := range map[string]func() error{
		"new":    func() error { _, err := New(opts); return err },
		"import": func() error { _, err := Import(opts, keyFile); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := f(); !errors.Is(err, ErrExists) {
				t.Fatalf("got %v, want ErrExists", err)
			}
			after, _ := os.ReadFile(opts.KeystorePath)
			if !bytes.Equal(before, after) {
				t.Fatal("keystore file changed")
			}
		})
	}
	if w, err := Load(opts); err != nil || w.Address() != first.Address() {
		t.Fatalf("Load = %v, %v; want %s", w, err, first.Address())
	}
}

func TestLoadRefuses(t *testing.T) {
	good := testOptions(t)
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keystoreCopy := func(mode os.FileMode) string {
		b, err := os.ReadFile(good.KeystorePath)
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, filepath.Join(t.TempDir(), "org.json"), string(b), mode)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(keystoreCopy(0o644), link); err != nil {
		t.Fatal(err)
	}
	goodLink := filepath.Join(dir, "good-link.json")
	if err := os.Symlink(good.KeystorePath, goodLink); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		opts     Options
		env      string
		wantErr  error
		wantText []string
	}{
		{"keystore 0644", Options{KeystorePath: keystoreCopy(0o644), PassphraseFile: good.PassphraseFile},
			"", ErrInsecureFile, []string{"keystore file", "mode 0644", "chmod 600"}},
		{"keystore 0604", Options{KeystorePath: keystoreCopy(0o604), PassphraseFile: good.PassphraseFile},
			"", ErrInsecureFile, []string{"mode 0604"}},
		{"passphrase group readable", Options{KeystorePath: good.KeystorePath,
			PassphraseFile: writeFile(t, filepath.Join(dir, "pass-640"), testPass, 0o640)},
			"", ErrInsecureFile, []string{"passphrase file", "pass-640", "mode 0640", "chmod 600"}},
		{"symlink to an insecure file", Options{KeystorePath: link, PassphraseFile: good.PassphraseFile},
			"", ErrInsecureFile, []string{"mode 0644"}},
		{"directory", Options{KeystorePath: dir, PassphraseFile: good.PassphraseFile},
			"", ErrInsecureFile, []string{"not a regular file"}},
		{"wrong passphrase", Options{KeystorePath: good.KeystorePath,
			PassphraseFile: writeFile(t, filepath.Join(dir, "wrong"), "not it", 0o600)},
			"", ErrWrongPassphrase, []string{"wrong passphrase for keystore " + good.KeystorePath}},
		{"wrong passphrase from env", Options{KeystorePath: good.KeystorePath, PassphraseEnv: "GRIDNODE_TEST_PASS"},
			"not it either", ErrWrongPassphrase, nil},
		{"empty passphrase file", Options{KeystorePath: good.KeystorePath,
			PassphraseFile: writeFile(t, filepath.Join(dir, "empty"), "\n", 0o600)},
			"", ErrNoPassphrase, nil},
		{"no passphrase", Options{KeystorePath: good.KeystorePath, PassphraseEnv: "GRIDNODE_TEST_PASS"},
			"", ErrNoPassphrase, []string{"GRIDNODE_TEST_PASS"}},
		{"not a keystore", Options{KeystorePath: writeFile(t, filepath.Join(dir, "junk"), "{}", 0o600),
			PassphraseFile: good.PassphraseFile}, "", ErrBadKeystore, nil},
		{"missing", Options{KeystorePath: filepath.Join(dir, "missing"), PassphraseFile: good.PassphraseFile},
			"", os.ErrNotExist, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GRIDNODE_TEST_PASS", tc.env)
			w, err := Load(tc.opts)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Load = %v, %v; want %v", w, err, tc.wantErr)
			}
			for _, s := range tc.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if strings.Contains(err.Error(), testPass) {
				t.Errorf("error shows the passphrase: %v", err)
			}
		})
	}
	t.Run("symlink to a private file", func(t *testing.T) {
		if _, err := Load(Options{KeystorePath: goodLink, PassphraseFile: good.PassphraseFile}); err != nil {
			t.Fatalf("Load through a symlink: %v", err)
		}
	})
	t.Run("passphrase from env", func(t *testing.T) {
		t.Setenv("GRIDNODE_TEST_PASS", testPass)
		if _, err := Load(Options{KeystorePath: good.KeystorePath, PassphraseEnv: "GRIDNODE_TEST_PASS"}); err != nil {
			t.Fatalf("Load: %v", err)
		}
	})
}

// TestSecretsNeverShown formats, marshals and logs a wallet every way a
// caller might, and fails a failed load, then searches everything produced
// for the key and the passphrase.
func TestSecretsNeverShown(t *testing.T) {
	hexKey, addr := testKey(t)
	opts := testOptions(t)
	keyFile := writeFile(t, filepath.Join(t.TempDir(), "key.hex"), hexKey, 0o600)
	w, err := Import(opts, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(zapcore.NewTee(core, zaptest.NewLogger(t).Core()))
	log.Info("wallet", zap.Any("any", w), zap.Stringer("stringer", w), zap.Reflect("reflect", w), zap.Object("object", w))
	log.Info("wallet value", zap.Any("deref", *w))

	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		out = append(out, fmt.Sprintf(verb, w), fmt.Sprintf(verb, []*Wallet{w}))
	}
	j, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(j))
	for _, e := range logs.All() {
		b, err := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()).EncodeEntry(e.Entry, e.Context)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b.String())
	}
	wrong := opts
	wrong.PassphraseFile = writeFile(t, filepath.Join(t.TempDir(), "p"), testPass+"x", 0o600)
	if _, err := Load(wrong); err == nil {
		t.Fatal("loaded with the wrong passphrase")
	} else {
		out = append(out, err.Error())
	}

	all := strings.ToLower(strings.Join(out, "\n"))
	if !strings.Contains(all, strings.ToLower(addr.Hex())) {
		t.Errorf("the address is not shown:\n%s", all)
	}
	for _, secret := range []string{hexKey, hexKey[:16], hexKey[48:], strings.ToLower(testPass)} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains a secret %q:\n%s", secret, all)
		}
	}
}

// runCLI runs `carrier keys …` as main does, and returns stdout, stderr and
// the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	lightScrypt = true
	t.Cleanup(func() { lightScrypt = false })
	var stdout, stderr bytes.Buffer
	app := service.App{
		Name:     "carrier",
		Defaults: service.Defaults("127.0.0.1:0"),
		Commands: []*cli.Command{Command("carrier")},
		Run:      func(context.Context, *cli.Context, *zap.Logger) error { return nil },
	}
	code := service.RunApp(context.Background(), app, append([]string{"carrier", "keys"}, args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestCommand(t *testing.T) {
	opts := testOptions(t)
	hexKey, addr := testKey(t)
	keyFile := writeFile(t, filepath.Join(t.TempDir(), "key.hex"), hexKey, 0o600)
	ks, pass := opts.KeystorePath, opts.PassphraseFile

	out, errOut, code := runCLI(t, "import", "--keystore", ks, "--passphrase-file", pass, "--private-key-file", keyFile)
	if code != 0 || !strings.Contains(out, addr.Hex()) || !strings.Contains(out, ks) {
		t.Fatalf("import: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	before, _ := os.ReadFile(ks)

	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     string
	}{
		{"show", []string{"show", "--keystore", ks}, nil, 0, addr.Hex()},
		{"show checks the passphrase", []string{"show", "--keystore", ks, "--passphrase-file", pass}, nil, 0, "unlocked"},
		{"show from env", []string{"show", "--check"},
			map[string]string{"GRIDNODE_CARRIER_KEYS_KEYSTORE": ks, DefaultPassphraseEnv: testPass}, 0, addr.Hex()},
		{"show with a wrong passphrase", []string{"show", "--keystore", ks, "--check", "--passphrase-env", "GRIDNODE_TEST_PASS"},
			map[string]string{"GRIDNODE_TEST_PASS": "nope"}, 1, "wrong passphrase for keystore " + ks},
		{"import over an existing keystore", []string{"import", "--keystore", ks, "--passphrase-file", pass, "--private-key-file", keyFile},
			nil, 1, "already exists"},
		{"new over an existing keystore", []string{"new", "--keystore", ks, "--passphrase-file", pass}, nil, 1, "already exists"},
		{"new without a passphrase", []string{"new", "--keystore", ks + ".2", "--passphrase-env", "GRIDNODE_TEST_PASS"},
			map[string]string{"GRIDNODE_TEST_PASS": ""}, 1, "no passphrase"},
		{"new", []string{"new", "--keystore", ks + ".3", "--passphrase-file", pass}, nil, 0, "created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(DefaultPassphraseEnv, "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("code %d (want %d), stdout %q, stderr %q; want %q", code, tc.wantCode, out, errOut, tc.want)
			}
			if strings.Contains(out+errOut, hexKey) || strings.Contains(out+errOut, testPass) {
				t.Fatalf("output shows a secret: %q %q", out, errOut)
			}
			after, _ := os.ReadFile(ks)
			if !bytes.Equal(before, after) {
				t.Fatal("keystore changed")
			}
		})
	}
	if _, err := os.Stat(ks + ".2"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed new left a file: %v", err)
	}
}
