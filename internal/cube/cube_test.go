package cube_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
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

// TestBatchesFedTheValue: a value's batches are those whose cells it counts. 牟平's
// students of 2020 come from two school tables (教育事业统计 基础基表), its kindergarten's
// and its nine-year school's primary grades: its preschool children come from the first
// only, though both are its students of that year; the city's preschool children from
// the kindergarten table and 芝罘's roster, not the primary table. A value that counts
// no cell (no junior students where the tables have none) rests on every batch of
// the block.
func TestBatchesFedTheValue(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	dir := t.TempDir()
	imp := func(name, content string) int64 {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{AllowShrink: true})
		var rej *ingest.RejectedError
		if errors.As(err, &rej) {
			t.Fatalf("%s: %+v", name, rej.Reports[0].Errors)
		}
		if err != nil {
			t.Fatal(err)
		}
		return res.Batches[0].ID
	}
	c0, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	roster := c0.Get("students", "370602", 2020, plan.Filter{}).Batches // 芝罘's roster of 2020
	if len(roster) != 1 {
		t.Fatalf("芝罘's students of 2020 come from batches %v, want one roster", roster)
	}
	kg := imp("kg_students.csv", "年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女\n2020,MK,4,3,0,2,5,6\n")
	primary := imp("primary_students.csv", "年份,学校标识码,一年级男,一年级女,二年级男,二年级女,三年级男,三年级女,四年级男,四年级女,五年级男,五年级女,六年级男,六年级女\n2020,M1,1,1,1,1,1,1,1,1,1,1,1,0\n")
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	// Reloaded for the tables' scope, the cube must say the same.
	r, err := c0.Reload(ctx, db, []store.YearDistrict{{Year: 2020, District: "370612"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		org, filter string
		want        float64
		batches     []int64
	}{
		{"370612", "stage=preschool", 20, []int64{kg}},
		{"370612", "stage=primary", 11, []int64{primary}},
		{"370612", "", 31, []int64{kg, primary}},
		{"370612", "stage=primary; grade=6; sex=F", 0, []int64{primary}}, // the table's 0
		{"370612", "stage=junior", 0, []int64{kg, primary}},              // no cell: the block's
		{"MK", "stage=preschool; sex=F", 11, []int64{kg}},
		{"370600", "stage=preschool", 5 + 20, []int64{roster[0], kg}},
		{"370600", "stage=primary", 4 + 11, []int64{roster[0], primary}}, // 芝罘's roster has 4
	}
	for _, cube := range []struct {
		name string
		c    *cube.Cube
	}{{"loaded", c}, {"reloaded", r}} {
		for _, tt := range tests {
			f, err := plan.ParseFilter(tt.filter, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := cube.c.Get("students", tt.org, 2020, f)
			if !got.OK || got.Value != tt.want || !slices.Equal(got.Batches, tt.batches) {
				t.Errorf("%s: students(%s) at %s = %v from batches %v, want %v from %v",
					cube.name, tt.filter, tt.org, got.Value, got.Batches, tt.want, tt.batches)
			}
		}
	}
	// How 牟平's share of children in public kindergartens is computed (the indicator
	// page, /api/v1/explain) names the kindergarten table only.
	e, err := indicator.New(pack, c)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := e.Explain(pack.FullScope(), "kg_public_share", "370612", 2020)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Inputs) == 0 {
		t.Fatal("no inputs explained")
	}
	for _, in := range ex.Inputs {
		if !slices.Equal(in.Batches, []int64{kg}) {
			t.Errorf("explain kg_public_share at 370612: %s from batches %v, want %v", in.Call, in.Batches, []int64{kg})
		}
	}
}
