package consultest_test

import (
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gridnode/gridnode/test/consultest"
)

// Two agents at once (two organizations), and a restart that empties one.
func TestAgents(t *testing.T) {
	start := time.Now()
	a := consultest.Start(t)
	b := consultest.Start(t)
	t.Logf("two agents ready in %s (http %s and %s)", time.Since(start).Round(time.Millisecond), a.Addr(), b.Addr())

	pa, pb := a.Ports(), b.Ports()
	seen := map[int]bool{}
	for _, p := range []int{pa.HTTP, pa.DNS, pa.SerfLAN, pa.SerfWAN, pa.Server, pa.GRPC, pa.GRPCTLS,
		pb.HTTP, pb.DNS, pb.SerfLAN, pb.SerfWAN, pb.Server, pb.GRPC, pb.GRPCTLS} {
		if seen[p] {
			t.Fatalf("port %d used twice: %+v %+v", p, pa, pb)
		}
		seen[p] = true
	}

	for _, ag := range []*consultest.Agent{a, b} {
		if _, err := ag.Client().KV().Put(&api.KVPair{Key: "k", Value: []byte(ag.Node())}, nil); err != nil {
			t.Fatalf("put on %s: %v", ag.Node(), err)
		}
	}
	kv, _, err := a.Client().KV().Get("k", nil)
	if err != nil || kv == nil || string(kv.Value) != a.Node() {
		t.Fatalf("agent a sees %v, %v; want its own value (agents must be separate clusters)", kv, err)
	}

	start = time.Now()
	a.Restart()
	t.Logf("restart took %s", time.Since(start).Round(time.Millisecond))
	if a.Ports() != pa {
		t.Fatalf("ports changed across restart: %+v -> %+v", pa, a.Ports())
	}
	kv, _, err = a.Client().KV().Get("k", nil)
	if err != nil || kv != nil {
		t.Fatalf("after restart: %v, %v; want an empty KV", kv, err)
	}
	a.Kill()
	if a.Running() {
		t.Fatal("killed agent still running")
	}
	if _, err := a.Client().Status().Leader(); err == nil {
		t.Fatal("killed agent still answers")
	}
	a.Restart()
	if _, err := a.Client().Status().Leader(); err != nil {
		t.Fatalf("restarted agent: %v", err)
	}
}
