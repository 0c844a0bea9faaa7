package testport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// The range ports are handed out from. It lies below the kernel's ephemeral
// range (ip_local_port_range, 32768–60999 by default), from which the
// kernel picks the port of every bind to :0 and of every outgoing
// connection, and below Kubernetes' NodePort range (30000–32767); it is
// above every fixed port of hack/kube-node (6443, 10248–10259, 12379,
// 12380).
const (
	First = 20000
	Last  = 29999
)

// Proto says which sockets a port must be free for.
type Proto int

const (
	TCP    Proto = 1 << iota // a TCP listener
	UDP                      // a UDP socket too (Consul's DNS and Serf)
	TCPUDP = TCP | UDP
)

// Lease is a set of reserved ports. They stay reserved, across processes,
// until Release (or the holding process's exit).
type Lease struct {
	Ports []int

	mu    sync.Mutex
	files []*os.File
}

// Release gives the ports back. Releasing twice does nothing.
func (l *Lease) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.files {
		_ = f.Close() // closing the descriptor drops its flock
	}
	l.files = nil
}

// TB is the part of testing.TB that Get and GetN use; *testing.T and
// *testing.B satisfy it. The package does not import testing, so that dev
// tools (hack/scenario) can reserve ports with Reserve.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Get reserves one TCP port on 127.0.0.1 for the rest of the test.
func Get(t TB) int {
	t.Helper()
	return GetN(t, 1, TCP)[0]
}

// GetN reserves n distinct ports, free for proto on 127.0.0.1, for the rest
// of the test (released at cleanup, after the cleanups registered later:
// a process started with them is stopped first).
func GetN(t TB, n int, proto Proto) []int {
	t.Helper()
	l, err := Reserve(n, proto)
	if err != nil {
		t.Fatalf("testport: %v", err)
	}
	t.Cleanup(l.Release)
	return l.Ports
}

var (
	checkOnce sync.Once
	checkErr  error
)

// Reserve takes n distinct ports; the caller releases the Lease.
func Reserve(n int, proto Proto) (*Lease, error) {
	checkOnce.Do(func() { checkErr = checkRange() })
	if checkErr != nil {
		return nil, checkErr
	}
	dir := dirForTest()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("reserving ports: %w", err)
	}
	l := &Lease{}
	size := Last - First + 1
	start := rand.IntN(size)
	for i := 0; i < size && len(l.Ports) < n; i++ {
		port := First + (start+i)%size
		f, err := lock(dir, port)
		if err != nil {
			continue
		}
		if !free(port, proto) {
			_ = f.Close()
			continue
		}
		l.Ports = append(l.Ports, port)
		l.files = append(l.files, f)
	}
	if len(l.Ports) < n {
		l.Release()
		return nil, fmt.Errorf("reserving %d ports: only %d of %d–%d are free", n, len(l.Ports), First, Last)
	}
	return l, nil
}

// dirForTest is where the lock files live: one per port, shared by every
// test process of the machine.
func dirForTest() string { return filepath.Join(os.TempDir(), "gridnode-ports") }

// lock takes the port's lock file with an exclusive, non-blocking flock.
// A flock belongs to the open file: a second open in the same process
// conflicts too, and the kernel drops it when the holder exits, however it
// exits.
func lock(dir string, port int) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// free reports whether a listener (and a UDP socket) can bind the port now:
// something outside the project may hold it.
func free(port int, proto Proto) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if proto&TCP != 0 {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return false
		}
		_ = l.Close()
	}
	if proto&UDP != 0 {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		_ = c.Close()
	}
	return true
}

// checkRange makes sure the kernel's ephemeral range does not overlap ours:
// if it did, the kernel could hand one of our ports to another socket.
func checkRange() error {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if errors.Is(err, os.ErrNotExist) {
		return nil // not Linux
	}
	if err != nil {
		return fmt.Errorf("reading the ephemeral port range: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return fmt.Errorf("ip_local_port_range %q: want two numbers", strings.TrimSpace(string(b)))
	}
	lo, err1 := strconv.Atoi(f[0])
	hi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("ip_local_port_range %q: want two numbers", strings.TrimSpace(string(b)))
	}
	if lo <= Last && hi >= First {
		return fmt.Errorf("the kernel's ephemeral ports %d–%d overlap the test ports %d–%d: set net.ipv4.ip_local_port_range to start above %d", lo, hi, First, Last, Last)
	}
	return nil
}
