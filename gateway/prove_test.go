package gateway

import (
	"bytes"
	"context"
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/devchain/devchaintest"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// runKeys runs `gateway keys args…` and returns its standard output.
func runKeys(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	app := &cli.App{Name: "gateway", Writer: &out, ErrWriter: &out, Commands: []*cli.Command{wallet.Command("gateway", ProveCommand())}}
	err := app.Run(append([]string{"gateway", "keys"}, args...))
	return out.String(), err
}

// TestKeysProve signs a proof with `gateway keys prove` against the dev
// chain and registers the provider with it: the chain takes it. It checks
// the offline form, the refusals, and that the key is never printed.
func TestKeysProve(t *testing.T) {
	c := devchaintest.Start(t)
	key, _ := crypto.GenerateKey()
	provider := crypto.PubkeyToAddress(key.PublicKey)
	dir := t.TempDir()
	keyHex := hex.EncodeToString(crypto.FromECDSA(key))
	keyFile, pass, ks := filepath.Join(dir, "key"), filepath.Join(dir, "pass"), filepath.Join(dir, "provider.json")
	for f, v := range map[string]string{keyFile: keyHex, pass: "prove test passphrase"} {
		if err := os.WriteFile(f, []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := wallet.Import(wallet.Options{KeystorePath: ks, PassphraseFile: pass, LightScrypt: true}, keyFile); err != nil {
		t.Fatal(err)
	}
	owner := crypto.PubkeyToAddress(c.Owner.PublicKey)
	base := []string{"prove", "--keystore", ks, "--passphrase-file", pass, "--owner", owner.Hex(), "--registry", c.Reg.Hex()}

	// Refusals.
	for name, args := range map[string][]string{
		"no owner":        {"prove", "--keystore", ks, "--passphrase-file", pass, "--registry", c.Reg.Hex(), "--chain-rpc", c.RPC},
		"bad owner":       {"prove", "--keystore", ks, "--passphrase-file", pass, "--owner", "0x12", "--registry", c.Reg.Hex(), "--chain-rpc", c.RPC},
		"zero registry":   {"prove", "--keystore", ks, "--passphrase-file", pass, "--owner", owner.Hex(), "--registry", common.Address{}.Hex(), "--chain-rpc", c.RPC},
		"offline, no id":  append(append([]string{}, base...), "--nonce", "0"),
		"negative nonce":  append(append([]string{}, base...), "--chain-id", "1337", "--nonce", "-1"),
		"too long":        append(append([]string{}, base...), "--chain-rpc", c.RPC, "--valid-for", "200h"),
		"too short":       append(append([]string{}, base...), "--chain-rpc", c.RPC, "--valid-for", "1m"),
		"wrong nonce":     append(append([]string{}, base...), "--chain-rpc", c.RPC, "--nonce", "5"),
		"wrong chain id":  append(append([]string{}, base...), "--chain-rpc", c.RPC, "--chain-id", "1"),
		"wrong passfile":  {"prove", "--keystore", ks, "--passphrase-file", keyFile, "--owner", owner.Hex(), "--registry", c.Reg.Hex(), "--chain-rpc", c.RPC},
		"not a registry":  {"prove", "--keystore", ks, "--passphrase-file", pass, "--owner", owner.Hex(), "--registry", owner.Hex(), "--chain-rpc", c.RPC},
		"chain not there": append(append([]string{}, base...), "--chain-rpc", "http://127.0.0.1:1"),
	} {
		out, err := runKeys(t, args...)
		if err == nil {
			t.Errorf("%s: accepted: %s", name, out)
		} else if strings.Contains(err.Error(), keyHex) || strings.Contains(out, keyHex) {
			t.Errorf("%s: the key is printed", name)
		}
	}

	// Offline: what was given, good for --valid-for.
	before := time.Now()
	out, err := runKeys(t, append(append([]string{}, base...), "--chain-id", "1337", "--nonce", "7", "--valid-for", "2h")...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := regproof.Parse(bytes.TrimSpace([]byte(out)))
	if err != nil {
		t.Fatalf("offline proof %s: %v", out, err)
	}
	if s.Provider != provider || s.Owner != owner || s.Registry != c.Reg || s.ChainID.ToInt().Int64() != 1337 || s.Nonce.ToInt().Int64() != 7 ||
		s.Deadline < uint64(before.Add(2*time.Hour).Unix()) || s.Deadline > uint64(time.Now().Add(2*time.Hour).Unix()) {
		t.Fatalf("offline proof %+v", s)
	}

	// From the chain; the Registry takes it.
	out, err = runKeys(t, append(append([]string{}, base...), "--chain-rpc", c.RPC)...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, keyHex) {
		t.Fatal("the key is printed")
	}
	if s, err = regproof.Parse(bytes.TrimSpace([]byte(out))); err != nil {
		t.Fatalf("proof %s: %v", out, err)
	}
	if s.ChainID.ToInt().Cmp(c.ID) != 0 || s.Nonce.ToInt().Sign() != 0 {
		t.Fatalf("proof %+v: want chain %s nonce 0", s, c.ID)
	}
	reg, err := registry.NewRegistry(c.Reg, c.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	defer cancel()
	opts, err := bind.NewKeyedTransactorWithChainID(c.Owner, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	opts.Context = ctx
	tx, err := reg.Register(opts, provider, "https://via.example/gw/x", "eu", registry.RegistryCapacity{CpuMillis: 1000},
		registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)},
		s.Registration().Proof(s.Signature))
	if err != nil {
		t.Fatalf("register with the proof: %v", err)
	}
	r, err := bind.WaitMined(ctx, c.Client(), tx)
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("register mined: %v %+v", err, r)
	}
	if got, err := reg.OwnerOf(&bind.CallOpts{Context: ctx}, provider); err != nil || got != owner {
		t.Fatalf("owner %s, %v", got.Hex(), err)
	}
	// Registered to the owner already: nothing to sign.
	if _, err := runKeys(t, append(append([]string{}, base...), "--chain-rpc", c.RPC)...); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("proving for the current owner: %v", err)
	}
}

func TestOwnerRequired(t *testing.T) {
	c := Defaults()
	c.Keystore = "/nonexistent/provider.json"
	err := c.validate()
	if err == nil || !strings.Contains(err.Error(), FlagOwner+": required") || !strings.Contains(err.Error(), "carrier chain") {
		t.Fatalf("no owner: %v", err)
	}
	for _, bad := range []string{"0x12", "0x0000000000000000000000000000000000000000", "00000000000000000000000000000000000000aa11"} {
		c.Chain.Owner = bad
		if err := c.validate(); err == nil || !strings.Contains(err.Error(), FlagOwner) {
			t.Errorf("owner %q: %v", bad, err)
		}
	}
	c.Chain.Owner = "0x00000000000000000000000000000000000000aa"
	if err := c.validate(); err != nil {
		t.Errorf("good owner: %v", err)
	}
}
