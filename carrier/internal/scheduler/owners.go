package scheduler

import (
	"context"
	"fmt"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/errgroup"

	"github.com/gridnode/gridnode/pkg/listing"
)

// Reasons CheckOwners excludes a candidate for, beyond the directory's.
const (
	// ReasonOwnerMismatch: the provider's owner on chain, the payee an
	// order would have, is not the owner its listing names (it was
	// transferred since the listing was signed).
	ReasonOwnerMismatch = "owner_mismatch"
	// ReasonUnregistered: the provider is no longer registered on chain.
	ReasonUnregistered = "unregistered"
)

// maxOwnerLookups bounds the concurrent owner lookups of CheckOwners.
const maxOwnerLookups = 8

// CheckOwners reads each candidate's owner on chain through owners and
// moves those whose owner is not their listing's Owner (or who are no
// longer registered) from Candidates to Excluded, with the reason, counted
// in ExcludedByReason and no longer in Matched: an order to them would pay
// a payee the listing does not name. Candidates keep their order. A lookup
// error fails the whole check: nothing is returned unchecked.
func CheckOwners(ctx context.Context, res *Result, owners listing.RegistryReader) error {
	onChain := make([]common.Address, len(res.Candidates))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxOwnerLookups)
	for i, c := range res.Candidates {
		g.Go(func() error {
			o, err := owners.OwnerOf(gctx, c.Provider)
			if err != nil {
				return fmt.Errorf("reading the owner of %s: %w", c.Provider, err)
			}
			onChain[i] = o
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	kept := res.Candidates[:0:0]
	for i, c := range res.Candidates {
		reason := ""
		switch {
		case onChain[i] == (common.Address{}):
			reason = ReasonUnregistered
		case onChain[i] != c.Owner:
			reason = ReasonOwnerMismatch
		}
		if reason == "" {
			kept = append(kept, c)
			continue
		}
		res.Matched--
		if res.ExcludedByReason == nil {
			res.ExcludedByReason = map[string]int{}
		}
		res.ExcludedByReason[reason]++
		if len(res.Excluded) < MaxExcluded {
			res.Excluded = append(res.Excluded, Excluded{Provider: c.Provider, Org: c.Org, Reasons: []string{reason}})
		}
	}
	res.Candidates = kept
	sort.Slice(res.Excluded, func(i, j int) bool { return res.Excluded[i].Provider.Cmp(res.Excluded[j].Provider) < 0 })
	return nil
}
