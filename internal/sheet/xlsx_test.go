package sheet_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/sheet/sheettest"
)

var (
	zipBook    = sheettest.Zip
	excelBook  = sheettest.ExcelParts
	xmlDecl    = sheettest.XMLDecl
	nsMain     = sheettest.NSMain
	nsRels     = sheettest.NSRels
	relOffice  = sheettest.RelOffice
	relSheet   = sheettest.RelSheet
	relStrings = sheettest.RelStrings
)

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
			src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
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
			src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rows, err := allRows(t, src)
			var re *sheet.Error
			if !errors.As(err, &re) || re.Class != sheet.ClassFormat || re.Row != tt.errRow || len(rows) != tt.rows {
				t.Errorf("rows %v, error %#v", rows, err)
			}
		})
	}

	// A sheet cut short, and a workbook without its sheet.
	parts := excelBook(header, "")
	part := parts["xl/worksheets/sheet2.xml"]
	parts["xl/worksheets/sheet2.xml"] = part[:strings.Index(part, "</row>")+3]
	book := zipBook(t, parts)
	if src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book))); err == nil {
		src.Close()
		t.Errorf("a sheet cut short was read")
	}
	parts = excelBook(header, "")
	delete(parts, "xl/worksheets/sheet2.xml")
	book = zipBook(t, parts)
	if src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book))); err == nil || !strings.Contains(err.Error(), "sheet") {
		if src != nil {
			src.Close()
		}
		t.Errorf("a workbook without its sheet: %v", err)
	}
}

// TestXLSXFormulaWithoutValue: a formula whose computed value the file lacks, as a
// program that does not compute formulas writes it (excelize: no <v>; openpyxl: an
// empty <v/>), is refused naming its cell, not read as an empty cell (a count of 0).
// A formula with its value, an empty text among them, reads as that value.
func TestXLSXFormulaWithoutValue(t *testing.T) {
	const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c><c r="C1" t="inlineStr"><is><t>m</t></is></c></row>`
	// Row 2: formulas with their values, read as those values.
	const cached = `<row r="2"><c r="A2"><v>2020</v></c><c r="B2"><f>1+2</f><v>3</v></c><c r="C2" t="str"><f>""</f><v></v></c><c r="D2" t="str"><f>"x"</f><v>x</v></c></row>`
	tests := []struct {
		name, row string
		column    string
	}{
		{"no <v> (excelize)", `<row r="5"><c r="A5"><v>2020</v></c><c r="B5"><v>4</v></c><c r="C5" t="str"><f>SUM(B2:B4)</f></c></row>`, "C"},
		{"an empty <v/> (openpyxl)", `<row r="5"><c r="A5"><v>2020</v></c><c r="B5"><f>SUM(B2:B4)</f><v/></c></row>`, "B"},
		{"an empty <v></v> in a number cell", `<row r="5"><c r="A5"><f>2019+1</f><v></v></c></row>`, "A"},
		{"a shared formula without its value", `<row r="5"><c r="A5"><v>2020</v></c><c r="B5"><f t="shared" si="0"/></c></row>`, "B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := zipBook(t, excelBook(header+cached+tt.row, ""))
			src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rows, err := allRows(t, src)
			if want := []row{{2, []string{"2020", "3", "", "x"}}}; !reflect.DeepEqual(rows, want) {
				t.Errorf("rows %v, want %v", rows, want)
			}
			var re *sheet.Error
			ref := tt.column + "5"
			if !errors.As(err, &re) || re.Row != 5 || re.Column != tt.column || re.Class != sheet.ClassFormat ||
				!strings.Contains(re.Zh, ref+" 单元格是公式但没有计算结果") || !strings.Contains(re.En, "cell "+ref+" holds a formula with no computed value") {
				t.Errorf("error %#v, want one naming %s", err, ref)
			}
		})
	}
	// The header's own cells are read the same way.
	book := zipBook(t, excelBook(`<row r="1"><c r="A1" t="str"><f>"year"</f></c></row>`+cached, ""))
	src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
	var re *sheet.Error
	if err == nil {
		src.Close()
	}
	if !errors.As(err, &re) || re.Row != 1 || re.Column != "A" {
		t.Errorf("a header of formulas without values: %v", err)
	}
}
