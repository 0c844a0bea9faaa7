package devchain

import (
	"crypto/ecdsa"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// accountNames names the first dev accounts by the role tests give them;
// the others are account-<index>.
var accountNames = []string{"deployer", "provider-a", "provider-b", "buyer-a", "buyer-b"}

// Account is a deterministic dev account. DEVNET ONLY: its key is derived
// from a public seed, so anyone can spend from it.
type Account struct {
	Name    string
	Address common.Address
	Key     *ecdsa.PrivateKey
}

// DevAccount derives dev account i: its private key is
// keccak256("gridnode devnet account " + decimal i). Account 0 is the
// deployer and Token owner. DEVNET ONLY.
func DevAccount(i int) (Account, error) {
	if i < 0 {
		return Account{}, fmt.Errorf("dev account %d: index must not be negative", i)
	}
	seed := crypto.Keccak256([]byte("gridnode devnet account " + strconv.Itoa(i)))
	// ToECDSA rejects 0 and values ≥ the curve order; a keccak output lands
	// there with probability ~2^-128, and the derivation is fixed, so the
	// test over all MaxAccounts indices settles it.
	key, err := crypto.ToECDSA(seed)
	if err != nil {
		return Account{}, fmt.Errorf("dev account %d: derived key is not a valid secp256k1 key: %w", i, err)
	}
	return Account{Name: accountName(i), Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}, nil
}

// DevAccounts derives dev accounts 0 to n-1. DEVNET ONLY.
func DevAccounts(n int) ([]Account, error) {
	accounts := make([]Account, 0, n)
	for i := range n {
		a, err := DevAccount(i)
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, a)
	}
	return accounts, nil
}

func accountName(i int) string {
	if i < len(accountNames) {
		return accountNames[i]
	}
	return "account-" + strconv.Itoa(i)
}
