package contracts_test

import (
	"testing"
)

func TestToken(t *testing.T) {
	e := newEnv(t)

	t.Run("metadata", func(t *testing.T) {
		dec, err := e.token.Decimals(nil)
		if err != nil || dec != 18 {
			t.Fatalf("decimals = %d, %v; want 18", dec, err)
		}
		name, _ := e.token.Name(nil)
		sym, _ := e.token.Symbol(nil)
		if name != "Grid Credit" || sym != "GRID" {
			t.Fatalf("name, symbol = %q, %q", name, sym)
		}
		owner, _ := e.token.Owner(nil)
		if owner != e.addrs[deployer] {
			t.Fatalf("owner = %s, want deployer", owner)
		}
	})

	t.Run("owner mints", func(t *testing.T) {
		r := e.mine(e.token.Mint(e.opts(deployer), e.addrs[buyer0], bi(1234)))
		eq(t, "balance", e.balance(e.addrs[buyer0]), bi(1234))
		eq(t, "supply", must(e.token.TotalSupply(nil)), bi(1234))
		ev, err := e.token.ParseTransfer(*r.Logs[0])
		if err != nil || ev.From != (zeroAddr) || ev.To != e.addrs[buyer0] || ev.Value.Int64() != 1234 {
			t.Fatalf("Transfer event = %+v, %v", ev, err)
		}
	})

	t.Run("non-owner cannot mint", func(t *testing.T) {
		_, err := e.token.Mint(e.opts(outsider), e.addrs[outsider], bi(1))
		args := e.expectRevert(err, "OwnableUnauthorizedAccount")
		if args[0] != e.addrs[outsider] {
			t.Fatalf("OwnableUnauthorizedAccount(%v), want the outsider", args[0])
		}
		eq(t, "outsider balance", e.balance(e.addrs[outsider]), bi(0))
	})

	t.Run("mint to zero address", func(t *testing.T) {
		_, err := e.token.Mint(e.opts(deployer), zeroAddr, bi(1))
		e.expectRevert(err, "ERC20InvalidReceiver")
	})
}
