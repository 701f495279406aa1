package ingest_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
)

// zipBook returns a zip archive of the parts.
func zipBook(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	xmlDecl    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	nsMain     = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRels     = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relOffice  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument`
	relSheet   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet`
	relStrings = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings`
)

// excelBook returns the parts of a workbook as Excel lays it out, with the given sheet
// data (the inside of <sheetData>) and shared strings (the <si> items, if not "").
// The first sheet is sheet2.xml, as in a workbook whose sheets were reordered; the
// second, sheet1.xml, must be ignored.
func excelBook(sheetData, sst string) map[string]string {
	parts := map[string]string{
		"[Content_Types].xml": xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relOffice + `" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": xmlDecl + `<workbook ` + nsMain + ` ` + nsRels + `><workbookPr/><bookViews><workbookView/></bookViews>` +
			`<sheets><sheet name="学生" sheetId="2" r:id="rId2"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relSheet + `" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relSheet + `" Target="worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="` + relStrings + `" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": xmlDecl + `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not data</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/sheet2.xml": xmlDecl + `<worksheet ` + nsMain + ` ` + nsRels + `><dimension ref="A1:H9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
			`<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="8" width="12"/></cols>` +
			`<sheetData>` + sheetData + `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
	}
	if sst != "" {
		parts["xl/sharedStrings.xml"] = xmlDecl + `<sst ` + nsMain + ` count="99" uniqueCount="99">` + sst + `</sst>`
	}
	return parts
}

// TestXLSXCells reads sheets written by hand the way Excel, WPS and other writers
// write them, and checks every row's number and cells.
func TestXLSXCells(t *testing.T) {
	// Shared strings: plain; with spaces kept; rich text in runs (with a phonetic run
	// whose text is not the cell's); Excel's _xHHHH_ escapes; character references;
	// an empty item.
	sst := `<si><t>year</t></si>` + // 0
		`<si><t>student_id</t></si>` + // 1
		`<si><t xml:space="preserve">  S 1 </t></si>` + // 2
		`<si><r><rPr><b/><sz val="11"/></rPr><t>芝罘</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve"> 区 </t></r><rPh sb="0" eb="1"><t>zhi</t></rPh><phoneticPr fontId="1"/></si>` + // 3
		`<si><t>a_x000D__x000A_b_x005F_x0041_</t></si>` + // 4
		`<si><t>&lt;&amp;&gt;&quot;&apos;&#20013;&#x6587;</t></si>` + // 5
		`<si><t/></si>` + // 6
		`<si><t>M</t></si>` // 7
	tests := []struct {
		name  string
		parts map[string]string
		want  []row // the header first
	}{{
		name: "Excel: shared strings, numbers, a date, a boolean, gaps",
		parts: excelBook(
			`<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c><c r="D1" s="1" t="s"><v>4</v></c></row>`+
				// A cell with a style only, a gap at B, a date serial with a date style.
				`<row r="2"><c r="A2" s="3"/><c r="C2" s="2"><v>40179</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="s"><v>5</v></c></row>`+
				// Rows 3 and 4 missing; row 5 is empty but styled; row 6 has blanks only.
				`<row r="5" s="1" customFormat="1"/>`+
				`<row r="6"><c r="A6" t="s"><v>6</v></c><c r="B6" t="inlineStr"><is><t xml:space="preserve">   </t></is></c></row>`+
				`<row r="7"><c r="A7" t="s"><v>2</v></c><c r="H7"><v>2.5E-3</v></c><c r="I7" t="e"><v>#N/A</v></c><c r="J7" t="str"><f>A7&amp;"x"</f><v>S 1x</v></c></row>`,
			sst),
		want: []row{
			{1, []string{"year", "student_id", "芝罘 区", "a\r\nb_x0041_"}},
			{2, []string{"", "", "40179", "1", `<&>"'中文`}},
			{7, []string{"S 1", "", "", "", "", "", "", "2.5E-3", "#N/A", "S 1x"}},
		},
	}, {
		name: "excelize: inline strings, rows and cells without r",
		parts: excelBook(
			`<row><c t="inlineStr"><is><t>year</t></is></c><c t="inlineStr"><is><r><t>stu</t></r><r><t>dent_id</t></r></is></c></row>`+
				`<row><c><v>2020</v></c><c t="inlineStr"><is><t>S1</t></is></c></row>`+
				`<row r="4"><c r="B4" t="inlineStr"><is><t>S2</t></is></c><c><v>3</v></c></row>`+
				`<row><c r="A5" t="d"><v>2014-03-05T00:00:00Z</v></c></row>`,
			""),
		want: []row{
			{1, []string{"year", "student_id"}},
			{2, []string{"2020", "S1"}},
			{4, []string{"", "S2", "3"}},
			{5, []string{"2014-03-05T00:00:00Z"}},
		},
	}, {
		name: "prefixed namespace, absolute targets, comments and CDATA",
		parts: map[string]string{
			"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="R1" Type="` + relOffice + `" Target="/book/wb.xml"/></Relationships>`,
			"book/wb.xml": `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` + nsRels + `>` +
				`<x:sheets><x:sheet name="S" sheetId="1" r:id="R7"/></x:sheets></x:workbook>`,
			"book/_rels/wb.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="R7" Type="` + relSheet + `" Target="/data/s.xml"/>` +
				`<Relationship Id="R8" Type="` + relStrings + `" Target="../data/strings.xml"/></Relationships>`,
			"data/strings.xml": `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>year</x:t></x:si><x:si><x:t>name</x:t></x:si></x:sst>`,
			"data/s.xml": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
				`<x:row x:r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t='s'><x:v>1</x:v></x:c></x:row>` +
				`<!-- a comment <row> --><x:row r="2"><x:c r="A2"><x:v>2021</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t><![CDATA[<b>&amp;]]> &amp; x</x:t></x:is></x:c></x:row>` +
				`</x:sheetData></x:worksheet>`,
		},
		want: []row{
			{1, []string{"year", "name"}},
			{2, []string{"2021", "<b>&amp; & x"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := zipBook(t, tt.parts)
			src, err := ingest.OpenReader(bytes.NewReader(book), int64(len(book)))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			got := []row{{1, src.Header()}}
			rows, err := allRows(t, src)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, rows...)
			if got[0].N = 1; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestXLSXDates reads a students sheet whose birth dates are Excel serials in date
// cells, as Excel and WPS store a date typed into a cell: 40179 is 2010-01-01, 41703
// is 2014-03-05.
func TestXLSXDates(t *testing.T) {
	book := zipBook(t, excelBook(
		`<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>student_id</t></is></c><c r="C1" t="inlineStr"><is><t>institution</t></is></c>`+
			`<c r="D1" t="inlineStr"><is><t>stage</t></is></c><c r="E1" t="inlineStr"><is><t>grade</t></is></c><c r="F1" t="inlineStr"><is><t>sex</t></is></c><c r="G1" t="inlineStr"><is><t>birth_date</t></is></c></row>`+
			`<row r="2"><c r="A2"><v>2020</v></c><c r="B2" t="inlineStr"><is><t>S1</t></is></c><c r="C2"><v>3706020001</v></c><c r="D2" t="inlineStr"><is><t>primary</t></is></c><c r="E2"><v>4</v></c><c r="F2" t="inlineStr"><is><t>M</t></is></c><c r="G2" s="1"><v>40179</v></c></row>`+
			`<row r="3"><c r="A3"><v>2020</v></c><c r="B3" t="inlineStr"><is><t>S2</t></is></c><c r="C3"><v>3706020001</v></c><c r="D3" t="inlineStr"><is><t>primary</t></is></c><c r="E3"><v>1</v></c><c r="F3" t="inlineStr"><is><t>F</t></is></c><c r="G3" s="1"><v>41703</v></c></row>`,
		""))
	src, err := ingest.OpenReader(bytes.NewReader(book), int64(len(book)))
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

// TestXLSXBroken checks that a corrupt sheet is a format error naming the row where
// reading stopped, after the rows before it.
func TestXLSXBroken(t *testing.T) {
	const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c></row>`
	tests := []struct {
		name      string
		sheetData string
		sst       string
		rows      int // good rows before the error
		errRow    int
	}{
		{"shared string out of range", `<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c></row>`, `<si><t>x</t></si>`, 1, 3},
		{"bad shared string index", `<row r="2"><c r="A2" t="s"><v>x</v></c></row>`, `<si><t>x</t></si>`, 0, 2},
		{"bad cell reference", `<row r="2"><c r="2A"><v>1</v></c></row>`, "", 0, 2},
		{"column beyond XFD", `<row r="2"><c r="XFE2"><v>1</v></c></row>`, "", 0, 2},
		{"row beyond the last", `<row r="1048577"><c><v>1</v></c></row>`, "", 0, 1048577},
		{"bad row number", `<row r="2"><c><v>1</v></c></row><row r="x"><c><v>1</v></c></row>`, "", 1, 3},
		{"unknown entity", `<row r="2"><c r="A2" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`, "", 0, 2},
		{"not UTF-8", "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\xc5\xae\xff</t></is></c></row>", "", 0, 2},
		{"cell not closed", `<row r="2"><c r="A2"><v>1</v></row>`, "", 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := zipBook(t, excelBook(header+tt.sheetData, tt.sst))
			src, err := ingest.OpenReader(bytes.NewReader(book), int64(len(book)))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rows, err := allRows(t, src)
			var re *ingest.RowError
			if !errors.As(err, &re) || re.Class != ingest.ClassFormat || re.Row != tt.errRow || len(rows) != tt.rows {
				t.Errorf("rows %v, error %#v", rows, err)
			}
		})
	}

	// A sheet cut short, and a workbook without its sheet.
	parts := excelBook(header, "")
	sheet := parts["xl/worksheets/sheet2.xml"]
	parts["xl/worksheets/sheet2.xml"] = sheet[:strings.Index(sheet, "</row>")+3]
	book := zipBook(t, parts)
	if src, err := ingest.OpenReader(bytes.NewReader(book), int64(len(book))); err == nil {
		src.Close()
		t.Errorf("a sheet cut short was read")
	}
	parts = excelBook(header, "")
	delete(parts, "xl/worksheets/sheet2.xml")
	book = zipBook(t, parts)
	if src, err := ingest.OpenReader(bytes.NewReader(book), int64(len(book))); err == nil || !strings.Contains(err.Error(), "sheet") {
		if src != nil {
			src.Close()
		}
		t.Errorf("a workbook without its sheet: %v", err)
	}
}
