package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// machine describes where the benchmarks ran.
type machine struct {
	cpu    string // model name
	cores  int    // logical CPUs
	memory string // total
	kernel string
	os     string
	goVer  string
}

func (m machine) String() string {
	s := fmt.Sprintf("%s, %d logical CPUs, %s memory, Linux %s", m.cpu, m.cores, m.memory, m.kernel)
	if m.os != "" {
		s += ", " + m.os
	}
	return s + ", " + m.goVer
}

// readMachine reads /proc and /etc/os-release; what it cannot read is
// "unknown".
func readMachine() machine {
	m := machine{cpu: "unknown CPU", cores: runtime.NumCPU(), memory: "unknown", kernel: "unknown", goVer: goVersion()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					m.memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				m.os = strings.Trim(v, `"`)
			}
		}
	}
	return m
}

// goVersion is the go command's version (the toolchain the benchmarks are
// built with), or this program's.
func goVersion() string {
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		if v := strings.TrimSpace(string(out)); v != "" {
			return v
		}
	}
	return runtime.Version()
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// gitCommit is HEAD's short hash, marked when the tracked files differ
// from it.
func gitCommit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	c := strings.TrimSpace(string(out))
	st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += " with uncommitted changes"
	}
	return c
}

// benchEnv lists the environment variables that change what the commands
// measure (the scripts' BENCH_* settings and the like), as set for this run.
func benchEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "BENCH_"), k == "GOMAXPROCS", k == "GOGC", k == "GOMEMLIMIT", k == "GOFLAGS", k == "GODEBUG":
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	return env
}
