package bytesize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Parse reads a byte count: digits with an optional binary suffix Ki, Mi,
// Gi or Ti. Empty is zero.
func Parse(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	mult := uint64(1)
	for i, suf := range []string{"Ki", "Mi", "Gi", "Ti"} {
		if strings.HasSuffix(s, suf) {
			s, mult = strings.TrimSuffix(s, suf), 1<<(10*(i+1))
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: want a number of bytes with an optional Ki, Mi, Gi or Ti suffix", s)
	}
	if n > ^uint64(0)/mult {
		return 0, errors.New("too large")
	}
	return n * mult, nil
}
