package carrier

import (
	"testing"

	"github.com/gridnode/gridnode/pkg/service/apidoc"
)

// TestOpenAPIDocumentsEveryRoute fails when a route registered on the
// carrier API is missing from docs/carrier-api.yaml, or the document has a
// path the carrier does not serve. Every route pattern in the sources is a
// string literal "METHOD /v1/…" (given to a mux's Handle directly or
// through a table): the root's and the subsystems' that mount routes.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	documented, err := apidoc.Documented("../docs/carrier-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, glob := range []string{"*.go", "internal/chain/*.go", "internal/federation/*.go"} {
		found, err := apidoc.InSources(glob, "/v1/")
		if err != nil {
			t.Fatal(err)
		}
		for r := range found {
			served[r] = true
		}
	}
	if len(served) < 10 {
		t.Fatalf("found only %d routes in the carrier's sources: the pattern is out of date", len(served))
	}
	for _, p := range apidoc.Compare("docs/carrier-api.yaml", served, documented) {
		t.Error(p)
	}
}
