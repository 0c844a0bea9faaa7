package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/gateway/internal/identity"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Flags of `gateway keys prove`.
const (
	proveOwner    = "owner"
	proveChainRPC = "chain-rpc"
	proveChainID  = "chain-id"
	proveRegistry = "registry"
	proveNonce    = "nonce"
	proveValidFor = "valid-for"
)

// proveTimeout bounds the chain reads of `gateway keys prove --chain-rpc`.
const proveTimeout = 20 * time.Second

// ProveCommand is `gateway keys prove`: it signs, with the provider key,
// the proof of possession the Registry asks for to register the provider
// to --owner (or transfer it there), and prints it as JSON (a
// regproof.Signed, what `carrier providers register --proof` takes). It
// never prints the key.
func ProveCommand() *cli.Command {
	env := func(flag string) []string { return []string{wallet.EnvVar("gateway", "prove-"+flag)} }
	return &cli.Command{
		Name: "prove",
		Usage: "sign the provider key's proof of possession naming --owner (the Registry's registration proof) " +
			"and print it as JSON for `carrier providers register --proof`",
		Description: "With --chain-rpc the chain id and the provider's nonce are read from the chain (the Registry's nonceOf); " +
			"offline, give --chain-id, --registry and --nonce (`carrier chain` shows the first two).",
		Flags: append(wallet.KeyFlags("gateway"),
			&cli.StringFlag{Name: proveOwner, Required: true, EnvVars: env(proveOwner),
				Usage: "the organization wallet's `address` the provider consents to (the carrier's: `carrier chain`)"},
			&cli.StringFlag{Name: proveRegistry, Required: true, EnvVars: env(proveRegistry), Usage: "the Registry contract's `address`"},
			&cli.StringFlag{Name: proveChainRPC, EnvVars: env(proveChainRPC), Usage: "chain JSON-RPC `URL` to read the chain id and nonce from"},
			&cli.StringFlag{Name: proveChainID, EnvVars: env(proveChainID), Usage: "the chain `id` (offline, or checked against --chain-rpc)"},
			&cli.StringFlag{Name: proveNonce, EnvVars: env(proveNonce), Usage: "the Registry's nonceOf(provider) (offline, or checked against --chain-rpc)"},
			&cli.DurationFlag{Name: proveValidFor, Value: identity.DefaultProofValidity, EnvVars: env(proveValidFor),
				Usage: fmt.Sprintf("how long the proof may be used (%s to %s)", identity.MinProofValidity, identity.MaxProofValidity)},
		),
		Action: func(c *cli.Context) error {
			req, err := proveRequestFromCLI(c)
			if err != nil {
				return err
			}
			id, err := identity.Load(wallet.OptionsFromCLI(c))
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(c.Context, proveTimeout)
			defer cancel()
			s, err := req.sign(ctx, id, time.Now())
			if err != nil {
				return err
			}
			out, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.App.Writer, "%s\n", out)
			return err
		},
	}
}

// proveRequest is what `gateway keys prove` was asked.
type proveRequest struct {
	owner, registry common.Address
	rpc             string
	chainID, nonce  *big.Int // nil: read from rpc
	validFor        time.Duration
}

func parseAddress(flag, v string) (common.Address, error) {
	if !common.IsHexAddress(v) || len(v) != 42 || common.HexToAddress(v) == (common.Address{}) {
		return common.Address{}, fmt.Errorf("--%s %q: want 0x and 40 hex digits, not zero", flag, v)
	}
	return common.HexToAddress(v), nil
}

func parseUint(flag, v string) (*big.Int, error) {
	if v == "" {
		return nil, nil
	}
	n, ok := new(big.Int).SetString(v, 10)
	if !ok || n.Sign() < 0 || n.BitLen() > 256 {
		return nil, fmt.Errorf("--%s %q: want a non-negative decimal integer", flag, v)
	}
	return n, nil
}

func proveRequestFromCLI(c *cli.Context) (proveRequest, error) {
	var (
		r   = proveRequest{rpc: c.String(proveChainRPC), validFor: c.Duration(proveValidFor)}
		err error
	)
	if r.owner, err = parseAddress(proveOwner, c.String(proveOwner)); err != nil {
		return r, err
	}
	if r.registry, err = parseAddress(proveRegistry, c.String(proveRegistry)); err != nil {
		return r, err
	}
	if r.chainID, err = parseUint(proveChainID, c.String(proveChainID)); err != nil {
		return r, err
	}
	if r.nonce, err = parseUint(proveNonce, c.String(proveNonce)); err != nil {
		return r, err
	}
	if r.chainID != nil && r.chainID.Sign() == 0 {
		return r, fmt.Errorf("--%s: must be positive", proveChainID)
	}
	if r.rpc == "" && (r.chainID == nil || r.nonce == nil) {
		return r, fmt.Errorf("give --%s, or --%s and --%s to sign offline", proveChainRPC, proveChainID, proveNonce)
	}
	if r.validFor < identity.MinProofValidity || r.validFor > identity.MaxProofValidity {
		return r, fmt.Errorf("--%s %s: want %s to %s", proveValidFor, r.validFor, identity.MinProofValidity, identity.MaxProofValidity)
	}
	return r, nil
}

// sign completes the request from the chain when it has an RPC URL and
// signs it with id.
func (r proveRequest) sign(ctx context.Context, id *identity.Identity, now time.Time) (regproof.Signed, error) {
	chainID, nonce := r.chainID, r.nonce
	if r.rpc != "" {
		client, err := ethclient.DialContext(ctx, r.rpc)
		if err != nil {
			return regproof.Signed{}, fmt.Errorf("--%s: %w", proveChainRPC, err)
		}
		defer client.Close()
		got, err := client.ChainID(ctx)
		if err != nil {
			return regproof.Signed{}, fmt.Errorf("--%s: reading the chain id: %w", proveChainRPC, err)
		}
		if chainID != nil && chainID.Cmp(got) != 0 {
			return regproof.Signed{}, fmt.Errorf("--%s %s, but the chain at --%s is %s", proveChainID, chainID, proveChainRPC, got)
		}
		reg, err := identity.ReadRegistration(ctx, client, got, r.registry, id.Address())
		if err != nil {
			return regproof.Signed{}, err
		}
		if nonce != nil && nonce.Cmp(reg.Nonce) != 0 {
			return regproof.Signed{}, fmt.Errorf("--%s %s, but the Registry's nonce of %s is %s", proveNonce, nonce, id.Address().Hex(), reg.Nonce)
		}
		if reg.Owner == r.owner {
			return regproof.Signed{}, errors.New("the provider " + id.Address().Hex() + " is registered to " + r.owner.Hex() + " already")
		}
		chainID, nonce = got, reg.Nonce
	}
	return id.SignRegistration(regproof.Registration{ChainID: chainID, Registry: r.registry, Provider: id.Address(), Owner: r.owner,
		Nonce: nonce, Deadline: uint64(now.Add(r.validFor).Unix())})
}
