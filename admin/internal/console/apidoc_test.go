package console

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIDocumentsEveryRoute fails when a route of the admin API is
// missing from docs/admin-api.yaml, or the document has a path admin does
// not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../../../docs/admin-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docs/admin-api.yaml: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op == nil {
				t.Errorf("docs/admin-api.yaml: %s %s has no body", method, path)
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var c Console
	served := map[string]bool{}
	pat := regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE) /api/`)
	for _, rt := range c.routes() {
		if !pat.MatchString(rt.pattern) {
			t.Errorf("route pattern %q: want METHOD /api/…", rt.pattern)
		}
		served[rt.pattern] = true
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("route %s is not in docs/admin-api.yaml", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("docs/admin-api.yaml documents %s, which admin does not serve", r)
		}
	}
}
