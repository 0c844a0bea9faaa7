// Package e2e holds gridnode's end-to-end tests: they build the real daemon
// binaries and run them as separate processes, the way an operator does.
package e2e
