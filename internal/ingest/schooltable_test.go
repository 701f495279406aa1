package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestSchoolTableImport: a kindergarten table (基础基表) for 牟平 2020 replaces its
// roster of students there and is counted like one, by the dims it has only; a roster
// imported again replaces the table.
func TestSchoolTableImport(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	// MK's row: 小班 4 + 3, 中班 0 (blank) + 2, 大班 5 + 6 = 20, of them girls 3 + 2 + 6 = 11.
	table := writeFile(t, "kg.csv", "年份,学校标识码,学校名称,小班男,小班女,中班男,中班女,大班男,大班女,合计,其中女\n"+
		"2020,MK,牟平乡村幼儿园,4,3,,2,5,6,20,11\n")
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{table}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Batches[0]; b.Kind != "kg_students" || !slices.Equal(b.Districts, []string{"370612"}) {
		t.Errorf("batch = %+v", b)
	}
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	get := func(org, filter string) cube.Result {
		f, err := plan.ParseFilter(filter, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c.Get("students", org, 2020, f)
	}
	tests := []struct {
		org, filter string
		want        float64
		ok          bool
		origins     string
	}{
		{"MK", "stage=preschool", 20, true, "school"},
		{"MK", "stage=preschool; sex=F", 11, true, "school"},
		{"MK", "stage=preschool; grade=2", 2, true, "school"},
		{"MK", "stage=preschool; ownership=public", 20, true, "school"},
		{"MK", "stage=preschool; hukou=migrant", 0, false, ""}, // the table has no hukou
		{"370612", "stage=preschool", 20, true, "school"},
		{"370612", "stage=primary", 0, true, "school"},               // 牟平's roster of 2020 is gone whole
		{"370600", "stage=preschool", 5 + 20, true, "roster,school"}, // 芝罘 K1 and K2: 5,
		{"370600", "stage=preschool; hukou=local", 0, false, ""},
	}
	for _, tt := range tests {
		r := get(tt.org, tt.filter)
		if r.OK != tt.ok || (r.OK && r.Value != tt.want) || strings.Join(r.Origin.Names(), ",") != tt.origins {
			t.Errorf("students(%s) at %s = %+v (origins %v), want %v ok=%v from %s", tt.filter, tt.org, r, r.Origin.Names(), tt.want, tt.ok, tt.origins)
		}
	}
	// A district total reported for 牟平 wins over its school's table, and the city sums
	// it with 芝罘's roster.
	facts := writeFile(t, "facts-370612.csv", "year,org,element,dims,value\n2020,370612,students,stage=preschool,99\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{facts}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if c, err = cube.Load(ctx, db, pack); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		org     string
		want    float64
		origins string
	}{{"370612", 99, "district"}, {"370600", 5 + 99, "roster,district"}, {"MK", 20, "school"}} {
		if r := get(tt.org, "stage=preschool"); !r.OK || r.Value != tt.want || strings.Join(r.Origin.Names(), ",") != tt.origins {
			t.Errorf("with the district's total, %s = %+v (%v), want %v from %s", tt.org, r, r.Origin.Names(), tt.want, tt.origins)
		}
	}
	// The roster again: the table's snapshot goes.
	roster := writeFile(t, "students-370612.csv", "year,student_id,institution,stage,grade,sex\n2020,s06,MK,preschool,3,F\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{roster}, ingest.Options{AllowShrink: true}); err != nil {
		t.Fatal(err)
	}
	if c, err = cube.Load(ctx, db, pack); err != nil {
		t.Fatal(err)
	}
	if r := get("MK", "stage=preschool"); !r.OK || r.Value != 1 || r.Origin != cube.FromRoster {
		t.Errorf("after the roster: %+v", r)
	}
}

// TestSchoolTableErrors: a school table is validated as strictly as a roster, every
// problem in both languages.
func TestSchoolTableErrors(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	const header = "年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女,合计,其中女,小班合计\n"
	tests := []struct {
		name, file, class, column, zh string
	}{
		{"a negative count", "2020,MK,-1,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
		{"a fraction", "2020,MK,1.5,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
		{"a total that is not the sum", "2020,MK,4,3,0,2,5,6,21,,", ingest.ClassTotal, "合计", "小班男、小班女、中班男、中班女、大班男、大班女 之和 20"},
		{"girls that are not the girls' sum", "2020,MK,4,3,0,2,5,6,20,10,", ingest.ClassTotal, "其中女", "之和 11"},
		{"a grade total", "2020,MK,4,3,0,2,5,6,,,8", ingest.ClassTotal, "小班合计", "之和 7"},
		{"an unknown institution", "2020,ZZ,4,3,0,2,5,6,,,", ingest.ClassReference, "institution", "没有这所学校"},
		{"an institution not there that year", "2021,M1,4,3,0,2,5,6,,,", ingest.ClassReference, "institution", "2021 年"},
		{"the same institution twice", "2020,MK,4,3,0,2,5,6,,,\n2020,MK,1,1,1,1,1,1,,,", ingest.ClassDuplicate, "institution", "第 2 行"},
		{"no year", ",MK,4,3,0,2,5,6,,,", ingest.ClassMissing, "year", "整数年份"},
		{"a year out of range", "1800,MK,4,3,0,2,5,6,,,", ingest.ClassRange, "year", "整数"},
		{"digits with an underscore", "2020,MK,1_0,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
		{"a hexadecimal float", "2020,MK,0x1p4,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
		{"1e308", "2020,MK,1e308,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
		{"a formula", "2020,MK,=1+1,3,0,2,5,6,,,", ingest.ClassNumber, "小班男", "整数"},
	}
	for _, tt := range tests {
		p := writeFile(t, "kg_students.csv", header+tt.file+"\n")
		_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
		var rej *ingest.RejectedError
		if !errors.As(err, &rej) {
			t.Errorf("%s: err = %v, want a rejection", tt.name, err)
			continue
		}
		e := rej.Reports[0].Errors[0]
		if e.Class != tt.class || e.Column != tt.column || !strings.Contains(e.Expected, tt.zh) || e.ExpectedEn == "" {
			t.Errorf("%s: %+v, want class %s column %s saying %q", tt.name, e, tt.class, tt.column, tt.zh)
		}
		// The report's sentence says "应为"/"expected" itself: the message must not again.
		if zh, en := e.Zh(), e.En(); strings.Contains(zh, "应为 应为") || strings.Contains(zh, "应为 必填") ||
			strings.Contains(en, "expected expected") || strings.Contains(en, "expected required") {
			t.Errorf("%s: says it twice: %s / %s", tt.name, zh, en)
		}
	}
	// A column given twice, the kind found from the file's name: the duplicate is
	// reported, not "cannot tell the kind of file".
	p := writeFile(t, "kg_students-2020.csv", strings.TrimSuffix(header, "\n")+",小班男\n2020,MK,4,3,0,2,5,6,,,,4\n")
	_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
	var dup *ingest.RejectedError
	if !errors.As(err, &dup) || dup.Reports[0].Errors[0].Class != ingest.ClassHeader || !strings.Contains(dup.Reports[0].Errors[0].ExpectedEn, "twice") {
		t.Errorf("a column twice: %v", err)
	}
	// A header without the key columns or any count.
	p = writeFile(t, "kg_students.csv", "年份,学校标识码,合计\n2020,MK,3\n")
	_, err = ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{Kind: "kg_students"})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || rej.Reports[0].Errors[0].Class != ingest.ClassHeader {
		t.Errorf("no count column: %v", err)
	}
}

// TestSchoolTableTemplates: each table's template, its example row given a real school,
// imports: the totals of the example are the sums of its counts.
func TestSchoolTableTemplates(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	for _, tab := range pack.SchoolTables {
		f := ingest.TableFormat(tab)
		ex := f.Example()
		ex[0], ex[1] = "2020", "MK"
		p := writeFile(t, tab.Code+".csv", strings.Join(f.Header(), ",")+"\n"+strings.Join(ex, ",")+"\n")
		if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{DryRun: true, Kind: ingest.Kind(tab.Code)}); err != nil {
			t.Errorf("%s: %v", tab.Code, err)
		}
	}
}

// TestSchoolTableFormulaWithoutValue: a table's count computed by a formula that the
// program writing the workbook did not compute (excelize writes no value) is refused
// naming its cell, not read as an empty count, 0; nothing is stored. The same formula
// saved with its value, as Excel saves it, imports that value.
func TestSchoolTableFormulaWithoutValue(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	write := func(cached bool) string {
		f := excelize.NewFile()
		defer f.Close()
		for i, v := range []any{"年份", "学校标识码", "小班男", "小班女", "中班男", "中班女", "大班男", "大班女"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			f.SetCellValue("Sheet1", cell, v)
		}
		f.SetSheetRow("Sheet1", "A2", &[]any{2020, "MK", 4, 3, nil, 2, 5, 6})
		if cached {
			f.SetCellInt("Sheet1", "E2", 2)
		}
		if err := f.SetCellFormula("Sheet1", "E2", "1+1"); err != nil { // 中班男
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "kg_students.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	students := func() float64 {
		c, err := cube.Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := plan.ParseFilter("stage=preschool; grade=2; sex=M", nil)
		return c.Get("students", "MK", 2020, f).Value
	}
	before := students()
	_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{write(false)}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("err = %v, want a rejection", err)
	}
	if e := rej.Reports[0].Errors[0]; e.Row != 2 || e.Column != "E" ||
		!strings.Contains(e.Zh(), "E2 单元格是公式但没有计算结果：请在 Excel/WPS 中打开并保存后再导入") ||
		!strings.Contains(e.En(), "cell E2 holds a formula with no computed value: open and save the file in Excel or WPS") {
		t.Errorf("error %+v: %s / %s", e, e.Zh(), e.En())
	}
	if got := students(); got != before {
		t.Errorf("after the refused table, MK's boys of 中班 = %v, want %v as before", got, before)
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{write(true)}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := students(); got != 2 {
		t.Errorf("with the formula's value, MK's boys of 中班 = %v, want 2", got)
	}
}

// TestTablesReplaceRoster: a district and year hold a roster or school tables, never
// both, and the switch between them says what it replaces and is held to the shrink
// guard: the roster's people against every table's of the district and year once the
// import is in, or the tables' against the roster's.
func TestTablesReplaceRoster(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	imp := func(opt ingest.Options, files ...string) (*ingest.Result, error) {
		return ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, opt)
	}
	// 芝罘 2020 as a roster of 130: 40 children at K1 in 小班, 90 pupils at P1 in grade 1.
	roster := writeFile(t, "students-2020.csv", studentsHeader+studentRows(2020, "K1", "preschool", 1, 40, "k")+studentRows(2020, "P1", "primary", 1, 90, "p"))
	if _, err := imp(ingest.Options{}, roster); err != nil {
		t.Fatal(err)
	}
	primary := func() cube.Result {
		c, err := cube.Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := plan.ParseFilter("stage=primary", nil)
		return c.Get("students", "370602", 2020, f)
	}
	const kgHeader = "年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女\n"
	kg := writeFile(t, "kg_students-2020.csv", kgHeader+"2020,K1,15,15,,,,\n") // 30 children

	// One kindergarten's table would replace the whole roster, its 90 pupils too:
	// refused, and nothing changes.
	before, primaryBefore := dumpDB(t, path), primary()
	_, err := imp(ingest.Options{}, kg)
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || len(rej.Reports) != 1 || rej.Reports[0].Counts[ingest.ClassShrink] != 1 {
		t.Fatalf("a table of 30 over a roster of 130: %v, want a shrink refusal", err)
	}
	e := rej.Reports[0].Errors[0]
	if !strings.Contains(e.Expected, "替换芝罘区（370602）2020 年的学生名册（130 人，文件 students-2020.csv）为学校汇总表（共 30 人），减少 76.9%") ||
		!strings.Contains(e.ExpectedEn, "replaces the 2020 student roster of Zhifu District (370602) (130 people, from students-2020.csv) with school tables (30 people in all), 76.9% fewer") ||
		!strings.Contains(e.ExpectedEn, "--allow-shrink") || e.File != "kg_students-2020.csv" {
		t.Errorf("refusal: %+v", e)
	}
	if p := primary(); dumpDB(t, path) != before || p.Value != primaryBefore.Value || !p.OK || primaryBefore.Value != 90 {
		t.Errorf("the refused import changed the database; primary %+v, was %+v", primary(), primaryBefore)
	}

	// A dry run says so without refusing; allowed, the roster goes.
	switched := ingest.Change{Kind: ingest.Students, Year: 2020, Scope: "370602", Before: 130, After: 30, Shrink: true,
		Switch: ingest.SwitchToTables, Replaced: "students-2020.csv"}
	res, err := imp(ingest.Options{DryRun: true}, kg)
	if err != nil || !slices.Contains(res.Changes, switched) {
		t.Errorf("dry run: %v, changes %+v, want %+v", err, res, switched)
	}
	if dumpDB(t, path) != before {
		t.Error("the dry run changed the database")
	}
	res, err = imp(ingest.Options{AllowShrink: true}, kg)
	if err != nil || !slices.Contains(res.Changes, switched) {
		t.Fatalf("allowed: %v, changes %+v, want %+v", err, res, switched)
	}
	if p := primary(); !p.OK || p.Value != 0 {
		t.Errorf("primary after the table alone: %+v, want 0", p)
	}

	// The roster again replaces the table: 30 → 130.
	res, err = imp(ingest.Options{}, roster)
	if want := (ingest.Change{Kind: ingest.Students, Year: 2020, Scope: "370602", Before: 30, After: 130,
		Switch: ingest.SwitchToRoster, Replaced: "kg_students-2020.csv"}); err != nil || !slices.Contains(res.Changes, want) {
		t.Fatalf("the roster again: %v, changes %+v, want %+v", err, res, want)
	}
	if zh, en := res.Changes[len(res.Changes)-1].Describe(pack); zh != "替换芝罘区（370602）2020 年学生的学校汇总表（30 人，文件 kg_students-2020.csv）为名册（130 人）" ||
		en != "replaces the 2020 school tables of students of Zhifu District (370602) (30 people, from kg_students-2020.csv) with a roster (130 people)" {
		t.Errorf("described as %q / %q", zh, en)
	}

	// Both stages' tables in one import, 40 + 85 for the roster's 130: accepted as it is,
	// and the report says the roster went.
	kg40 := writeFile(t, "kg_students-2020.csv", kgHeader+"2020,K1,20,20,,,,\n")
	primary85 := writeFile(t, "primary_students-2020.csv", primaryTableHeader+"2020,P1,43,42,,,,,,,,,,\n")
	res, err = imp(ingest.Options{}, kg40, primary85)
	full := ingest.Change{Kind: ingest.Students, Year: 2020, Scope: "370602", Before: 130, After: 125,
		Switch: ingest.SwitchToTables, Replaced: "students-2020.csv"}
	if err != nil || !slices.Contains(res.Changes, full) {
		t.Fatalf("a full set of tables: %v, changes %+v, want %+v", err, res, full)
	}
	if p := primary(); !p.OK || p.Value != 85 {
		t.Errorf("primary from its table: %+v, want 85", p)
	}

	// A roster of 10 over tables of 125 is refused as a short roster is.
	before = dumpDB(t, path)
	short := writeFile(t, "students-short.csv", studentsHeader+studentRows(2020, "P1", "primary", 1, 10, "p"))
	_, err = imp(ingest.Options{}, short)
	if !errors.As(err, &rej) || rej.Reports[0].Counts[ingest.ClassShrink] != 1 ||
		!strings.Contains(rej.Reports[0].Errors[0].Expected, "学校汇总表（125 人，文件 kg_students-2020.csv, primary_students-2020.csv）为名册（10 人）") {
		t.Errorf("a roster of 10 over tables of 125: %v", err)
	}
	if dumpDB(t, path) != before {
		t.Error("the refused roster changed the database")
	}
}
