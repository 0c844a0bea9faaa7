// Package federation is the carrier's p2p subsystem: the libp2p node that
// federates with other organizations' carriers (run as an active duty), the
// Registry checks of the listings it receives, and the API routes of peers
// and listings, which read the directory the carrier opens and hands in.
// docs/p2p.md is the guide.
package federation
