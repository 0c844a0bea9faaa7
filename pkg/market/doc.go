// Package market holds the domain types every role shares: the Resources an
// order buys and a provider offers, a provider's unit Prices and what
// resources cost at them, an Order as the Market contract holds it and its
// OrderStatus. Each converts to and from its contract binding
// (contracts/bindings/market, contracts/bindings/registry), so that no daemon
// keeps its own copy.
package market
