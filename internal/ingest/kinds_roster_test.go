package ingest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestKindRowsOnRoster imports files of the Yantai pack's person kinds (student_health,
// teacher_development) and institution kinds into the tiny data set, whose rosters are
// (testdata/tiny): 2020 students s07 s08 s09 at P1, s10 s11 s12 at J1, s15–s18 at M1
// (Muping); 2021 students only at kindergartens (s01 s02 s24 at K1); teachers only in
// 2020 (t05 t06 at P1, t10 t11 at M1). A person's row must name a person on that year's
// roster at the institution it is filed under, and the rows of a kind may be only at
// the institutions the kind allows (kinds.yaml's institutions). Each bad file is
// refused with the row, the column and a message in both languages.
func TestKindRowsOnRoster(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	const (
		sh = "year,student_id,institution,stage,age,myopia,poor_vision\n"
		td = "year,teacher_id,institution,stage,centralised_hours\n"
		as = "year,institution,term,offered,needing,served\n"
		ps = "year,institution,category,fee_filed,fee_account\n"
		fa = "year,institution,level_protection,security_standard,digital_campus\n"
	)
	tests := []struct {
		name, file, content string
		row                 int
		column, class, says string // says: a word the Chinese message holds
	}{
		{"health: not on the roster", "sh.csv", sh + "2020,s07,P1,primary,7,true,true\n2020,x99,P1,primary,7,true,true\n", 3, "student_id", ingest.ClassReference, "学生名册"},
		{"health: at another school", "sh.csv", sh + "2020,s10,P1,primary,7,true,true\n", 2, "student_id", ingest.ClassReference, "J1"},
		{"health: at a school of another district", "sh.csv", sh + "2020,s07,M1,primary,7,true,true\n", 2, "student_id", ingest.ClassReference, "P1"},
		{"health: no roster of the district that year", "sh.csv", sh + "2021,s07,K1,preschool,5,true,true\n", 2, "student_id", ingest.ClassReference, "学生名册"},
		{"teachers: not on the roster", "td.csv", td + "2020,t99,P1,primary,10\n", 2, "teacher_id", ingest.ClassReference, "教师名册"},
		{"teachers: at another school", "td.csv", td + "2020,t10,P1,primary,10\n", 2, "teacher_id", ingest.ClassReference, "M1"},
		{"teachers: no roster that year", "td.csv", td + "2021,t01,K1,preschool,10\n", 2, "teacher_id", ingest.ClassReference, "教师名册"},
		{"private: a public school", "ps.csv", ps + "2020,K2,non_profit,true,true\n2020,M1,for_profit,true,false\n", 3, "institution", ingest.ClassReference, "民办"},
		{"after school: a kindergarten", "as.csv", as + "2020,P1,autumn,true,10,5\n2020,K1,autumn,true,10,5\n", 3, "institution", ingest.ClassReference, "学校类型"},
		{"after school: a senior school", "as.csv", as + "2020,S1,autumn,true,10,5\n", 2, "institution", ingest.ClassReference, "学校类型"},
		{"facilities: no such institution", "fa.csv", fa + "2020,P9,true,true,true\n", 2, "institution", ingest.ClassReference, "学校名单"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.content)
			_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
			var rej *ingest.RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("import = %v, want rejected", err)
			}
			var found *ingest.RowError
			for _, r := range rej.Reports {
				for i, e := range r.Errors {
					if e.Row == tt.row && e.Column == tt.column && e.Class == tt.class {
						found = &r.Errors[i]
					}
				}
			}
			if found == nil {
				t.Fatalf("errors = %+v, want row %d column %q class %s", rej.Reports[0].Errors, tt.row, tt.column, tt.class)
			}
			if found.Expected == "" || found.ExpectedEn == "" || found.Zh() == found.En() || !strings.Contains(found.Expected, tt.says) {
				t.Errorf("error %+v: want a message in both languages, the Chinese one saying %q", found, tt.says)
			}
		})
	}
	// Valid rows of the same kinds are taken.
	ok := map[string]string{
		"sh.csv": sh + "2020,s07,P1,primary,7,true,true\n2020,s15,M1,primary,7,false,false\n2021,s01,K1,preschool,5,false,false\n",
		"td.csv": td + "2020,t05,P1,primary,10\n2020,t10,M1,primary,20\n",
		"as.csv": as + "2020,P1,autumn,true,10,5\n2020,R1,autumn,true,10,5\n2020,M1,autumn,true,10,5\n",
		"ps.csv": ps + "2020,K2,non_profit,true,true\n",
	}
	for name, content := range ok {
		if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{writeFile(t, name, content)}, ingest.Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestKindRowsAcrossImports imports a district's student_health file, then another
// district's naming the same student: the second is refused, since the student is on
// the first district's roster; the same student filed again under their own school in
// a later import of their district replaces the first import's row.
func TestKindRowsAcrossImports(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	const sh = "year,student_id,institution,stage,age,myopia,poor_vision\n"
	imp := func(name, content string) error {
		_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{writeFile(t, name, content)}, ingest.Options{})
		return err
	}
	if err := imp("zhifu.csv", sh+"2020,s07,P1,primary,7,true,true\n2020,s08,P1,primary,7,false,false\n"); err != nil {
		t.Fatal(err)
	}
	err := imp("muping.csv", sh+"2020,s07,M1,primary,7,true,true\n2020,s15,M1,primary,7,false,false\n")
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("Muping's file naming Zhifu's student: %v, want rejected", err)
	}
	if e := rej.Reports[0].Errors[0]; e.Row != 2 || e.Column != "student_id" {
		t.Errorf("error %+v, want row 2 student_id", e)
	}
	if e := rej.Reports[0].Errors[0]; !strings.Contains(e.Expected, "P1") {
		t.Errorf("the city's import is told where the roster has the student: %s", e.Expected)
	}
	// Muping's officer is refused too, and told nothing of Zhifu's pupils.
	officer := plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Records}
	_, err = ingest.ImportFiles(ctx, db, pack, officer, []string{writeFile(t, "muping.csv", sh+"2020,s07,M1,primary,7,true,true\n")}, ingest.Options{})
	if !errors.As(err, &rej) {
		t.Fatalf("Muping's officer naming Zhifu's student: %v, want rejected", err)
	}
	if e := rej.Reports[0].Errors[0]; e.Column != "student_id" || strings.Contains(e.Expected+e.ExpectedEn, "P1") || strings.Contains(e.Expected, "芝罘") {
		t.Errorf("Muping's officer is told %s / %s", e.Expected, e.ExpectedEn)
	}
	if err := imp("zhifu2.csv", sh+"2020,s07,P1,primary,7,false,false\n"); err != nil {
		t.Errorf("Zhifu again: %v", err)
	}
}

// TestYantaiKindWarnings: a row breaking one of the Yantai kinds' warning rules is
// taken, with the warning (rule, row, column) in the report.
func TestYantaiKindWarnings(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	tests := []struct{ file, content, rule, column string }{
		{"sh.csv", "year,student_id,institution,stage,age,myopia,poor_vision,vision_left\n2020,s07,P1,primary,7,false,false,4.8\n", "poor_vision_left", "vision_left"},
		{"sh.csv", "year,student_id,institution,stage,age,myopia,poor_vision,vision_right\n2020,s07,P1,primary,7,false,false,4.9\n", "poor_vision_right", "vision_right"},
		{"as.csv", "year,institution,term,offered,needing,served\n2020,P1,autumn,true,10,12\n", "served_le_needing", "served"},
	}
	for _, tt := range tests {
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{writeFile(t, tt.file, tt.content)}, ingest.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.rule, err)
		}
		w := res.Reports[0].Warnings
		if len(w) != 1 || w[0].Rule != tt.rule || w[0].Row != 2 || w[0].Column != tt.column || w[0].ExpectedEn == "" {
			t.Errorf("%s: warnings %+v", tt.rule, w)
		}
	}
}

// TestKindRowsOverTables: a district whose students of the year came as school tables
// (基础基表, counts with no roster of persons) takes a student_health file with a
// warning that its rows could not be checked against a roster; a district with neither
// roster nor tables refuses it. Tiny data, 2021: Muping's MK kindergarten imported as
// a kg_students table replaces Muping's roster of that year.
func TestKindRowsOverTables(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	table := writeFile(t, "kg_students.csv", "年份,学校标识码,小班男,小班女\n2021,MK,2,3\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{table}, ingest.Options{Kind: "kg_students"}); err != nil {
		t.Fatal(err)
	}
	const sh = "year,student_id,institution,stage,age,myopia,poor_vision\n"
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{writeFile(t, "sh.csv", sh+"2021,m1,MK,preschool,5,false,false\n2021,m2,MK,preschool,5,true,true\n")}, ingest.Options{})
	if err != nil {
		t.Fatalf("student_health over Muping's tables: %v", err)
	}
	if w := res.Reports[0].Warnings; len(w) != 1 || w[0].Column != "student_id" || !strings.Contains(w[0].Expected, "学校汇总表") || w[0].ExpectedEn == "" {
		t.Errorf("warnings %+v, want one saying the rows were not checked against a roster", w)
	}
}
