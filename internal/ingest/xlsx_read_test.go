package ingest_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/sheet/sheettest"
)

// writeXLSX writes a workbook whose first sheet has the rows given by cell name, and a
// second sheet that must be ignored.
func writeXLSX(t *testing.T, path string, cells map[string]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for cell, v := range cells {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Notes", "A1", "not data")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestXLSX reads a workbook as Excel writes one: numbers in number cells, a date in a
// date cell (a serial number shown as a date), empty rows between rows.
func TestXLSX(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "students.xlsx")
	writeXLSX(t, path, map[string]any{
		"A1": "year", "B1": "student_id", "C1": "institution", "D1": "stage", "E1": "grade", "F1": "sex", "G1": "birth_date", "H1": " 户籍 ",
		"A2": 2020, "B2": "S1", "C2": 3706020001, "D2": "primary", "E2": 1, "F2": "M", "G2": time.Date(2014, 3, 5, 0, 0, 0, 0, time.UTC), "H2": "local",
		// rows 3 and 4 are empty; row 5 has a float year and a date written as text
		"A5": 2020.0, "B5": " S2 ", "C5": "3706020001", "D5": "junior", "E5": 7.0, "F5": "女", "G5": "2008/9/1",
		"A6": "", // a row with nothing in it
		"A7": 2020, "B7": "S3", "C7": "3706020001", "D7": "junior", "E7": 10, "F7": "F",
	})
	misnamed := filepath.Join(dir, "students.csv") // the content decides, not the name
	if err := os.Rename(path, misnamed); err != nil {
		t.Fatal(err)
	}
	path = misnamed
	src, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date", "户籍"}; !reflect.DeepEqual(src.Header(), want) {
		t.Errorf("header %q", src.Header())
	}
	rep, recs := readSource(t, src, ingest.Students)
	src.Close()
	want := []any{
		&ingest.Student{Row: 2, Year: 2020, ID: "S1", Institution: "3706020001", Stage: "primary", Grade: 1, Sex: "M", BirthDate: "2014-03-05", Hukou: "local"},
		&ingest.Student{Row: 5, Year: 2020, ID: "S2", Institution: "3706020001", Stage: "junior", Grade: 7, Sex: "F", BirthDate: "2008-09-01"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records %s\nwant %s", dump(recs), dump(want))
	}
	if got := wheres(rep.Errors); !reflect.DeepEqual(got, []where{{7, "grade", "10", "range"}}) {
		t.Errorf("errors %+v\n%s", got, messages(rep))
	}
	if rep.Rows != 3 {
		t.Errorf("Rows = %d", rep.Rows)
	}

	// The same workbook from memory, and a CSV named .xlsx.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err = sheet.OpenReader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if rep, recs := readSource(t, src, ingest.Students); len(recs) != 2 || recs[1].(*ingest.Student).Row != 5 || rep.Rows != 3 {
		t.Errorf("OpenReader: %s", dump(recs))
	}
	src.Close()
	csvPath := filepath.Join(dir, "population.xlsx")
	os.WriteFile(csvPath, []byte(popHeader+"2020,370602,0,,10\n"), 0o644)
	src, err = sheet.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if k, err := ingest.DetectKind(src.Header()); k != ingest.Populations || err != nil {
		t.Errorf("DetectKind: %q %v", k, err)
	}
}

// TestXLSXNumbers checks cells an institutions sheet holds as numbers and booleans.
func TestXLSXNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "i.xlsx")
	writeXLSX(t, path, map[string]any{
		"A1": "年份", "B1": "学校标识码", "C1": "学校名称", "D1": "区县", "E1": "办学类型", "F1": "办学性质", "G1": "普惠性", "H1": "城乡", "I1": "纬度", "J1": "经度",
		"A2": 2021, "B2": 3706020001, "C2": "幼儿园甲", "D2": 370602, "E2": "kindergarten", "F2": "private", "G2": true, "H2": "urban", "I2": 37.53, "J2": 121.391,
		"A3": 2021, "B3": 3706020002, "C3": "幼儿园乙", "D3": 370602, "E3": "kindergarten", "F3": "public", "G3": false, "H3": "rural",
	})
	src, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rep, recs := readSource(t, src, ingest.Institutions)
	if !rep.OK() || len(recs) != 2 {
		t.Fatalf("%d records\n%s", len(recs), messages(rep))
	}
	a, b := recs[0].(*ingest.Institution), recs[1].(*ingest.Institution)
	if a.Code != "3706020001" || a.District != "370602" || a.Inclusive == nil || !*a.Inclusive || *a.Lat != 37.53 || *a.Lon != 121.391 {
		t.Errorf("got %+v", a)
	}
	if b.Inclusive == nil || *b.Inclusive || b.Lat != nil || b.Lon != nil {
		t.Errorf("got %+v", b)
	}
}

// TestXLSXDates reads a students sheet whose birth dates are Excel serials in date
// cells, as Excel and WPS store a date typed into a cell: 40179 is 2010-01-01, 41703
// is 2014-03-05.
func TestXLSXDates(t *testing.T) {
	book := sheettest.Workbook(t, [][]any{
		{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date"},
		{2020, "S1", 3706020001, "primary", 4, "M", 40179},
		{2020, "S2", 3706020001, "primary", 1, "F", 41703},
	})
	src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rep, recs := readSource(t, src, ingest.Students)
	want := []any{
		&ingest.Student{Row: 2, Year: 2020, ID: "S1", Institution: "3706020001", Stage: "primary", Grade: 4, Sex: "M", BirthDate: "2010-01-01"},
		&ingest.Student{Row: 3, Year: 2020, ID: "S2", Institution: "3706020001", Stage: "primary", Grade: 1, Sex: "F", BirthDate: "2014-03-05"},
	}
	if !reflect.DeepEqual(recs, want) || !rep.OK() {
		t.Errorf("records %s\nwant %s\n%s", dump(recs), dump(want), messages(rep))
	}
}

// TestSharedStringsBombImport imports a shared-strings bomb, with the kind told and
// found from the header, and checks the import is refused (the web answers 422) and
// nothing is stored.
func TestSharedStringsBombImport(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 129 MiB string table (CI runs it; internal/sheet tests the bound itself)")
	}
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)
	book := sheettest.WithPart(t, sheettest.Workbook(t, [][]any{{"year", "code", "name", "district", "type", "ownership", "location"}}),
		"xl/sharedStrings.xml", func(w io.Writer) {
			bw := bufio.NewWriterSize(w, 1<<20)
			bw.WriteString(`<sst>`)
			for range 129 << 20 / len("<si><t>x</t></si>") {
				bw.WriteString("<si><t>x</t></si>")
			}
			bw.WriteString(`</sst>`)
			bw.Flush()
		})
	p := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := os.WriteFile(p, book, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []ingest.Kind{"", ingest.Institutions} {
		t.Run("kind "+string(kind), func(t *testing.T) {
			_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{Kind: kind})
			var rej *ingest.RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want a rejection", err)
			}
			if len(rej.Reports) != 1 || rej.Reports[0].Counts["limit"] != 1 || rej.Reports[0].Errors[0].File != "bomb.xlsx" {
				t.Errorf("reports = %+v", rej.Reports)
			}
			if after := dumpDB(t, path); after != before {
				t.Error("the database changed")
			}
		})
	}
}

// TestGBKReport checks what a user who imports a GBK file is told.
func TestGBKReport(t *testing.T) {
	db, pack, _ := tinyDB(t)
	p := filepath.Join(t.TempDir(), "students.csv")
	if err := os.WriteFile(p, []byte("year,student_id\n2020,\xc4\xd0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ingest.ImportFiles(context.Background(), db, pack, pack.FullScope(), []string{p}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || len(rej.Reports) != 1 || len(rej.Reports[0].Errors) != 1 {
		t.Fatalf("err = %v", err)
	}
	re := rej.Reports[0].Errors[0]
	if want := "students.csv 第 2 行：文件不是 UTF-8 编码，请另存为 CSV UTF-8（逗号分隔）"; re.Zh() != want {
		t.Errorf("Zh() = %s", re.Zh())
	}
	if want := "students.csv row 2: not UTF-8; save as CSV UTF-8 (comma delimited)"; re.En() != want {
		t.Errorf("En() = %s", re.En())
	}
}
