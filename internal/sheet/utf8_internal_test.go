package sheet

import (
	"io"
	"strings"
	"testing"
)

// TestUTF8ReaderBrokenRune: a lead byte followed by another lead byte at the end of a
// block is where the stream stops being UTF-8, not its start.
func TestUTF8ReaderBrokenRune(t *testing.T) {
	for _, tt := range []struct {
		in  string
		bad int64
	}{
		{"0\n\xec\xe8", 2},
		{"ab\xc4\xd0", 2},
		{"ab\xe5\xad", 2},
		{"ab\xff", 2},
		{"ab", -1},
	} {
		u := &utf8Reader{r: strings.NewReader(tt.in), bad: -1}
		io.ReadAll(u)
		if u.bad != tt.bad {
			t.Errorf("%q: first bad byte at %d, want %d", tt.in, u.bad, tt.bad)
		}
	}
}
