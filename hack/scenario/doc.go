// Package scenario runs the two-organization market of docs/ARCHITECTURE.md
// on one machine from the built daemon binaries, and walks seed 000's flow
// through it step by step, checking each step. It is dev tooling shared by
// `make demo` (hack/demo prints its Reporter) and test/e2e (which adapts
// *testing.T to it); it does not import testing.
//
// A Stack owns what a scenario starts (processes, Consul agents, the local
// Kubernetes node, ports) and Close undoes it, last started first; a failed
// run reports every process's end state and the last lines of its log.
// Steps return errors that say which step failed.
package scenario
