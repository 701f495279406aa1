package standards_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/standards"
	"github.com/yantai-edu/eduplan/internal/store"
)

// fixture is a small world written straight into a real SQLite file, year 2024:
//
// 芝罘区 370602:
//   - S1, a nine-year school: 300 primary and 200 junior students; primary teachers 15
//     (bachelor), 4 of them county backbone, 3 PE; junior 12 (bachelor), 3 city
//     backbone, 2 art; one conditions row for the whole school: 2500 m² teaching,
//     5000 m² sports, 1,100,000 yuan, 12 classrooms, shared 0.6 / 0.4 by students.
//   - P2, a primary school of 200: 10 associate teachers, 2 county backbone, 2 music;
//     a primary row: 1000 m², 1600 m², 420,000 yuan, 5 classrooms.
//   - TP, a teaching point of 30 primary students: left out (< 50), though it has no
//     teachers or conditions (it would be no_data).
//   - SP, a special school of 40 primary students: left out.
//
// 福山区 370611:
//   - P3, a primary school of 100 whose teachers came in an old file without backbone
//     or subject: L2 and L3 unknown, so the district is no_data.
//   - P4, a primary school of 8 students, no teachers and no conditions.
func fixture(t *testing.T) *indicator.Engine {
	t.Helper()
	ctx := context.Background()
	pack := builtin(t)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "eduplan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	yes := true
	const y = 2024
	insts := []store.Institution{
		{Code: "S1", Name: "一中", District: "370602", Type: "nine_year"},
		{Code: "P2", Name: "二小", District: "370602", Type: "primary"},
		{Code: "TP", Name: "教学点", District: "370602", Type: "primary", TeachingPoint: &yes},
		{Code: "SP", Name: "特校", District: "370602", Type: "special"},
		{Code: "P3", Name: "三小", District: "370611", Type: "primary"},
		{Code: "P4", Name: "四小", District: "370611", Type: "primary"},
	}
	type cell struct {
		kind, inst, dims string
		n                int64
	}
	cells := []cell{
		{"students", "S1", "stage=primary", 300}, {"students", "S1", "stage=junior", 200},
		{"students", "P2", "stage=primary", 200}, {"students", "TP", "stage=primary", 30},
		{"students", "SP", "stage=primary", 40}, {"students", "P3", "stage=primary", 100},
		{"students", "P4", "stage=primary", 8},
		{"teachers", "S1", "backbone=county;education=bachelor;stage=primary;subject=chinese", 4},
		{"teachers", "S1", "backbone=none;education=bachelor;stage=primary;subject=pe", 3},
		{"teachers", "S1", "backbone=none;education=bachelor;stage=primary;subject=math", 8},
		{"teachers", "S1", "backbone=city;education=bachelor;stage=junior;subject=math", 3},
		{"teachers", "S1", "backbone=none;education=bachelor;stage=junior;subject=art", 2},
		{"teachers", "S1", "backbone=none;education=bachelor;stage=junior;subject=chinese", 7},
		{"teachers", "P2", "backbone=county;education=associate;stage=primary;subject=chinese", 2},
		{"teachers", "P2", "backbone=none;education=associate;stage=primary;subject=music", 2},
		{"teachers", "P2", "backbone=none;education=associate;stage=primary;subject=math", 6},
		{"teachers", "P3", "education=bachelor;stage=primary", 9},
	}
	cond := func(inst, stage, district string, v ...float64) store.Condition {
		c := store.Condition{Year: y, Institution: inst, Stage: stage, District: district, Batch: 1}
		for i := range v {
			c.Values[i] = &v[i]
		}
		return c
	}
	conds := []store.Condition{
		cond("S1", "", "370602", 2500, 5000, 1100000, 12),
		cond("P2", "primary", "370602", 1000, 1600, 420000, 5),
		cond("P3", "", "370611", 500, 800, 210000, 3),
	}
	err = db.Write(ctx, pack.Tenant, func(tx *store.Tx) error {
		district := map[string]string{}
		for _, in := range insts {
			in.Year, in.Ownership, in.Location, in.Batch = y, "public", "urban", 1
			district[in.Code] = in.District
			if _, err := tx.InsertInstitution(ctx, &in); err != nil {
				return err
			}
		}
		var sc []store.Cell
		for _, c := range cells {
			sc = append(sc, store.Cell{Kind: c.kind, Year: y, District: district[c.inst], Institution: c.inst, Dims: c.dims, Count: c.n, Batch: 1})
		}
		if err := tx.AddCells(ctx, sc); err != nil {
			return err
		}
		for _, c := range conds {
			if _, err := tx.InsertCondition(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCompute(t *testing.T) {
	e := fixture(t)
	res, err := standards.Compute(e, e.Pack().FullScope(), standards.Query{Standard: "quality_balanced", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]standards.Row{}
	for _, r := range res.Rows() {
		got[r.Org+"/"+r.Stage+"/"+r.Item] = r
	}
	tests := []struct {
		key, value, met, cv string
	}{
		// S1's primary part: 100·15/300 = 5; 100·4/300; 100·3/300 = 1; 2500·0.6/300 = 5;
		// 5000·0.6/300 = 10; 1,100,000·0.6/300 = 2200; 100·12·0.6/300 = 2.4.
		{"S1/primary/L1", "5", "true", ""},
		{"S1/primary/L3", "1", "true", ""},
		{"S1/primary/L4", "5", "true", ""},
		{"S1/primary/L5", "10", "true", ""},
		{"S1/primary/L6", "2200", "true", ""},
		{"S1/primary/L7", "2.4", "true", ""},
		{"S1/primary/school", "", "true", ""},
		// Its junior part: 100·12/200 = 6, 100·3/200 = 1.5, 100·2/200 = 1; 2500·0.4/200 =
		// 5 < 5.8; 5000·0.4/200 = 10 < 10.2; 1,100,000·0.4/200 = 2200 < 2500; 2.4 ≥ 2.4.
		// Four of seven met: it does not comply, and junior is not met.
		{"S1/junior/L1", "6", "true", ""},
		{"S1/junior/L4", "5", "false", ""},
		{"S1/junior/L5", "10", "false", ""},
		{"S1/junior/L6", "2200", "false", ""},
		{"S1/junior/L7", "2.4", "true", ""},
		{"S1/junior/school", "", "false", ""},
		{"370602/junior/verdict", "", "false", ""},
		{"P2/primary/L6", "2100", "true", ""},
		{"P2/primary/school", "", "true", ""},
		// District, primary, over S1 (300) and P2 (200): L1 100·25/500 = 5, CV 0; L5
		// (3000 + 1600)/500 = 9.2, CV √(0.6·0.8² + 0.4·1.2²)/9.2 = √0.96/9.2.
		{"370602/primary/L1", "5", "true", "0"},
		{"370602/primary/L5", "9.2", "true", indicator.FormatNumber(math.Sqrt(0.6*0.8*0.8+0.4*1.2*1.2) / 9.2)},
		{"370602/primary/verdict", "", "true", ""},
		// 福山区: P3's teachers have no backbone or subject.
		{"P3/primary/L1", "9", "true", ""},
		{"P3/primary/L2", "", "", ""},
		{"P3/primary/L3", "", "", ""},
		{"P3/primary/school", "", "", ""},
		{"370611/primary/L2", "", "", ""},
		{"370611/primary/verdict", "", "", ""},
	}
	for _, tt := range tests {
		r, ok := got[tt.key]
		if !ok {
			t.Errorf("%s: no row", tt.key)
			continue
		}
		if r.Value != tt.value && !near(r.Value, tt.value) || r.Met != tt.met || r.CV != tt.cv && !near(r.CV, tt.cv) {
			t.Errorf("%s: value %q met %q cv %q; want %q %q %q", tt.key, r.Value, r.Met, r.CV, tt.value, tt.met, tt.cv)
		}
	}
	for _, code := range []string{"TP", "SP"} {
		for k := range got {
			if k[:2] == code {
				t.Errorf("%s is assessed (%s), want left out", code, k)
			}
		}
	}
	// P4 has no teachers, in a district whose teachers were imported: 0, not unknown.
	if r := got["P4/primary/L1"]; r.Value != "0" || r.Met != "false" {
		t.Errorf("P4's L1 = %+v, want 0, not met", r)
	}
	if r := got["370602/primary/L5"]; r.Threshold != "7.5" || r.CVLimit != "0.5" {
		t.Errorf("L5 threshold %q cv_limit %q, want 7.5 and 0.5", r.Threshold, r.CVLimit)
	}
}

// near compares numbers written by FormatNumber to 1e-12 relative: the test's hand
// arithmetic and the computation may round differently in the last bit.
func near(a, b string) bool {
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	return math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y))
}

func TestComputeErrors(t *testing.T) {
	e := fixture(t)
	for _, q := range []standards.Query{
		{Standard: "nope", Year: 2024},
		{Standard: "quality_balanced"},
		{Standard: "quality_balanced", Year: 2024, Org: "S1"},
	} {
		if _, err := standards.Compute(e, e.Pack().FullScope(), q); plan.ErrorCode(err) == plan.EINTERNAL {
			t.Errorf("%+v: %v, want a domain error", q, err)
		}
	}
}

// TestComputePublic: the public sees the districts' figures as the city does, and no
// school figure resting on fewer than 10 students or teachers, nor such a count itself.
func TestComputePublic(t *testing.T) {
	e := fixture(t)
	public := plan.Scope{Tenant: e.Pack().Tenant, Org: e.Pack().Tenant, Detail: plan.Public}
	full, err := standards.Compute(e, e.Pack().FullScope(), standards.Query{Standard: "quality_balanced", Year: 2024, Org: "370602"})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := standards.Compute(e, public, standards.Query{Standard: "quality_balanced", Year: 2024, Org: "370602"})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range pub.Districts {
		for j, f := range d.Items {
			if g := full.Districts[i].Items[j]; f.Value != g.Value || f.CV != g.CV || f.Met != g.Met {
				t.Errorf("%s %s: public %+v, city %+v", d.Stage, f.Item, f, g)
			}
		}
		for _, s := range d.Schools {
			for _, f := range s.Items {
				// S1's backbone and PE/arts teachers are under 10 in each stage (4 and 3,
				// 3 and 2); its qualified teachers are not (15, 12).
				if want := f.Item == "L2" || f.Item == "L3"; s.Code == "S1" && f.Suppressed != want {
					t.Errorf("%s %s %s: suppressed %v", s.Code, d.Stage, f.Item, f.Suppressed)
				}
				if f.Suppressed && (f.Numerator != 0 || f.Value != 0 || len(f.Batches) > 0) {
					t.Errorf("%s %s: suppressed but %+v", s.Code, f.Item, f)
				}
			}
			if s.Code == "S1" && s.Verdict != standards.NoData {
				t.Errorf("S1's verdict %s rests on suppressed figures", s.Verdict)
			}
		}
	}
	// P4's 8 students are a small count: the public does not see it.
	pub, err = standards.Compute(e, public, standards.Query{Standard: "quality_balanced", Year: 2024, Org: "370611"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pub.Districts[0].Schools {
		if s.Code == "P4" && (s.Students != 0 || !s.Items[3].Suppressed) {
			t.Errorf("P4 as the public sees it: %+v", s)
		}
	}
}
