// Package kubetest starts a real Kubernetes control plane for tests: etcd and
// kube-apiserver through controller-runtime's envtest, and on request
// kube-controller-manager, kube-scheduler and kwok with fake nodes, so that
// Deployments become Ready. The binaries come from hack/setup k8s (see
// docs/kubernetes.md); every process is stopped in t.Cleanup.
package kubetest
