package p2p

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p/ingest"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/listing"
)

// Errors of Publish and Withdraw that callers map to client errors.
var (
	// ErrRejected wraps the verification error of a record refused.
	ErrRejected = errors.New("listing rejected")
	// ErrForeignOrg: the record belongs to another organization.
	ErrForeignOrg = errors.New("listing of another organization")
	// ErrNoWithdrawal: no signed withdrawal is held for the provider.
	ErrNoWithdrawal = errors.New("no signed withdrawal held for the provider")
)

// Published is the outcome of Publish.
type Published struct {
	Record *listing.Record
	Hash   [32]byte
	// Stored is false when the very record was held already (it is
	// gossiped again).
	Stored bool
	// Peers is the number of topic peers when it was published.
	Peers int
}

// Publish verifies raw, a record signed by one of the organization's
// providers, stores it and gossips it. withdrawal, if not empty, is the
// provider's signed tombstone (a higher sequence number) that the node
// publishes when the provider's gateway leaves Consul or Withdraw is
// called.
func (n *Node) Publish(ctx context.Context, raw, withdrawal []byte) (Published, error) {
	rec, err := n.in.Verify(ctx, ingest.SourceAPI, raw)
	dup := errors.Is(err, ingest.ErrDuplicate)
	switch {
	case dup:
		if rec, err = listing.Unmarshal(raw); err != nil {
			return Published{}, fmt.Errorf("%w: %w", ErrRejected, err)
		}
	case err != nil && errors.Is(err, listing.ErrRegistry):
		return Published{}, fmt.Errorf("verifying listing: %w", err)
	case err != nil:
		return Published{}, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	if rec.Org != n.cfg.Org {
		return Published{}, fmt.Errorf("%w: %q, this carrier is %q's", ErrForeignOrg, rec.Org, n.cfg.Org)
	}
	if len(withdrawal) > 0 {
		if err := checkWithdrawal(rec, withdrawal); err != nil {
			return Published{}, err
		}
	}
	out := Published{Record: rec, Hash: listing.Hash(raw)}
	if !dup {
		changed, err := n.in.Store(ingest.SourceAPI, []directory.Item{{Record: rec, Raw: raw}})
		if err != nil {
			return Published{}, err
		}
		if !changed[0] {
			return Published{}, fmt.Errorf("%w: %w: a newer record of %s is held", ErrRejected, listing.ErrStaleSeq, rec.Provider)
		}
		out.Stored = true
	}
	n.noteOrigin(n.host.ID(), rec)
	n.mu.Lock()
	if rec.Tombstone || len(withdrawal) == 0 {
		// A withdrawal signed for an older record would be refused as
		// stale: a newer record without one has none.
		delete(n.withdrawals, rec.Provider)
	} else {
		n.withdrawals[rec.Provider] = withdrawal
	}
	n.mu.Unlock()
	out.Peers = len(n.gossip.Peers())
	if err := n.gossip.Publish(ctx, raw); err != nil {
		return out, err
	}
	n.log.Info("listing published", zap.Stringer("provider", rec.Provider), zap.Uint64("seq", rec.Seq),
		zap.Bool("tombstone", rec.Tombstone), zap.Bool("stored", out.Stored), zap.Int("topic_peers", out.Peers))
	return out, nil
}

// checkWithdrawal checks that w is rec's provider's signed tombstone with
// a higher sequence number. Its registry and time checks happen when it
// is published.
func checkWithdrawal(rec *listing.Record, w []byte) error {
	t, err := listing.Unmarshal(w)
	if err == nil {
		err = listing.CheckSignature(t)
	}
	switch {
	case err != nil:
		return fmt.Errorf("%w: withdrawal: %w", ErrRejected, err)
	case !t.Tombstone || t.Provider != rec.Provider || t.Org != rec.Org || t.Seq <= rec.Seq:
		return fmt.Errorf("%w: withdrawal: want a tombstone of %s with a sequence number above %d", ErrRejected, rec.Provider, rec.Seq)
	}
	return nil
}

// Withdraw publishes the signed withdrawal held for provider.
func (n *Node) Withdraw(ctx context.Context, provider common.Address) (Published, error) {
	n.mu.Lock()
	w, ok := n.withdrawals[provider]
	n.mu.Unlock()
	if !ok {
		return Published{}, fmt.Errorf("%w: %s", ErrNoWithdrawal, provider)
	}
	return n.Publish(ctx, w, nil)
}

// republish gossips the organization's unexpired listings again every
// RepublishInterval (after pubsub's seen-message window, so they do go
// out), for peers that joined since and missed both gossip and sync. A
// listing is signed by its provider: the carrier cannot extend it, so one
// that will expire before the next round is logged for its gateway to
// renew.
func (n *Node) republish(ctx context.Context) {
	t := time.NewTicker(n.cfg.RepublishInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now().Unix()
		count := 0
		for _, e := range n.dir.Digest() {
			rec, ok := n.dir.Get(e.Provider)
			if !ok || rec.Org != n.cfg.Org {
				continue
			}
			raw, ok := n.dir.Raw(e.Provider)
			if !ok {
				continue
			}
			if !rec.Tombstone && rec.Expires-now < int64(2*n.cfg.RepublishInterval/time.Second) {
				n.log.Warn("own listing expires soon: its gateway must sign a new one",
					zap.Stringer("provider", rec.Provider), zap.Time("expires", time.Unix(rec.Expires, 0)))
			}
			if err := n.gossip.Publish(ctx, raw); err != nil && ctx.Err() == nil {
				n.log.Warn("republishing failed", zap.Stringer("provider", rec.Provider), zap.Error(err))
				continue
			}
			count++
		}
		if count > 0 {
			n.log.Debug("own listings republished", zap.Int("listings", count))
		}
	}
}

// FollowGateways withdraws a provider's listing (with the withdrawal its
// gateway left) when no healthy gateway of that provider has been in
// Consul for grace. updates carries the healthy gateway instances (a
// consul.Watcher subscription); it returns when ctx is done or updates is
// closed.
func (n *Node) FollowGateways(ctx context.Context, updates <-chan []consul.Instance, grace time.Duration) {
	live := map[common.Address]bool{}
	gone := map[common.Address]time.Time{}
	t := time.NewTicker(max(grace/4, 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case set, ok := <-updates:
			if !ok {
				return
			}
			now := map[common.Address]bool{}
			for _, in := range set {
				if p := in.Meta[consul.MetaProvider]; common.IsHexAddress(p) {
					now[common.HexToAddress(p)] = true
				}
			}
			for p := range live {
				if !now[p] {
					gone[p] = time.Now()
				}
			}
			for p := range now {
				delete(gone, p)
			}
			live = now
		case <-t.C:
			for p, since := range gone {
				if time.Since(since) < grace {
					continue
				}
				delete(gone, p)
				res, err := n.Withdraw(ctx, p)
				switch {
				case errors.Is(err, ErrNoWithdrawal):
					n.log.Warn("gateway left Consul but its listing cannot be withdrawn: no signed withdrawal held", zap.Stringer("provider", p))
				case err != nil:
					n.log.Warn("withdrawing the listing of a departed gateway failed", zap.Stringer("provider", p), zap.Error(err))
				default:
					n.log.Info("listing withdrawn: its gateway left Consul", zap.Stringer("provider", p), zap.Uint64("seq", res.Record.Seq))
				}
			}
		}
	}
}
