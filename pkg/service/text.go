package service

import (
	"strings"
	"unicode/utf8"
)

// ClipText makes text from another party safe to quote in an error or a
// log line: control characters are dropped and the rest is cut to at most
// n bytes at a rune boundary, with "…" appended when it was cut.
func ClipText(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
