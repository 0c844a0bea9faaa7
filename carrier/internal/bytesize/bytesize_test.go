package bytesize

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		bad  bool
	}{
		{in: "", want: 0},
		{in: " 512 ", want: 512},
		{in: "4Ki", want: 4 << 10},
		{in: "512Mi", want: 512 << 20},
		{in: "16Gi", want: 16 << 30},
		{in: "2Ti", want: 2 << 40},
		{in: "1.5Gi", bad: true},
		{in: "-1", bad: true},
		{in: "10GB", bad: true},
		{in: "17179869184Gi", bad: true}, // 2^64: over uint64
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if (err != nil) != tc.bad {
				t.Fatalf("Parse(%q) = %d, %v; want an error: %v", tc.in, got, err, tc.bad)
			}
			if !tc.bad && got != tc.want {
				t.Fatalf("Parse(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}
