// Package consultest starts real Consul agents for tests: each Start runs
// `consul agent -dev` on loopback with seven free, distinct ports, waits until
// it has elected itself leader and registered its node, and stops it when the
// test ends. Several agents can run at once (one per simulated organization);
// Restart brings an agent back on the same ports with an empty catalog, as a
// dev agent does, which is how tests exercise re-registration. Launch and
// Close do the same outside a test (hack/scenario); the package does not
// import testing.
//
// The binary is $GRIDNODE_CONSUL or the one `hack/setup consul` builds into
// ${GRIDNODE_CACHE:-$HOME/.cache/gridnode}/bin/consul. A missing binary fails
// the test: it is never skipped.
package consultest
