package indicator_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// tinyEngine computes every indicator on the hand-made data set of testdata/tiny.
func tinyEngine(t *testing.T) (*indicator.Engine, *plan.Pack) {
	t.Helper()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e, pack
}

const empty = -1.0 // marks an expected empty value in the table below

// TestTinyValues checks every indicator on the hand-made data set of testdata/tiny,
// each value worked out by hand from the rows (see the comments).
func TestTinyValues(t *testing.T) {
	e, pack := tinyEngine(t)
	tests := []struct {
		ind, org string
		year     int
		want     float64
	}{
		// preschool children: K1 3 (public), K2 2 (private) in 370602; MK 1 (public) in 370612.
		{"kg_public_share", "370600", 2020, 100.0 * 4 / 6},
		{"kg_public_share", "370602", 2020, 100.0 * 3 / 5},
		{"kg_public_share", "370612", 2020, 100},
		{"kg_public_share", "370602", 2021, 100.0 * 3 / 5},
		{"kg_public_share", "370600", 2021, 100.0 * 4 / 6},
		// population aged 3–5: 370602 2+2+1, 370612 1; none reported for 2021.
		{"kg_ger", "370600", 2020, 100.0 * 6 / 6},
		{"kg_ger", "370602", 2020, 100},
		{"kg_ger", "370612", 2020, 100},
		{"kg_ger", "370600", 2021, empty},
		// primary + junior: 370602 P1 3, J1 3, R1 2; 370612 M1 4 (5-4 system: grades 1, 5 primary; 6, 9 junior).
		{"compulsory_enrolment", "370600", 2020, 12.0 / 10000},
		{"compulsory_enrolment", "370602", 2020, 8.0 / 10000},
		{"compulsory_enrolment", "370612", 2020, 4.0 / 10000},
		{"compulsory_enrolment", "P1", 2020, 3.0 / 10000},
		{"compulsory_enrolment", "K1", 2020, 0}, // a roster with no such rows counts 0
		{"compulsory_enrolment", "370602", 2021, 0},
		// grade 9 junior 2020: 370602 J1 2 + R1 1, 370612 M1 1 (5-4); grade-1 entrants of 2012
		// are reported facts: 370602 4, 370612 1, city none (sum of districts 5).
		{"compulsory_retention", "370602", 2020, 100.0 * 3 / 4},
		{"compulsory_retention", "370612", 2020, 100},
		{"compulsory_retention", "370600", 2020, 100.0 * 4 / 5},
		{"compulsory_retention", "P1", 2020, empty}, // no 2012 data at P1
		// 2013: the city reported 10, which wins over its districts' 3 + 2; no grade 9 in 2021.
		{"compulsory_retention", "370600", 2021, 0},
		{"compulsory_retention", "370612", 2021, 0},
		// senior + vocational: S1 2 + V1 1; 370612 none but has a roster: 0.
		{"senior_enrolment", "370600", 2020, 3.0 / 10000},
		{"senior_enrolment", "370612", 2020, 0},
		// population 15–17: 370602 1+1+2; 370612 none: 0/0 is empty.
		{"senior_ger", "370600", 2020, 100.0 * 3 / 4},
		{"senior_ger", "370602", 2020, 100.0 * 3 / 4},
		{"senior_ger", "370612", 2020, empty},
		{"higher_enrolment", "370600", 2020, 2.0 / 10000},
		{"higher_enrolment", "370612", 2020, 0},
		// preschool teachers: K1 t01 true, t02 unknown (false, still counted), K2 t03 false; MK t04 true.
		{"kg_teacher_preschool_major", "370600", 2020, 100.0 * 2 / 4},
		{"kg_teacher_preschool_major", "370602", 2020, 100.0 * 1 / 3},
		{"kg_teacher_preschool_major", "K1", 2020, 100.0 * 1 / 2},
		{"kg_teacher_preschool_major", "370600", 2021, empty}, // no teachers roster in 2021
		// compulsory teachers with bachelor+: 370602 P1 t05, J1 t07 (master), R1 t08 of 5; 370612 2 of 2.
		{"compulsory_teacher_bachelor", "370600", 2020, 100.0 * 5 / 7},
		{"compulsory_teacher_bachelor", "370602", 2020, 100.0 * 3 / 5},
		{"compulsory_teacher_bachelor", "370612", 2020, 100},
		// urban P1 1 of 2; town J1 in neither; rural R1 1 of 2 + M1 2 of 2.
		{"urban_rural_bachelor_ratio", "370600", 2020, (1.0 / 2) / (3.0 / 4)},
		{"urban_rural_bachelor_ratio", "370602", 2020, 1},     // (1/2) / (1/2)
		{"urban_rural_bachelor_ratio", "370612", 2020, empty}, // no urban teachers
		// senior + vocational teachers with master+: S1 t12, V1 t14 (doctor) of 4.
		{"senior_teacher_master", "370600", 2020, 100.0 * 2 / 4},
		{"senior_teacher_master", "370612", 2020, empty},
		// teachers of vocational institutions (by type): V1 t14 dual, t15 not; H1 t16 dual.
		{"vocational_dual_teacher", "370600", 2020, 100.0 * 2 / 3},
		{"vocational_dual_teacher", "H1", 2020, 100},
		{"vocational_dual_teacher", "370612", 2020, empty},
		// schooling years: 370602 11 (P16–59 = 1+2+100), 370612 10 (P16–59 = 50);
		// the city has none in 2020: weighted mean; in 2021 it reported 10.9 itself.
		{"working_age_schooling_years", "370602", 2020, 11},
		{"working_age_schooling_years", "370600", 2020, (11.0*103 + 10*50) / 153},
		{"working_age_schooling_years", "370600", 2021, 10.9},
		{"working_age_schooling_years", "370602", 2021, empty},
	}
	for _, tt := range tests {
		v, ok := e.Get(tt.ind, tt.org, tt.year)
		if !ok {
			t.Errorf("%s %s %d: not computed", tt.ind, tt.org, tt.year)
			continue
		}
		if tt.want == empty {
			if v.OK || v.Reason == "" || v.ReasonEn == "" {
				t.Errorf("%s %s %d = %v (ok %v, reason %q), want empty with a reason", tt.ind, tt.org, tt.year, v.Value, v.OK, v.ReasonEn)
			}
			continue
		}
		if !v.OK || math.Abs(v.Value-tt.want) > 1e-12*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("%s %s %d = %v (ok %v, %s), want %v", tt.ind, tt.org, tt.year, v.Value, v.OK, v.ReasonEn, tt.want)
		}
	}
	// Indicators not defined at institutions are not computed there.
	if _, ok := e.Get("kg_ger", "K1", 2020); ok {
		t.Error("kg_ger computed for an institution")
	}
	_ = pack
}

func TestValuesCSV(t *testing.T) {
	e, pack := tinyEngine(t)
	vs, err := e.Values(pack.FullScope(), indicator.Query{Indicator: "senior_ger", Year: 2020})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := indicator.WriteCSV(&b, vs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := []string{
		"indicator,org,year,value",
		"senior_ger,370600,2020,75",
		"senior_ger,370602,2020,75",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
		}
	}
	if !strings.Contains(b.String(), "\nsenior_ger,370612,2020,\n") {
		t.Errorf("370612 has no population aged 15–17: want an empty value, got\n%s", b.String())
	}
	for _, bad := range []string{"NaN", "Inf", "e+", "e-"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("CSV contains %q:\n%s", bad, b.String())
		}
	}
}

func TestExplain(t *testing.T) {
	e, pack := tinyEngine(t)
	x, err := e.Explain(pack.FullScope(), "compulsory_retention", "370600", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Inputs) != 2 {
		t.Fatalf("inputs = %+v, want 2", x.Inputs)
	}
	in := x.Inputs[1]
	if in.Year != 2013 || in.Value != 10 || in.Source != "fact" || len(in.Batches) != 1 {
		t.Errorf("grade-1 input = %+v, want the city's 2013 fact 10 from one batch", in)
	}
	if _, err := e.Explain(pack.FullScope(), "nope", "370600", 2020); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("unknown indicator: err = %v, want not_found", err)
	}
}
