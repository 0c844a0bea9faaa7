// Package market runs the two-organization market of docs/ARCHITECTURE.md
// on one machine from the built daemon binaries, and walks seed 000's flow
// through it step by step, checking each step. `make demo` (hack/demo)
// narrates it; test/e2e asserts on it.
package market
