package mediator

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/scheduler"
	gnchain "github.com/gridnode/gridnode/pkg/chain"
	"github.com/gridnode/gridnode/pkg/listing"
)

// Owner checks. A listing names the provider's owner, which carriers
// verified against the Registry when they stored it; the Registry may have
// moved the provider to another owner since (a transfer). The Market pays
// whoever owns the provider when the order is mined, so before paying the
// buyer compares the chain's owner with the listing's.
const (
	// matchOwnerTTL is how long /v1/match believes an owner it read: a
	// ranking may be this stale; an order reads the owner afresh.
	matchOwnerTTL = 30 * time.Second
	// matchOwnerTimeout bounds the owner lookups of one match.
	matchOwnerTimeout = 15 * time.Second
)

// newOwnerCache reads owners from the Registry at addr, cached for
// matchOwnerTTL.
func newOwnerCache(c Chain, addr common.Address) (*listing.CachedRegistry, error) {
	r, err := gnchain.NewRegistryReader(c, addr)
	if err != nil {
		return nil, err
	}
	return listing.NewCachedRegistry(r, listing.CacheOptions{
		PositiveTTL: matchOwnerTTL, NegativeTTL: matchOwnerTTL, MaxEntries: 10_000, LookupTimeout: matchOwnerTimeout,
	}), nil
}

// checkOwners leaves out of res the candidates whose owner on chain is not
// their listing's (scheduler.CheckOwners).
func (m *Mediator) checkOwners(res *scheduler.Result) error {
	ctx, cancel := context.WithTimeout(context.Background(), matchOwnerTimeout)
	defer cancel()
	if err := scheduler.CheckOwners(ctx, res, m.owners); err != nil {
		return fmt.Errorf("%w: reading providers' owners on chain: %w", ErrUnavailable, err)
	}
	return nil
}

// checkPayee refuses an order to provider whose payee, its owner on chain
// as just read, is not the owner its listing names: the listing was
// signed for another owner (the provider was transferred since), and the
// buyer would pay someone the listing does not name.
func (m *Mediator) checkPayee(provider, payee common.Address) error {
	rec, ok := m.sched.Listing(provider)
	if !ok {
		return fmt.Errorf("%w %s: no listing of it in the directory", ErrUnknownProvider, provider)
	}
	if rec.Owner != payee {
		return badInput("provider %s is now owned by %s, its listing says %s: refusing to pay a payee the listing does not name",
			provider.Hex(), payee.Hex(), rec.Owner.Hex())
	}
	return nil
}
