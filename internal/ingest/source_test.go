package ingest_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/ingest"
)

type row struct {
	N     int
	Cells []string
}

func allRows(t *testing.T, src ingest.Source) ([]row, error) {
	t.Helper()
	var rows []row
	for {
		n, cells, err := src.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row{n, append([]string(nil), cells...)})
	}
}

func openString(s string) (ingest.Source, error) {
	return ingest.OpenReader(strings.NewReader(s), int64(len(s)))
}

// TestCSVRows checks that row numbers are those a spreadsheet shows, whatever blank
// rows and multi-line cells come before.
func TestCSVRows(t *testing.T) {
	tests := []struct {
		name   string
		csv    string
		header []string
		rows   []row
	}{
		{"plain", "a,b\n1,2\n3,4\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}, {3, []string{"3", "4"}}}},
		{"BOM and CRLF", "\xEF\xBB\xBFa, b \r\n1,2\r\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}}},
		{"BOM before a quoted header", "\xEF\xBB\xBF\"a\",b\n1,2\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}}},
		{"blank rows", "a,b\n\n1,2\n,\n , \n\n3,4\n,,\n", []string{"a", "b"},
			[]row{{3, []string{"1", "2"}}, {7, []string{"3", "4"}}}},
		{"multi-line cell", "a,b\n\"x\ny\",1\n\n2,3\n", []string{"a", "b"},
			[]row{{2, []string{"x\ny", "1"}}, {4, []string{"2", "3"}}}},
		{"ragged", "a,b,c\n1\n1,2,3,4\n", []string{"a", "b", "c"}, []row{{2, []string{"1"}}, {3, []string{"1", "2", "3", "4"}}}},
		{"blank rows before the header", ",,\n\na,b\n1,2\n", []string{"a", "b"}, []row{{4, []string{"1", "2"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := openString(tt.csv)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if !reflect.DeepEqual(src.Header(), tt.header) {
				t.Errorf("header %q, want %q", src.Header(), tt.header)
			}
			rows, err := allRows(t, src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows %v, want %v", rows, tt.rows)
			}
		})
	}
}

// TestFileErrors checks the problems of a whole file: where Open or Next reports them.
func TestFileErrors(t *testing.T) {
	long := strings.Repeat("2020,S,I,primary,1,M\n", 4000) // past what Open looks at
	tests := []struct {
		name    string
		content string
		atOpen  bool
		want    where
	}{
		{"empty", "", true, where{1, "", "", "header"}},
		{"blank", "\n,,\n", true, where{1, "", "", "header"}},
		// GBK: "小学" is D0A1 D1A7 (valid UTF-8 by chance), "男" is C4D0 (not).
		{"GBK", "year,student_id,institution,stage,grade,sex\n2020,S1,I1,\xd0\xa1\xd1\xa7,1,F\n2020,S2,I1,primary,1,\xc4\xd0\n", true, where{3, "", "", "encoding"}},
		{"GBK header", "\xc4\xea\xb7\xdd,x\n", true, where{1, "", "", "encoding"}},
		{"GBK far down", "year,student_id,institution,stage,grade,sex\n" + long + "2020,S2,I1,primary,1,\xc4\xd0\n", false, where{4002, "", "", "encoding"}},
		{"UTF-16", "\xFF\xFEy\x00e\x00a\x00r\x00", true, where{1, "", "", "encoding"}},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", true, where{0, "", "", "format"}},
		{"broken xlsx", "PK\x03\x04garbage", true, where{0, "", "", "format"}},
		{"bare quote", "a,b\n1,2\n\n3,x\"y\n", false, where{4, "", "", "format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := openString(tt.content)
			if err == nil {
				defer src.Close()
				if tt.atOpen {
					t.Fatalf("Open accepted the file")
				}
				_, err = allRows(t, src)
			} else if !tt.atOpen {
				t.Fatalf("Open: %v", err)
			}
			var re *ingest.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *RowError", err, err)
			}
			if got := (where{re.Row, re.Column, re.Value, re.Class}); got != tt.want {
				t.Errorf("got %+v, want %+v: %s", got, tt.want, re.Error())
			}
			if re.Expected == "" || re.ExpectedEn == "" {
				t.Errorf("no message: %+v", re)
			}
		})
	}
}

// TestUTF8Blocks checks that runes cut by the ends of read blocks are taken whole.
func TestUTF8Blocks(t *testing.T) {
	var b strings.Builder
	b.WriteString("学年,学籍号,学校代码,学段,年级,性别\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "2020,学生%d,学校,小学,1,女\n", i)
	}
	rep, recs := readString(t, ingest.Students, b.String())
	if !rep.OK() || len(recs) != 20000 {
		t.Fatalf("%d records\n%s", len(recs), messages(rep))
	}
	if s := recs[19999].(*ingest.Student); s.ID != "学生19999" || s.Row != 20001 {
		t.Errorf("last %+v", s)
	}
	// A bad byte at the very end, and one that cuts a rune.
	for _, tail := range []string{"2020,x,y,primary,1,\xe5", "2020,x,\xe5\xad,primary,1,M\n"} {
		_, err := allRows(t, must(openString(b.String()+tail)))
		var re *ingest.RowError
		if !errors.As(err, &re) || re.Class != "encoding" || re.Row != 20002 {
			t.Errorf("%q: %v", tail, err)
		}
	}
}

func must(src ingest.Source, err error) ingest.Source {
	if err != nil {
		panic(err)
	}
	return src
}

// TestGBKReport checks what a user who imports a GBK file is told.
func TestGBKReport(t *testing.T) {
	_, err := openString("year,student_id\n2020,\xc4\xd0\n")
	var re *ingest.RowError
	if !errors.As(err, &re) {
		t.Fatalf("%v", err)
	}
	re.File = "students.csv"
	if want := "students.csv 第 2 行：文件不是 UTF-8 编码，请另存为 CSV UTF-8（逗号分隔）"; re.Zh() != want {
		t.Errorf("Zh() = %s", re.Zh())
	}
	if want := "students.csv row 2: not UTF-8; save as CSV UTF-8 (comma delimited)"; re.En() != want {
		t.Errorf("En() = %s", re.En())
	}
}

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
	src, err := ingest.Open(path)
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
	src, err = ingest.OpenReader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := allRows(t, src); err != nil || len(rows) != 3 || rows[1].N != 5 {
		t.Errorf("OpenReader: %v %v", rows, err)
	}
	src.Close()
	csvPath := filepath.Join(dir, "population.xlsx")
	os.WriteFile(csvPath, []byte(popHeader+"2020,370602,0,,10\n"), 0o644)
	src, err = ingest.Open(csvPath)
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
	src, err := ingest.Open(path)
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
