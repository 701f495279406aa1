package ingest_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// yantaiKindFiles are a small valid file of each of the Yantai pack's six record kinds,
// for 2020, over the tiny data set's institutions (testdata/tiny/institutions.csv:
// K1 K2 P1 J1 R1 S1 V1 H1 in Zhifu 370602, M1 MK in Muping 370612; K2 alone private)
// and the persons of its rosters (students s07–s09 at P1, s10 at J1, s17 at M1, s19 at
// S1, and in 2021 s01 s02 at K1, s04 s05 at K2; teachers t05 t06 at P1, t07 at J1, t10
// at M1).
var yantaiKindFiles = map[string]string{
	"student_health.csv": "year,student_id,institution,stage,age,myopia,poor_vision,vision_left,vision_right,fitness,new_pupil,entry_check,sport_skills,exercise_hours\n" +
		"2020,s07,P1,primary,6,true,true,4.8,4.9,excellent,true,true,true,true\n" +
		"2020,s08,P1,primary,6,false,false,5.0,5.1,good,true,false,true,false\n" +
		"2020,s09,P1,primary,9,是,是,4.6,4.7,及格,false,,false,true\n" +
		"2020,s10,J1,junior,13,true,true,4.5,4.5,fail,false,,true,true\n" +
		"2020,s17,M1,junior,14,false,false,5.0,5.0,good,false,,false,false\n" +
		"2020,s19,S1,senior,16,true,true,,,,,,,\n",
	// 2021: the tiny data set holds only kindergartens that year (K1 K2 in 370602).
	"student_health_2021.csv": "year,student_id,institution,stage,age,myopia,poor_vision\n" +
		"2021,s01,K1,preschool,5,false,false\n" +
		"2021,s02,K1,preschool,5,false,true\n" +
		"2021,s04,K2,preschool,5,true,true\n" +
		"2021,s05,K2,preschool,5,false,false\n",
	// Credits are computed from the hours (kinds.yaml: centralised + online/2 +
	// school/1.5); the file gives them for t05 and t10, as the computed value.
	"teacher_development.csv": "year,teacher_id,institution,stage,centralised_hours,online_hours,school_hours,credits,backbone,title,rotated,from_location,to_location\n" +
		"2020,t05,P1,primary,24,60,27,72.00,city,master_teacher,false,,\n" +
		"2020,t06,P1,primary,12,48,18,,none,none,true,urban,rural\n" +
		"2020,t07,J1,junior,10,,15,,县级,名校长,true,urban,town\n" +
		"2020,t10,M1,primary,40,40,45,90.004,province,none,true,rural,urban\n",
	"after_school.csv": "year,institution,term,offered,needing,served\n" +
		"2020,P1,autumn,true,300,240\n" +
		"2020,J1,autumn,true,200,200\n" +
		"2020,R1,autumn,false,50,0\n" +
		"2020,M1,秋季学期,true,100,60\n" +
		"2020,P1,spring,true,310,300\n",
	"tutoring_providers.csv": "year,provider,district,licensed,培训科目,category,status,inspections,violations,rectified\n" +
		"2020,A1,370602,true,数学、英语,,open,4,3,3\n" +
		"2020,A2,370602,false,sports;science_tech,non_academic,rectifying,2,4,1\n" +
		"2020,A3,370602,true,\"chinese,文化艺术\",学科类,closed,1,2,2\n" +
		"2020,B1,370612,true,arts,,open,0,0,0\n",
	"private_schools.csv": "year,institution,category,fee_filed,fee_account,risk,licence_no,licence_status\n" +
		"2020,K2,non_profit,true,true,low,教民137060270000011号,已过期\n" +
		"2021,K2,未完成分类登记,false,false,,教民137060270000011号,valid\n",
	"facilities.csv": "year,institution,level_protection,security_standard,digital_campus,platform_teachers,platform_students,residential_kg\n" +
		"2020,K1,true,true,false,2,,true\n" +
		"2020,K2,false,true,false,1,,true\n" +
		"2020,P1,true,true,true,2,3,\n" +
		"2020,J1,true,false,true,1,2,\n" +
		"2020,M1,false,true,true,2,4,\n",
}

// TestYantaiKindValues imports a valid file of each of the Yantai pack's six record
// kinds over the tiny data set and reads their elements, and the commitments they
// measure, against values worked out by hand from yantaiKindFiles (2020):
//
//	student_health      city 6 screened (370602: s07 s08 s09 s10 s19; 370612: s17);
//	                    near-sighted s07 s09 s10 s19 = 4 (primary 2 of 3, junior 1 of
//	                    2, senior 1 of 1, age 6: s07 of s07 s08); fitness tested 5 (s19
//	                    not), good or excellent s07 s08 s17 = 3; new pupils s07 s08,
//	                    checked s07; sport skills s07 s08 s10, exercise s07 s09 s10;
//	                    poor eyesight 4 of 6 (Zhifu 4 of 5); in 2021 2 of 4 (s02 s04,
//	                    all in Zhifu)
//	teacher_development 4 teachers (370602: 3); credits from the hours 24+60/2+27/1.5
//	                    = 72, 12+48/2+18/1.5 = 48, t07's unknown (no online hours),
//	                    40+40/2+45/1.5 = 90; backbone t05 (city), t07 (county), t10
//	                    (province): 3 of 4, Zhifu 2 of 3, city level or higher 2;
//	                    mean 70, Zhifu 60; masters t05 t07; rotated t06 t07 t10;
//	                    urban to town or rural t06 t07; all four teach compulsory
//	                    grades (td_compulsory_*)
//	after_school        autumn: P1 300/240, J1 200/200, R1 none 50/0 (370602),
//	                    M1 100/60 (370612); P1's spring row is not counted
//	tutoring_providers  370602: A1 open 3/3 (数学、英语: academic), A2 rectifying
//	                    unlicensed 4/1 (sports and science: non-academic), A3 closed
//	                    2/2 (Chinese and arts: academic, as any academic subject makes
//	                    it); 370612: B1 open 0/0 (arts: non-academic)
//	private_schools     K2 (370602) non-profit, fees filed, supervised, low: the only
//	                    private institution (M1, public, may not have a row); in 2021
//	                    not yet registered, nothing filed or supervised; its licence
//	                    expired in 2020 (1 without a valid licence, 0% valid), renewed
//	                    in 2021
//	facilities          K1 K2 P1 J1 (370602), M1 (370612): protected K1 P1 J1, secure
//	                    all but J1, digital P1 J1 M1; platform teachers 2+1+2+1 | 2,
//	                    students 3+2 | 4; new residential kindergartens K1 (public), K2
//	                    (private)
//	rosters (tiny)      teachers 16 (370602 13; 370612 3: t04 t10 t11);
//	                    students primary to special 15 (370602 11: P1 3 J1 3 R1 2 S1 2
//	                    V1 1; 370612 4: M1)
func TestYantaiKindValues(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	var files []string
	for name, content := range yantaiKindFiles {
		files = append(files, writeFile(t, name, content))
	}
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Reports {
		if r.WarningCount > 0 {
			t.Errorf("%s: %d warnings, first %+v", r.File, r.WarningCount, r.Warnings[0])
		}
	}
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	const city, zhifu, muping = "370600", "370602", "370612"
	none := math.NaN()
	elements := []struct {
		element, filter, org string
		want                 float64
	}{
		{"sh_screened", "", city, 6},
		{"sh_screened", "", zhifu, 5},
		{"sh_screened", "", muping, 1},
		{"sh_myopia_rate", "", city, 100 * 4.0 / 6},
		{"sh_myopia_rate", "stage=primary", city, 100 * 2.0 / 3},
		{"sh_myopia_rate", "age=6", city, 50},
		{"sh_poor_vision_rate", "", zhifu, 80},
		{"sh_fitness_tested", "", city, 5},
		{"sh_fitness_good_rate", "", city, 60},
		{"sh_new_pupils", "", city, 2},
		{"sh_entry_check_rate", "", city, 50},
		{"sh_sport_skills_rate", "", city, 50},
		{"sh_exercise_rate", "", city, 50},
		{"td_teachers", "", city, 4},
		{"td_teachers", "", zhifu, 3},
		{"td_credits_mean", "", city, 70},
		{"td_credits_mean", "", zhifu, 60},
		{"td_masters", "", city, 2},
		{"td_backbone", "", city, 3},
		{"td_backbone", "", zhifu, 2},
		{"td_backbone", "", muping, 1},
		{"td_backbone", "stage=junior", city, 1},
		{"td_backbone_city", "", city, 2},
		{"td_backbone_share", "", city, 75},
		{"td_backbone_share", "", zhifu, 100 * 2.0 / 3},
		{"td_rotated", "", city, 3},
		{"td_rotated_share", "", city, 75},
		{"td_rotated_share", "", zhifu, 100 * 2.0 / 3},
		{"td_urban_to_rural", "", city, 2},
		{"td_compulsory_teachers", "", city, 4},
		{"td_compulsory_rotated_share", "", city, 75},
		{"td_compulsory_rotated_share", "", zhifu, 100 * 2.0 / 3},
		{"td_compulsory_rotated_share", "", muping, 100},
		{"as_schools", "", city, 4},
		{"as_schools", "", zhifu, 3},
		{"as_coverage", "", city, 75},
		{"as_coverage", "", zhifu, 100 * 2.0 / 3},
		{"as_needing", "", city, 650},
		{"as_student_coverage", "", city, 100 * 500.0 / 650},
		{"as_student_coverage", "", zhifu, 80},
		{"as_student_coverage", "", muping, 60},
		{"tp_providers", "", city, 3},
		{"tp_providers", "", zhifu, 2},
		{"tp_unlicensed", "", city, 1},
		{"tp_violations", "", city, 9},
		{"tp_rectification_rate", "", city, 100 * 6.0 / 9},
		{"ps_schools", "", city, 1},
		{"ps_fee_account_rate", "", city, 100},
		{"ps_fee_account_rate", "", zhifu, 100},
		{"ps_high_risk", "", city, 0},
		{"ps_classified_rate", "", city, 100},
		{"ps_fee_filed_rate", "", zhifu, 100},
		{"ps_unlicensed", "", city, 1},
		{"ps_unlicensed", "", zhifu, 1},
		{"ps_licence_valid_rate", "", city, 0},
		{"tp_unlicensed_open", "", city, 1},
		{"tp_unlicensed_open", "", muping, 0},
		// Open academic providers: A1 only (A2 is non-academic, A3 closed, B1 arts).
		{"tp_academic_open", "", city, 1},
		{"tp_academic_open", "", zhifu, 1},
		{"tp_academic_open", "", muping, 0},
		{"tp_providers", "category=non_academic", city, 2},
		{"fa_schools", "", city, 5},
		{"fa_level_protection_rate", "", city, 60},
		{"fa_security_rate", "", city, 80},
		{"fa_digital_campus_rate", "", city, 60},
		{"fa_platform_teachers", "", city, 8},
		{"fa_platform_student_rate", "", city, 60},
		{"fa_platform_student_rate", "", zhifu, 100 * 5.0 / 11},
		{"fa_platform_student_rate", "", muping, 100},
		{"fa_residential_kg", "", city, 2},
		{"fa_residential_kg", "ownership=public", city, 1},
		// A district with rows of the kind and none matching counts 0; a share of
		// nothing (Muping's no violations, no new pupils) has no value.
		{"ps_high_risk", "", zhifu, 0},
		{"td_masters", "", muping, 0},
		{"fa_residential_kg", "", muping, 0},
		{"tp_rectification_rate", "", muping, none},
		{"sh_entry_check_rate", "", muping, none},
	}
	for _, tt := range elements {
		f, err := pack.Element(tt.element).ParseFilter(tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Get(tt.element, tt.org, 2020, f)
		if math.IsNaN(tt.want) {
			if r.OK {
				t.Errorf("%s(%q) at %s = %v, want no value", tt.element, tt.filter, tt.org, r.Value)
			}
			continue
		}
		if !r.OK || math.Abs(r.Value-tt.want) > 1e-9 {
			t.Errorf("%s(%q) at %s = %v (ok %v), want %v", tt.element, tt.filter, tt.org, r.Value, r.OK, tt.want)
		}
	}
	e, err := indicator.New(pack, c)
	if err != nil {
		t.Fatal(err)
	}
	commitments := []struct {
		code, org string
		year      int
		want      float64
	}{
		{"myopia_age6", city, 2020, 50},
		{"fitness_good_rate", city, 2020, 60},
		{"entry_health_check", city, 2020, 50},
		{"master_teachers_heads", city, 2020, 2},
		// 交流轮岗 from the records: t06 t07 t10 of the four compulsory teachers.
		{"teachers_rotated_share", city, 2020, 75},
		{"teachers_rotated_share", zhifu, 2020, 100 * 2.0 / 3},
		{"after_school_coverage", city, 2020, 75},
		{"after_school_student_coverage", zhifu, 2020, 80},
		{"residential_kg_public", city, 2020, 50},
		{"platform_student_coverage", muping, 2020, 100},
		{"poor_vision_decline", city, 2021, 100*4.0/6 - 50}, // points
		{"poor_vision_decline", zhifu, 2021, 80 - 50},
		{"platform_teacher_coverage", city, 2020, 50},
		{"platform_teacher_coverage", zhifu, 2020, 100 * 6.0 / 13},
		{"tutoring_rectification_rate", city, 2020, 100 * 6.0 / 9},
		{"tutoring_rectification_rate", zhifu, 2020, 100 * 6.0 / 9},
		{"tutoring_unlicensed_open", zhifu, 2020, 1},
		{"private_classified_share", city, 2020, 100},
		{"private_fee_account_share", zhifu, 2020, 100},
		{"private_compulsory_schools_new", city, 2020, 0},
		{"private_classified_share", city, 2021, 0},
		{"private_fee_account_share", zhifu, 2021, 0},
	}
	for _, tt := range commitments {
		if v, ok := e.Get(tt.code, tt.org, tt.year); !ok || !v.OK || math.Abs(v.Value-tt.want) > 1e-9 {
			t.Errorf("commitment %s at %s = %v (ok %v %v), want %v", tt.code, tt.org, v.Value, ok, v.OK, tt.want)
		}
	}
}

// TestYantaiKindSuppressed: a value of a record kind about persons is suppressed as a
// roster value is (小数抑制). In yantaiKindFiles, fitness_good_rate rests on the pupils
// tested — Muping 370612 one (s17 at M1, good: 100), Zhifu 370602 four (P1 s07 s08
// s09, J1 s10: 50) — and on those graded good or excellent: Muping s17, Zhifu s07 s08
// (both at P1). Muping's only contributor is a school of fewer than 10, so Muping is
// hidden from readers who do not cover M1, then Zhifu (two such schools) beside it; for
// a reader who covers Zhifu but not M1, the city instead. Muping's officer may not see
// the city either: Zhifu's good pupils are all at P1, so the city less Muping would
// give P1's count away. compulsory_teacher_bachelor rests on the teachers of P1 J1 R1
// (Zhifu) and M1 (Muping), all fewer than 10: the same, but for the last (its bachelor
// or better teachers are at three of Zhifu's schools). after_school_student_coverage
// is a share of schools' rows (after_school is per school), about no person: shown to
// everyone.
func TestYantaiKindSuppressed(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	var files []string
	for name, content := range yantaiKindFiles {
		files = append(files, writeFile(t, name, content))
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	const city, zhifu, muping = "370600", "370602", "370612"
	public := plan.Scope{Tenant: pack.Tenant, Org: city, Detail: plan.Public}
	inspector := plan.Scope{Tenant: pack.Tenant, Org: city, Detail: plan.Aggregates}
	officer := func(d string) plan.Scope { return plan.Scope{Tenant: pack.Tenant, Org: d, Detail: plan.Records} }
	tests := []struct {
		name  string
		scope plan.Scope
		org   string
		// visible: fitness_good_rate is shown, as want; roster: compulsory_teacher_bachelor is.
		visible, roster bool
		want            float64
	}{
		{"one pupil, public", public, muping, false, false, 0},
		{"one pupil, the city's inspector", inspector, muping, true, true, 100},
		{"one pupil, the city's analyst", pack.FullScope(), muping, true, true, 100},
		{"one pupil, its officer", officer(muping), muping, true, true, 100},
		{"one pupil, another district's officer", officer(zhifu), muping, false, false, 0},
		{"beside it, public", public, zhifu, false, false, 0},
		{"beside it, the city's inspector", inspector, zhifu, true, true, 50},
		{"beside it, its officer", officer(zhifu), zhifu, true, true, 50},
		{"the city, public", public, city, true, true, 60},
		{"the city, Zhifu's officer", officer(zhifu), city, false, false, 0},
		{"the city, Muping's officer", officer(muping), city, false, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for code, visible := range map[string]bool{"fitness_good_rate": tt.visible, "compulsory_teacher_bachelor": tt.roster} {
				q := indicator.Query{Indicator: code, Org: tt.org, Year: 2020, Commitments: pack.Commitment(code) != nil}
				vs, err := e.Values(tt.scope, q)
				if err != nil || len(vs) != 1 {
					t.Fatalf("%s: values %v, %v", code, vs, err)
				}
				got, _ := e.For(tt.scope).Get(code, tt.org, 2020)
				_, exErr := e.Explain(tt.scope, code, tt.org, 2020)
				if vs[0].OK != visible || got.OK != visible || (exErr == nil) != visible {
					t.Errorf("%s: Values %+v, Get %+v, Explain %v; want visible %v", code, vs[0], got, exErr, visible)
				}
				if !visible && (vs[0].Value != 0 || vs[0].ReasonEn == "") {
					t.Errorf("%s: suppressed as %+v, want no value and a reason", code, vs[0])
				}
				if code == "fitness_good_rate" && visible && (math.Abs(vs[0].Value-tt.want) > 1e-9 || got.Value != vs[0].Value) {
					t.Errorf("%s = %v and %v, want %v", code, vs[0].Value, got.Value, tt.want)
				}
			}
		})
	}
	for org, want := range map[string]float64{muping: 60, "M1": 60, zhifu: 80, "P1": 80} {
		v, _ := e.For(public).Get("after_school_student_coverage", org, 2020)
		_, exErr := e.Explain(public, "after_school_student_coverage", org, 2020)
		if !v.OK || math.Abs(v.Value-want) > 1e-9 || exErr != nil {
			t.Errorf("after_school_student_coverage at %s, public: %+v, explain %v; want %v", org, v, exErr, want)
		}
	}
}

// TestYantaiKindRejected imports, into the tiny data set with the valid files of
// yantaiKindFiles, a bad row of each class each Yantai kind's fields allow: each file is
// refused whole, with the row, the column and the class, a message in Chinese and in
// English, and nothing stored changes.
func TestYantaiKindRejected(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	var files []string
	for name, content := range yantaiKindFiles {
		files = append(files, writeFile(t, name, content))
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	before := dumpDB(t, path)
	const (
		sh = "year,student_id,institution,stage,age,myopia,poor_vision,vision_left,fitness\n"
		td = "year,teacher_id,institution,stage,centralised_hours,online_hours,school_hours,credits,title,rotated\n"
		as = "year,institution,term,offered,needing,served\n"
		tp = "year,provider,district,licensed,subjects,status,inspections,violations,rectified\n"
		ps = "year,institution,category,fee_filed,fee_account,risk\n"
		fa = "year,institution,level_protection,security_standard,digital_campus,platform_teachers\n"
	)
	tests := []struct {
		name, file, content string
		row                 int
		column, class       string
	}{
		{"health: not a number", "sh.csv", sh + "2020,s07,P1,primary,7,true,true,abc,\n", 2, "vision_left", ingest.ClassNumber},
		{"health: out of range", "sh.csv", sh + "2020,s07,P1,primary,7,true,true,5.5,\n", 2, "vision_left", ingest.ClassRange},
		{"health: grade not in the list", "sh.csv", sh + "2020,s07,P1,primary,7,true,true,,优\n", 2, "fitness", ingest.ClassEnum},
		{"health: age not in the list", "sh.csv", sh + "2020,s07,P1,primary,30,true,true,,\n", 2, "age", ingest.ClassEnum},
		{"health: not a boolean", "sh.csv", sh + "2020,s07,P1,primary,7,maybe,true,,\n", 2, "myopia", ingest.ClassEnum},
		{"health: missing required", "sh.csv", sh + "2020,s07,P1,primary,7,true,,,\n", 2, "poor_vision", ingest.ClassMissing},
		{"health: duplicate student", "sh.csv", sh + "2020,s07,P1,primary,7,true,true,,\n2020,s07,P1,primary,7,false,true,,\n", 3, "student_id", ingest.ClassDuplicate},
		{"health: 姓名 column", "sh.csv", "year,student_id,姓名,institution,stage,age,myopia,poor_vision\n2020,x1,张三,P1,primary,7,true,true\n", 1, "姓名", ingest.ClassHeader},
		{"health: 身份证号 column", "sh.csv", "year,student_id,institution,stage,age,myopia,poor_vision,身份证号\n2020,s07,P1,primary,7,true,true,370602201301010011\n", 1, "身份证号", ingest.ClassHeader},
		{"teachers: not a number", "td.csv", td + "2020,t05,P1,primary,many,,,,,\n", 2, "centralised_hours", ingest.ClassNumber},
		{"teachers: out of range", "td.csv", td + "2020,t05,P1,primary,10,500,,,,\n", 2, "online_hours", ingest.ClassRange},
		// 10 + 20/2 + 15/1.5 = 30 credits, not 50; 30.02 is beyond the 0.01 a file's
		// rounding may differ by.
		{"teachers: credits not the hours'", "td.csv", td + "2020,t05,P1,primary,10,20,15,50,,\n", 2, "credits", ingest.ClassRange},
		{"teachers: credits off by 0.02", "td.csv", td + "2020,t05,P1,primary,10,20,15,30.02,,\n", 2, "credits", ingest.ClassRange},
		{"teachers: credits of unknown hours", "td.csv", td + "2020,t05,P1,primary,10,,15,20,,\n", 2, "credits", ingest.ClassRange},
		{"teachers: backbone rank not in the list", "td.csv", "year,teacher_id,institution,stage,centralised_hours,骨干教师\n2020,t05,P1,primary,10,校级\n", 2, "backbone", ingest.ClassEnum},
		{"teachers: title not in the list", "td.csv", td + "2020,t05,P1,primary,10,0,0,,教授,\n", 2, "title", ingest.ClassEnum},
		{"teachers: missing required", "td.csv", td + "2020,t05,P1,,10,0,0,,,\n", 2, "stage", ingest.ClassMissing},
		{"teachers: duplicate teacher", "td.csv", td + "2020,t05,P1,primary,10,0,0,,,\n2020,t05,J1,junior,20,0,0,,,\n", 3, "teacher_id", ingest.ClassDuplicate},
		{"teachers: 姓名 column", "td.csv", "year,teacher_id,institution,stage,centralised_hours,姓名\n2020,t05,P1,primary,10,李四\n", 1, "姓名", ingest.ClassHeader},
		{"teachers: 身份证号 column", "td.csv", "year,teacher_id,身份证号,institution,stage,centralised_hours\n2020,t05,x,P1,primary,10\n", 1, "身份证号", ingest.ClassHeader},
		{"after school: not an integer", "as.csv", as + "2020,P1,autumn,true,1.5,1\n", 2, "needing", ingest.ClassNumber},
		{"after school: out of range", "as.csv", as + "2020,P1,autumn,true,-1,0\n", 2, "needing", ingest.ClassRange},
		{"after school: term not in the list", "as.csv", as + "2020,P1,summer,true,10,5\n", 2, "term", ingest.ClassEnum},
		{"after school: missing required", "as.csv", as + "2020,P1,autumn,true,10,\n", 2, "served", ingest.ClassMissing},
		{"after school: duplicate term", "as.csv", as + "2020,P1,autumn,true,10,5\n2020,P1,秋季学期,true,10,5\n", 3, "institution", ingest.ClassDuplicate},
		{"after school: none offered", "as.csv", as + "2020,P1,autumn,false,10,5\n", 2, "served", ingest.ClassPlausibility},
		{"after school: unknown school", "as.csv", as + "2020,NOPE,autumn,true,10,5\n", 2, "institution", ingest.ClassReference},
		{"tutoring: not an integer", "tp.csv", tp + "2020,A1,370602,true,数学,open,x,,\n", 2, "inspections", ingest.ClassNumber},
		{"tutoring: out of range", "tp.csv", tp + "2020,A1,370602,true,数学,open,400,,\n", 2, "inspections", ingest.ClassRange},
		{"tutoring: subject not in the list", "tp.csv", tp + "2020,A1,370602,true,数学、编程,open,,,\n", 2, "subjects", ingest.ClassEnum},
		{"tutoring: subjects missing", "tp.csv", tp + "2020,A1,370602,true,,open,,,\n", 2, "subjects", ingest.ClassMissing},
		{"tutoring: category not the subjects'", "tp.csv", "year,provider,district,licensed,subjects,category,status\n2020,A1,370602,true,体育,学科类,open\n", 2, "category", ingest.ClassEnum},
		{"tutoring: category not in the list", "tp.csv", "year,provider,district,licensed,subjects,category,status\n2020,A1,370602,true,体育,艺术类,open\n", 2, "category", ingest.ClassEnum},
		{"tutoring: missing required", "tp.csv", tp + "2020,A1,370602,true,数学,,,,\n", 2, "status", ingest.ClassMissing},
		{"tutoring: duplicate provider", "tp.csv", tp + "2020,A1,370602,true,数学,open,,,\n2020,A1,370602,false,数学,closed,,,\n", 3, "provider", ingest.ClassDuplicate},
		{"tutoring: more rectified than found", "tp.csv", tp + "2020,A1,370602,true,数学,open,1,1,2\n", 2, "rectified", ingest.ClassPlausibility},
		{"tutoring: not a district", "tp.csv", tp + "2020,A1,P1,true,数学,open,,,\n", 2, "district", ingest.ClassReference},
		{"private: category not in the list", "ps.csv", ps + "2020,K2,公益性,true,true,\n", 2, "category", ingest.ClassEnum},
		{"private: not a boolean", "ps.csv", ps + "2020,K2,non_profit,maybe,true,\n", 2, "fee_filed", ingest.ClassEnum},
		{"private: missing required", "ps.csv", ps + "2020,K2,non_profit,true,,\n", 2, "fee_account", ingest.ClassMissing},
		{"private: licence status not in the list", "ps.csv", "year,institution,category,fee_filed,fee_account,licence_status\n2020,K2,non_profit,true,true,吊销\n", 2, "licence_status", ingest.ClassEnum},
		{"private: licence number a formula", "ps.csv", "year,institution,category,fee_filed,fee_account,licence_no\n2020,K2,non_profit,true,true,=HYPERLINK(1)\n", 2, "licence_no", ingest.ClassFormula},
		{"private: risk not in the list", "ps.csv", ps + "2020,K2,non_profit,true,true,extreme\n", 2, "risk", ingest.ClassEnum},
		{"private: duplicate school", "ps.csv", ps + "2020,K2,non_profit,true,true,\n2020,K2,for_profit,true,true,\n", 3, "institution", ingest.ClassDuplicate},
		{"facilities: not an integer", "fa.csv", fa + "2020,P1,true,true,true,two\n", 2, "platform_teachers", ingest.ClassNumber},
		{"facilities: out of range", "fa.csv", fa + "2020,P1,true,true,true,6000\n", 2, "platform_teachers", ingest.ClassRange},
		{"facilities: not a boolean", "fa.csv", fa + "2020,P1,true,true,maybe,1\n", 2, "digital_campus", ingest.ClassEnum},
		{"facilities: missing required", "fa.csv", fa + "2020,P1,,true,true,1\n", 2, "level_protection", ingest.ClassMissing},
		{"facilities: duplicate school", "fa.csv", fa + "2020,P1,true,true,true,1\n2020,P1,false,true,true,1\n", 3, "institution", ingest.ClassDuplicate},
		{"health: not a date", "sh.csv", "year,student_id,institution,stage,age,myopia,poor_vision,screened_on\n2020,s07,P1,primary,7,true,true,soon\n", 2, "screened_on", ingest.ClassDate},
		{"health: a date outside the school year", "sh.csv", "year,student_id,institution,stage,age,myopia,poor_vision,screened_on\n2020,s07,P1,primary,7,true,true,2019-10-15\n", 2, "screened_on", ingest.ClassDate},
		{"health: a formula for an id", "sh.csv", sh + "2020,=1+1,P1,primary,7,true,true,,\n", 2, "student_id", ingest.ClassFormula},
		{"teachers: not a boolean", "td.csv", td + "2020,t05,P1,primary,10,0,0,,,maybe\n", 2, "rotated", ingest.ClassEnum},
		{"after school: not a boolean", "as.csv", as + "2020,P1,autumn,maybe,10,5\n", 2, "offered", ingest.ClassEnum},
		{"tutoring: not a boolean", "tp.csv", tp + "2020,A1,370602,maybe,数学,open,,,\n", 2, "licensed", ingest.ClassEnum},
		{"tutoring: missing district", "tp.csv", tp + "2020,A1,,true,数学,open,,,\n", 2, "district", ingest.ClassMissing},
		{"private: unknown school", "ps.csv", ps + "2020,NOPE,non_profit,true,true,\n", 2, "institution", ingest.ClassReference},
		{"facilities: unknown school", "fa.csv", fa + "2020,NOPE,true,true,true,1\n", 2, "institution", ingest.ClassReference},
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
			if found.Expected == "" || found.ExpectedEn == "" || found.Zh() == found.En() {
				t.Errorf("error %+v is not in both languages", found)
			}
		})
	}
	if after := dumpDB(t, path); after != before {
		t.Errorf("a refused import changed what is stored")
	}
}
