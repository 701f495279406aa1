package sheet_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/sheet/sheettest"
)

const studentsHeader = "year,student_id,institution,stage,grade,sex,birth_date,hukou\n"

// fuzzRows reads data as a file and checks what every reader promises: no panic, rows
// numbered upwards from 2, no cell or row beyond the bounds, and every problem an
// *Error with a class and both messages. It returns the header and rows read.
func fuzzRows(t *testing.T, data []byte) [][]string {
	src, err := sheet.OpenReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		checkError(t, err)
		return nil
	}
	defer src.Close()
	rows := [][]string{src.Header()}
	last := 1
	for {
		n, cells, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			checkError(t, err)
			break
		}
		if n <= last {
			t.Fatalf("row %d after %d", n, last)
		}
		last = n
		rows = append(rows, append([]string(nil), cells...))
	}
	for _, row := range rows {
		size := 0
		for _, c := range row {
			size += len(c)
			if utf8.RuneCountInString(c) > 32_767 {
				t.Fatalf("a cell of %d characters", utf8.RuneCountInString(c))
			}
			if !utf8.ValidString(c) {
				t.Fatalf("a cell not UTF-8: %q", c)
			}
		}
		if size > 1<<20 {
			t.Fatalf("a row of %d bytes", size)
		}
	}
	return rows
}

func checkError(t *testing.T, err error) {
	var se *sheet.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want an *Error", err, err)
	}
	if se.Class == "" || se.Row < 0 || se.Zh == "" || se.En == "" {
		t.Fatalf("bad error %+v", se)
	}
}

func FuzzCSVRows(f *testing.F) {
	for _, s := range []string{
		studentsHeader + "2020,S1,3706020001,primary,1,M,2014-03-05,local\n2020,S2,3706020001,junior,7,F,40179,\n",
		"\xEF\xBB\xBF学年,学籍号,学校代码,学段,年级,性别\r\n2021,G1,I1,小学,3,女\r\n,,,\r\n\r\n2021,G1,I1,小学,3,女\r\n",
		studentsHeader + "\"2020\",\"S\n1\",I,primary,1,M,,\n2020,S2,I,primary,x\"y,M,,\n",
		studentsHeader + "2020,S1,I1,preschool,4,X,2013-02-30,foreign\n1900,,,,,,,\n",
		"year,student_id\n2020,\xc4\xd0\n",
		"year,year\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, data)
	})
}

// FuzzXLSX reads arbitrary bytes as a workbook, and as the first sheet of a workbook
// (most changes to a zip break its checksums, so the sheet's XML is fuzzed apart).
func FuzzXLSX(f *testing.F) {
	students := sheettest.Workbook(f, [][]any{
		{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date"},
		{2020, "S1", 3706020001, "primary", 1, "M", 40179},
		{2020.0, "S2", "3706020001", "junior", 7.0, "女", "2008/9/1"},
	})
	f.Add(students)
	f.Add(sheettest.Workbook(f, [][]any{
		{"year", "org", "element", "dims", "value"},
		{2020, 370600, "students", "sex=F", 1.5},
		{2020, "370602", "working_age_schooling_years", nil, true},
	}))
	f.Add(sheettest.Workbook(f, nil))
	f.Add([]byte(sheettest.Part(f, students, sheettest.SheetPath)))
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>student_id</t></is></c></row><row r="3"><c r="XFD3"><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>`))
	base := sheettest.Workbook(f, [][]any{{"year", "student_id"}})
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, data)
		fuzzRows(t, sheettest.WithPart(t, base, sheettest.SheetPath, func(w io.Writer) { w.Write(data) }))
	})
}

// sharedSheet is a students sheet whose cells are all shared strings 0 to 13.
const sharedSheet = `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>` +
	`<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>` +
	`<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" t="s"><v>7</v></c><c r="C2" t="s"><v>8</v></c>` +
	`<c r="D2" t="s"><v>9</v></c><c r="E2" t="s"><v>10</v></c><c r="F2" t="s"><v>11</v></c></row>` +
	`<row r="3"><c r="B3" t="s"><v>12</v></c><c r="ZZ3" t="s"><v>13</v></c></row>`

// FuzzSharedStrings reads arbitrary bytes as the shared strings of a workbook whose
// sheet uses them: no panic, and no cell beyond the readers' bounds comes out.
func FuzzSharedStrings(f *testing.F) {
	f.Add([]byte(xmlDecl + `<sst ` + nsMain + ` count="14" uniqueCount="14"><si><t>year</t></si><si><t>student_id</t></si>` +
		`<si><t>institution</t></si><si><t>stage</t></si><si><t>grade</t></si><si><t>sex</t></si><si><t>2020</t></si>` +
		`<si><t>S1</t></si><si><t>3706020001</t></si><si><t>primary</t></si><si><t>1</t></si><si><t>女</t></si>` +
		`<si><t xml:space="preserve"> x </t></si><si/></sst>`))
	f.Add([]byte(`<sst><si><r><t>ye</t></r><r><rPr/><t>ar</t></r><rPh><t>ヨ</t></rPh></si><si><t>a_x000D_b&amp;&#x4e2d;<![CDATA[<c>]]></t></si></sst>`))
	f.Add([]byte(`<sst><si><t>` + strings.Repeat("x", 40_000) + `</t></si></sst>`))
	f.Fuzz(func(t *testing.T, sst []byte) {
		parts := excelBook(sharedSheet, "")
		parts["xl/sharedStrings.xml"] = string(sst)
		fuzzRows(t, zipBook(t, parts))
	})
}
