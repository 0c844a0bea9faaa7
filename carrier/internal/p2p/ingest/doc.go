// Package ingest is the one door through which listing records received
// from peers (gossip, sync) or from the organization's gateways (the API)
// enter the carrier's directory: every record is verified with
// listing.Verifier against the sequence number held, stored with the
// directory's Put or PutMany, and counted by source and result.
package ingest
