package testport

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

func TestDistinctAndInRange(t *testing.T) {
	a := GetN(t, 8, TCPUDP)
	b := GetN(t, 8, TCP)
	seen := map[int]bool{}
	for _, p := range append(a, b...) {
		if p < First || p > Last {
			t.Fatalf("port %d outside %d–%d", p, First, Last)
		}
		if seen[p] {
			t.Fatalf("port %d handed out twice: %v %v", p, a, b)
		}
		seen[p] = true
	}
}

// A reserved port is not handed out again until it is released, neither in
// this process nor in another one.
func TestHeldAcrossProcesses(t *testing.T) {
	if os.Getenv("TESTPORT_CHILD") != "" {
		port, _ := strconv.Atoi(os.Getenv("TESTPORT_CHILD"))
		if _, err := lock(dirForTest(), port); err == nil {
			t.Fatalf("child took the lock of port %d the parent holds", port)
		}
		return
	}
	l, err := Reserve(1, TCP)
	if err != nil {
		t.Fatal(err)
	}
	port := l.Ports[0]
	if _, err := lock(dirForTest(), port); err == nil {
		t.Fatalf("took the lock of port %d twice in one process", port)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestHeldAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TESTPORT_CHILD="+strconv.Itoa(port))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	l.Release()
	f, err := lock(dirForTest(), port)
	if err != nil {
		t.Fatalf("port %d still locked after Release: %v", port, err)
	}
	f.Close()
}

// A port that something outside the project listens on is not free.
func TestBusyPortIsNotFree(t *testing.T) {
	port := Get(t) // so that no other test process binds it meanwhile
	if !free(port, TCPUDP) {
		t.Fatalf("reserved port %d is not free", port)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if free(port, TCP) {
		t.Fatalf("port %d reported free while a listener holds it", port)
	}
	u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	l.Close()
	if free(port, TCPUDP) {
		t.Fatalf("port %d reported free for UDP while a UDP socket holds it", port)
	}
}

func TestEphemeralRangeChecked(t *testing.T) {
	if err := checkRange(); err != nil {
		t.Fatalf("this machine's ephemeral range overlaps the test ports: %v", err)
	}
}
