package indicator_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// demoEngine generates the demo data with opt, imports it into a new database and
// returns its engine.
func demoEngine(t *testing.T, pack *plan.Pack, opt demo.Options) *indicator.Engine {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := demo.Generate(ctx, pack, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestTablesEqualRosters: the same demo data imported once as rosters and once with two
// districts' students and teachers as the school tables (基础基表) — for 2020–2021, then
// rosters again — give identical values for every indicator and commitment, at every
// org and year, that both can compute. What the tables cannot give (counts by hukou,
// preschool majors, dual-qualified teachers...) is missing, never a different number.
func TestTablesEqualRosters(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a demo data set twice, as rosters and as tables (CI runs it)")
	}
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	opt := demo.Options{Scale: 0.01, Seed: 7, LastYear: 2023}
	rosters := demoEngine(t, pack, opt)
	opt.TableDistricts, opt.TableUntil = []string{"370612", "370613"}, 2021
	tables := demoEngine(t, pack, opt)

	scope := pack.FullScope()
	both, onlyRosters := 0, map[string]int{}
	for _, commitments := range []bool{false, true} {
		want, err := rosters.Values(scope, indicator.Query{Commitments: commitments})
		if err != nil {
			t.Fatal(err)
		}
		got, err := tables.Values(scope, indicator.Query{Commitments: commitments})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("commitments %v: %d values from tables, %d from rosters", commitments, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			key := fmt.Sprintf("%s %s %d", w.Indicator, w.Org, w.Year)
			switch {
			case g.Indicator != w.Indicator || g.Org != w.Org || g.Year != w.Year:
				t.Fatalf("value %d: %s %s %d from tables, %s from rosters", i, g.Indicator, g.Org, g.Year, key)
			case g.OK && !w.OK:
				t.Errorf("%s: %v from tables, none from rosters (%s)", key, g.Value, w.ReasonEn)
			case g.OK && w.OK:
				both++
				if g.Value != w.Value {
					t.Errorf("%s: %v from tables, %v from rosters", key, g.Value, w.Value)
				}
			case w.OK:
				onlyRosters[w.Indicator]++
			}
		}
	}
	// The headline indicators that need no more than stage, grade, sex and education are
	// computed from the tables in 2021.
	for _, code := range []string{"kg_public_share", "kg_ger", "compulsory_enrolment", "compulsory_retention", "senior_enrolment",
		"compulsory_teacher_bachelor", "senior_teacher_master"} {
		for _, org := range []string{"370612", "370600"} {
			v, ok := tables.Get(code, org, 2021)
			if !ok || !v.OK {
				t.Errorf("%s at %s 2021 from tables: %+v", code, org, v)
			}
		}
	}
	for _, code := range []string{"kg_teacher_preschool_major", "vocational_dual_teacher"} {
		if v, _ := tables.Get(code, "370612", 2021); v.OK {
			t.Errorf("%s at 370612 2021 from tables by education only: %v, want none", code, v.Value)
		}
		if v, _ := tables.Get(code, "370612", 2023); !v.OK {
			t.Errorf("%s at 370612 2023, from rosters again: %+v", code, v)
		}
	}
	if both < 1000 {
		t.Errorf("only %d values compared", both)
	}
	t.Logf("%d values equal from both; from rosters only: %v", both, onlyRosters)
}
