// Package web is the admin console's single-page app: its sources (src/,
// index.html, Vite with Preact and htm, pinned by package-lock.json) are
// built by `make web` into dist/, which is committed and embedded here, so
// that `go build ./...` needs no npm. `make lint` rebuilds it and fails
// when dist/ is not what the sources build to (hack/check-web).
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Assets is the built app: index.html, favicon.svg and assets/.
func Assets() (fs.FS, error) { return fs.Sub(dist, "dist") }
