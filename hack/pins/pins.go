//go:build pins

// Package pins holds module versions that later parts of gridnode build on
// in go.mod before any daemon imports them, and proves that they compile
// together with the rest: `go build -tags pins ./hack/pins` is part of
// `make lint`. Delete an import here once a real package uses it.
package pins

import (
	_ "github.com/google/go-containerregistry/pkg/v1/mutate" // local node images
)
