package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"370602", 6},
		{"芝罘区", 6},
		{"Zhifu 芝罘", 10},
		{"（全市）", 8},
		{"e\u0301", 1}, // e and a combining acute accent
		{"已实现 4 · 滞后 3", 17},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestTableAlignsChineseNames writes a table whose names mix Chinese and Latin text of
// different lengths and checks that every column starts at the same display column on
// every line: text/tabwriter counts runes, so a column after 芝罘区 started 3 columns
// early beside a Latin name.
func TestTableAlignsChineseNames(t *testing.T) {
	var b bytes.Buffer
	tw := newTable(&b)
	fmt.Fprintln(tw, "org\tname\tstatus\tscore\tnote")
	rows := [][]string{
		{"370600", "烟台市", "已实现 achieved", "100%"},
		{"370602", "芝罘区 Zhifu", "滞后 lagging", "50%"},
		{"370613", "莱山区", "快于预期 ahead", "75%"},
		{"370671", "Yantai Economic and Technological Development Zone", "-", "-"},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\tend\n", r[0], r[1], r[2], r[3])
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// The display column at which each cell after the first starts, line by line.
	starts := func(line string, cells []string) []int {
		var at []int
		col, rest := 0, line
		for _, c := range cells {
			i := strings.Index(rest, c)
			if i < 0 {
				t.Fatalf("%q not in %q", c, line)
			}
			col += displayWidth(rest[:i])
			at = append(at, col)
			col += displayWidth(c)
			rest = rest[i+len(c):]
		}
		return at
	}
	want := starts(lines[0], []string{"org", "name", "status", "score", "note"})
	for i, r := range rows {
		got := starts(lines[i+1], append(r, "end"))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("line %d starts its columns at %v, the header at %v:\n%s", i+1, got, want, b.String())
		}
	}
}
