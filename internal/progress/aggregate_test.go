package progress_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestCityTotalsOnly is a bureau that holds only the published city totals of 在园幼儿
// and 公办园在园幼儿 for 2020–2022 (Yantai's 41.17%, 52.66%, 63.14%), imported as facts of
// the roster element students. The counts are made up so that their ratios are exactly
// the published shares:
//
//	2020: 82,340 / 200,000 = 41.17%
//	2021: 100,054 / 190,000 = 52.66%
//	2022: 113,652 / 180,000 = 63.14%
//
// Progress as of 2022 against the plan (B = 41.17 in 2020, T = 75 in 2025):
//
//	τ = (2022 − 2020) / (2025 − 2020) = 0.4
//	c = (63.14 − 41.17) / (75 − 41.17) = 21.97 / 33.83 = 0.64942…  > τ + δ = 0.45: ahead
//	required change = (75 − 63.14) / (2025 − 2022) = 3.95333…
//	projection: OLS over 2020–2022, slope (63.14 − 41.17) / 2 = 10.985 a year, through
//	the mean (2021, 52.32333…): 52.32333… + 4 · 10.985 = 96.26333…
func TestCityTotalsOnly(t *testing.T) {
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "totals.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	facts := filepath.Join(t.TempDir(), "facts.csv")
	csv := "year,org,element,dims,value\n" +
		"2020,370600,students,stage=preschool,200000\n2020,370600,students,stage=preschool;ownership=public,82340\n" +
		"2021,370600,students,stage=preschool,190000\n2021,370600,students,stage=preschool;ownership=public,100054\n" +
		"2022,370600,students,stage=preschool,180000\n2022,370600,students,stage=preschool;ownership=public,113652\n"
	if err := os.WriteFile(facts, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{facts}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	if ys := e.Years(); !slices.Equal(ys, []int{2020, 2021, 2022}) {
		t.Fatalf("years = %v, want 2020–2022: facts of a roster element make a year", ys)
	}
	near := func(x, want float64) bool { return math.Abs(x-want) < 1e-9 }
	vals, err := e.Values(pack.FullScope(), indicator.Query{Indicator: "kg_public_share", Org: "370600"})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{41.17, 52.66, 63.14}
	if len(vals) != 3 {
		t.Fatalf("values = %+v, want 3", vals)
	}
	for i, v := range vals {
		if !v.OK || !near(v.Value, want[i]) {
			t.Errorf("kg_public_share %d = %+v, want %v", v.Year, v, want[i])
		}
	}
	rows, err := progress.Assess(e.AsOf(2022), pack.FullScope(), progress.Query{Indicator: "kg_public_share", Org: "370600"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("rows = %+v", rows)
	}
	r := rows[0]
	n := func(x progress.Number, want float64) bool { return x.OK && near(x.V, want) }
	if r.Status != progress.Ahead || r.LatestYear != 2022 || !n(r.Latest, 63.14) || !n(r.Baseline, 41.17) || !n(r.Target, 75) ||
		!n(r.TimeElapsed, 0.4) || !n(r.Completion, (63.14-41.17)/(75-41.17)) || !n(r.RequiredChange, (75-63.14)/3) ||
		!n(r.Projection, (41.17+52.66+63.14)/3+4*(63.14-41.17)/2) {
		t.Errorf("kg_public_share 370600 as of 2022 = %+v", r)
	}
	if r.Status.Label() != "快于预期" {
		t.Errorf("label %q", r.Status.Label())
	}
}
