package consultest

import (
	"errors"
	"net"
	"path/filepath"
	"strconv"
	"testing"
)

// A port taken between reservation and launch is reported as errPortInUse,
// which Start answers with fresh ports.
func TestLaunchReportsPortInUse(t *testing.T) {
	ports, lease, err := reservePorts(false)
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(ports.Server))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a := &Agent{t: t, bin: Binary(t), dir: t.TempDir(), ports: ports, s: settings{node: "collide", logLevel: "info"}}
	a.logPath = filepath.Join(a.dir, "consul.log")
	if err := a.launch(1); !errors.Is(err, errPortInUse) {
		t.Fatalf("launch with a taken port: %v, want errPortInUse", err)
	}
	if a.Running() {
		t.Fatal("agent left running")
	}
}

func TestReservePortsDistinct(t *testing.T) {
	seen := map[int]bool{}
	for range 5 {
		p, lease, err := reservePorts(true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(lease.Release)
		for _, n := range []int{p.HTTP, p.HTTPS, p.DNS, p.SerfLAN, p.SerfWAN, p.Server, p.GRPC, p.GRPCTLS} {
			if n == 0 || seen[n] {
				t.Fatalf("port %d handed out twice or zero: %+v", n, p)
			}
			seen[n] = true
		}
	}
}
