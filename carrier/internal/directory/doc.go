// Package directory is the carrier's copy of the network-wide provider
// directory: every verified listing record (pkg/listing), kept durably in a
// bbolt file as the exact signed bytes, keyed by provider, and indexed in
// memory for queries (filter by free resources, price, labels, region; rank
// by price for a request or by freshness), for the anti-entropy digest and
// for serving the signed bytes to peers.
//
// The directory does not verify: callers run listing.Verifier first (with
// HeldSeq) and Put what it returns. At Open, each stored record is decoded
// and its signature checked again; a record that fails is moved to a
// quarantine bucket, logged at error level and counted, never silently
// dropped, and the directory opens without it (peers will send it again).
package directory
