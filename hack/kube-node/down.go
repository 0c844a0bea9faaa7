package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sysctls the node's components may change (the kubelet's kernel tunables,
// the bridge plugin's forwarding, kube-proxy's); up records their values and
// down puts them back.
var sysctls = []string{
	"net/ipv4/ip_forward",
	"net/ipv4/conf/all/route_localnet",
	"net/bridge/bridge-nf-call-iptables",
	"net/bridge/bridge-nf-call-ip6tables",
	"vm/overcommit_memory",
	"vm/panic_on_oom",
	"kernel/panic",
	"kernel/panic_on_oops",
	"kernel/keys/root_maxkeys",
	"kernel/keys/root_maxbytes",
}

// hostPaths are directories outside the state directory that containerd,
// the kubelet or CNI create; down removes the ones that did not exist before
// up, once they hold nothing but what the node put there.
var hostPaths = []string{"/var/log/containers", "/var/lib/cni", "/run/netns", "/run/containerd", "/var/log/pods", "/etc/cni", "/opt/cni", "/opt/containerd", "/var/lib/kubelet"}

// recordHost saves the sysctls and the missing host paths before up changes
// anything.
func (n *node) recordHost() error {
	var b strings.Builder
	for _, s := range sysctls {
		v, err := os.ReadFile(filepath.Join("/proc/sys", s))
		if err != nil {
			continue // not on this kernel
		}
		fmt.Fprintf(&b, "%s %s\n", s, strings.TrimSpace(string(v)))
	}
	if err := os.WriteFile(n.path("sysctls"), []byte(b.String()), 0o600); err != nil {
		return err
	}
	b.Reset()
	for _, p := range hostPaths {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintln(&b, p)
		}
	}
	return os.WriteFile(n.path("host-paths"), []byte(b.String()), 0o600)
}

// down stops and removes everything up created. It works on a node that is
// fully up, partly up, or already down, and keeps going past errors so that
// one stuck step does not leave the rest behind; it reports what remains.
func (n *node) down() error {
	if os.Geteuid() != 0 {
		return errNotRoot
	}
	if bin, err := binDir(); err == nil {
		n.bin = bin
	}
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
			progress("down: %v", err)
		}
	}

	// Components, in reverse start order, gracefully.
	for i := len(components) - 1; i >= 0; i-- {
		note(n.stopComponent(components[i]))
	}
	// Anything else of this node: shims and strays whose command line names
	// the state directory, and the pods' processes.
	note(n.killMatching())
	note(killPods())

	if n.bin != "" {
		out, err := exec.Command(filepath.Join(n.bin, "kube-proxy"), "--cleanup").CombinedOutput()
		if err != nil {
			progress("down: kube-proxy --cleanup: %v: %s", err, strings.TrimSpace(string(out)))
		}
	}
	note(n.unmountAll())
	note(deleteLink(bridgeName))
	note(deleteLink(svcLinkName)) // and its route
	for _, tool := range []string{"iptables", "ip6tables"} {
		note(sweepChains(tool))
	}
	note(removeKubepodsCgroups())
	note(n.removeHostFiles())
	note(n.restoreSysctls())
	note(n.removeState())

	if left := n.leftovers(); len(left) > 0 {
		errs = append(errs, fmt.Errorf("still present after down: %s", strings.Join(left, "; ")))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	progress("kube-node down: nothing left (logs kept in %s)", n.path("logs"))
	return nil
}

// stopComponent sends SIGTERM to a component from its pid file, then
// SIGKILL after stopGrace. A pid whose command line does not name the state
// directory (or containerd's config in it) is not ours and is left alone.
func (n *node) stopComponent(name string) error {
	pidFile := n.path("pids", name+".pid")
	data, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return fmt.Errorf("%s: bad pid file %s", name, pidFile)
	}
	if !strings.Contains(cmdline(pid), n.dir) {
		return os.Remove(pidFile) // gone, or the pid was reused
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	deadline := time.Now().Add(stopGrace)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if alive(pid) {
		progress("down: %s did not stop in %v: killing it", name, stopGrace)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		for i := 0; i < 50 && alive(pid); i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if alive(pid) {
		return fmt.Errorf("%s (pid %d) does not die", name, pid)
	}
	return os.Remove(pidFile)
}

// killMatching kills the node's programs that are still running
// (containerd shims, components whose pid file was lost), except this
// process and its ancestors.
func (n *node) killMatching() error {
	spare := ancestors()
	for round := 0; round < 50; round++ {
		var victims []int
		for _, pid := range pids() {
			if !spare[pid] && n.ownProcess(pid) {
				victims = append(victims, pid)
			}
		}
		if len(victims) == 0 {
			return nil
		}
		for _, pid := range victims {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("processes naming the state directory survive SIGKILL")
}

// ownProcess reports whether pid is one of the node's programs (containerd,
// its shims, etcd, the Kubernetes components) started for this state
// directory.
func (n *node) ownProcess(pid int) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return false
	}
	exe = strings.TrimSuffix(exe, " (deleted)")
	base := filepath.Base(exe)
	ours := strings.HasPrefix(base, "containerd") || base == "etcd" || strings.HasPrefix(base, "kube")
	return ours && strings.Contains(cmdline(pid), n.dir)
}

// killPods kills the processes in the kubelet's /kubepods cgroups.
func killPods() error {
	for round := 0; round < 50; round++ {
		victims := podPIDs()
		if len(victims) == 0 {
			return nil
		}
		for _, pid := range victims {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("pod processes survive SIGKILL")
}

func podPIDs() []int {
	var out []int
	for _, pid := range pids() {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			// hierarchy-ID:controllers:path
			if f := strings.SplitN(line, ":", 3); len(f) == 3 && strings.HasPrefix(f[2], "/kubepods") {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// unmountAll detaches every mount under the state directory and the CNI
// network namespaces in /run/netns, deepest first, and removes the
// namespace files.
func (n *node) unmountAll() error {
	for round := 0; round < 5; round++ {
		mounts := n.ownMounts()
		if len(mounts) == 0 {
			break
		}
		sort.Slice(mounts, func(i, j int) bool { return len(mounts[i]) > len(mounts[j]) })
		for _, m := range mounts {
			if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
				progress("down: umount %s: %v", m, err)
			}
		}
	}
	if left := n.ownMounts(); len(left) > 0 {
		return fmt.Errorf("mounts remain: %s", strings.Join(left, " "))
	}
	netns, _ := filepath.Glob("/run/netns/cni-*")
	for _, f := range netns {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// ownMounts are the mount points under the state directory, plus CNI
// network namespaces (containerd 1.6 keeps those in /run/netns, and this
// node is the only CRI runtime on the machine).
func (n *node) ownMounts() []string {
	var out []string
	for _, m := range mountPoints() {
		if m == n.dir || strings.HasPrefix(m, n.dir+"/") || strings.HasPrefix(m, "/run/netns/cni-") {
			out = append(out, m)
		}
	}
	return out
}

func mountPoints() []string {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) > 4 {
			out = append(out, unescapeMount(fields[4]))
		}
	}
	return out
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func deleteLink(name string) error {
	if _, err := os.Stat("/sys/class/net/" + name); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if out, err := exec.Command("ip", "link", "delete", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip link delete %s: %v: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// ourChain reports whether an iptables chain belongs to the node:
// kube-proxy's and the kubelet's KUBE-*, the CNI plugins' CNI-*.
func ourChain(c string) bool { return strings.HasPrefix(c, "KUBE-") || strings.HasPrefix(c, "CNI-") }

var iptablesTables = []string{"filter", "nat", "mangle", "raw"}

// sweepChains removes every rule that jumps to one of the node's chains,
// then the chains themselves, in every table. Rules are deleted by number,
// highest first, so no rule text has to be parsed back.
func sweepChains(tool string) error {
	if _, err := exec.LookPath(tool); err != nil {
		return nil
	}
	var errs []error
	run := func(args ...string) {
		if o, err := exec.Command(tool, append([]string{"-w", "5"}, args...)...).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %v: %s", tool, strings.Join(args, " "), err, strings.TrimSpace(string(o))))
		}
	}
	for _, table := range iptablesTables {
		out, err := exec.Command(tool, "-w", "5", "-t", table, "-S").Output()
		if err != nil {
			continue // table not available
		}
		var ours, others []string
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || (f[0] != "-N" && f[0] != "-P") {
				continue
			}
			if ourChain(f[1]) {
				ours = append(ours, f[1])
			} else {
				others = append(others, f[1])
			}
		}
		if len(ours) == 0 {
			continue
		}
		for _, c := range ours {
			run("-t", table, "-F", c)
		}
		for _, c := range others {
			list, err := exec.Command(tool, "-w", "5", "-t", table, "-L", c, "-n", "--line-numbers").Output()
			if err != nil {
				continue
			}
			var nums []int
			for _, line := range strings.Split(string(list), "\n") {
				f := strings.Fields(line)
				if len(f) < 2 || !ourChain(f[1]) {
					continue
				}
				if num, err := strconv.Atoi(f[0]); err == nil {
					nums = append(nums, num)
				}
			}
			sort.Sort(sort.Reverse(sort.IntSlice(nums)))
			for _, num := range nums {
				run("-t", table, "-D", c, strconv.Itoa(num))
			}
		}
		for _, c := range ours {
			run("-t", table, "-X", c)
		}
	}
	return errors.Join(errs...)
}

// removeKubepodsCgroups removes the kubelet's kubepods cgroup trees, deepest
// first, in every cgroup hierarchy.
func removeKubepodsCgroups() error {
	roots, _ := filepath.Glob("/sys/fs/cgroup/*/kubepods")
	if _, err := os.Stat("/sys/fs/cgroup/kubepods"); err == nil {
		roots = append(roots, "/sys/fs/cgroup/kubepods")
	}
	var errs []error
	for _, root := range roots {
		var dirs []string
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
		sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
		for _, d := range dirs {
			var err error
			for i := 0; i < 20; i++ { // a cgroup empties shortly after its last process dies
				if err = syscall.Rmdir(d); err == nil || errors.Is(err, syscall.ENOENT) {
					err = nil
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("rmdir %s: %w", d, err))
			}
		}
	}
	return errors.Join(errs...)
}

// removeHostFiles removes what the node left outside its state directory:
// CNI result caches of its network, container log links into its pod logs,
// and the host directories that up found missing, once empty.
func (n *node) removeHostFiles() error {
	results, _ := filepath.Glob("/var/lib/cni/results/" + cniNetwork + "-*")
	loopback, _ := filepath.Glob("/var/lib/cni/results/cni-loopback-*") // containerd's own lo network
	for _, f := range append(results, loopback...) {
		_ = os.Remove(f)
	}
	for _, sock := range n.shimSockets() {
		_ = os.Remove(sock)
	}
	// The kubelet's device-plugin socket has a fixed path outside its root dir.
	_ = os.Remove("/var/lib/kubelet/device-plugins/kubelet.sock")
	links, _ := filepath.Glob("/var/log/containers/*")
	for _, l := range links {
		if t, err := os.Readlink(l); err == nil && strings.HasPrefix(t, n.dir+"/") {
			_ = os.Remove(l)
		}
	}
	data, err := os.ReadFile(n.path("host-paths"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range strings.Fields(string(data)) {
		if err := removeEmptyTree(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// shimSockets are the sockets containerd 1.6's runc shims create at a fixed
// place, /run/containerd/s/<sha256 of address/namespace/task id>, for the
// tasks in the node's containerd state.
func (n *node) shimSockets() []string {
	tasks, _ := filepath.Glob(n.path("containerd", "state", "io.containerd.runtime.v2.task", "*", "*"))
	var out []string
	for _, t := range tasks {
		ns, id := filepath.Base(filepath.Dir(t)), filepath.Base(t)
		sum := sha256.Sum256([]byte(filepath.Join(n.socket(), ns, id)))
		out = append(out, filepath.Join("/run/containerd/s", hex.EncodeToString(sum[:])))
	}
	return out
}

// removeEmptyTree removes dir if it holds only empty directories.
func removeEmptyTree(dir string) error {
	var dirs []string
	nonEmpty := false
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		} else {
			nonEmpty = true
		}
		return nil
	})
	if err != nil || len(dirs) == 0 {
		return nil
	}
	if nonEmpty {
		return fmt.Errorf("%s (created by the node) is not empty: left in place", dir)
	}
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
	for _, d := range dirs {
		if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func (n *node) restoreSysctls() error {
	data, err := os.ReadFile(n.path("sysctls"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		p := filepath.Join("/proc/sys", key)
		cur, err := os.ReadFile(p)
		if err != nil || strings.TrimSpace(string(cur)) == val {
			continue
		}
		if err := os.WriteFile(p, []byte(val), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("restoring %s=%s: %w", key, val, err))
		}
	}
	return errors.Join(errs...)
}

// removeState deletes the state directory except its logs.
func (n *node) removeState() error {
	entries, err := os.ReadDir(n.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.Name() == "logs" {
			continue
		}
		if err := os.RemoveAll(n.path(e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// leftovers lists what down should have removed but is still there.
func (n *node) leftovers() []string {
	var left []string
	spare := ancestors()
	for _, pid := range pids() {
		if !spare[pid] && n.ownProcess(pid) {
			left = append(left, fmt.Sprintf("process %d (%s)", pid, firstWord(cmdline(pid))))
		}
	}
	for _, pid := range podPIDs() {
		left = append(left, fmt.Sprintf("pod process %d", pid))
	}
	for _, m := range n.ownMounts() {
		left = append(left, "mount "+m)
	}
	for _, l := range []string{bridgeName, svcLinkName} {
		if _, err := os.Stat("/sys/class/net/" + l); err == nil {
			left = append(left, "link "+l)
		}
	}
	for _, tool := range []string{"iptables", "ip6tables"} {
		for _, c := range listChains(tool) {
			left = append(left, tool+" chain "+c)
		}
	}
	return left
}

func listChains(tool string) []string {
	if _, err := exec.LookPath(tool); err != nil {
		return nil
	}
	var out []string
	for _, table := range iptablesTables {
		data, err := exec.Command(tool, "-w", "5", "-t", table, "-S").Output()
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "-N" && ourChain(f[1]) {
				out = append(out, table+"/"+f[1])
			}
		}
	}
	return out
}

// status prints what runs and whether the node is Ready.
func (n *node) status() error {
	if bin, err := binDir(); err == nil {
		n.bin = bin
	}
	any := false
	for _, c := range components {
		pid, ok := n.pid(c)
		state := "stopped"
		if ok {
			state = fmt.Sprintf("running (pid %d)", pid)
			any = true
		}
		fmt.Printf("%-24s %s\n", c, state)
	}
	if !any {
		fmt.Println("kube-node is down")
		return nil
	}
	if err := n.healthy(); err != nil {
		return fmt.Errorf("not healthy: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := n.kubectl(ctx, "get", "nodes", "-o", "wide")
	if err != nil {
		return err
	}
	fmt.Println(out)
	fmt.Printf("kubeconfig: %s\n", n.kubeconfig())
	return nil
}

// healthy checks that every component runs and the API server is ready.
func (n *node) healthy() error {
	for _, c := range components {
		if _, ok := n.pid(c); !ok {
			return fmt.Errorf("%s is not running", c)
		}
	}
	admin, err := n.adminClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return httpOK(ctx, admin, fmt.Sprintf("https://127.0.0.1:%d/readyz", apiPort))
}

func (n *node) anyAlive() bool {
	for _, c := range components {
		if _, ok := n.pid(c); ok {
			return true
		}
	}
	return false
}

// pid returns a component's pid when it is alive and really the node's.
func (n *node) pid(name string) (int, bool) {
	data, err := os.ReadFile(n.path("pids", name+".pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || !alive(pid) || !strings.Contains(cmdline(pid), n.dir) {
		return 0, false
	}
	return pid, true
}

func pids() []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

func cmdline(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return ""
	}
	return strings.ReplaceAll(string(data), "\x00", " ")
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// ancestors are this process and its parents, which down must not kill even
// when their command lines name the state directory.
func ancestors() map[int]bool {
	out := map[int]bool{}
	for pid := os.Getpid(); pid > 1 && !out[pid]; {
		out[pid] = true
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			break
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			break
		}
		pid, _ = strconv.Atoi(f[1])
	}
	return out
}
