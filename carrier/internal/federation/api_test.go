package federation

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

func TestParseListingQuery(t *testing.T) {
	q, err := parseListingQuery(url.Values{
		carrierapi.ParamCPU: {"2000"}, carrierapi.ParamMemory: {"4Gi"}, carrierapi.ParamStorage: {"10Gi"}, carrierapi.ParamGPUs: {"1"}, carrierapi.ParamGPUModel: {"a100"},
		carrierapi.ParamRegion: {"eu"}, carrierapi.ParamLabel: {"tier=gold", "zone=a"}, carrierapi.ParamMaxPrice: {"1000"}, carrierapi.ParamDuration: {"1h"},
		carrierapi.ParamSort: {"freshness"}, carrierapi.ParamOffset: {"10"}, carrierapi.ParamLimit: {"5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case q.Request.CPUMillis != 2000, q.Request.MemoryBytes != 4<<30, q.Request.StorageBytes != 10<<30,
		q.Request.GPUs != 1, q.Request.GPUModel != "a100", q.Region != "eu", q.Duration != 3600,
		q.MaxPrice.Int64() != 1000, q.Labels["tier"] != "gold", q.Labels["zone"] != "a",
		q.Sort != directory.SortByFreshness, q.Offset != 10, q.Limit != 5:
		t.Fatalf("query: %+v", q)
	}
	if q, err := parseListingQuery(url.Values{carrierapi.ParamDuration: {"3600"}}); err != nil || q.Duration != 3600 || q.Sort != directory.SortByPrice {
		t.Fatalf("duration in seconds, default sort: %+v, %v", q, err)
	}
	for _, tc := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{carrierapi.ParamMemory: {"4GB"}}, "memory: "},
		{url.Values{carrierapi.ParamGPUs: {"4294967296"}}, "gpus: too many"},
		{url.Values{carrierapi.ParamDuration: {"1.5s"}}, "duration: want whole seconds"},
		{url.Values{carrierapi.ParamMaxPrice: {"-1"}}, "max-price: want a decimal amount"},
		{url.Values{carrierapi.ParamLabel: {"gold"}}, "label: want key=value"},
		{url.Values{carrierapi.ParamSort: {"cost"}}, "sort: price or freshness"},
		{url.Values{carrierapi.ParamLimit: {"4294967296"}}, "limit: too large"},
	} {
		if _, err := parseListingQuery(tc.v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseListingQuery(%v): %v, want an error containing %q", tc.v, err, tc.want)
		}
	}
}
