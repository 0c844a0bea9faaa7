package federation

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gridnode/gridnode/carrier/internal/directory"
)

func TestParseListingQuery(t *testing.T) {
	q, err := parseListingQuery(url.Values{
		ParamCPU: {"2000"}, ParamMemory: {"4Gi"}, ParamStorage: {"10Gi"}, ParamGPUs: {"1"}, ParamGPUModel: {"a100"},
		ParamRegion: {"eu"}, ParamLabel: {"tier=gold", "zone=a"}, ParamMaxPrice: {"1000"}, ParamDuration: {"1h"},
		ParamSort: {"freshness"}, ParamOffset: {"10"}, ParamLimit: {"5"},
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
	if q, err := parseListingQuery(url.Values{ParamDuration: {"3600"}}); err != nil || q.Duration != 3600 || q.Sort != directory.SortByPrice {
		t.Fatalf("duration in seconds, default sort: %+v, %v", q, err)
	}
	for _, tc := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{ParamMemory: {"4GB"}}, "memory: "},
		{url.Values{ParamGPUs: {"4294967296"}}, "gpus: too many"},
		{url.Values{ParamDuration: {"1.5s"}}, "duration: want whole seconds"},
		{url.Values{ParamMaxPrice: {"-1"}}, "max-price: want a decimal amount"},
		{url.Values{ParamLabel: {"gold"}}, "label: want key=value"},
		{url.Values{ParamSort: {"cost"}}, "sort: price or freshness"},
		{url.Values{ParamLimit: {"4294967296"}}, "limit: too large"},
	} {
		if _, err := parseListingQuery(tc.v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseListingQuery(%v): %v, want an error containing %q", tc.v, err, tc.want)
		}
	}
}
