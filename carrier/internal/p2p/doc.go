// Package p2p is the carrier's libp2p side: a host with the organization's
// secp256k1 identity (TCP and QUIC, Noise and TLS, identify and ping, a
// connection manager, a resource manager with explicit limits and a
// connection gater), bootstrap peers, a Kademlia DHT under the private
// prefix /gridnode for discovering carriers beyond them, AutoRelay through
// configured relays, and on top of it the listings topic (package gossip),
// the anti-entropy protocol (package listingsync) and the publishing of the
// organization's own listings. Node ties them together; the carrier runs
// one only while it holds the organization's lock.
package p2p
