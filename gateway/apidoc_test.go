package gateway

import (
	"testing"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/pkg/service/apidoc"
)

// TestOpenAPIDocumentsEveryRoute fails when a route the gateway serves is
// missing from docs/gateway-api.yaml, or the document has a path the
// gateway does not serve. The API's routes are string literals
// "METHOD /v1/…" in its table.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	documented, err := apidoc.Documented("../docs/gateway-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	served, err := apidoc.InSources("internal/api/*.go", "/v1/")
	if err != nil {
		t.Fatal(err)
	}
	if len(served) < 10 {
		t.Fatalf("found only %d routes in the API's sources: the pattern is out of date", len(served))
	}
	// The app path answers every method.
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
		served[m+" "+api.AppPrefix+"{order}/{path}"] = true
	}
	for _, p := range apidoc.Compare("docs/gateway-api.yaml", served, documented) {
		t.Error(p)
	}
}
