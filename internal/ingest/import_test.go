package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet/sheettest"
	"github.com/yantai-edu/eduplan/internal/store"
)

// tinyDB returns a database holding the tiny data set, and its path.
func tinyDB(t *testing.T) (*store.DB, *plan.Pack, string) { return fixture.Tiny(t) }

func tinyFiles() []string { return fixture.TinyFiles() }

// dumpDB returns every row of every table, so that a test can tell the database is
// unchanged.
func dumpDB(t *testing.T, path string) string {
	t.Helper()
	db := fixture.Raw(t, path)
	var b strings.Builder
	for _, table := range []string{"batches", "snapshots", "institutions", "roster_ids", "population", "facts", "roster_cells", "record_cells"} {
		rows, err := db.Query("SELECT * FROM " + table + " ORDER BY 1, 2, 3")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintln(&b, table, vals)
		}
		rows.Close()
	}
	return b.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRejected imports one bad file of each error class into the tiny database and
// checks that the import is refused with the row, column and class, and that nothing
// changed.
func TestRejected(t *testing.T) {
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)
	tests := []struct {
		name, file, content string
		row                 int
		column, class       string
	}{
		{"missing column", "s.csv", "year,student_id,institution,stage,grade\n2020,x1,K1,preschool,1\n", 1, "", "header"},
		{"missing cell", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,x1,K1,preschool,1,\n", 2, "sex", "missing"},
		{"enum", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,x1,K1,kindergarten,1,M\n", 2, "stage", "enum"},
		{"grade for the stage", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,x1,K1,preschool,1,M\n2020,x2,K1,preschool,4,F\n", 3, "grade", "range"},
		{"not a number", "p.csv", "year,district,age,count\n2020,370602,3,many\n", 2, "count", "number"},
		{"negative count", "p.csv", "year,district,age,count\n2020,370602,3,-1\n", 2, "count", "range"},
		{"date", "s.csv", "year,student_id,institution,stage,grade,sex,birth_date\n2020,x1,K1,preschool,1,M,2017-02-30\n", 2, "birth_date", "date"},
		{"duplicate in file", "t.csv", "year,teacher_id,institution,stage,sex,education\n2020,x1,K1,preschool,F,bachelor\n2020,x1,K2,preschool,F,bachelor\n", 3, "teacher_id", "duplicate"},
		{"unknown institution", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,x1,NOPE,preschool,1,M\n", 2, "institution", "reference"},
		{"institution of another year", "s.csv", "year,student_id,institution,stage,grade,sex\n2021,x1,P1,primary,1,M\n", 2, "institution", "reference"},
		{"student in two institutions", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,s07,M1,primary,1,M\n", 2, "student_id", "duplicate"},
		{"unknown district", "i.csv", "year,code,name,district,type,ownership,location\n2022,Z1,某校,379999,primary,public,urban\n", 2, "district", "reference"},
		{"undeclared element", "f.csv", "year,org,element,dims,value\n2020,370602,budget,,1\n", 2, "element", "reference"},
		{"undeclared dims", "f.csv", "year,org,element,dims,value\n2012,370602,students,colour=red,1\n", 2, "dims", "dims"},
		{"unknown org", "f.csv", "year,org,element,dims,value\n2020,NOPE,working_age_schooling_years,,1\n", 2, "org", "reference"},
		{"infinite value", "f.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,Inf\n", 2, "value", "number"},
		{"institutions replaced under their students", "i.csv", "year,code,name,district,type,ownership,location\n2021,K1,芝罘公办幼儿园,370602,kindergarten,public,urban\n", 0, "", "reference"},
		{"negative area", "c.csv", "year,institution,stage,teaching_area,sports_area\n2020,P1,primary,-5,100\n", 2, "teaching_area", "range"},
		{"area not a number", "c.csv", "year,institution,teaching_area,equipment_value\n2020,P1,100,many\n", 2, "equipment_value", "number"},
		{"conditions of an unknown institution", "c.csv", "year,institution,teaching_area\n2020,NOPE,100\n", 2, "institution", "reference"},
		{"conditions of another year's institution", "c.csv", "year,institution,teaching_area\n2021,P1,100\n", 2, "institution", "reference"},
		{"conditions twice", "c.csv", "year,institution,stage,teaching_area\n2020,R1,primary,100\n2020,R1,primary,120\n", 3, "institution", "duplicate"},
		{"conditions stage", "c.csv", "year,institution,stage,teaching_area\n2020,R1,college,100\n", 2, "stage", "enum"},
		{"subject", "t.csv", "year,teacher_id,institution,stage,sex,education,subject\n2020,x1,P1,primary,F,bachelor,cooking\n", 2, "subject", "enum"},
		{"backbone", "t.csv", "year,teacher_id,institution,stage,sex,education,backbone\n2020,x1,P1,primary,F,bachelor,world\n", 2, "backbone", "enum"},
		{"teaching point", "i.csv", "year,code,name,district,type,ownership,location,teaching_point\n2022,Z1,某校,370602,primary,public,urban,perhaps\n", 2, "teaching_point", "enum"},
		{"not UTF-8", "s.csv", "year,student_id,institution,stage,grade,sex\n2020,x1,K1,preschool,1,\xc4\xd0\n", 2, "", "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.content)
			_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
			var rej *ingest.RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want a rejection", err)
			}
			if zh, _ := plan.ErrorMessages(err); plan.ErrorCode(err) != plan.EINVALID || !strings.Contains(zh, "导入被拒绝") {
				t.Errorf("rejection coded %s %q, want invalid, said in both languages", plan.ErrorCode(err), zh)
			}
			found := false
			var all []string
			for _, r := range rej.Reports {
				for _, e := range r.Errors {
					all = append(all, e.En())
					if e.Class == tt.class && (tt.row == 0 || e.Row == tt.row) && (tt.column == "" || e.Column == tt.column) {
						found = true
						if e.Zh() == "" || e.En() == "" || !strings.Contains(e.En(), tt.file) {
							t.Errorf("messages: %q / %q", e.Zh(), e.En())
						}
					}
				}
			}
			if !found {
				t.Errorf("no %s error at row %d column %q; got %q", tt.class, tt.row, tt.column, all)
			}
			if after := dumpDB(t, path); after != before {
				t.Error("the database changed")
			}
		})
	}
}

// TestOneBadFileRejectsTheCommand: a command's files are one transaction.
func TestOneBadFileRejectsTheCommand(t *testing.T) {
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)
	good := writeFile(t, "p.csv", "year,district,age,count\n2021,370602,3,5\n")
	bad := writeFile(t, "f.csv", "year,org,element,dims,value\n2021,370602,working_age_schooling_years,,x\n")
	_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{good, bad}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || len(rej.Reports) != 1 || rej.Reports[0].File != "f.csv" {
		t.Fatalf("err = %v, want f.csv rejected", err)
	}
	if dumpDB(t, path) != before {
		t.Error("the database changed")
	}
}

func TestReimportAndReplace(t *testing.T) {
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)

	// The same files again: nothing changes.
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), tinyFiles(), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != len(fixture.TinyKinds) || len(res.Batches) != 0 {
		t.Errorf("re-import: %d skipped, %d batches", len(res.Skipped), len(res.Batches))
	}
	if dumpDB(t, path) != before {
		t.Error("re-importing the same files changed the database")
	}

	// A corrected population of 370602 for 2020 replaces that snapshot only.
	p := writeFile(t, "pop.csv", "year,district,age,count\n2020,370602,3,7\n")
	res, err = ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	db.EachPopulation(ctx, pack.Tenant, func(r *store.Population) error {
		got = append(got, fmt.Sprintf("%d/%s/%d=%d", r.Year, r.District, r.Age, r.Count))
		return nil
	})
	want := "2020/370602/3=7 2020/370612/4=1 2020/370612/40=50"
	if strings.Join(got, " ") != want {
		t.Errorf("population = %v, want %s", got, want)
	}
	batches, _ := db.Batches(ctx, pack.FullScope())
	if batches[0].ID != res.Batches[0].ID || batches[0].Rows != 1 {
		t.Errorf("newest batch = %+v", batches[0])
	}
	// The first population batch still holds 370612, so it is not wholly replaced; its
	// file is kept.
	for _, b := range batches {
		if b.Kind == "population" && b.ID != res.Batches[0].ID {
			if b.ReplacedBy != 0 {
				t.Errorf("batch %d replaced, but 370612's 2020 population is still its", b.ID)
			}
			if c, err := db.BatchContent(ctx, pack.Tenant, b.ID); err != nil || len(c) == 0 {
				t.Errorf("batch %d content: %v", b.ID, err)
			}
		}
	}
}

// TestKeptFile checks that a batch keeps its file as it was imported, as gzip that the
// standard library reads back byte for byte: a population file of some 2 MB, more than
// the compressor's blocks and the keeper's reads.
func TestKeptFile(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	var b strings.Builder
	b.WriteString("year,district,age,sex,count\n")
	for year := 1990; year <= 2030; year++ {
		for _, d := range pack.Districts() {
			for age := range 101 {
				for _, sex := range []string{"M", "F"} {
					fmt.Fprintf(&b, "%d,%s,%d,%s,%d\n", year, d.Code, age, sex, (year*age+len(d.Code))%9973)
				}
			}
		}
	}
	p := writeFile(t, "population-kept.csv", b.String())
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{AllowShrink: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.BatchContent(ctx, pack.Tenant, res.Batches[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(c))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte(b.String())) {
		t.Errorf("kept file: %d bytes back, want the %d imported", len(got), b.Len())
	}
	t.Logf("%d bytes kept as %d", b.Len(), len(c))
}

// TestXLSXImportEqualsCSV imports the tiny data set with its students as an XLSX
// workbook (numbers as numbers, a birth date as an Excel date) and checks the database
// holds the same students as from the CSV.
func TestXLSXImportEqualsCSV(t *testing.T) {
	ctx := context.Background()
	_, _, csvPath := tinyDB(t)

	pack, _ := plan.Builtin()
	db, path := fixture.NewDB(t)
	in, err := os.ReadFile(filepath.Join("..", "..", "testdata", "tiny", "students.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for r, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if n, err := strconv.Atoi(v); err == nil {
				f.SetCellValue("Sheet1", cell, n) // year and grade as numbers, as Excel keeps them
			} else {
				f.SetCellValue("Sheet1", cell, v)
			}
		}
	}
	xlsx := filepath.Join(t.TempDir(), "students.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	files := tinyFiles()
	files[1] = xlsx
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	students := func(p string) string {
		var b strings.Builder
		for _, line := range strings.Split(dumpDB(t, p), "\n") {
			if strings.HasPrefix(line, "roster_ids ") || strings.HasPrefix(line, "roster_cells ") {
				b.WriteString(line + "\n")
			}
		}
		return b.String()
	}
	if a, b := students(csvPath), students(path); a != b || a == "" {
		t.Errorf("students from XLSX differ from CSV:\n%s\nvs\n%s", b, a)
	}
}

// TestRosterAcrossFiles checks the same student or teacher in two institutions in one
// year, found between a file and the stored snapshots of other districts or the files
// before it in the same command, and that a snapshot's replacement frees its ids. In the
// tiny data set, 370602 holds s01–s14 and s19–s23 in 2020 (K1, K2, P1, J1, R1, S1, V1,
// H1), 370612 holds s06 and s15–s18 (MK, M1).
func TestRosterAcrossFiles(t *testing.T) {
	const head = "year,student_id,institution,stage,grade,sex\n"
	const head602 = head + "2020,s01,K1,preschool,1,M\n2020,s02,K1,preschool,2,F\n"
	tests := []struct {
		name  string
		files [][2]string // name, content
		// bad is "file row column value holder" of every error; nil: accepted
		bad []string
	}{
		{"another district holds the student", [][2]string{{"s.csv", head + "2020,m1,M1,primary,1,M\n2020,s10,M1,primary,2,F\n2020,s07,M1,primary,1,M\n"}},
			[]string{"s.csv 3 student_id s10 J1", "s.csv 4 student_id s07 P1"}},
		{"another district holds the teacher", [][2]string{{"t.csv", "year,teacher_id,institution,stage,sex,education\n2020,t05,M1,primary,F,bachelor\n"}},
			[]string{"t.csv 2 teacher_id t05 P1"}},
		{"a student of another year is no clash", [][2]string{{"s.csv", head + "2021,s15,K1,preschool,1,M\n"}}, nil},
		{"an earlier file of the command holds the student", [][2]string{
			{"a.csv", head602 + "2020,new,K2,preschool,1,F\n"},
			{"b.csv", head + "2020,m1,M1,primary,1,M\n2020,new,MK,preschool,1,M\n"}},
			[]string{"b.csv 3 student_id new K2"}},
		{"replacing a district's snapshot frees its students", [][2]string{
			{"a.csv", head602}, // 370602 keeps s01 and s02 only
			{"b.csv", head + "2020,s07,M1,primary,1,M\n2020,s19,M1,junior,9,F\n"}}, nil},
		{"a later file replaces an earlier one's snapshot", [][2]string{
			{"a.csv", head + "2020,x1,MK,preschool,1,M\n"},
			{"b.csv", head + "2020,x2,M1,primary,1,M\n"},
			{"c.csv", head602 + "2020,x1,K2,preschool,1,F\n"}}, nil},
		{"the same student twice in a file", [][2]string{{"s.csv", head + "2020,m1,M1,primary,1,M\n2020,m1,MK,preschool,1,M\n"}},
			[]string{"s.csv 3 student_id m1 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, pack, path := tinyDB(t)
			before := dumpDB(t, path)
			var paths []string
			for _, f := range tt.files {
				paths = append(paths, writeFile(t, f[0], f[1]))
			}
			_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), paths, ingest.Options{})
			if tt.bad == nil {
				if err != nil {
					t.Fatalf("import: %v", err)
				}
				return
			}
			var rej *ingest.RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want a rejection", err)
			}
			var got []string
			for _, r := range rej.Reports {
				for _, e := range r.Errors {
					holder := ""
					if _, h, ok := strings.Cut(e.ExpectedEn, "at institution "); ok {
						holder = h
					}
					got = append(got, fmt.Sprintf("%s %d %s %s %s", e.File, e.Row, e.Column, e.Value, holder))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.bad, "\n") {
				t.Errorf("errors:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.bad, "\n"))
			}
			if dumpDB(t, path) != before {
				t.Error("the database changed")
			}
		})
	}
}

// TestRosterReplaced imports a corrected 2020 roster of 370602 and checks what is
// stored: the new ids at their new institutions, 370612's untouched, and the counts
// the cube reads.
func TestRosterReplaced(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	p := writeFile(t, "s.csv", "year,student_id,institution,stage,grade,sex\n2020,s01,K2,preschool,1,M\n2020,s99,P1,primary,2,F\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	err := db.EachRosterID(ctx, pack.Tenant, store.KindStudents, 2020, func(id, district, inst string) error {
		ids = append(ids, district+"/"+inst+"/"+id)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "370602/K2/s01 370602/P1/s99 370612/M1/s15 370612/M1/s16 370612/M1/s17 370612/M1/s18 370612/MK/s06"
	if strings.Join(ids, " ") != want {
		t.Errorf("2020 students:\n%s\nwant\n%s", strings.Join(ids, " "), want)
	}
	var cells []string
	db.EachCell(ctx, pack.Tenant, func(c *store.Cell) error {
		if c.Kind == store.KindStudents && c.Year == 2020 && c.District == "370602" {
			cells = append(cells, fmt.Sprintf("%s %s %d", c.Institution, c.Dims, c.Count))
		}
		return nil
	})
	slices.Sort(cells)
	want = "K2 grade=1;hukou=;sex=M;stage=preschool 1|P1 grade=2;hukou=;sex=F;stage=primary 1"
	if strings.Join(cells, "|") != want {
		t.Errorf("370602's 2020 cells = %q, want %q", strings.Join(cells, "|"), want)
	}
}

// TestReadAheadRows imports students files longer than the blocks a CSV file is read
// ahead in, and checks that every row arrives and that a problem of the file far down
// is reported at its row.
func TestReadAheadRows(t *testing.T) {
	rows := func(n int, line func(i int) string) string {
		var b strings.Builder
		b.WriteString("year,student_id,institution,stage,grade,sex\n")
		for i := range n {
			b.WriteString(line(i))
		}
		return b.String()
	}
	good := func(i int) string { return fmt.Sprintf("2020,k%05d,K1,preschool,%d,F\n", i, 1+i%3) }
	tests := []struct {
		name, content string
		bad           string // "row class" of the one error; "" = accepted
	}{
		{"accepted", rows(2000, good), ""},
		{"blank lines", rows(1500, func(i int) string {
			if i%400 == 0 {
				return "\n,,,,,\n" + good(i)
			}
			return good(i)
		}), ""},
		{"broken quoting", rows(1500, func(i int) string {
			if i == 1200 {
				return "2020,\"k\"x,K1,preschool,1,F\n"
			}
			return good(i)
		}), "1202 format"},
		{"not UTF-8", rows(1500, func(i int) string {
			if i == 1300 {
				return "2020,k\xff,K1,preschool,1,F\n"
			}
			return good(i)
		}), "1302 encoding"},
		{"a bad row", rows(1500, func(i int) string {
			if i == 1400 {
				return "2020,bad,K1,preschool,9,F\n"
			}
			return good(i)
		}), "1402 range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, pack, _ := tinyDB(t)
			p := writeFile(t, "s.csv", tt.content)
			res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
			if tt.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				db.EachRosterID(ctx, pack.Tenant, store.KindStudents, 2020, func(id, district, inst string) error {
					if district == "370602" {
						n++
					}
					return nil
				})
				if want := strings.Count(tt.content, "2020,k"); res.Rows != want || n != want {
					t.Errorf("%d rows read, %d stored; want %d", res.Rows, n, want)
				}
				return
			}
			var rej *ingest.RejectedError
			if !errors.As(err, &rej) || len(rej.Reports) != 1 || len(rej.Reports[0].Errors) != 1 {
				t.Fatalf("err = %v, want one error", err)
			}
			if e := rej.Reports[0].Errors[0]; fmt.Sprint(e.Row, " ", e.Class) != tt.bad {
				t.Errorf("error at %d %s, want %s: %s", e.Row, e.Class, tt.bad, e.En())
			}
		})
	}
}

// instHeaderCells is the header of an institutions sheet, as inline strings.
const instHeaderCells = `<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>code</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>name</t></is></c><c r="D1" t="inlineStr"><is><t>district</t></is></c>` +
	`<c r="E1" t="inlineStr"><is><t>type</t></is></c><c r="F1" t="inlineStr"><is><t>ownership</t></is></c>` +
	`<c r="G1" t="inlineStr"><is><t>location</t></is></c></row>`

// TestEmptyFileRefused imports files without a data row: header only, header and
// blank rows, an empty sheet. Each is refused, and nothing is stored.
func TestEmptyFileRefused(t *testing.T) {
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)
	dir := t.TempDir()
	header := "year,code,name,district,type,ownership,location\n"
	files := map[string][]byte{
		"header-only.csv":  []byte(header),
		"blank-rows.csv":   []byte(header + ",,,\n\n , \n"),
		"header-only.xlsx": sheettest.Zip(t, sheettest.ExcelParts(instHeaderCells+`<row r="2"/>`, "")),
		"empty.csv":        nil,
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, content, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, kind := range []ingest.Kind{"", ingest.Institutions} {
				_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{Kind: kind})
				var rej *ingest.RejectedError
				if !errors.As(err, &rej) {
					t.Fatalf("kind %q: err = %v, want a rejection", kind, err)
				}
				if rep := rej.Reports[0]; rep.Counts["header"] != 1 || rep.Errors[0].Expected == "" || rep.Errors[0].ExpectedEn == "" {
					t.Errorf("kind %q: report %+v", kind, rep)
				}
			}
			if after := dumpDB(t, path); after != before {
				t.Error("the database changed")
			}
		})
	}
}

// TestConditionsImport imports the new columns into the tiny data set: an institution's
// teaching_point, teachers' subject and backbone (Chinese spellings too), and a
// conditions file with a whole-school row and a stage row, one quantity left empty
// (unknown, never zero). A corrected conditions file replaces its district's rows.
func TestConditionsImport(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	files := []string{
		writeFile(t, "i.csv", "year,code,name,district,type,ownership,location,teaching_point\n2022,Z1,某校,370602,primary,public,urban,\n2022,Z2,某教学点,370602,primary,public,rural,是\n"),
		writeFile(t, "t.csv", "year,teacher_id,institution,stage,sex,education,任教学科,backbone\n2022,x1,Z1,primary,F,bachelor,体育,县级\n2022,x2,Z1,primary,M,bachelor,math,\n"),
		writeFile(t, "办学条件.csv", "year,institution,stage,teaching_area,sports_area,equipment_value,multimedia_classrooms\n2022,Z1,,1200.5,3000,,12\n2022,Z2,primary,80,0,5000,1\n"),
	}
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if k := res.Batches[len(res.Batches)-1].Kind; k != "conditions" {
		t.Errorf("the conditions file was taken for %s", k)
	}
	var got []string
	err = db.View(ctx, func(v *store.View) error {
		v.EachInstitution(ctx, pack.Tenant, func(r *store.Institution) error {
			if r.Year == 2022 {
				tp := "unknown"
				if r.TeachingPoint != nil {
					tp = strconv.FormatBool(*r.TeachingPoint)
				}
				got = append(got, r.Code+" teaching_point="+tp)
			}
			return nil
		})
		v.EachCell(ctx, pack.Tenant, func(c *store.Cell) error {
			if c.Year == 2022 && c.Kind == store.KindTeachers {
				got = append(got, c.Institution+" "+c.Dims)
			}
			return nil
		})
		return v.EachCondition(ctx, pack.Tenant, func(c *store.Condition) error {
			vals := make([]string, 4)
			for i, x := range c.Values {
				vals[i] = "?"
				if x != nil {
					vals[i] = strconv.FormatFloat(*x, 'f', -1, 64)
				}
			}
			got = append(got, fmt.Sprintf("%d %s %q %s %s", c.Year, c.Institution, c.Stage, c.District, strings.Join(vals, " ")))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{
		`2022 Z1 "" 370602 1200.5 3000 ? 12`,
		`2022 Z2 "primary" 370602 80 0 5000 1`,
		"Z1 backbone=;dual_qualified=;education=bachelor;new_hire=;preschool_major=;rotated=;sex=M;stage=primary;subject=math",
		"Z1 backbone=county;dual_qualified=;education=bachelor;new_hire=;preschool_major=;rotated=;sex=F;stage=primary;subject=pe",
		"Z1 teaching_point=unknown",
		"Z2 teaching_point=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The same conditions as an XLSX workbook (numbers as numbers, the unknown cell
	// empty, Chinese headers) store the same rows.
	csvRows := conditionRows(t, db, pack.Tenant)
	db2, _, _ := tinyDB(t)
	book := excelize.NewFile()
	for r, row := range [][]any{
		{"年份", "学校标识码", "学段", "教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "网络多媒体教室"},
		{2022, "Z1", nil, 1200.5, 3000, nil, 12},
		{2022, "Z2", "小学", 80, 0, 5000, 1},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		book.SetSheetRow("Sheet1", cell, &row)
	}
	xlsx := filepath.Join(t.TempDir(), "conditions.xlsx")
	if err := book.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(ctx, db2, pack, pack.FullScope(), append(files[:2:2], xlsx), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := conditionRows(t, db2, pack.Tenant); got != csvRows {
		t.Errorf("from XLSX:\n%s\nfrom CSV:\n%s", got, csvRows)
	}

	// A corrected file for 370602's 2022 conditions replaces both rows.
	fix := writeFile(t, "c2.csv", "year,institution,teaching_area\n2022,Z1,1300\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{fix}, ingest.Options{Kind: ingest.Conditions}); err != nil {
		t.Fatal(err)
	}
	n := 0
	db.View(ctx, func(v *store.View) error {
		return v.EachCondition(ctx, pack.Tenant, func(c *store.Condition) error {
			n++
			if c.Institution != "Z1" || *c.Values[0] != 1300 || c.Values[1] != nil {
				t.Errorf("after the correction: %+v", c)
			}
			return nil
		})
	})
	if n != 1 {
		t.Errorf("%d conditions rows after the correction, want 1", n)
	}
}

// conditionRows lists the stored conditions rows without their batches.
func conditionRows(t *testing.T, db *store.DB, tenant string) string {
	t.Helper()
	var b strings.Builder
	err := db.View(context.Background(), func(v *store.View) error {
		return v.EachCondition(context.Background(), tenant, func(c *store.Condition) error {
			fmt.Fprintf(&b, "%d %s %q %s", c.Year, c.Institution, c.Stage, c.District)
			for _, x := range c.Values {
				if x == nil {
					b.WriteString(" ?")
				} else {
					fmt.Fprintf(&b, " %v", *x)
				}
			}
			b.WriteString("\n")
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
