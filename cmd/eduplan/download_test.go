package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// TestCSVNeutralisesFormulas: institution codes and file names that a spreadsheet would
// run as formulas come out of every --format csv quoted ('=…), numbers as numbers (issue
// 10, point 4).
func TestCSVNeutralisesFormulas(t *testing.T) {
	db, _, path := fixture.Hostile(t)
	db.Close()
	// An edition titled by its user, and a second one to compare with.
	const title = "@SUM(1)+edition"
	for _, args := range [][]string{{"edition", "create", "--title", title}, {"edition", "create", "--kind", "midterm"}} {
		if _, stderr, err := run(t, append(args, "--db", path)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	for _, tt := range []struct {
		args []string
		want []string // cells that must appear, neutralised
	}{
		{[]string{"values", "--format", "csv"}, []string{"'" + fixture.HostileCodes["P1"], "'" + fixture.HostileCodes["J1"]}},
		{[]string{"values", "--format", "csv", "--commitments"}, nil},
		{[]string{"quality", "--format", "csv"}, []string{"'" + fixture.HostileFile}},
		{[]string{"progress", "--format", "csv"}, nil},
		{[]string{"progress", "--format", "csv", "--methods"}, nil},
		{[]string{"progress", "--format", "csv", "--commitments"}, nil},
		{[]string{"review", "--format", "csv"}, nil},
		{[]string{"edition", "list", "--format", "csv"}, []string{"'" + title}},
		{[]string{"scorecard", "--format", "csv"}, nil},
		{[]string{"tasks", "--format", "csv"}, nil},
		{[]string{"projects", "--format", "csv"}, nil},
		{[]string{"edition", "show", "1", "--format", "csv"}, nil},
		{[]string{"edition", "diff", "1", "2", "--format", "csv"}, nil},
	} {
		out, stderr, err := run(t, append(tt.args, "--db", path)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		seen := map[string]bool{}
		var formulas []string
		for _, rec := range recs {
			for _, c := range rec {
				seen[c] = true
				if sheet.Text(c) != c && !seen["\x00"+c] {
					seen["\x00"+c] = true
					formulas = append(formulas, c)
				}
			}
		}
		if formulas != nil {
			t.Errorf("%v: cells run as formulas: %q", tt.args, formulas)
		}
		for _, c := range tt.want {
			if !seen[c] {
				t.Errorf("%v: no cell %q", tt.args, c)
			}
		}
	}
}
