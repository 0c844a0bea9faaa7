package apidoc

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	doc := write(t, dir, "api.yaml", `openapi: 3.0.3
paths:
  /v1/a:
    parameters: []
    get: {summary: a}
    post: {summary: a}
  /v1/gone:
    delete: {summary: gone}
`)
	write(t, dir, "routes.go", `package x
var r = []string{"GET /v1/a", "POST /v1/a", "PUT /v1/new", "GET /other"}
`)
	write(t, dir, "routes_test.go", `package x
var ignored = "GET /v1/test-only"
`)
	documented, err := Documented(doc)
	if err != nil {
		t.Fatal(err)
	}
	served, err := InSources(filepath.Join(dir, "*.go"), "/v1/")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"GET /v1/a": true, "POST /v1/a": true, "PUT /v1/new": true}
	if !reflect.DeepEqual(served, want) {
		t.Fatalf("served %v, want %v", served, want)
	}
	got := Compare("api.yaml", served, documented)
	exp := []string{"api.yaml documents DELETE /v1/gone, which is not served", "route PUT /v1/new is not in api.yaml"}
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("Compare = %q, want %q", got, exp)
	}
}

func TestDocumentedErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ body, want string }{
		"empty op": {"paths:\n  /v1/a:\n    get:\n", "GET /v1/a has no body"},
		"no paths": {"openapi: 3.0.3\n", "no paths"},
		"not yaml": {"paths: [\n", "yaml"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Documented(write(t, dir, strings.ReplaceAll(name, " ", "-")+".yaml", tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := Documented(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("a missing document is not an error")
	}
}
