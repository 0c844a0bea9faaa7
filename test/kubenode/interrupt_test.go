package kubenode

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDownAfterInterruptedUp kills `kube-node up` once the kubelet has been
// started (containerd, etcd and the control plane run; the kubelet may be
// creating cgroups and mounts) and checks that down still removes every
// process, mount, bridge and iptables chain of the node.
func TestDownAfterInterruptedUp(t *testing.T) {
	n := prepare(t)
	up := exec.Command(n.tool, "-dir", n.Dir, "up")
	up.Dir = n.root
	up.Stdout, up.Stderr = os.Stderr, os.Stderr
	if err := up.Start(); err != nil {
		t.Fatalf("starting kube-node up: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = up.Wait()
		close(exited)
	}()
	kubeletPID := filepath.Join(n.Dir, "pids", "kubelet.pid")
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if _, err := os.Stat(kubeletPID); err == nil {
			break
		}
		select {
		case <-exited:
			t.Fatalf("kube-node up ended before it started the kubelet")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-node up did not start the kubelet in 3 minutes")
		}
	}
	time.Sleep(time.Second) // let the kubelet get going
	_ = up.Process.Signal(syscall.SIGKILL)
	<-exited
	if !n.anyProcess() {
		t.Fatalf("no process of the node runs after killing up: nothing to clean up")
	}

	n.Down(t)
	if left := Leftovers(t, n.Dir); len(left) > 0 {
		t.Errorf("left behind after down:\n  %s", strings.Join(left, "\n  "))
	}
	if _, err := os.Stat(filepath.Join(n.Dir, "pids")); err == nil {
		t.Errorf("state directory not cleared: %s/pids remains", n.Dir)
	}
}

// anyProcess reports whether a process names the node's state directory.
func (n *Node) anyProcess() bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), n.Dir) {
			return true
		}
	}
	return false
}
