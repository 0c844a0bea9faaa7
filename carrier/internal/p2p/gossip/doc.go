// Package gossip propagates listing records over the GossipSub topic
// /gridnode/listings/2. Each message is one record's exact signed bytes and
// its message id is the record hash. A topic validator runs every message
// through ingest (listing.Verifier against the directory's held sequence
// numbers, then the directory) before it is forwarded; peer scoring makes
// senders of forged, malformed, stale or unregistered records lose score
// until they are ignored.
package gossip
