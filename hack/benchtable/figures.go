package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A command is one benchmark run of `make bench` and the figures read
// from its output.
type command struct {
	name    string // short name, for -only and the raw output's anchor
	title   string // heading of its raw output below the table
	area    string // area column of its figures
	run     string // shell command line, run by bash in the repository root
	figures []figure
}

// A source says where a value is in a command's output: a Go benchmark's
// unit, or a FIGURE key.
type source struct {
	bench string // Go benchmark name without the -GOMAXPROCS suffix
	unit  string // the benchmark's unit (ns/op, gas/op, a ReportMetric unit)
	key   string // a FIGURE key, when bench is empty
}

func bench(name, unit string) source { return source{bench: name, unit: unit} }
func fig(key string) source          { return source{key: key} }

func (s source) String() string {
	if s.bench != "" {
		return fmt.Sprintf("%s %s", s.bench, s.unit)
	}
	return "FIGURE " + s.key
}

// in returns the source's value in o: the median when it was printed
// more than once (-count > 1), and how many times it was printed.
func (s source) in(o output) (float64, int) {
	var vs []float64
	if s.bench != "" {
		vs = o.benchValues(s.bench, s.unit)
	} else {
		vs, _ = o.figureValues(s.key)
	}
	if len(vs) == 0 {
		return 0, 0
	}
	return median(vs), len(vs)
}

// A figure is one row of the table.
type figure struct {
	area   string // overrides the command's area
	label  string
	src    source
	scale  float64 // the source's value times scale is shown (0: 1)
	unit   string  // shown after the value
	target *target
	cmp    *comparison
}

// A target is what a figure must reach. It is checked on the shown
// (scaled) value, or on another value the command printed (on), such as
// the median of per-round ratios.
type target struct {
	text string // as shown in the table
	op   string // "<=", ">=" or "=="
	v    float64
	on   *source
}

func atMost(v float64, text string) *target  { return &target{text: text, op: "<=", v: v} }
func atLeast(v float64, text string) *target { return &target{text: text, op: ">=", v: v} }
func exactly(v float64, text string) *target { return &target{text: text, op: "==", v: v} }

// of makes the target checked on s instead of the measured value.
func (t *target) of(s source) *target {
	t.on = &s
	return t
}

// met reports whether x reaches the target.
func (t *target) met(x float64) bool {
	switch t.op {
	case "<=":
		return x <= t.v
	case ">=":
		return x >= t.v
	case "==":
		return x == t.v
	}
	return false
}

// A comparison is a figure of something else from the same run (nginx,
// the upstream alone), shown with the ratio measured / comparison, or with
// the ratio the command computed itself (ratioSrc), or with none.
type comparison struct {
	label    string
	src      source
	scale    float64
	unit     string
	ratio    bool    // show a ratio
	ratioSrc *source // the ratio as printed by the command (nil: measured / comparison)
}

// A result is what running a command gave.
type result struct {
	failed string // why the command failed ("exit status 1"), empty if it succeeded
	out    output
}

// A row is a figure evaluated on its command's result.
type row struct {
	area, label, measured, target, met, comparison string
	cmd                                            *command
	missing                                        []string // sources not found
}

// evaluate turns f into a table row. A value that is not in the output
// is never made up: the row says why it is missing.
func evaluate(c *command, f figure, r result) row {
	rw := row{area: c.area, label: f.label, target: "–", met: "–", comparison: "–", cmd: c}
	if f.area != "" {
		rw.area = f.area
	}
	notFound := func(s source) string {
		if r.failed != "" {
			return fmt.Sprintf("the command failed (%s)", r.failed)
		}
		return fmt.Sprintf("no `%s` in the output", s)
	}
	v, n := f.src.in(r.out)
	if n == 0 {
		rw.missing = append(rw.missing, f.src.String())
		rw.measured = "not measured: " + notFound(f.src)
	} else {
		v *= scaleOf(f.scale)
		rw.measured = withUnit(formatNumber(v), f.unit)
		if n > 1 {
			rw.measured += fmt.Sprintf(" (median of %d)", n)
		}
	}
	if t := f.target; t != nil {
		rw.target = t.text
		x, ok := v, n > 0
		if t.on != nil {
			var m int
			x, m = t.on.in(r.out)
			ok = m > 0
			if !ok && n > 0 {
				rw.missing = append(rw.missing, t.on.String())
				rw.measured += "; target not checked: " + notFound(*t.on)
			}
		}
		if ok {
			rw.met = "✗"
			if t.met(x) {
				rw.met = "✓"
			}
		}
	}
	if cp := f.cmp; cp != nil {
		w, m := cp.src.in(r.out)
		if m == 0 {
			rw.missing = append(rw.missing, cp.src.String())
			rw.comparison = cp.label + ": not measured: " + notFound(cp.src)
		} else {
			w *= scaleOf(cp.scale)
			rw.comparison = cp.label + " " + withUnit(formatNumber(w), cp.unit)
			if cp.ratio {
				switch {
				case cp.ratioSrc != nil:
					if q, k := cp.ratioSrc.in(r.out); k > 0 {
						rw.comparison += fmt.Sprintf(" (%s×)", formatRatio(q))
					} else {
						rw.missing = append(rw.missing, cp.ratioSrc.String())
						rw.comparison += "; ratio not measured: " + notFound(*cp.ratioSrc)
					}
				case n > 0 && w != 0:
					rw.comparison += fmt.Sprintf(" (%s×)", formatRatio(v/w))
				}
			}
		}
	}
	return rw
}

func scaleOf(s float64) float64 {
	if s == 0 {
		return 1
	}
	return s
}

func withUnit(num, unit string) string {
	if unit == "" {
		return num
	}
	return num + " " + unit
}

// formatNumber prints v for a reader: integers with thousands separators,
// other values with a precision that fits their size.
func formatNumber(v float64) string {
	if v < 0 {
		return "−" + formatNumber(-v)
	}
	switch {
	case v == math.Trunc(v) && v < 1e15:
		return group(strconv.FormatFloat(v, 'f', 0, 64))
	case v >= 100:
		return group(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v >= 0.01:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
}

func formatRatio(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// group inserts thousands separators into a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	pre := len(digits) % 3
	if pre > 0 {
		b.WriteString(digits[:pre])
	}
	for i := pre; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
