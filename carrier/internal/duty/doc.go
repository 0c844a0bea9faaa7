// Package duty supervises the carrier's active duties, the work it does
// only while it holds its organization's lock (the p2p node, the chain
// mediator): a duty that fails is logged, counted, reported on /readyz and
// restarted with backoff, and never takes the daemon down.
package duty
