package console

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"strings"
)

// spa serves the built single-page app: index.html with a <base> element
// for the path it is served under (so that its relative asset and API
// URLs work behind via's /admin/), and the hashed, immutable assets.
type spa struct {
	index  []byte
	assets http.Handler
	c      *Console
}

func newSPA(assets fs.FS) (*spa, error) {
	if assets == nil {
		return nil, errors.New("console: no app assets")
	}
	index, err := fs.ReadFile(assets, "index.html")
	if err != nil {
		return nil, fmt.Errorf("console: the app has no index.html: %w", err)
	}
	if !bytes.Contains(index, []byte("<head>")) {
		return nil, errors.New("console: index.html has no <head>")
	}
	return &spa{index: index, assets: http.FileServerFS(assets)}, nil
}

func (s *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" || r.URL.Path == "/index.html" {
		prefix := ""
		if s.c != nil {
			prefix = s.c.peer(r).prefix
		}
		base := `<head><base href="` + html.EscapeString(prefix+"/") + `">`
		body := bytes.Replace(s.index, []byte("<head>"), []byte(base), 1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	s.assets.ServeHTTP(w, r)
}
