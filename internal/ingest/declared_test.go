package ingest_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestDeclaredKindValues imports the test pack's record kinds (testdata/kinds) over the
// tiny data set and reads every kind of element at an institution, a district and the
// city, against values worked out by hand from the files:
//
//	screening 2020  P1 (370602, primary) 8 rows: near-sighted a01 a02 a03; excellent or
//	                good a01 a02 a03 a06 a07; vision known for 7, summing 34.5;
//	                minutes 5×60 + 120 + 60 + 20 = 500
//	                J1 (370602, junior) 4 rows: near-sighted 3, good 2, vision 18.5/4, 120 min
//	                M1 (370612, junior) 3 rows: near-sighted 1, good 2, vision 15.0/3, 270 min
//	service 2020    autumn: P1 offered 100/80, J1 not 50/0, K1 offered 10/12 (370602);
//	                M1 offered 40/40 (370612); P1's spring row is not autumn
//	tutoring 2020   370602: A1 open, A2 closed with 2 violations; 370612: B1 open, 1
//	students 2020   primary and junior: 370602 8 (P1 3, J1 3, R1 2), 370612 4 (M1)
func TestDeclaredKindValues(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Kinds(t)
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	const city, zhifu, muping = "370600", "370602", "370612"
	tests := []struct {
		element, filter, org string
		want                 float64
	}{
		{"scr_rows", "", city, 15},
		{"scr_rows", "", zhifu, 12},
		{"scr_rows", "", "P1", 8},
		{"scr_myopic", "", city, 7},
		{"scr_myopic", "stage=junior", city, 4},
		{"scr_myopic", "type=nine_year", city, 1}, // M1, from the institutions file
		{"scr_myopia_rate", "", zhifu, 50},
		{"scr_myopia_rate", "", city, 100 * 7.0 / 15},
		{"scr_myopia_rate", "stage=junior", city, 100 * 4.0 / 7},
		{"scr_myopia_rate", "", "P1", 37.5},
		{"scr_good_rate", "", zhifu, 100 * 7.0 / 12},
		{"scr_good_rate", "", city, 60},
		{"scr_vision_mean", "", zhifu, 53.0 / 11},
		{"scr_vision_mean", "", city, 68.0 / 14},
		{"scr_minutes", "", zhifu, 620},
		{"scr_minutes", "", city, 890},
		{"svc_schools", "", zhifu, 3},
		{"svc_schools", "", city, 4},
		{"svc_offering", "", city, 3},
		{"svc_coverage", "", zhifu, 200.0 / 3},
		{"svc_coverage", "", city, 75},
		{"svc_needing", "", zhifu, 160},
		{"svc_served", "", city, 132},
		{"svc_served_share", "", zhifu, 57.5},
		{"svc_served_share", "", city, 66},
		{"svc_served_per100", "", zhifu, 1150},
		{"svc_served_per100", "", muping, 1000},
		{"svc_served_per100", "", city, 1100},
		{"svc_served_per100", "", "P1", 100 * 80.0 / 3},
		{"tut_open", "", zhifu, 1},
		{"tut_open", "", city, 2},
		{"tut_violations", "", zhifu, 2},
		{"tut_violations", "", city, 3},
	}
	for _, tt := range tests {
		el := pack.Element(tt.element)
		f, err := el.ParseFilter(tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Get(tt.element, tt.org, 2020, f)
		if !r.OK || math.Abs(r.Value-tt.want) > 1e-9 {
			t.Errorf("%s(%q) at %s = %v (ok %v), want %v", tt.element, tt.filter, tt.org, r.Value, r.OK, tt.want)
		}
	}
	// No data for 2021: no value, not zero.
	if r := c.Get("scr_rows", city, 2021, nil); r.OK {
		t.Errorf("scr_rows in 2021 = %v, want no value", r.Value)
	}
	// An element of persons carries the people behind it, for small-count suppression
	// (a share's denominator's, then its numerator's); one of institutions' rows does
	// not.
	for _, tt := range []struct {
		element, org string
		want         [2]float64
	}{
		{"scr_myopia_rate", "M1", [2]float64{3, 1}},   // c01 c02 c03; c03
		{"scr_myopia_rate", zhifu, [2]float64{12, 6}}, // a01–a03 b01 b02 b04
		{"scr_vision_mean", "P1", [2]float64{7, 0}},   // a08 has no vision
		{"scr_minutes", muping, [2]float64{3, 0}},     // c01–c03
		{"scr_rows", city, [2]float64{15, 0}},         // every row
		{"svc_coverage", city, [2]float64{}},          // schools
		{"svc_served_per100", zhifu, [2]float64{}},    // schools, per student
	} {
		if r := c.Get(tt.element, tt.org, 2020, nil); r.People != tt.want {
			t.Errorf("%s at %s rests on %v people, want %v", tt.element, tt.org, r.People, tt.want)
		}
	}
}

// TestDeclaredKindImport runs the import of a declared kind as the built-in kinds'
// runs: warnings of plausibility rules, the snapshot it takes and later replaces, the
// batch that keeps the file, the audit log, and the scope of a district's officer.
func TestDeclaredKindImport(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Kinds(t)
	holding := func(kind string, year int, scope string) (store.Holding, bool) {
		hs, err := db.Holdings(ctx, pack.Tenant)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if h.Kind == kind && h.Year == year && h.Scope == scope {
				return h, true
			}
		}
		return store.Holding{}, false
	}
	h, ok := holding("screening", 2020, "370602")
	if !ok || h.Rows != 12 {
		t.Fatalf("screening 2020 370602 holds %d rows (found %v), want 12", h.Rows, ok)
	}
	if h.Batch.Warnings != 1 { // a08: 20 minutes outdoors, below primary_minutes' 30
		t.Errorf("screening batch has %d warnings, want 1", h.Batch.Warnings)
	}
	content, err := db.BatchContent(ctx, pack.Tenant, h.Batch.ID)
	if err != nil || len(content) == 0 {
		t.Fatalf("the screening batch keeps no file: %v", err)
	}

	// A new file for Zhifu replaces its snapshot and leaves Muping's alone.
	p := writeFile(t, "screening-zhifu.csv", "year,student_id,institution,stage,myopia\n2020,z1,P1,primary,true\n2020,z2,J1,junior,false\n")
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Before != 12 || res.Changes[0].After != 2 || res.Changes[0].Kind != "screening" {
		t.Errorf("changes = %+v, want screening 370602 12 → 2", res.Changes)
	}
	if zh, en := res.Changes[0].Describe(pack); !strings.Contains(zh, "学生体检筛查") || !strings.Contains(en, "screening") {
		t.Errorf("change described as %q / %q", zh, en)
	}
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	for org, want := range map[string]float64{"370602": 2, "370612": 3, "370600": 5} {
		if r := c.Get("scr_rows", org, 2020, nil); r.Value != want {
			t.Errorf("after the new file, scr_rows at %s = %v, want %v", org, r.Value, want)
		}
	}
	log, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Action: store.AuditImport, Limit: 1})
	if err != nil || len(log) != 1 || !strings.Contains(log[0].Detail, "screening") || log[0].Actor != "alice" {
		t.Errorf("audit = %+v, %v; want alice's import of screening", log, err)
	}

	// Muping's officer may not bring Zhifu's rows.
	officer := plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Records}
	p = writeFile(t, "screening-muping.csv", "year,student_id,institution,stage,myopia\n2020,m1,M1,junior,true\n2020,z9,P1,primary,false\n")
	_, err = ingest.ImportFiles(ctx, db, pack, officer, []string{p}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || rej.Reports[0].Errors[0].Class != "scope" || rej.Reports[0].Errors[0].Row != 3 {
		t.Fatalf("Muping's officer importing a Zhifu row: %v, want row 3 refused for scope", err)
	}
}

// TestDeclaredKindRejected imports one bad file of each kind of error into the test
// pack's database: each is refused whole, with the row, column and class, a message in
// Chinese and in English, and nothing stored changes.
func TestDeclaredKindRejected(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Kinds(t)
	before := dumpRecordCells(t, path)
	const head = "year,student_id,institution,stage,myopia,vision_left,fitness,screened_on,minutes\n"
	const good = "2020,g1,P1,primary,true,4.9,good,2020-10-01,60\n"
	tests := []struct {
		name, file, content string
		row                 int
		column, class       string
	}{
		{"missing required cell", "s.csv", head + good + "2020,g2,P1,,true,,,,\n", 3, "stage", ingest.ClassMissing},
		{"code not in the list", "s.csv", head + "2020,g2,P1,primary,true,,优,,\n", 2, "fitness", ingest.ClassEnum},
		{"boolean", "s.csv", head + "2020,g2,P1,primary,maybe,,,,\n", 2, "myopia", ingest.ClassEnum},
		{"number out of range", "s.csv", head + "2020,g2,P1,primary,true,6.0,,,\n", 2, "vision_left", ingest.ClassRange},
		{"not a number", "s.csv", head + "2020,g2,P1,primary,true,,,,abc\n", 2, "minutes", ingest.ClassNumber},
		{"not an integer", "s.csv", head + "2020,g2,P1,primary,true,,,,1.5\n", 2, "minutes", ingest.ClassNumber},
		{"date outside the school year", "s.csv", head + "2020,g2,P1,primary,true,,,2019-05-01,\n", 2, "screened_on", ingest.ClassDate},
		{"not a date", "s.csv", head + "2020,g2,P1,primary,true,,,2020-02-30,\n", 2, "screened_on", ingest.ClassDate},
		{"year", "s.csv", head + "1900,g2,P1,primary,true,,,,\n", 2, "year", ingest.ClassRange},
		{"duplicate key", "s.csv", head + good + good, 3, "student_id", ingest.ClassDuplicate},
		{"unknown institution", "s.csv", head + "2020,g2,NOPE,primary,true,,,,\n", 2, "institution", ingest.ClassReference},
		{"formula", "s.csv", head + "2020,=1+1,P1,primary,true,,,,\n", 2, "student_id", ingest.ClassFormula},
		{"rule at level error", "s.csv", head + "2020,g2,P1,primary,true,,,,400\n", 2, "minutes", ingest.ClassPlausibility},
		{"name column", "s.csv", "year,student_id,姓名,institution,stage,myopia\n2020,g2,张三,P1,primary,true\n", 1, "姓名", ingest.ClassHeader},
		{"ID-card column", "s.csv", "year,student_id,institution,stage,myopia,身份证号\n2020,g2,P1,primary,true,x\n", 1, "身份证号", ingest.ClassHeader},
		{"missing column", "s.csv", "year,student_id,institution,stage\n2020,g2,P1,primary\n", 1, "", ingest.ClassHeader},
		{"provider's district", "t.csv", "year,provider,district,status\n2020,A9,999999,open\n", 2, "district", ingest.ClassReference},
		{"not valid CSV", "s.csv", head + good + "2020,\"g2,P1,primary,true,,,,\n", 3, "", sheet.ClassFormat},
		{"duplicate term", "v.csv", "year,institution,term,offered,needing,served,staff\n2020,P1,autumn,true,1,1,1\n2020,P1,秋季学期,true,1,1,1\n", 3, "institution", ingest.ClassDuplicate},
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
	if after := dumpRecordCells(t, path); after != before {
		t.Errorf("a refused import changed the stored records")
	}
}

// TestDetectDeclaredKind tells a declared kind from its header, before the built-in
// kinds whose signature it also has (a screening has a student_id, as students do).
func TestDetectDeclaredKind(t *testing.T) {
	pack := fixture.KindsPack(t)
	tests := []struct {
		header []string
		want   ingest.Kind
	}{
		{[]string{"year", "student_id", "institution", "stage", "myopia"}, "screening"},
		{[]string{"年份", "学籍号", "学校", "学段", "近视", "姓名"}, "screening"}, // refused later, for the name
		{[]string{"year", "student_id", "institution", "stage", "grade", "sex"}, ingest.Students},
		{[]string{"year", "institution", "term", "offered", "needing", "served", "staff"}, "service"},
		{[]string{"year", "institution", "term", "offered", "needing", "served"}, "after_school"},
		{[]string{"year", "provider", "district", "status"}, "tutoring"},
	}
	for _, tt := range tests {
		got, err := ingest.DetectKindIn(tt.header, pack)
		if err != nil || got != tt.want {
			t.Errorf("DetectKindIn(%v) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
	}
	// The Yantai pack's teacher_development requires only what a teachers file has: a
	// teachers file stays one; a file with credits is the declared kind's.
	yantai, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		header []string
		want   ingest.Kind
	}{
		{[]string{"year", "teacher_id", "institution", "stage", "sex", "education"}, ingest.Teachers},
		{[]string{"year", "teacher_id", "institution", "stage"}, ingest.Teachers},
		{[]string{"year", "teacher_id", "institution", "stage", "credits"}, "teacher_development"},
		{[]string{"year", "student_id", "institution", "stage", "age", "myopia", "poor_vision"}, "student_health"},
	} {
		if got, err := ingest.DetectKindIn(tt.header, yantai); err != nil || got != tt.want {
			t.Errorf("Yantai: DetectKindIn(%v) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
	}
	for _, s := range []string{"screening", "学生体检筛查", "Screening"} {
		if k, err := ingest.ParseKindIn(s, pack); err != nil || k != "screening" {
			t.Errorf("ParseKindIn(%q) = %q, %v", s, k, err)
		}
	}
	if _, err := ingest.ParseKindIn("health", pack); err == nil {
		t.Error("ParseKindIn(health) found a kind the pack does not declare")
	}
}

func dumpRecordCells(t *testing.T, path string) string {
	t.Helper()
	return dumpDB(t, path) // record_cells included
}

// TestDeclaredTemplates: the template of each declared kind (its header and example
// row, as /formats serves them) reads without an error, and its format lists every
// field with its codes.
func TestDeclaredTemplates(t *testing.T) {
	ctx := context.Background()
	pack := fixture.KindsPack(t)
	formats := ingest.FormatsIn(pack)
	builtin := len(ingest.Kinds) + len(pack.SchoolTables) // the school tables follow the built-in kinds
	if len(formats) != builtin+len(pack.Kinds) || len(pack.Kinds) != 3+6 {
		t.Fatalf("%d formats, want the built-in kinds, the school tables, and the 3 of the test and 6 of the Yantai pack", len(formats))
	}
	for _, f := range formats[builtin:] {
		if f.Name == "" || f.Row == "" || f.RowEn == "" {
			t.Errorf("%s: a name and what a row is, in both languages: %+v", f.Kind, f)
		}
		content := strings.Join(f.Header(), ",") + "\n" + strings.Join(f.Example(), ",") + "\n"
		src, err := sheet.Open(writeFile(t, string(f.Kind)+".csv", content))
		if err != nil {
			t.Fatal(err)
		}
		rep := &ingest.Report{}
		n := 0
		err = ingest.Read(ctx, src, string(f.Kind)+".csv", f.Kind, pack, rep, func(any) error { n++; return nil })
		src.Close()
		if err != nil || !rep.OK() || n != 1 {
			t.Errorf("%s template: %v, %d rows, errors %+v", f.Kind, err, n, rep.Errors)
		}
	}
	sc := ingest.FormatIn(pack, "screening")
	var codes []string
	for _, c := range sc.Columns {
		if c.Name == "fitness" {
			for _, code := range c.Codes {
				codes = append(codes, code.Code+"="+code.Zh)
			}
		}
	}
	if got := strings.Join(codes, " "); got != "excellent=优秀 good=良好 pass=及格 fail=不及格" {
		t.Errorf("fitness codes = %s", got)
	}
	if !strings.Contains(sc.Row, "身份证") {
		t.Errorf("a person's kind says it holds no ID numbers: %q", sc.Row)
	}
}

// TestDeclaredKindReported: a value of a record kind's element reported in a facts file
// at an org (a year before the register existed) is that org's value, as for rosters.
func TestDeclaredKindReported(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Kinds(t)
	p := writeFile(t, "facts.csv", "year,org,element,dims,value\n2020,370612,scr_myopia_rate,,12.5\n2019,370602,scr_myopia_rate,stage=primary,40\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	primary, _ := pack.Element("scr_myopia_rate").ParseFilter("stage=primary")
	for _, tt := range []struct {
		org    string
		year   int
		filter plan.Filter
		want   float64
	}{
		{"370612", 2020, nil, 12.5},           // reported: wins over the 1 of 3 rows
		{"370602", 2020, nil, 50},             // computed from the rows
		{"370602", 2019, primary, 40},         // reported for a year with no register
		{"370600", 2020, nil, 100 * 7.0 / 15}, // the city's from its rows
	} {
		if r := c.Get("scr_myopia_rate", tt.org, tt.year, tt.filter); !r.OK || math.Abs(r.Value-tt.want) > 1e-9 {
			t.Errorf("scr_myopia_rate at %s in %d = %v (ok %v), want %v", tt.org, tt.year, r.Value, r.OK, tt.want)
		}
	}
}

// TestDeclaredKindCells: a record kind's rows are kept as cells of the measures its
// elements read, and no more: the Yantai student_health's eyesight values, which no
// element sums, stay in the kept file (2 rows with the same dims: 1 cell of 1 row).
func TestDeclaredKindCells(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Kinds(t)
	p := writeFile(t, "health.csv", "year,student_id,institution,stage,age,myopia,poor_vision,vision_left,vision_right\n"+
		"2020,s07,P1,primary,7,true,true,4.5,4.6\n2020,s08,P1,primary,7,true,true,4.7,4.8\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(dumpDB(t, path), "record_cells [370600 student_health"); got != 1 {
		t.Errorf("student_health has %d cell rows, want 1 (the count; no element sums the eyesight)", got)
	}
}
