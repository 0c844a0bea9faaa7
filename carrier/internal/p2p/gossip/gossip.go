package gossip

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p/ingest"
	"github.com/gridnode/gridnode/pkg/listing"
)

// Topic is the listings topic; the suffix is its version, the version of
// the records it carries (listing.Version2): carriers of another version
// are not in the same mesh.
const Topic = "/gridnode/listings/2"

// MaxMessageSize bounds a gossip RPC. A record is at most
// listing.MaxRecordSize; anything between that and this is read and
// rejected as too large (and counted), anything above is dropped by
// pubsub with the stream.
const MaxMessageSize = 64 << 10

// Defaults.
const (
	DefaultScoreInspectPeriod = time.Second
	DefaultValidateTimeout    = 10 * time.Second
)

// Options tune Gossip. The zero value is usable.
type Options struct {
	// ScoreInspectPeriod is how often Scores is refreshed.
	ScoreInspectPeriod time.Duration
	// OnStored, if set, is called with every record gossip stored.
	OnStored func(rec *listing.Record)
	// OnOrigin, if set, is called with the peer that published a gossip
	// message (its signed From, not the peer that forwarded it) and the
	// verified record it carried: one gossip stored, or the exact bytes of
	// one held already.
	OnOrigin func(origin peer.ID, rec *listing.Record)
	// Params overrides GossipSub's router parameters (tests, benchmarks).
	Params *pubsub.GossipSubParams
}

// Gossip is the listings topic on a host.
type Gossip struct {
	h    host.Host
	in   *ingest.Ingest
	log  *zap.Logger
	opts Options

	cancel context.CancelFunc
	ps     *pubsub.PubSub
	topic  *pubsub.Topic
	sub    *pubsub.Subscription
	done   chan struct{}

	mesh *meshTracer

	mu     sync.Mutex
	scores map[peer.ID]float64
}

// New starts GossipSub on h, joins and subscribes to Topic with the
// validator. Close leaves the topic and stops GossipSub.
func New(h host.Host, in *ingest.Ingest, log *zap.Logger, opts Options) (*Gossip, error) {
	if opts.ScoreInspectPeriod <= 0 {
		opts.ScoreInspectPeriod = DefaultScoreInspectPeriod
	}
	g := &Gossip{h: h, in: in, log: log, opts: opts, done: make(chan struct{}), scores: map[peer.ID]float64{},
		mesh: &meshTracer{mesh: map[peer.ID]bool{}}}
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	psOpts := []pubsub.Option{
		pubsub.WithMessageIdFn(MessageID),
		pubsub.WithMessageSignaturePolicy(pubsub.StrictSign),
		pubsub.WithMaxMessageSize(MaxMessageSize),
		pubsub.WithPeerExchange(true),
		pubsub.WithFloodPublish(true),
		pubsub.WithPeerScore(ScoreParams(), ScoreThresholds()),
		pubsub.WithPeerScoreInspect(pubsub.PeerScoreInspectFn(g.setScores), opts.ScoreInspectPeriod),
		pubsub.WithRawTracer(g.mesh),
	}
	if opts.Params != nil {
		psOpts = append(psOpts, pubsub.WithGossipSubParams(*opts.Params))
	}
	ps, err := pubsub.NewGossipSub(ctx, h, psOpts...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("starting gossipsub: %w", err)
	}
	g.ps = ps
	if err := ps.RegisterTopicValidator(Topic, g.validate, pubsub.WithValidatorTimeout(DefaultValidateTimeout)); err != nil {
		cancel()
		return nil, fmt.Errorf("registering the listings validator: %w", err)
	}
	if g.topic, err = ps.Join(Topic); err != nil {
		cancel()
		return nil, fmt.Errorf("joining %s: %w", Topic, err)
	}
	if g.sub, err = g.topic.Subscribe(); err != nil {
		_ = g.topic.Close()
		cancel()
		return nil, fmt.Errorf("subscribing to %s: %w", Topic, err)
	}
	go g.drain(ctx)
	return g, nil
}

// MessageID is the record hash of the message's data.
func MessageID(m *pb.Message) string {
	h := listing.Hash(m.Data)
	return string(h[:])
}

// drain reads the subscription: records were stored by the validator, so
// this only keeps the subscription flowing.
func (g *Gossip) drain(ctx context.Context) {
	defer close(g.done)
	for {
		if _, err := g.sub.Next(ctx); err != nil {
			return
		}
	}
}

// validate is the topic validator: the record must pass ingest; it is
// stored before it is forwarded. Our own publications were stored by the
// publisher. Offences are rejected (the sender's score drops), other
// failures ignored.
func (g *Gossip) validate(ctx context.Context, from peer.ID, m *pubsub.Message) pubsub.ValidationResult {
	if from == g.h.ID() {
		return pubsub.ValidationAccept
	}
	rec, err := g.in.Verify(ctx, ingest.SourceGossip, m.Data)
	if errors.Is(err, ingest.ErrDuplicate) && g.opts.OnOrigin != nil {
		// A record republished by its origin after it reached us by sync.
		if held, uerr := listing.Unmarshal(m.Data); uerr == nil {
			g.opts.OnOrigin(m.GetFrom(), held)
		}
	}
	if err != nil {
		if ingest.Offence(err) {
			g.log.Debug("gossip record rejected", zap.Stringer("from", from), zap.String("reason", ingest.Label(err)), zap.Error(err))
			return pubsub.ValidationReject
		}
		return pubsub.ValidationIgnore
	}
	changed, err := g.in.Store(ingest.SourceGossip, []directory.Item{{Record: rec, Raw: m.Data}})
	if err != nil {
		g.log.Warn("storing a gossip record failed", zap.Error(err))
		return pubsub.ValidationIgnore
	}
	if !changed[0] {
		return pubsub.ValidationIgnore // a newer record arrived meanwhile
	}
	if g.opts.OnStored != nil {
		g.opts.OnStored(rec)
	}
	if g.opts.OnOrigin != nil {
		g.opts.OnOrigin(m.GetFrom(), rec)
	}
	return pubsub.ValidationAccept
}

// Publish sends raw, a record the caller verified and stored, to the topic.
func (g *Gossip) Publish(ctx context.Context, raw []byte) error {
	if err := g.topic.Publish(ctx, raw); err != nil {
		return fmt.Errorf("publishing on %s: %w", Topic, err)
	}
	return nil
}

// Peers lists the peers known to be subscribed to the topic.
func (g *Gossip) Peers() []peer.ID { return g.topic.ListPeers() }

// Mesh lists the peers in this node's mesh for the topic: those it
// forwards records to.
func (g *Gossip) Mesh() []peer.ID { return g.mesh.peers() }

func (g *Gossip) setScores(s map[peer.ID]float64) {
	g.mu.Lock()
	g.scores = s
	g.mu.Unlock()
}

// Scores returns the peers' scores as of the last inspection.
func (g *Gossip) Scores() map[peer.ID]float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.scores)
}

// Close leaves the topic and stops GossipSub: the subscription is
// cancelled and drained first, so that the topic has no subscriber left
// when it is closed.
func (g *Gossip) Close() error {
	g.sub.Cancel()
	<-g.done
	err := g.ps.UnregisterTopicValidator(Topic)
	if cerr := g.topic.Close(); err == nil {
		err = cerr
	}
	g.cancel()
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("closing gossip: %w", err)
	}
	return nil
}

// ScoreThresholds: a peer that sent one invalid record stops receiving
// gossip from us, a few more and its messages are ignored.
func ScoreThresholds() *pubsub.PeerScoreThresholds {
	return &pubsub.PeerScoreThresholds{
		GossipThreshold:             -10,
		PublishThreshold:            -50,
		GraylistThreshold:           -80,
		AcceptPXThreshold:           5,
		OpportunisticGraftThreshold: 3,
	}
}

// ScoreParams: invalid records (P4) weigh heavily and decay slowly;
// first deliveries (P2) earn a little; time in mesh (P1) a little. Mesh
// delivery deficits (P3) are off: the topic is quiet by nature and an
// honest peer must not be pruned for having nothing to say. Peers sharing
// an IP are penalised beyond three, except on loopback.
func ScoreParams() *pubsub.PeerScoreParams {
	loopback := []*net.IPNet{
		{IP: net.IPv4(127, 0, 0, 0), Mask: net.CIDRMask(8, 32)},
		{IP: net.IPv6loopback, Mask: net.CIDRMask(128, 128)},
	}
	return &pubsub.PeerScoreParams{
		Topics: map[string]*pubsub.TopicScoreParams{Topic: {
			TopicWeight:                    1,
			TimeInMeshWeight:               0.01,
			TimeInMeshQuantum:              time.Second,
			TimeInMeshCap:                  300,
			FirstMessageDeliveriesWeight:   0.5,
			FirstMessageDeliveriesDecay:    pubsub.ScoreParameterDecay(10 * time.Minute),
			FirstMessageDeliveriesCap:      20,
			InvalidMessageDeliveriesWeight: -10,
			InvalidMessageDeliveriesDecay:  pubsub.ScoreParameterDecay(time.Hour),
		}},
		TopicScoreCap:               20,
		AppSpecificScore:            func(peer.ID) float64 { return 0 },
		AppSpecificWeight:           1,
		IPColocationFactorWeight:    -5,
		IPColocationFactorThreshold: 3,
		IPColocationFactorWhitelist: loopback,
		BehaviourPenaltyWeight:      -10,
		BehaviourPenaltyThreshold:   6,
		BehaviourPenaltyDecay:       pubsub.ScoreParameterDecay(10 * time.Minute),
		DecayInterval:               time.Second,
		DecayToZero:                 0.01,
		RetainScore:                 10 * time.Minute,
	}
}
