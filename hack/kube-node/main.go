// Command kube-node runs a real single-node Kubernetes cluster on this
// machine for gridnode's demo and tests: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kubelet and kube-proxy from the
// hack/setup k8s cache, with its own containerd (Debian's containerd, runc,
// CNI plugins and iptables, from hack/setup node). Pods get real addresses
// on a bridge; images are built locally by hack/images and imported, never
// pulled.
//
//	go run ./hack/kube-node up      # start; prints the kubeconfig path
//	go run ./hack/kube-node status  # what runs, and whether the node is Ready
//	go run ./hack/kube-node down    # stop and remove everything up created
//
// Everything lives in one state directory (-dir, $GRIDNODE_KUBE_NODE_DIR,
// default $GRIDNODE_CACHE/run/kube-node). down removes every process, mount,
// bridge and iptables chain the node created, also after a failed or partial
// up, and restores the sysctls the node changed. It needs root. One node per
// machine: the bridge, ports, /kubepods cgroups and KUBE-*/CNI-* chains are
// machine-wide.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gridnode/gridnode/test/toolcache"
)

// Fixed addresses of the node. The pod and service ranges must not overlap
// the machine's own networks; up checks the routes.
const (
	k8sVersion   = "v1.34.10"
	nodeName     = "gridnode-node"
	bridgeName   = "gnkube0"
	svcLinkName  = "gnkube-svc0" // a bridge without ports that holds the route of serviceCIDR
	cniNetwork   = "gridnode"
	podCIDR      = "10.244.0.0/24"
	serviceCIDR  = "10.96.0.0/16"
	apiServiceIP = "10.96.0.1" // first address of serviceCIDR: the kubernetes Service

	apiPort           = 6443
	etcdClientPort    = 12379
	etcdPeerPort      = 12380
	kubeletPort       = 10250
	kubeletHealthPort = 10248
	proxyHealthPort   = 10256
	proxyMetricsPort  = 10249
	kcmPort           = 10257
	schedulerPort     = 10259
)

// Bounds.
const (
	readyTimeout = 2 * time.Minute // each wait in up
	stopGrace    = 10 * time.Second
)

func main() {
	fs := flag.NewFlagSet("kube-node", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: kube-node [-dir DIR] up|status|down\n\n")
		fs.PrintDefaults()
	}
	dir := fs.String("dir", defaultDir(), "state directory (env GRIDNODE_KUBE_NODE_DIR)")
	keep := fs.Bool("keep-on-failure", false, "up: leave a failed node running for debugging (run down afterwards)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		os.Exit(2)
	}
	if *dir == "" {
		fatal(errors.New("no state directory: set -dir, GRIDNODE_KUBE_NODE_DIR or GRIDNODE_CACHE"))
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fatal(err)
	}
	n := &node{dir: abs}
	switch fs.Arg(0) {
	case "up":
		err = n.up(*keep)
	case "status":
		err = n.status()
	case "down":
		err = n.down()
	default:
		fs.Usage()
		os.Exit(2)
	}
	if err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "kube-node: %v\n", err)
	os.Exit(1)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}

func defaultDir() string {
	if d := os.Getenv("GRIDNODE_KUBE_NODE_DIR"); d != "" {
		return d
	}
	cache, err := toolcache.Dir()
	if err != nil {
		return "" // main asks for -dir
	}
	return filepath.Join(cache, "run", "kube-node")
}

// binDir is where hack/setup k8s caches the Kubernetes binaries.
func binDir() (string, error) {
	dir := os.Getenv("GRIDNODE_K8S_BIN")
	if dir == "" {
		cache, err := toolcache.Dir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "k8s", k8sVersion, "bin")
	}
	if _, err := os.Stat(filepath.Join(dir, "kubelet")); err != nil {
		return "", fmt.Errorf("kubernetes binaries not in %s: run hack/setup k8s", dir)
	}
	return dir, nil
}

// node is one node's state directory and the paths inside it.
type node struct {
	dir string
	bin string // Kubernetes binaries (set by up and status)
}

func (n *node) path(elem ...string) string {
	return filepath.Join(append([]string{n.dir}, elem...)...)
}

func (n *node) kubeconfig() string { return n.path("admin.kubeconfig") }
func (n *node) socket() string     { return n.path("containerd", "containerd.sock") }

var errNotRoot = errors.New("kube-node needs root (containerd, mounts, bridge, iptables)")
