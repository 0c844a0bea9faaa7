// Package reconcile tears down order namespaces whose orders are over: a
// loop lists the provider's order namespaces and asks the chain about each
// order. It deletes a namespace only when the chain says the order ended
// (at its current end: an extension moves it), was cancelled by the buyer,
// closed by the provider's owner or settled; a failed read, an order the
// chain does not know, or anything it cannot parse keeps the namespace
// (logged and counted).
package reconcile
