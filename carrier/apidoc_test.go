package carrier

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIDocumentsEveryRoute fails when a route registered on the
// carrier API is missing from docs/carrier-api.yaml, or the document has a
// path the carrier does not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../docs/carrier-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docs/carrier-api.yaml: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op == nil {
				t.Errorf("docs/carrier-api.yaml: %s %s has no body", method, path)
			}
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}

	// Every route pattern in the sources is a string literal "METHOD /v1/…"
	// (given to d.api.Handle directly or through a table).
	route := regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/v1/[^"]*)"`)
	files, err := filepath.Glob("*.go")
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
		t.Fatalf("found only %d routes in the carrier's sources: the pattern is out of date", len(served))
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("route %s is not in docs/carrier-api.yaml", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("docs/carrier-api.yaml documents %s, which the carrier does not serve", r)
		}
	}
}
