package main

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestBuildImages(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, s := range Images {
		t.Run(s.Name, func(t *testing.T) {
			path, err := build(root, dir, s)
			if err != nil {
				t.Fatal(err)
			}
			img, err := tarball.ImageFromPath(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cf.OS != "linux" || len(cf.Config.Entrypoint) != 1 || cf.Config.Entrypoint[0] != "/"+s.Name || cf.Config.User != s.User {
				t.Errorf("config: os %s entrypoint %v user %q", cf.OS, cf.Config.Entrypoint, cf.Config.User)
			}
			layers, err := img.Layers()
			if err != nil || len(layers) != 1 {
				t.Fatalf("layers: %v, %d", err, len(layers))
			}
			rc, err := layers[0].Uncompressed()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			tr := tar.NewReader(rc)
			hdr, err := tr.Next()
			if err != nil {
				t.Fatal(err)
			}
			head := make([]byte, 4)
			if _, err := io.ReadFull(tr, head); err != nil {
				t.Fatal(err)
			}
			if hdr.Name != s.Name || hdr.Mode != 0o755 || string(head) != "\x7fELF" {
				t.Errorf("layer entry %q mode %o starts %q, want an executable ELF %s", hdr.Name, hdr.Mode, head, s.Name)
			}

			// Same sources, same image.
			again, err := build(root, t.TempDir(), s)
			if err != nil {
				t.Fatal(err)
			}
			img2, err := tarball.ImageFromPath(again, nil)
			if err != nil {
				t.Fatal(err)
			}
			d1, _ := img.Digest()
			d2, _ := img2.Digest()
			if d1 != d2 {
				t.Errorf("two builds gave %s and %s", d1, d2)
			}
		})
	}
}

func TestManifestUsesLocalImage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "demoapp", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := string(data)
	var demo spec
	for _, s := range Images {
		if s.Name == "demoapp" {
			demo = s
		}
		if s.Tag == "latest" || s.Tag == "" {
			t.Errorf("image %s has tag %q, want a version", s.Name, s.Tag)
		}
	}
	if !strings.Contains(m, "image: "+demo.Ref()+"\n") {
		t.Errorf("manifest.yaml does not use %s", demo.Ref())
	}
	if !strings.Contains(m, "imagePullPolicy: IfNotPresent") {
		t.Errorf("manifest.yaml must not pull (imagePullPolicy IfNotPresent)")
	}
}
