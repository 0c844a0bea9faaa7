// Package identity is the gateway's provider identity: the provider key,
// kept in a keystore file (pkg/wallet; the provider's address is the key's),
// and the provider's listing, which the gateway signs with that key and
// hands to its organization's carrier, signing it again before it expires
// and whenever its capacity changes.
package identity

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Identity is an unlocked provider key. It formats and logs as its address
// only.
type Identity struct {
	w *wallet.Wallet
}

// Load unlocks the provider keystore (both files checked private to the
// running user).
func Load(opts wallet.Options) (*Identity, error) {
	w, err := wallet.Load(opts)
	if err != nil {
		return nil, fmt.Errorf("unlocking the provider key: %w", err)
	}
	return &Identity{w: w}, nil
}

// FromWallet wraps an unlocked wallet.
func FromWallet(w *wallet.Wallet) *Identity { return &Identity{w: w} }

// Address is the provider's address.
func (id *Identity) Address() common.Address { return id.w.Address() }

// String shows the address only.
func (id *Identity) String() string { return "provider(" + id.w.Address().Hex() + ")" }

// Sign signs r (whose Provider must be this identity's address) as
// listing.Sign does: [R ‖ S ‖ V] with V 0 or 1 over listing.SigningDigest.
func (id *Identity) Sign(r *listing.Record) error {
	if r.Provider != id.Address() {
		return fmt.Errorf("signing the listing of %s with the key of %s", r.Provider.Hex(), id.Address().Hex())
	}
	d, err := listing.SigningDigest(r)
	if err != nil {
		return err
	}
	sig, err := id.w.SignHash(d)
	if err != nil {
		return err
	}
	copy(r.Signature[:], sig)
	return nil
}
