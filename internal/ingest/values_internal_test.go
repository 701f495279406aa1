package ingest

import "testing"

// TestParseNumbers: a number cell is read as a spreadsheet or its export writes it
// ("12", "12.0", "2.02E+03", "-2.5"), never as Go's own literals: digits separated by
// underscores, hexadecimal floats and infinities are not numbers of a statistics table.
func TestParseNumbers(t *testing.T) {
	for _, c := range []struct {
		s   string
		i   int64
		iOK bool
		f   float64
		fOK bool
	}{
		{"12", 12, true, 12, true},
		{"12.0", 12, true, 12, true},
		{"2.02E+03", 2020, true, 2020, true},
		{"-2.5", 0, false, -2.5, true},
		{"+7", 7, true, 7, true},
		{".5", 0, false, 0.5, true},
		{"1_0", 0, false, 0, false},
		{"1_000_000_000_000_000_000", 0, false, 0, false},
		{"0x1p4", 0, false, 0, false},
		{"0X10P0", 0, false, 0, false},
		{"Inf", 0, false, 0, false},
		{"infinity", 0, false, 0, false},
		{"NaN", 0, false, 0, false},
		{"1e308", 0, false, 1e308, true},
	} {
		i, iOK := parseInt(c.s)
		f, fOK := parseFloat(c.s)
		if i != c.i || iOK != c.iOK || f != c.f || fOK != c.fOK {
			t.Errorf("%q: parseInt %d %v, parseFloat %v %v; want %d %v, %v %v", c.s, i, iOK, f, fOK, c.i, c.iOK, c.f, c.fOK)
		}
	}
}
