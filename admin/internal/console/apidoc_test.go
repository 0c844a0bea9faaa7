package console

import (
	"regexp"
	"testing"

	"github.com/gridnode/gridnode/pkg/service/apidoc"
)

// TestOpenAPIDocumentsEveryRoute fails when a route of the admin API is
// missing from docs/admin-api.yaml, or the document has a path admin does
// not serve.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	documented, err := apidoc.Documented("../../../docs/admin-api.yaml")
	if err != nil {
		t.Fatal(err)
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
	for _, p := range apidoc.Compare("docs/admin-api.yaml", served, documented) {
		t.Error(p)
	}
}
