package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/test/consultest"
	"github.com/gridnode/gridnode/test/testport"
)

// p2pOrg is one organization of the federation test: its Consul agent,
// its carrier process and the files the carrier reads.
type p2pOrg struct {
	name    string
	agent   *consultest.Agent
	carrier *daemon
	token   string
	peerID  peer.ID
	addr    string
}

// startP2POrg starts an organization's Consul agent, writes the chain
// settings into its KV and starts its carrier with p2p on.
func startP2POrg(t *testing.T, e *chainEnv, name string, bootstrap ...string) *p2pOrg {
	t.Helper()
	o := &p2pOrg{name: name, agent: consultest.Start(t), token: writeToken(t, 0o600)}
	out, err := exec.Command(bin("carrier"), "settings", "set", "--org", name, "--consul-addr", o.agent.Addr(), "--devnet-info", e.file).CombinedOutput()
	if err != nil {
		t.Fatalf("carrier settings set: %v\n%s", err, out)
	}
	keyFile, id := p2pKeyFile(t, filepath.Join(t.TempDir(), "p2p.key"))
	o.peerID = id
	o.addr = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", testport.Get(t), id)
	args := []string{"--api-token-file", o.token, "--data-dir", t.TempDir(),
		"--p2p-listen", strings.TrimSuffix(o.addr, "/p2p/"+id.String()), "--p2p-key-file", keyFile}
	for _, b := range bootstrap {
		args = append(args, "--p2p-bootstrap", b)
	}
	o.carrier = startDaemon(t, "carrier", daemonArgs("carrier", o.agent, name, args...)...)
	return o
}

// cli runs a carrier subcommand (its words in cmd) against the org's
// carrier and returns its output.
func (o *p2pOrg) cli(t *testing.T, cmd string, args ...string) ([]byte, error) {
	t.Helper()
	all := append(strings.Fields(cmd), "--carrier-url", o.carrier.url(), "--api-token-file", o.token)
	return exec.Command(bin("carrier"), append(all, args...)...).CombinedOutput()
}

// TestP2PFederation runs two organizations, each with its own Consul
// agent and carrier process, on one devnet: the carriers connect over
// libp2p (B bootstraps from A), a listing that an operator of A publishes
// with `carrier listings publish` (signed with the provider's key file,
// the provider registered in the Registry, naming its owner) shows up in
// `carrier listings search` and `show` at B; listings naming another owner
// than the Registry's are refused (a squatter; the former owner after a
// transfer), the new owner's is accepted and reaches B; a withdrawal hides
// it there.
func TestP2PFederation(t *testing.T) {
	e := startDevnet(t)
	providerKey := e.key("provider-a")
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)

	owner := registerProvider(t, e, providerKey)

	a := startP2POrg(t, e, "org-a")
	b := startP2POrg(t, e, "org-b", a.addr)

	// B connects to A.
	waitFor(t, time.Minute, "carrier B connected to carrier A", func() bool {
		out, err := b.cli(t, "peers")
		if err != nil {
			return false
		}
		var ps struct {
			Peers []struct{ ID string }
		}
		if json.Unmarshal(out, &ps) != nil {
			return false
		}
		for _, p := range ps.Peers {
			if p.ID == a.peerID.String() {
				return true
			}
		}
		return false
	})

	keyFile := filepath.Join(t.TempDir(), "provider.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(providerKey))), 0o600); err != nil {
		t.Fatal(err)
	}
	published := time.Now()
	out, err := a.cli(t, "listings publish", "--provider-key-file", keyFile, "--owner", owner.Hex(), "--gateway-url", "https://via.org-a.example/gw/a",
		"--cpu", "8000", "--free-cpu", "6000", "--memory", "16Gi", "--storage", "100Gi", "--price-cpu", "2", "--price-memory", "1",
		"--region", "eu", "--label", "tier=gold")
	if err != nil {
		t.Fatalf("carrier listings publish: %v\n%s", err, out)
	}
	var search struct {
		Total    int
		Listings []struct {
			Provider string
			Org      string
			Cost     string
		}
	}
	waitFor(t, time.Minute, "the listing in carrier B's search", func() bool {
		out, err := b.cli(t, "listings search", "--cpu-millis", "4000", "--label", "tier=gold", "--duration", "1h")
		if err != nil || json.Unmarshal(out, &search) != nil {
			return false
		}
		return search.Total == 1 && strings.EqualFold(search.Listings[0].Provider, provider.Hex())
	})
	t.Logf("published at A, found at B after %s", time.Since(published))
	if l := search.Listings[0]; l.Org != "org-a" || l.Cost != "28800000" { // 4000 millicores × 2 × 3600 s
		t.Errorf("listing at B: %+v", l)
	}
	out, err = b.cli(t, "listings show", provider.Hex())
	if err != nil || !strings.Contains(string(out), `"gatewayUrl": "https://via.org-a.example/gw/a"`) ||
		!strings.Contains(string(out), `"owner": "`+owner.Hex()+`"`) {
		t.Errorf("carrier listings show at B: %v\n%s", err, out)
	}

	// B publishes only its own organization's listings.
	out, err = b.cli(t, "listings publish", "--org", "org-a", "--provider-key-file", keyFile, "--owner", owner.Hex(), "--gateway-url", "https://via.org-a.example/gw/a", "--cpu", "1000")
	if err == nil || !strings.Contains(string(out), "another organization") {
		t.Errorf("publishing org A's provider at B: %v\n%s", err, out)
	}

	// Listings that name no owner, the zero owner, or a squatter.
	publish := func(owner string) ([]byte, error) {
		args := []string{"--provider-key-file", keyFile, "--gateway-url", "https://via.org-a.example/gw/a", "--cpu", "8000", "--price-cpu", "2"}
		if owner != "" {
			args = append(args, "--owner", owner)
		}
		return a.cli(t, "listings publish", args...)
	}
	squatter := crypto.PubkeyToAddress(e.key("buyer-a").PublicKey)
	for _, tc := range []struct{ name, owner, want string }{
		{"no owner", "", `Required flag "owner" not set`},
		{"zero owner", common.Address{}.Hex(), "not zero"},
		{"malformed owner", "0x1234", "40 hex digits"},
		{"squatter", squatter.Hex(), "is owned by " + owner.Hex() + ", the listing names " + squatter.Hex()},
	} {
		if out, err := publish(tc.owner); err == nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("publishing a listing with %s: %v\n%s\nwant an error containing %q", tc.name, err, out, tc.want)
		}
	}
	if n := viaMetric(t, a.carrier, `gridnode_p2p_records_total{result="owner_mismatch",source="api"}`); n != 1 {
		t.Errorf("carrier A counted %v owner mismatches from its API, want 1", n)
	}

	// The provider moves to a new owner (with its key's consent). A
	// listing naming the new owner is accepted once the carriers' cached
	// answer is old enough to be checked again (listing.DefaultRecheckAfter)
	// and reaches B; one naming the former owner is refused from then on.
	newOwner := transferProvider(t, e, providerKey, "buyer-b")
	var last time.Time
	waitFor(t, 2*time.Minute, "the new owner's listing at B", func() bool {
		if time.Since(last) > time.Second {
			last = time.Now()
			_, _ = publish(newOwner.Hex()) // refused until A checks the Registry again
		}
		out, err := b.cli(t, "listings show", provider.Hex())
		return err == nil && strings.Contains(string(out), `"owner": "`+newOwner.Hex()+`"`)
	})
	if out, err := publish(owner.Hex()); err == nil || !strings.Contains(string(out), "owned by "+newOwner.Hex()) {
		t.Errorf("publishing a listing naming the former owner after the transfer: %v\n%s", err, out)
	}

	// The operator withdraws the listing: B no longer finds it.
	if out, err := a.cli(t, "listings withdraw", "--provider-key-file", keyFile, "--owner", newOwner.Hex()); err != nil {
		t.Fatalf("carrier listings withdraw: %v\n%s", err, out)
	}
	waitFor(t, time.Minute, "the listing withdrawn at B", func() bool {
		out, err := b.cli(t, "listings search")
		return err == nil && json.Unmarshal(out, &search) == nil && search.Total == 0
	})
}

// registerProvider registers provider in the devnet's Registry (owner: the
// deployer account) and waits until the registration is mined; it returns
// the owner.
func registerProvider(t *testing.T, e *chainEnv, providerKey *ecdsa.PrivateKey) common.Address {
	t.Helper()
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	reg, err := registry.NewRegistry(e.info.Contracts.Registry, e.client)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(e.key("deployer"), new(big.Int).SetUint64(e.info.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	opts.Context, opts.GasLimit = e.ctx, 1_000_000
	tx, err := reg.Register(opts, provider, "https://via.org-a.example/gw/a", "eu",
		registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30},
		registry.RegistryPrices{CpuMilli: big.NewInt(2), MemoryMiB: big.NewInt(1), StorageGiB: big.NewInt(1), Gpu: big.NewInt(0)},
		providerProof(t, e, reg, providerKey, opts.From))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Minute, "registration mined", func() bool {
		r, err := e.client.TransactionReceipt(e.ctx, tx.Hash())
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			t.Fatal(err)
		}
		return err == nil && r.Status == types.ReceiptStatusSuccessful
	})
	return opts.From
}

// transferProvider moves provider from the deployer (registerProvider's
// owner) to the dev account named to, with the provider key's proof, and
// waits until it is mined; it returns the new owner.
func transferProvider(t *testing.T, e *chainEnv, providerKey *ecdsa.PrivateKey, to string) common.Address {
	t.Helper()
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	newOwner := crypto.PubkeyToAddress(e.key(to).PublicKey)
	reg, err := registry.NewRegistry(e.info.Contracts.Registry, e.client)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bind.NewKeyedTransactorWithChainID(e.key("deployer"), new(big.Int).SetUint64(e.info.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	opts.Context, opts.GasLimit = e.ctx, 1_000_000
	tx, err := reg.Transfer(opts, provider, newOwner, providerProof(t, e, reg, providerKey, newOwner))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Minute, "transfer mined", func() bool {
		r, err := e.client.TransactionReceipt(e.ctx, tx.Hash())
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			t.Fatal(err)
		}
		if err == nil && r.Status != types.ReceiptStatusSuccessful {
			t.Fatal("transfer reverted")
		}
		return err == nil
	})
	return newOwner
}

// providerProof is the provider key's consent to owner, with the
// provider's next nonce, good for an hour.
func providerProof(t *testing.T, e *chainEnv, reg *registry.Registry, providerKey *ecdsa.PrivateKey, owner common.Address) registry.RegistryProof {
	t.Helper()
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	n, err := reg.NonceOf(&bind.CallOpts{Context: e.ctx}, provider)
	if err != nil {
		t.Fatal(err)
	}
	p, err := regproof.ProofForKey(providerKey, new(big.Int).SetUint64(e.info.ChainID), e.info.Contracts.Registry, owner, n,
		uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
