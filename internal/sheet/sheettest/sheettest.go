// Package sheettest builds workbooks for the tests of the readers and of what reads
// through them (ingest): by hand, part by part, as Excel and other programs lay one out,
// or by excelize.
package sheettest

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Parts of a workbook written by hand.
const (
	XMLDecl    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	NSMain     = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	NSRels     = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	RelOffice  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument`
	RelSheet   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet`
	RelStrings = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings`
)

// Zip returns a zip archive of the parts, in the order of their names.
func Zip(tb testing.TB, parts map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(n)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, parts[n])
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// ExcelParts returns the parts of a workbook as Excel lays it out, with the given sheet
// data (the inside of <sheetData>) and shared strings (the <si> items, if not "").
// The first sheet is sheet2.xml, as in a workbook whose sheets were reordered; the
// second, sheet1.xml, must be ignored.
func ExcelParts(sheetData, sst string) map[string]string {
	parts := map[string]string{
		"[Content_Types].xml": XMLDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": XMLDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + RelOffice + `" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": XMLDecl + `<workbook ` + NSMain + ` ` + NSRels + `><workbookPr/><bookViews><workbookView/></bookViews>` +
			`<sheets><sheet name="学生" sheetId="2" r:id="rId2"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": XMLDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + RelSheet + `" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + RelSheet + `" Target="worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="` + RelStrings + `" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": XMLDecl + `<worksheet ` + NSMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not data</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/sheet2.xml": XMLDecl + `<worksheet ` + NSMain + ` ` + NSRels + `><dimension ref="A1:H9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
			`<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="8" width="12"/></cols>` +
			`<sheetData>` + sheetData + `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
	}
	if sst != "" {
		parts["xl/sharedStrings.xml"] = XMLDecl + `<sst ` + NSMain + ` count="99" uniqueCount="99">` + sst + `</sst>`
	}
	return parts
}

// Workbook returns a workbook written by excelize whose first sheet holds rows (its
// strings shared strings, as excelize writes them cell by cell).
func Workbook(tb testing.TB, rows [][]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// SheetPath is the first sheet of a workbook excelize writes.
const SheetPath = "xl/worksheets/sheet1.xml"

// Part returns a part of a workbook.
func Part(tb testing.TB, book []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		tb.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

// WithPart returns book with its part of the name (added if it has none) written by
// write, deflated: a part of hundreds of MB makes a file of a few hundred KB.
func WithPart(tb testing.TB, book []byte, name string, write func(w io.Writer)) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		if zf.Name == name {
			continue
		}
		w, _ := zw.Create(zf.Name)
		rc, _ := zf.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	w, _ := zw.Create(name)
	write(w)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}
