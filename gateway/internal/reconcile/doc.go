// Package reconcile tears down order namespaces whose orders are over: a
// loop lists the provider's order namespaces and asks the chain about each
// order. It deletes a namespace only when the chain says the order ended,
// was cancelled or was settled; a failed read, an order the chain does not
// know, or anything it cannot parse keeps the namespace (logged and
// counted).
package reconcile
