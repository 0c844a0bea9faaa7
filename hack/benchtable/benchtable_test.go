package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseGoBench(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []sample
	}{
		{
			name: "custom units and the GOMAXPROCS suffix",
			text: "BenchmarkSettleGas/batch5-2                    \t      10\t   6767405 ns/op\t     79388 gas/op\t     15878 gas/order\n",
			want: []sample{{"BenchmarkSettleGas/batch5-2", "ns/op", 6767405}, {"BenchmarkSettleGas/batch5-2", "gas/op", 79388},
				{"BenchmarkSettleGas/batch5-2", "gas/order", 15878}},
		},
		{
			name: "fractions, µ in a unit",
			text: "BenchmarkWatchLatency/http-check-2       \t       2\t 859809989 ns/op\t       725.7 appear-p50-ms\n" +
				"BenchmarkQueryTop10/gpu-by-price-2 \t 20\t 1860112 ns/op\t 7647 matches\t 1139 p50-µs\n",
			want: []sample{{"BenchmarkWatchLatency/http-check-2", "ns/op", 859809989}, {"BenchmarkWatchLatency/http-check-2", "appear-p50-ms", 725.7},
				{"BenchmarkQueryTop10/gpu-by-price-2", "ns/op", 1860112}, {"BenchmarkQueryTop10/gpu-by-price-2", "matches", 7647},
				{"BenchmarkQueryTop10/gpu-by-price-2", "p50-µs", 1139}},
		},
		{
			name: "indented, -cpu 1 (no suffix), -benchmem",
			text: "  BenchmarkSessionVerify     \t25739038\t       119.7 ns/op\t       0 B/op\t       0 allocs/op\n",
			want: []sample{{"BenchmarkSessionVerify", "ns/op", 119.7}, {"BenchmarkSessionVerify", "B/op", 0}, {"BenchmarkSessionVerify", "allocs/op", 0}},
		},
		{
			name: "output between the name and the results",
			text: "BenchmarkManifestToReady-2   \t{\"level\":\"info\",\"msg\":\"applied\"}\nsome other line\n      30\t 1234 ns/op\t 296.5 ready-p50-ms\n",
			want: []sample{{"BenchmarkManifestToReady-2", "ns/op", 1234}, {"BenchmarkManifestToReady-2", "ready-p50-ms", 296.5}},
		},
		{
			name: "-v prints the name alone first",
			text: "BenchmarkProxy\nBenchmarkProxy/bare\nBenchmarkProxy/bare-2 \t 2000\t 163469 ns/op\t 149 allocs/op\n",
			want: []sample{{"BenchmarkProxy/bare-2", "ns/op", 163469}, {"BenchmarkProxy/bare-2", "allocs/op", 149}},
		},
		{
			name: "a failed benchmark gives nothing, and its name does not take later numbers",
			text: "BenchmarkProxy/bare-2 \t--- FAIL: BenchmarkProxy/bare-2\n    bench_test.go:12: 3 failed requests\nFAIL\n  10 20 x/op\n",
		},
		{
			name: "not results",
			text: "--- BENCH: BenchmarkPublishAllReceived-2\n    bench_test.go:88: 50 carriers\nBenchmarkX-2 ten 1 ns/op\nBenchmarkX-2 10 1 ns/op 2\nBenchmarkX-2 10 fast ns/op\nBenchmark 10 1 ns/op\nok  \tpkg\t1.2s\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseOutput(tc.text).bench
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestBenchNameIs(t *testing.T) {
	for _, tc := range []struct {
		printed, name string
		want          bool
	}{
		{"BenchmarkSessionVerify", "BenchmarkSessionVerify", true},
		{"BenchmarkSessionVerify-2", "BenchmarkSessionVerify", true},
		{"BenchmarkSessionVerify-16", "BenchmarkSessionVerify", true},
		{"BenchmarkSessionVerifyCold-2", "BenchmarkSessionVerify", false},
		{"BenchmarkSettleGas/settle-payee-zero-2", "BenchmarkSettleGas/settle", false},
		{"BenchmarkSettleGas/settle-payee-zero-2", "BenchmarkSettleGas/settle-payee-zero", true},
		{"BenchmarkSettleGas/batch20-2", "BenchmarkSettleGas/batch20", true},
		{"BenchmarkSettleGas/batch20-2", "BenchmarkSettleGas/batch2", false},
		{"BenchmarkX-", "BenchmarkX", false},
		{"BenchmarkX-2a", "BenchmarkX", false},
	} {
		if got := benchNameIs(tc.printed, tc.name); got != tc.want {
			t.Errorf("benchNameIs(%q, %q) = %v, want %v", tc.printed, tc.name, got, tc.want)
		}
	}
}

func TestParseFigureLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want sample
		ok   bool
	}{
		{"FIGURE via.rps 38279 rps", sample{"via.rps", "rps", 38279}, true},
		{"FIGURE rate.nginx.p99_added -1.32 ms", sample{"rate.nginx.p99_added", "ms", -1.32}, true},
		{"    chain_crash_test.go:290: FIGURE double_payments 0 count", sample{"double_payments", "count", 0}, true},
		{"\tFIGURE x 1.5", sample{"x", "", 1.5}, true},
		{"FIGURE cpu 8.9 µs per request", sample{"cpu", "µs per request", 8.9}, true},
		{"FIGURE via.rps  rps", sample{}, false}, // empty value (a failed awk): no figure
		{"FIGURE via.rps NaN rps", sample{}, false},
		{"FIGURE via.rps +Inf rps", sample{}, false},
		{"FIGURE via.rps", sample{}, false},
		{"FIGURES a 1 x", sample{}, false},
		{"see FIGURE a 1 x", sample{}, false},
		{"chain_crash_test.go:264: crash figures: 3 trials", sample{}, false},
	} {
		got, ok := parseFigureLine(tc.line)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseFigureLine(%q) = %v, %v; want %v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTargetMet(t *testing.T) {
	for _, tc := range []struct {
		t    *target
		x    float64
		want bool
	}{
		{atMost(60000, ""), 36938, true},
		{atMost(60000, ""), 60000, true},
		{atMost(60000, ""), 60001, false},
		{atMost(1, ""), -1.32, true},
		{atLeast(1, ""), 0.56, false},
		{atLeast(1, ""), 1, true},
		{atLeast(20000, ""), 28941, true},
		{exactly(0, ""), 0, true},
		{exactly(0, ""), 1, false},
		{&target{op: "<"}, 0, false}, // an unknown operator never passes
	} {
		if got := tc.t.met(tc.x); got != tc.want {
			t.Errorf("%s %v: met(%v) = %v, want %v", tc.t.op, tc.t.v, tc.x, got, tc.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	out := parseOutput("BenchmarkSettleGas/settle-2 10 5 ns/op 36938 gas/op\n" +
		"BenchmarkQ-2 10 5 ns/op 900 p99-µs\nBenchmarkQ-2 10 5 ns/op 2500 p99-µs\nBenchmarkQ-2 10 5 ns/op 1000 p99-µs\n" +
		"FIGURE via.rps 30000 rps\nFIGURE nginx.rps 60000 rps\nFIGURE via.rps_ratio 0.48 x\nFIGURE gw.p99 60 ms\n")
	c := &command{name: "c", area: "Area", run: "cmd"}
	gas := figure{label: "settle", src: bench("BenchmarkSettleGas/settle", "gas/op"), unit: "gas", target: atMost(60000, "≤ 60,000")}
	for _, tc := range []struct {
		name string
		f    figure
		res  result
		want row
	}{
		{
			name: "met",
			f:    gas, res: result{out: out},
			want: row{area: "Area", label: "settle", measured: "36,938 gas", target: "≤ 60,000", met: "✓", comparison: "–"},
		},
		{
			name: "missed, median of three, scaled",
			f:    figure{area: "Other", label: "q", src: bench("BenchmarkQ", "p99-µs"), scale: 1e-3, unit: "ms", target: atMost(0.5, "≤ 0.5 ms")},
			res:  result{out: out},
			want: row{area: "Other", label: "q", measured: "1 ms (median of 3)", target: "≤ 0.5 ms", met: "✗", comparison: "–"},
		},
		{
			name: "target on the command's ratio, comparison with it",
			f: figure{label: "via", src: fig("via.rps"), unit: "rps", target: atLeast(1, "≥ 1.0× nginx").of(fig("via.rps_ratio")),
				cmp: &comparison{label: "nginx", src: fig("nginx.rps"), unit: "rps", ratio: true, ratioSrc: ptr(fig("via.rps_ratio"))}},
			res:  result{out: out},
			want: row{area: "Area", label: "via", measured: "30,000 rps", target: "≥ 1.0× nginx", met: "✗", comparison: "nginx 60,000 rps (0.48×)"},
		},
		{
			name: "computed ratio",
			f:    figure{label: "via", src: fig("via.rps"), unit: "rps", cmp: &comparison{label: "nginx", src: fig("nginx.rps"), unit: "rps", ratio: true}},
			res:  result{out: out},
			want: row{area: "Area", label: "via", measured: "30,000 rps", target: "–", met: "–", comparison: "nginx 60,000 rps (0.50×)"},
		},
		{
			name: "not in the output of a failed command",
			f:    gas, res: result{failed: "exit status 1"},
			want: row{area: "Area", label: "settle", target: "≤ 60,000", met: "–", comparison: "–",
				measured: "not measured: the command failed (exit status 1)",
				missing:  []string{"BenchmarkSettleGas/settle gas/op"}},
		},
		{
			name: "the checked value and the comparison missing",
			f: figure{label: "gw", src: fig("gw.p99"), unit: "ms", target: atMost(1, "≤ 1").of(fig("gw.ratio")),
				cmp: &comparison{label: "nginx", src: fig("nginx.p99"), unit: "ms"}},
			res: result{out: out},
			want: row{area: "Area", label: "gw", target: "≤ 1", met: "–",
				measured:   "60 ms; target not checked: no `FIGURE gw.ratio` in the output",
				comparison: "nginx: not measured: no `FIGURE nginx.p99` in the output",
				missing:    []string{"FIGURE gw.ratio", "FIGURE nginx.p99"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := evaluate(c, tc.f, tc.res)
			tc.want.cmd = c
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {36938, "36,938"}, {1333888, "1,333,888"},
		{1087.4, "1,087"}, {119.7, "120"}, {58.26, "58.3"}, {2.345, "2.35"}, {0.56, "0.56"}, {0.0995, "0.10"}, {0.005, "0.005"}, {-1.32, "−1.32"},
	} {
		if got := formatNumber(tc.v); got != tc.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// TestSpecOnRealOutput reads each command's figures from a real output of
// that command, kept in testdata/<name>.txt (short runs: fewer iterations,
// rounds and trials; the format is the same), so that the spec and the
// benchmarks cannot drift apart unnoticed. A new command needs one.
func TestSpecOnRealOutput(t *testing.T) {
	names := map[string]bool{}
	for i := range commands {
		c := &commands[i]
		if names[c.name] {
			t.Errorf("two commands are named %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", c.name+".txt"))
			if err != nil {
				t.Fatalf("a recorded output of %q is needed: %v", c.run, err)
			}
			out := parseOutput(string(b))
			for _, f := range c.figures {
				if r := evaluate(c, f, result{out: out}); len(r.missing) > 0 {
					t.Errorf("%s: %s not in testdata/%s.txt", f.label, strings.Join(r.missing, ", "), c.name)
				}
			}
		})
	}
}

func TestRunCommand(t *testing.T) {
	c := &command{name: "t", run: `printf 'FIGURE a 1.5 x\n'; echo oops >&2; exit 3`}
	r := runCommand(context.Background(), t.TempDir(), c, time.Minute, io.Discard)
	if r.res.failed != "exit status 3" {
		t.Errorf("failed = %q, want exit status 3", r.res.failed)
	}
	if vs, unit := r.res.out.figureValues("a"); len(vs) != 1 || vs[0] != 1.5 || unit != "x" {
		t.Errorf("figure a = %v %q, want 1.5 x", vs, unit)
	}
	if !strings.Contains(r.text, "oops") {
		t.Errorf("stderr not kept: %q", r.text)
	}

	c = &command{name: "slow", run: `sleep 30`}
	r = runCommand(context.Background(), t.TempDir(), c, 200*time.Millisecond, io.Discard)
	if !strings.Contains(r.res.failed, "time limit") {
		t.Errorf("failed = %q, want the time limit", r.res.failed)
	}
}

func TestRender(t *testing.T) {
	cmds := []command{
		{name: "a", title: "Watch latency", area: "Discovery", run: `go test -bench 'WatchLatency|Takeover' ./pkg/consul/`, figures: []figure{
			{label: "p50", src: bench("BenchmarkW", "p50-ms"), unit: "ms"},
			{label: "p99", src: bench("BenchmarkW", "p99-ms"), unit: "ms", target: atMost(2, "≤ 2 ms")},
		}},
		{name: "b", title: "Via", area: "Via", run: "hack/bench-via", figures: []figure{
			{label: "rps", src: fig("via.rps"), unit: "rps"},
		}},
	}
	rp := report{started: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), took: time.Minute, commit: "abc1234",
		machine: machine{cpu: "AMD EPYC", cores: 2, memory: "8.0 GiB", kernel: "6.1.0", goVer: "go1.26.8"}, loadBefore: "0.10 0.20 0.30",
		runs: []run{
			{cmd: &cmds[0], res: result{out: parseOutput("BenchmarkW-2 5 1 ns/op 1.5 p50-ms 2.5 p99-ms\n")}, text: "BenchmarkW-2 5 1 ns/op 1.5 p50-ms 2.5 p99-ms\n"},
			{cmd: &cmds[1], res: result{failed: "exit status 1"}, text: "error: wrk is not installed\n"},
		}}
	page := string(render(rp))
	for _, want := range []string{
		"- **Machine:** AMD EPYC, 2 logical CPUs, 8.0 GiB memory, Linux 6.1.0, go1.26.8\n",
		"- **Result:** 3 figures, 1 not measured; 1 have a target: 0 met (✓), 1 missed (✗)\n",
		"| Discovery | p50 | 1.50 ms | – | – | – | [`go test -bench 'WatchLatency\\|Takeover' ./pkg/consul/`](#watch-latency) |\n",
		"|  | p99 | 2.50 ms | ≤ 2 ms | ✗ | – |  |\n",
		"| Via | rps | not measured: the command failed (exit status 1) | – | – | – | [`hack/bench-via`](#via) |\n",
		"### Via\n\n`hack/bench-via`: **failed: exit status 1**",
		"```text\nerror: wrk is not installed\n```\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
}

func TestTrimOutput(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		b.WriteString(strings.Repeat("x", i%7) + "\n")
	}
	text, total, left := trimOutput(b.String())
	if total != 1000 || left != 1000-maxOutputLines {
		t.Errorf("total %d, left %d; want 1000, %d", total, left, 1000-maxOutputLines)
	}
	if n := strings.Count(text, "\n"); n != maxOutputLines+1 {
		t.Errorf("%d lines kept, want %d and the mark", n, maxOutputLines)
	}
	if text, total, left := trimOutput("a\r\nb"); text != "a\nb\n" || total != 2 || left != 0 {
		t.Errorf("short output: %q %d %d", text, total, left)
	}
}
