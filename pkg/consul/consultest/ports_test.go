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
	ports, err := reservePorts(false)
	if err != nil {
		t.Fatal(err)
	}
	defer releasePorts(ports)
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
	var all []Ports
	for range 5 {
		p, err := reservePorts(true)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p)
		for _, n := range []int{p.HTTP, p.HTTPS, p.DNS, p.SerfLAN, p.SerfWAN, p.Server, p.GRPC, p.GRPCTLS} {
			if n == 0 || seen[n] {
				t.Fatalf("port %d handed out twice or zero: %+v", n, p)
			}
			seen[n] = true
		}
	}
	for _, p := range all {
		releasePorts(p)
	}
}
