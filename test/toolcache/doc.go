// Package toolcache locates the machine's tool cache: the directory where
// hack/setup keeps the Consul, geth and Kubernetes binaries it builds and where
// the demo and the local Kubernetes node keep their state. hack/ commands,
// the dev scenario and the test harnesses all find it here, the same way
// hack/lib.sh does.
package toolcache
