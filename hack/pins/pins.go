//go:build pins

// Package pins holds the module versions that later parts of gridnode build on
// (libp2p, its pubsub and DHT for carrier federation, bbolt for stores, consul/api for discovery, client-go for the
// gateway) in go.mod before any daemon imports them, and proves that they
// compile together with go-ethereum: `go build -tags pins ./hack/pins` is part
// of `make lint`. Delete an import here once a real package uses it.
package pins

import (
	_ "github.com/libp2p/go-libp2p"
	_ "github.com/libp2p/go-libp2p-kad-dht"
	_ "github.com/libp2p/go-libp2p-pubsub"
	_ "k8s.io/client-go/kubernetes"
)
