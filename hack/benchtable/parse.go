package main

import (
	"bufio"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A sample is one value a command printed: a Go benchmark result
// (benchmark name and unit) or a FIGURE line (key and unit).
type sample struct {
	name  string // Go benchmark name as printed (with its -GOMAXPROCS suffix), or the FIGURE key
	unit  string
	value float64
}

// output holds the samples parsed from one command's output.
type output struct {
	bench  []sample
	figure []sample
}

// parseOutput reads Go benchmark result lines and FIGURE lines from a
// command's combined output.
//
// A Go benchmark line is `BenchmarkName/sub-N <iterations> <value> <unit>
// [<value> <unit>...]` (the testing package's format, custom ReportMetric
// units included), possibly indented. When something else writes between
// the name and the results (the testing package prints the name before it
// runs the benchmark), the results on a later line are joined to the
// pending name.
//
// A FIGURE line is `FIGURE <key> <value> [<unit>]`, possibly indented and
// prefixed by a test log position (`file_test.go:123: `). A value that is
// not a finite number makes no sample.
func parseOutput(text string) output {
	var out output
	pending := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if s, ok := parseFigureLine(line); ok {
			out.figure = append(out.figure, s)
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if isBenchName(fields[0]) {
			if ss, ok := parseResults(fields[0], fields[1:]); ok {
				out.bench = append(out.bench, ss...)
				pending = ""
			} else {
				pending = fields[0]
			}
			continue
		}
		if fields[0] == "PASS" || fields[0] == "FAIL" || fields[0] == "ok" || fields[0] == "---" {
			pending = "" // the benchmark ended without results
			continue
		}
		if pending != "" {
			if ss, ok := parseResults(pending, fields); ok {
				out.bench = append(out.bench, ss...)
				pending = ""
			}
		}
	}
	return out
}

func isBenchName(s string) bool {
	return strings.HasPrefix(s, "Benchmark") && len(s) > len("Benchmark")
}

// parseResults parses `<iterations> <value> <unit> ...` into samples of
// the benchmark name.
func parseResults(name string, f []string) ([]sample, bool) {
	if len(f) < 3 || len(f)%2 != 1 {
		return nil, false
	}
	if _, err := strconv.ParseUint(f[0], 10, 64); err != nil {
		return nil, false
	}
	var ss []sample
	for i := 1; i < len(f); i += 2 {
		v, ok := number(f[i])
		if !ok {
			return nil, false
		}
		ss = append(ss, sample{name: name, unit: f[i+1], value: v})
	}
	return ss, true
}

var logPrefix = regexp.MustCompile(`^[\w./-]+\.go:\d+: `)

// parseFigureLine parses `FIGURE <key> <value> [<unit>]`.
func parseFigureLine(line string) (sample, bool) {
	line = strings.TrimSpace(line)
	line = logPrefix.ReplaceAllString(line, "")
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "FIGURE" {
		return sample{}, false
	}
	v, ok := number(f[2])
	if !ok {
		return sample{}, false
	}
	return sample{name: f[1], unit: strings.Join(f[3:], " "), value: v}, true
}

func number(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// benchValues returns the values of a Go benchmark's unit. name is given
// without the -GOMAXPROCS suffix the testing package adds (absent with
// -cpu 1).
func (o output) benchValues(name, unit string) []float64 {
	var vs []float64
	for _, s := range o.bench {
		if s.unit == unit && benchNameIs(s.name, name) {
			vs = append(vs, s.value)
		}
	}
	return vs
}

// benchNameIs reports whether a printed benchmark name is name, or name
// with a -N (GOMAXPROCS) suffix.
func benchNameIs(printed, name string) bool {
	if printed == name {
		return true
	}
	rest, ok := strings.CutPrefix(printed, name+"-")
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// figureValues returns the values printed for a FIGURE key, and the unit
// of the last one.
func (o output) figureValues(key string) ([]float64, string) {
	var vs []float64
	unit := ""
	for _, s := range o.figure {
		if s.name == key {
			vs = append(vs, s.value)
			unit = s.unit
		}
	}
	return vs, unit
}

// median of a non-empty slice.
func median(vs []float64) float64 {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
