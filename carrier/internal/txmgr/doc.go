// Package txmgr is the carrier's transaction manager, seed 000's "TX
// confirm": callers submit intents, named by a key such as "settle order
// 42", and the manager pre-flights, signs, journals, sends, fee-bumps and
// tracks each one to N confirmations or to a failure with its decoded revert
// reason. The journal (bbolt) records every signed transaction before it is
// broadcast and is keyed by intent, so that a key is sent at most once and
// nothing is lost or sent twice across crashes and restarts.
package txmgr
