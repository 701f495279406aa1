package cube_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestRules checks the roll-up rules of spec/indicators.md on the tiny data set, with one
// more fact: 370602 reports 100 preschool children for 2020, where its roster has 5.
func TestRules(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	extra := filepath.Join(t.TempDir(), "facts-extra.csv")
	os.WriteFile(extra, []byte("year,org,element,dims,value\n2020,370602,students,stage=preschool,100\n"), 0o644)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{extra}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	f := func(s string) plan.Filter {
		t.Helper()
		fl, err := plan.ParseFilter(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		return fl
	}
	tests := []struct {
		name, element, org string
		year               int
		filter             string
		want               float64
		ok                 bool
		source             string
	}{
		{"a fact at the org wins over its roster", "students", "370602", 2020, "stage=preschool", 100, true, cube.SourceFact},
		{"the parent sums the fact and the other district's roster", "students", "370600", 2020, "stage=preschool", 101, true, cube.SourceChildren},
		{"a filter the fact does not match exactly counts the roster", "students", "370602", 2020, "stage=preschool; ownership=public", 3, true, cube.SourceChildren},
		{"an institution counts its rows", "students", "K1", 2020, "stage=preschool", 3, true, cube.SourceRoster},
		{"a roster with no matching rows counts 0", "students", "K1", 2020, "stage=senior", 0, true, cube.SourceRoster},
		{"no roster and no fact: missing", "students", "370611", 2020, "stage=preschool", 0, false, cube.SourceMissing},
		{"facts of children sum (2012 grade-1)", "students", "370600", 2012, "stage=primary; grade=1", 5, true, cube.SourceChildren},
		{"lists expand into cells", "students", "370602", 2020, "stage=primary,junior", 8, true, cube.SourceChildren},
		{"an age range sums population", "population", "370600", 2020, "age=3..5", 6, true, cube.SourceRoster},
		{"an unknown boolean counts as false", "teachers", "K1", 2020, "preschool_major=false", 1, true, cube.SourceRoster},
		{"non-additive: weighted mean of the children", "working_age_schooling_years", "370600", 2020, "", (11.0*103 + 10*50) / 153, true, cube.SourceChildren},
		{"institutions counted by attribute", "institutions", "370602", 2020, "type=kindergarten", 2, true, cube.SourceRoster},
	}
	for _, tt := range tests {
		r := c.Get(tt.element, tt.org, tt.year, f(tt.filter))
		if r.OK != tt.ok || (tt.ok && r.Value != tt.want) || r.Source != tt.source {
			t.Errorf("%s: %s(%s) at %s %d = %+v, want %v ok=%v from %s", tt.name, tt.element, tt.filter, tt.org, tt.year, r, tt.want, tt.ok, tt.source)
		}
	}
}
