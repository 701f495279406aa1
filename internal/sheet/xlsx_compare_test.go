package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sourceRows returns the header and rows of a Source.
func sourceRows(t *testing.T, src Source) [][]string {
	t.Helper()
	rows := [][]string{append([]string{"1"}, src.Header()...)}
	for {
		n, cells, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("after %d rows: %v", len(rows), err)
		}
		rows = append(rows, append([]string{fmt.Sprint(n)}, cells...))
	}
}

// TestXLSXSameAsExcelize reads workbooks written by excelize, in its stream writer
// (inline strings) and cell by cell (shared strings, rich text, formulas with their values, gaps), with
// xlsxSource and with the excelize reader it replaced, which must give the same rows.
func TestXLSXSameAsExcelize(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	dir := t.TempDir()

	stream := excelize.NewFile()
	sw, err := stream.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date", "hukou", "note"})
	birth := time.Date(2012, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2+i/1000) // a blank row every 1,000
		row := []any{2024, fmt.Sprintf("S%012d", i), 3706020000 + i%2000, "primary", 1 + i%6, "F",
			birth.AddDate(0, 0, i%700), "local", nil}
		switch i % 7 {
		case 1:
			row[8] = fmt.Sprintf(" %d_x000D_ & <%d> ", i, i*i)
		case 2:
			row[8] = 1.0 / float64(i)
		case 3:
			row[8] = i%2 == 0
		case 4:
			row[2] = fmt.Sprint(3706020000 + i%2000) // a code as text
			row[6] = "2012/9/1"
		}
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}

	cells := excelize.NewFile()
	for r := 1; r <= 300; r++ {
		if r%10 == 5 {
			continue // gaps between rows
		}
		for c := 1; c <= 12; c += 1 + r%3 { // gaps between cells
			name, _ := excelize.CoordinatesToCellName(c, r)
			var err error
			switch (r + c) % 6 {
			case 0:
				err = cells.SetCellStr("Sheet1", name, fmt.Sprintf("  %s 学校 %d  ", name, r%17)) // shared, repeated
			case 1:
				err = cells.SetCellInt("Sheet1", name, int64(r*c))
			case 2:
				err = cells.SetCellRichText("Sheet1", name, []excelize.RichTextRun{
					{Text: "芝罘", Font: &excelize.Font{Bold: true}}, {Text: fmt.Sprintf(" 区 %d", r)}})
			case 3: // with its value, as Excel saves it (one without is refused: TestXLSXFormulaWithoutValue)
				if err = cells.SetCellInt("Sheet1", name, int64(r+c)); err == nil {
					err = cells.SetCellFormula("Sheet1", name, "A1&B1")
				}
			case 4:
				err = cells.SetCellValue("Sheet1", name, time.Date(2010+r%10, time.Month(1+c%12), 1+r%28, 0, 0, 0, 0, time.UTC))
			case 5:
				err = cells.SetCellBool("Sheet1", name, r%2 == 0)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	cells.NewSheet("Notes")
	cells.SetCellValue("Notes", "A1", "not data")

	for name, f := range map[string]*excelize.File{"stream": stream, "cells": cells} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			f.Close()
			old, err := openExcelizeFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer old.Close()
			want := sourceRows(t, old)
			src, err := openXLSXFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			got := sourceRows(t, src)
			if len(want) < 200 {
				t.Fatalf("only %d rows", len(want))
			}
			if !reflect.DeepEqual(got, want) {
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("%d rows, want %d; first difference:\n got %q\nwant %q", len(got), len(want), got[i], want[i])
					}
				}
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}

			// From memory too.
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			mem, err := openXLSX(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer mem.Close()
			if got := sourceRows(t, mem); !reflect.DeepEqual(got, want) {
				t.Errorf("from memory: %d rows differ", len(got))
			}
		})
	}
}

// BenchmarkXLSXSource reads the rows of a students workbook with xlsxSource and with
// excelize's Rows, without validating them. The workbook is EDUPLAN_BENCH_XLSX if set
// (a million rows, say), else 20,000 rows written by excelize's stream writer.
func BenchmarkXLSXSource(b *testing.B) {
	path := os.Getenv("EDUPLAN_BENCH_XLSX")
	if path == "" {
		path = filepath.Join(b.TempDir(), "students.xlsx")
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		sw.SetRow("A1", []any{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date", "hukou"})
		for i := range 20_000 {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			sw.SetRow(cell, []any{2024, fmt.Sprintf("G%018d", i), 3706020000 + i%2000, "primary", 1 + i%6, "F", 41703 + i%300, "local"})
		}
		sw.Flush()
		if err := f.SaveAs(path); err != nil {
			b.Fatal(err)
		}
	}
	for _, r := range []struct {
		name string
		open func(string) (Source, error)
	}{{"xlsxSource", openXLSXFile}, {"excelize", openExcelizeFile}} {
		b.Run(r.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				src, err := r.open(path)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, _, err := src.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					rows++
				}
				src.Close()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// FuzzXLSXQuickRow reads a sheet with quickRow and a tag at a time: the rows and the
// error must be the same.
func FuzzXLSXQuickRow(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>year</t></is></c></row>` +
			`<row r="3" spans="1:3"><c r="A3" s="1"/><c r="B3"><v>2020</v></c><c r="C3" t="s"><v>1</v></c><c r="D3" t="b"><v>1</v></c></row>`,
		`<row><c><v>1</v></c><c t="inlineStr"><is><t xml:space="preserve"> a&amp;b </t></is></c></row><row><c r="C2" t="str"><f>A1</f><v>x</v></c></row>`,
		"<row r=\"1\">\n  <c r = \"B1\"><v>1</v></c>\n  <c r='C1' t='s'><v>1</v></c>\n</row>",
		`<row r="1"><c r="A1" t="s"><v>7</v></c></row><row r="2"><c r="ZZZZ2"><v>1</v></c></row>`,
		`<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><t>b</t></is></c><c r="B1" t="inlineStr"><is><t/></is></c><c r="C1"><v/></c></row>`,
		`<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2"><v>&#x4e2d;&#20013;</v></c></row>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sheetData string) {
		book := quickBook(t, sheetData)
		read := func(slow bool) (rows [][]string, err error) {
			zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
			if err != nil {
				t.Fatal(err)
			}
			src, err := newXLSX(zr, &xlsxSource{slow: slow})
			if err != nil {
				return nil, err
			}
			defer src.Close()
			rows = append(rows, src.Header())
			for {
				n, cells, err := src.Next()
				if err == io.EOF {
					return rows, nil
				}
				if err != nil {
					return rows, err
				}
				rows = append(rows, append([]string{fmt.Sprint(n)}, cells...))
			}
		}
		quick, qerr := read(false)
		slow, serr := read(true)
		if !reflect.DeepEqual(quick, slow) || fmt.Sprint(qerr) != fmt.Sprint(serr) {
			t.Errorf("quickRow: %q, %v\nslow:     %q, %v", quick, qerr, slow, serr)
		}
	})
}

// quickBook returns a workbook of the sheet data and two shared strings.
func quickBook(t *testing.T, sheetData string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []struct{ name, body string }{
		{"xl/workbook.xml", `<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/sharedStrings.xml", `<sst><si><t>year</t></si><si><r><t>S</t></r><r><t xml:space="preserve">1 </t></r></si></sst>`},
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData>` + sheetData + `</sheetData></worksheet>`},
	} {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkXMLTokens walks the tags of a sheet of 20,000 students' rows, as excelize
// wrote it, with xmlScanner, with encoding/xml's RawToken (no namespaces, no checks of
// nesting) and with its Token, which excelize uses.
func BenchmarkXMLTokens(b *testing.B) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 20_000 {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		sw.SetRow(cell, []any{2024, fmt.Sprintf("G%018d", i), 3706020000 + i%2000, "primary", 1 + i%6, "F", 41703 + i%300, "local"})
	}
	sw.Flush()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		b.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		b.Fatal(err)
	}
	sheet, _ := io.ReadAll(rc)
	b.Run("xmlScanner", func(b *testing.B) {
		b.SetBytes(int64(len(sheet)))
		for b.Loop() {
			sc := newXMLScanner(bytes.NewReader(sheet))
			for {
				t, err := sc.next()
				if err != nil {
					break
				}
				if t.is("v") || t.is("t") {
					sc.text(nil)
				}
			}
		}
	})
	for _, raw := range []bool{true, false} {
		name := "xml.Token"
		if raw {
			name = "xml.RawToken"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(sheet)))
			for b.Loop() {
				d := xml.NewDecoder(bytes.NewReader(sheet))
				for {
					var err error
					if raw {
						_, err = d.RawToken()
					} else {
						_, err = d.Token()
					}
					if err != nil {
						break
					}
				}
			}
		})
	}
}
