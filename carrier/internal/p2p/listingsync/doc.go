// Package listingsync is the anti-entropy protocol /gridnode/listings-sync/2.0.0:
// when two carriers connect, the initiator sends the digest of its
// directory (provider and sequence number of every record it holds); the
// responder answers with the providers it wants (the initiator holds them
// newer, or only the initiator holds them) and the records the initiator
// lacks or holds stale; the initiator then sends what was wanted. Every
// record received goes through ingest (the Verifier, then the directory),
// so a carrier that was offline or partitioned converges without waiting
// for new gossip. Every stream has a deadline and bounded frames, records
// and bytes, and is reset on any error.
//
// The wire format is a sequence of frames, type byte, uvarint body length,
// body (see Frame); the decoder is fuzzed (FuzzDecodeFrame).
package listingsync
