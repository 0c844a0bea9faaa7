// Command images builds the container images of gridnode's local Kubernetes
// node without a registry or a container engine: each image is one layer
// holding one static Go binary, written as a docker-archive tarball that
// `ctr -n k8s.io images import` accepts.
//
//	go run ./hack/images -out DIR
//
// prints one line per image: its reference and the tarball's path. Tags are
// versions, never latest: the node cannot pull, so manifests must use
// imagePullPolicy IfNotPresent or Never. Builds are reproducible (fixed
// timestamps, -trimpath), so the same sources give the same image digests.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Registry is the (never contacted) registry host of the local images.
const Registry = "gridnode.local"

// spec is one image: a main package of this module, built statically.
type spec struct {
	Name    string // image and binary name
	Package string // relative to the module root
	Tag     string // also the binary's main.version
	User    string // uid:gid the image runs as
	Port    int    // exposed TCP port, 0 for none
}

// Images are the images the local node imports. demoapp's tag is its version
// (hack/demoapp/manifest.yaml names it); bump it when the app changes.
var Images = []spec{
	{Name: "demoapp", Package: "./hack/demoapp", Tag: "0.2.0", User: "65532:65532", Port: 8080},
	{Name: "pause", Package: "./hack/images/pause", Tag: "1.0.0", User: "65535:65535"},
}

// Ref is an image's reference, e.g. gridnode.local/demoapp:0.2.0.
func (s spec) Ref() string { return Registry + "/" + s.Name + ":" + s.Tag }

func main() {
	out := flag.String("out", "", "directory for the image tarballs (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: images -out DIR")
		os.Exit(2)
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintf(os.Stderr, "images: %v\n", err)
		os.Exit(1)
	}
	for _, s := range Images {
		path, err := build(root, *out, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "images: %s: %v\n", s.Name, err)
			os.Exit(1)
		}
		fmt.Printf("%s %s\n", s.Ref(), path)
	}
}

// moduleRoot finds the gridnode module's directory from the working
// directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the gridnode module")
	}
	return filepath.Dir(mod), nil
}

// build compiles s statically and writes its image to dir/<name>.tar.
func build(root, dir string, s spec) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, s.Name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+s.Tag, "-o", bin, s.Package)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w", s.Package, err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	img, err := image(s, data)
	if err != nil {
		return "", err
	}
	ref, err := name.NewTag(s.Ref())
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, s.Name+".tar")
	if err := tarball.WriteToFile(path+".tmp", ref, img); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, os.Rename(path+".tmp", path)
}

// image packs binary as /<name> into a one-layer image that runs it.
func image(s spec, binary []byte) (v1.Image, error) {
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	hdr := &tar.Header{
		Name:     s.Name,
		Mode:     0o755,
		Size:     int64(len(binary)),
		Typeflag: tar.TypeReg,
		ModTime:  time.Unix(0, 0),
		Format:   tar.FormatPAX,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(binary); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := layer.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS = "linux"
	cf.Architecture = runtime.GOARCH
	cf.Config.Entrypoint = []string{"/" + s.Name}
	cf.Config.User = s.User
	cf.Config.WorkingDir = "/"
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":   s.Name,
		"org.opencontainers.image.version": s.Tag,
	}
	if s.Port != 0 {
		cf.Config.ExposedPorts = map[string]struct{}{fmt.Sprintf("%d/tcp", s.Port): {}}
	}
	return mutate.ConfigFile(img, cf)
}
