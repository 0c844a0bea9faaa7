// Command etcd is etcd v3.6.4's server, built from its Go module so that
// hack/setup can cache it next to the Kubernetes binaries.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
