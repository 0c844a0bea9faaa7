package p2p

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/gridnode/gridnode/carrier/internal/p2p/gossip"
	"github.com/gridnode/gridnode/pkg/listing"
)

// attacker is a libp2p host with plain GossipSub on the listings topic and
// no validator: it publishes whatever it is given.
type attacker struct {
	topic *pubsub.Topic
	id    peer.ID
}

func startAttacker(t *testing.T, ctx context.Context, victim *testNode) *attacker {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	pctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	ps, err := pubsub.NewGossipSub(pctx, h, pubsub.WithMaxMessageSize(gossip.MaxMessageSize), pubsub.WithFloodPublish(true))
	if err != nil {
		t.Fatal(err)
	}
	topic, err := ps.Join(gossip.Topic)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sub.Cancel)
	if err := h.Connect(ctx, peer.AddrInfo{ID: victim.ID(), Addrs: victim.Host().Addrs()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attacker sees the victim in the topic", 10*time.Second, func() bool { return len(topic.ListPeers()) > 0 })
	return &attacker{topic: topic, id: h.ID()}
}

// TestRejections sends bad records over gossip, each kind from a fresh
// attacker: every one is rejected, counted by reason, and the sender's
// score drops below zero. A flood of junk gets its sender graylisted: most
// of it is never even validated.
func TestRejections(t *testing.T) {
	register(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	victim := startNode(t, nodeOpts{registry: chainRegistry(t)})
	rec1, raw1 := record(t, 1, "org-a", 5, nil)
	if _, err := victim.Publish(ctx, raw1, nil); err != nil {
		t.Fatal(err)
	}
	_ = rec1

	now := time.Now().Unix()
	forged := append([]byte(nil), raw1...)
	forged[len(forged)-listing.SignatureSize+5] ^= 1 // R changed: another signer, or none
	_, unregistered := record(t, 50, "org-a", 1, nil)
	oversized := make([]byte, listing.MaxRecordSize+100)
	_, _ = rand.Read(oversized)
	_, expired := record(t, 1, "org-a", 9, func(r *listing.Record) { r.IssuedAt, r.Expires = now-7200, now-3600 })
	_, older := record(t, 1, "org-a", 4, nil)
	junk := func() [][]byte {
		var out [][]byte
		for range 50 {
			b := make([]byte, 300)
			_, _ = rand.Read(b)
			out = append(out, b)
		}
		return out
	}

	for _, tc := range []struct {
		name, reason string
		msgs         [][]byte
	}{
		{"forged signature", "bad_signature", [][]byte{forged}},
		{"unregistered provider", "unregistered", [][]byte{unregistered}},
		{"oversized", "too_large", [][]byte{oversized}},
		{"expired", "expired", [][]byte{expired}},
		{"replayed older seq", "stale_seq", [][]byte{older}},
		{"junk flood", "malformed", junk()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			labels := map[string]string{"source": "gossip", "result": tc.reason}
			before := victim.metric("gridnode_p2p_records_total", labels)
			a := startAttacker(t, ctx, victim)
			for _, m := range tc.msgs {
				if err := a.topic.Publish(ctx, m); err != nil {
					t.Fatalf("attacker publishes: %v", err)
				}
			}
			waitFor(t, "the rejection is counted", 10*time.Second, func() bool {
				return victim.metric("gridnode_p2p_records_total", labels) > before
			})
			waitFor(t, "the attacker's score drops below zero", 10*time.Second, func() bool {
				s, ok := victim.Gossip().Scores()[a.id]
				return ok && s < 0
			})
			got := victim.metric("gridnode_p2p_records_total", labels) - before
			t.Logf("%s: %v of %d counted as %s; attacker's score %.1f", tc.name, got, len(tc.msgs), tc.reason, victim.Gossip().Scores()[a.id])
			if got > float64(len(tc.msgs)) {
				t.Errorf("counted %v rejections of %d messages", got, len(tc.msgs))
			}
			if !victim.holds(1, 5) {
				t.Error("the victim lost the genuine record")
			}
		})
	}
	if s, _ := victim.dir.HeldSeq(providerAddr(1)); s != 5 {
		t.Errorf("victim holds seq %d of provider 1, want 5", s)
	}
	if victim.holds(50, 1) {
		t.Error("victim holds the unregistered provider's record")
	}

	// Provider 1's key signs a listing naming a squatter as its owner (the
	// Registry's is the deployer): refused and counted as owner_mismatch,
	// never held. It is not an offence of the sender, whose cache may
	// predate a transfer: its score does not drop.
	t.Run("squatter owner", func(t *testing.T) {
		_, squatted := record(t, 1, "org-a", 6, func(r *listing.Record) { r.Owner = common.HexToAddress("0x000000000000000000000000000000000000bad0") })
		labels := map[string]string{"source": "gossip", "result": "owner_mismatch"}
		before := victim.metric("gridnode_p2p_records_total", labels)
		a := startAttacker(t, ctx, victim)
		if err := a.topic.Publish(ctx, squatted); err != nil {
			t.Fatalf("attacker publishes: %v", err)
		}
		waitFor(t, "the rejection is counted", 10*time.Second, func() bool {
			return victim.metric("gridnode_p2p_records_total", labels) > before
		})
		if s := victim.Gossip().Scores()[a.id]; s < 0 {
			t.Errorf("the sender of an owner mismatch scored %.1f, want no penalty", s)
		}
		if s, _ := victim.dir.HeldSeq(providerAddr(1)); s != 5 {
			t.Errorf("victim holds seq %d of provider 1 after the squatter's seq 6, want 5", s)
		}
	})
}
