package gateway

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gridnode/gridnode/gateway/internal/api"
)

// TestOpenAPIDocumentsEveryRoute fails when a route the gateway serves is
// missing from docs/gateway-api.yaml, or the document has a path the
// gateway does not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../docs/gateway-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docs/gateway-api.yaml: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op == nil {
				t.Errorf("docs/gateway-api.yaml: %s %s has no body", method, path)
			}
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}

	// The API's routes are string literals "METHOD /v1/…" in its table.
	route := regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/v1/[^"]*)"`)
	files, err := filepath.Glob("internal/api/*.go")
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			served[m[1]+" "+m[2]] = true
		}
	}
	if len(served) < 10 {
		t.Fatalf("found only %d routes in the API's sources: the pattern is out of date", len(served))
	}
	// The app path answers every method.
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
		served[m+" "+api.AppPrefix+"{order}/{path}"] = true
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("route %s is not in docs/gateway-api.yaml", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("docs/gateway-api.yaml documents %s, which the gateway does not serve", r)
		}
	}
}
