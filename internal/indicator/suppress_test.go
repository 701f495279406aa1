package indicator_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// suppressionEngine computes compulsory_teacher_bachelor (bachelor+ teachers ÷ teachers
// of primary and junior) over primary schools with these teachers (all, bachelor+):
//
//	2024  370611  P11 6, 4                  one small school: the district is it
//	      370612  P21 6, 3;  P22 20, 15      district − P22 = P21
//	      370613  P31 4, 2;  P32 5, 5;  P33 30, 20   two small: only their sum shows
//	      370602  P41 30, 30
//	                  P22 hidden beside P21 keeps 370612; 370611 alone hidden, so the
//	                  smallest district with two unknown schools, 370612 (26 and 18
//	                  against 370613's 39 and 27), is hidden beside it
//	2023  370611  P11 6, 4;  every other district one school of 20, 10
//	                                         city − the other districts = P11
//	2022  370611  P11 6, 4;  370613 P31 4, 2; P32 5, 5; P33 20, 10;  370602 P41 20, 10
//	                                         370613 hidden beside 370611 keeps the city
func suppressionEngine(t *testing.T) (*indicator.Engine, *plan.Pack) {
	t.Helper()
	db, pack := suppressionDB(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e, pack
}

// suppressionDB is the database of suppressionEngine.
func suppressionDB(t *testing.T) (*store.DB, *plan.Pack) {
	t.Helper()
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type school struct {
		year           int
		code, district string
		all, bachelor  int
	}
	schools := []school{
		{2024, "P11", "370611", 6, 4},
		{2024, "P21", "370612", 6, 3}, {2024, "P22", "370612", 20, 15},
		{2024, "P31", "370613", 4, 2}, {2024, "P32", "370613", 5, 5}, {2024, "P33", "370613", 30, 20},
		{2024, "P41", "370602", 30, 30},
		{2023, "P11", "370611", 6, 4},
		{2023, "P22", "370612", 20, 10}, {2023, "P33", "370613", 20, 10}, {2023, "P41", "370602", 20, 10},
		{2022, "P11", "370611", 6, 4},
		{2022, "P31", "370613", 4, 2}, {2022, "P32", "370613", 5, 5}, {2022, "P33", "370613", 20, 10},
		{2022, "P41", "370602", 20, 10},
	}
	var insts, teachers strings.Builder
	insts.WriteString("year,code,name,district,type,ownership,inclusive,location\n")
	teachers.WriteString("year,teacher_id,institution,stage,sex,education\n")
	for _, s := range schools {
		fmt.Fprintf(&insts, "%d,%s,%s小学,%s,primary,public,,urban\n", s.year, s.code, s.code, s.district)
		for i := range s.all {
			edu := "associate"
			if i < s.bachelor {
				edu = "bachelor"
			}
			fmt.Fprintf(&teachers, "%d,%s-%d,%s,primary,F,%s\n", s.year, s.code, i, s.code, edu)
		}
	}
	dir := t.TempDir()
	var files []string
	for name, body := range map[string]string{"institutions.csv": insts.String(), "teachers.csv": teachers.String()} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if files[0] != filepath.Join(dir, "institutions.csv") {
		files[0], files[1] = files[1], files[0]
	}
	db, _ := fixture.NewDB(t)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	return db, pack
}

// TestComplementarySuppression: complementary (secondary) suppression, hand-worked on
// the table of suppressionEngine. In a district where one small school is hidden from
// the reader, the smallest other contributor is hidden too and the district stays
// published; a district whose only contributor is small is hidden, and beside it the
// smallest other district whose own count is unknown (two hidden schools), or the city
// if there is none; the explanations alike. Readers whose scope covers the school see
// it; two hidden schools show only their sum (issue 10, point 7).
func TestComplementarySuppression(t *testing.T) {
	e, pack := suppressionEngine(t)
	const ind = "compulsory_teacher_bachelor"
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	officer := func(d string) plan.Scope { return plan.Scope{Tenant: pack.Tenant, Org: d, Detail: plan.Records} }
	tests := []struct {
		name    string
		scope   plan.Scope
		org     string
		year    int
		visible bool
		want    float64
	}{
		{"only contributor, public", public, "370611", 2024, false, 0},
		{"only contributor, its officer", officer("370611"), "370611", 2024, true, 100.0 * 4 / 6},
		{"only contributor, another district's officer", officer("370613"), "370611", 2024, false, 0},
		{"only contributor, the city", pack.FullScope(), "370611", 2024, true, 100.0 * 4 / 6},
		{"the small one, public", public, "P21", 2024, false, 0},
		{"hidden beside the small one, public", public, "P22", 2024, false, 0},
		{"hidden beside the small one, its officer", officer("370612"), "P22", 2024, true, 100.0 * 15 / 20},
		{"hidden beside the small one, another officer", officer("370613"), "P22", 2024, false, 0},
		{"two hidden, the big one stays, public", public, "P33", 2024, true, 100.0 * 20 / 30},
		{"two hidden, public", public, "370613", 2024, true, 100.0 * 27 / 39},
		{"second district beside the only contributor, public", public, "370612", 2024, false, 0},
		{"second district, its officer", officer("370612"), "370612", 2024, true, 100.0 * 18 / 26},
		{"no small school, public", public, "370602", 2024, true, 100},
		{"no small school's school, public", public, "P41", 2024, true, 100},
		{"the city with two districts hidden, public", public, "370600", 2024, true, 100.0 * (4 + 18 + 27 + 30) / (6 + 26 + 39 + 30)},
		{"one district hiding one, city, public", public, "370600", 2023, false, 0},
		{"one district hiding one, city, its officer", officer("370611"), "370600", 2023, true, 100.0 * 34 / 66},
		{"one district hiding one, city, another officer", officer("370612"), "370600", 2023, false, 0},
		{"one district hiding one, the others stay, public", public, "370612", 2023, true, 50},
		{"a second district hidden beside the one, public", public, "370613", 2022, false, 0},
		{"so the city stays, public", public, "370600", 2022, true, 100.0 * 31 / 55},
		{"the one hidden, public", public, "370611", 2022, false, 0},
		{"no small school, beside them, public", public, "370602", 2022, true, 50},
		{"nothing hidden from the one's officer", officer("370611"), "370613", 2022, true, 100.0 * 17 / 29},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := e.Values(tt.scope, indicator.Query{Indicator: ind, Org: tt.org, Year: tt.year})
			if err != nil || len(vs) != 1 {
				t.Fatalf("values: %v, %v", vs, err)
			}
			got, ok := e.For(tt.scope).Get(ind, tt.org, tt.year)
			_, exErr := e.Explain(tt.scope, ind, tt.org, tt.year)
			if !tt.visible {
				if vs[0].OK || vs[0].Value != 0 || vs[0].ReasonEn == "" {
					t.Errorf("Values shows %+v, want it suppressed with a reason", vs[0])
				}
				if !ok || got.OK || got.Value != 0 {
					t.Errorf("Get shows %+v, want it suppressed", got)
				}
				if plan.ErrorCode(exErr) != plan.EFORBIDDEN {
					t.Errorf("Explain: %v, want forbidden", exErr)
				}
				return
			}
			for _, v := range []indicator.Value{vs[0], got} {
				if !v.OK || v.Value-tt.want > 1e-9 || tt.want-v.Value > 1e-9 {
					t.Errorf("value %+v, want %v", v, tt.want)
				}
			}
			if exErr != nil {
				t.Errorf("Explain: %v", exErr)
			}
		})
	}
}

// TestKindSuppressedAsRosters: a share of a record kind about persons is suppressed
// exactly as a share of the rosters' people is. Each school of kindSuppressionDB has as
// many pupils tested for fitness as it has teachers, and as many graded good as it has
// bachelor teachers, so fitness_good_rate (good ÷ tested, student_health) and
// compulsory_teacher_bachelor (bachelor ÷ all, teachers' roster) are the same number at
// every district and the city, and must be shown to the same readers: the table of
// suppressionEngine, and in 2025 a numerator alone small —
//
//	2025  370602  P41 30, 3     370612  P22 20, 15
//	                            370602's good pupils are P41's: it is hidden, and
//	                            with no second district to hide, the city
//
// A value resting on 10 or more people at each school is shown to the public (370602
// in 2024, 370612 in 2025).
func TestKindSuppressedAsRosters(t *testing.T) {
	db, pack := kindSuppressionDB(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	scopes := []plan.Scope{public, pack.FullScope(), {Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Aggregates}}
	for _, d := range []string{"370602", "370611", "370612", "370613"} {
		scopes = append(scopes, plan.Scope{Tenant: pack.Tenant, Org: d, Detail: plan.Records})
	}
	shown := func(scope plan.Scope, code, org string, year int) (indicator.Value, bool) {
		t.Helper()
		q := indicator.Query{Indicator: code, Org: org, Year: year, Commitments: pack.Commitment(code) != nil}
		vs, err := e.Values(scope, q)
		if err != nil || len(vs) != 1 {
			t.Fatalf("%s at %s in %d: values %v, %v", code, org, year, vs, err)
		}
		got, _ := e.For(scope).Get(code, org, year)
		whole, _ := e.Get(code, org, year)
		_, exErr := e.Explain(scope, code, org, year)
		if got != vs[0] || (plan.ErrorCode(exErr) == plan.EFORBIDDEN) != (whole.OK && !got.OK) {
			t.Fatalf("%s at %s in %d: Values %+v, Get %+v, Explain %v disagree", code, org, year, vs[0], got, exErr)
		}
		return got, got.OK
	}
	hidden := 0
	for _, scope := range scopes {
		for _, org := range []string{"370600", "370602", "370611", "370612", "370613"} {
			for year := 2022; year <= 2025; year++ {
				kind, kindOK := shown(scope, "fitness_good_rate", org, year)
				roster, rosterOK := shown(scope, "compulsory_teacher_bachelor", org, year)
				if kindOK != rosterOK || math.Abs(kind.Value-roster.Value) > 1e-9 {
					t.Errorf("%+v, %s in %d: fitness_good_rate %+v, compulsory_teacher_bachelor %+v; want alike",
						scope, org, year, kind, roster)
				}
				if whole, _ := e.Get("fitness_good_rate", org, year); whole.OK && !kindOK {
					hidden++
				}
			}
		}
	}
	if hidden == 0 {
		t.Error("no value of fitness_good_rate is suppressed for any reader")
	}
	for _, tt := range []struct {
		org  string
		year int
		want float64
	}{
		{"370602", 2024, 100},
		{"370612", 2025, 75},
		{"370600", 2024, 100.0 * (4 + 18 + 27 + 30) / (6 + 26 + 39 + 30)},
	} {
		if v, ok := shown(public, "fitness_good_rate", tt.org, tt.year); !ok || math.Abs(v.Value-tt.want) > 1e-9 {
			t.Errorf("fitness_good_rate at %s in %d, public: %+v, want %v", tt.org, tt.year, v, tt.want)
		}
	}
	for _, org := range []string{"370602", "370600"} {
		if v, ok := shown(public, "fitness_good_rate", org, 2025); ok {
			t.Errorf("fitness_good_rate at %s in 2025, public: %+v, want it suppressed", org, v)
		}
	}
}

// kindSuppressionDB is suppressionDB's schools, and 2025's, with their pupils as
// many as their teachers, each tested for fitness (student_health) and graded good
// as many as the school's bachelor teachers, the others pass.
func kindSuppressionDB(t *testing.T) (*store.DB, *plan.Pack) {
	t.Helper()
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type school struct {
		year           int
		code, district string
		all, good      int
	}
	schools := []school{
		{2025, "P41", "370602", 30, 3}, {2025, "P22", "370612", 20, 15},
		{2024, "P11", "370611", 6, 4},
		{2024, "P21", "370612", 6, 3}, {2024, "P22", "370612", 20, 15},
		{2024, "P31", "370613", 4, 2}, {2024, "P32", "370613", 5, 5}, {2024, "P33", "370613", 30, 20},
		{2024, "P41", "370602", 30, 30},
		{2023, "P11", "370611", 6, 4},
		{2023, "P22", "370612", 20, 10}, {2023, "P33", "370613", 20, 10}, {2023, "P41", "370602", 20, 10},
		{2022, "P11", "370611", 6, 4},
		{2022, "P31", "370613", 4, 2}, {2022, "P32", "370613", 5, 5}, {2022, "P33", "370613", 20, 10},
		{2022, "P41", "370602", 20, 10},
	}
	var insts, teachers, students, health strings.Builder
	insts.WriteString("year,code,name,district,type,ownership,inclusive,location\n")
	teachers.WriteString("year,teacher_id,institution,stage,sex,education\n")
	students.WriteString("year,student_id,institution,stage,grade,sex\n")
	health.WriteString("year,student_id,institution,stage,age,myopia,poor_vision,fitness\n")
	for _, s := range schools {
		fmt.Fprintf(&insts, "%d,%s,%s小学,%s,primary,public,,urban\n", s.year, s.code, s.code, s.district)
		for i := range s.all {
			edu, fitness := "associate", "pass"
			if i < s.good {
				edu, fitness = "bachelor", "good"
			}
			fmt.Fprintf(&teachers, "%d,%s-t%d,%s,primary,F,%s\n", s.year, s.code, i, s.code, edu)
			fmt.Fprintf(&students, "%d,%s-s%d,%s,primary,3,F\n", s.year, s.code, i, s.code)
			fmt.Fprintf(&health, "%d,%s-s%d,%s,primary,8,false,false,%s\n", s.year, s.code, i, s.code, fitness)
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	db, _ := fixture.NewDB(t)
	// The rosters first: each row of student_health must name a pupil on them.
	for _, files := range [][]string{
		{write("institutions.csv", insts.String()), write("teachers.csv", teachers.String()), write("students.csv", students.String())},
		{write("student_health.csv", health.String())},
	} {
		if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
			var rej *ingest.RejectedError
			if errors.As(err, &rej) {
				for _, r := range rej.Reports {
					t.Logf("%s: %+v", r.File, r.Errors)
				}
			}
			t.Fatal(err)
		}
	}
	return db, pack
}
