// Package mediator is the carrier's chain mediator: with the org wallet and
// the transaction manager it registers the organization's providers in the
// Registry, buys and withdraws credits, places and cancels the buyer's
// orders, and, on the provider side, follows the Market's events from a
// persisted block cursor and settles ended orders exactly once.
package mediator
