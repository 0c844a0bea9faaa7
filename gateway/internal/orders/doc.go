// Package orders checks buyers' orders against the Market contract: an
// order exists, has started and not ended, was neither cancelled, closed
// nor settled, is for this gateway's provider and pays this gateway's
// organization (its owner). Reads go over JSON-RPC through the generated
// bindings and are cached briefly (bounded, with a TTL, never past the
// order's end); each way an order can be unusable is its own sentinel
// error, and a chain that cannot be read is ErrChainUnavailable, never a
// verdict on the order.
package orders
