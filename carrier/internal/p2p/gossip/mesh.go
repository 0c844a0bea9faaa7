package gossip

import (
	"sync"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// meshTracer follows GossipSub's mesh for the topic: the peers that
// messages are forwarded to. Tracers run synchronously in the router: it
// only updates a set.
type meshTracer struct {
	mu   sync.Mutex
	mesh map[peer.ID]bool
}

func (m *meshTracer) Graft(p peer.ID, topic string) {
	if topic == Topic {
		m.mu.Lock()
		m.mesh[p] = true
		m.mu.Unlock()
	}
}

func (m *meshTracer) Prune(p peer.ID, topic string) {
	if topic == Topic {
		m.mu.Lock()
		delete(m.mesh, p)
		m.mu.Unlock()
	}
}

func (m *meshTracer) peers() []peer.ID {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]peer.ID, 0, len(m.mesh))
	for p := range m.mesh {
		out = append(out, p)
	}
	return out
}

func (*meshTracer) OnNewOutboundStream(peer.ID, protocol.ID) {}
func (*meshTracer) OnClosedOutboundStream(peer.ID)           {}
func (*meshTracer) Join(string)                              {}
func (*meshTracer) Leave(string)                             {}
func (*meshTracer) ValidateMessage(*pubsub.Message)          {}
func (*meshTracer) DeliverMessage(*pubsub.Message)           {}
func (*meshTracer) RejectMessage(*pubsub.Message, string)    {}
func (*meshTracer) DuplicateMessage(*pubsub.Message)         {}
func (*meshTracer) ThrottlePeer(peer.ID)                     {}
func (*meshTracer) RecvRPC(*pubsub.RPC)                      {}
func (*meshTracer) SendRPC(*pubsub.RPC, peer.ID)             {}
func (*meshTracer) DropRPC(*pubsub.RPC, peer.ID)             {}
func (*meshTracer) UndeliverableMessage(*pubsub.Message)     {}
