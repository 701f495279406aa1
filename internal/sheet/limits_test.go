package sheet_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// instHeaderCells is the header of an institutions sheet, as inline strings.
const instHeaderCells = `<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>code</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>name</t></is></c><c r="D1" t="inlineStr"><is><t>district</t></is></c>` +
	`<c r="E1" t="inlineStr"><is><t>type</t></is></c><c r="F1" t="inlineStr"><is><t>ownership</t></is></c>` +
	`<c r="G1" t="inlineStr"><is><t>location</t></is></c></row>`

// streamedBook returns a workbook laid out as excelBook lays one out, with the sheet
// data given and shared strings written by sst (if not nil) into the archive as a
// stream, deflated: a part of hundreds of MB makes a file of a few hundred KB.
func streamedBook(t testing.TB, sheetData string, sst func(w *bufio.Writer), extra ...string) []byte {
	t.Helper()
	parts := excelBook(sheetData, "")
	// extra holds further parts as name, content pairs: a workbook's other sheets.
	for i := 0; i+1 < len(extra); i += 2 {
		parts[extra[i]] = extra[i+1]
	}
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[n])
	}
	if sst != nil {
		w, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			t.Fatal(err)
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(xmlDecl + `<sst ` + nsMain + `>`)
		sst(bw)
		bw.WriteString(`</sst>`)
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// secondSheet returns the rows of a sheet that uses shared strings 0 to n−1, one a row.
func secondSheet(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>`, i+1, i+1, i)
	}
	return b.String()
}

// items writes n shared strings made by text.
func items(n int, text func(i int) string) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		for i := range n {
			w.WriteString("<si><t>" + text(i) + "</t></si>")
		}
	}
}

// randomText returns n letters that do not compress much.
func randomText(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantLimit checks that err is an *Error of class limit at the row (-1: any) and
// column, with both messages.
func wantLimit(t *testing.T, err error, row int, column string) *sheet.Error {
	t.Helper()
	var re *sheet.Error
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a limit error", err)
	}
	if re.Class != "limit" || (row >= 0 && re.Row != row) || re.Column != column || re.Zh == "" || re.En == "" {
		t.Fatalf("error = %+v, want class limit at row %d column %q", re, row, column)
	}
	return re
}

// TestSharedStringsBounded opens workbooks whose shared strings are more than their
// sheet can use: a table that inflates to more than 128 MiB (refused from the size the
// archive declares, before anything is inflated), more strings than the sheet has
// bytes for, more text than the sheet can show, and a table that inflates like a bomb.
func TestSharedStringsBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	long := make([]string, 48)
	for i := range long {
		long[i] = randomText(r, 30_000)
	}
	// A sheet of some 2.5 MB (blank space kept in sheetData) may use 160,000 strings.
	pad := instHeaderCells + strings.Repeat(" ", 2_500_000)
	tests := []struct {
		name      string
		sheetData string
		sst       func(w *bufio.Writer)
		ok        bool
		maxAlloc  uint64   // bytes opening may allocate; 0: not checked
		extra     []string // further parts: name, content
		large     bool     // a book of 100 MiB or 100,000 strings: left out by -short
	}{
		{"a workbook within the bounds", instHeaderCells + `<row r="2"><c r="A2"><v>2024</v></c><c r="B2" t="s"><v>199</v></c></row>`,
			items(200, func(i int) string { return fmt.Sprint("学校", i) }), true, 0, nil, false},
		{"inflates beyond 128 MiB", instHeaderCells,
			items(129<<20/len("<si><t>x</t></si>"), func(int) string { return "x" }), false, 16 << 20, nil, true},
		{"more strings than the sheet's cells", instHeaderCells,
			items(100_000, func(i int) string { return fmt.Sprint(i * 7919) }), false, 0, nil, false},
		// The strings serve every sheet: a small first sheet beside a large second one
		// that uses 100,000 strings is a workbook as a bureau keeps one, not a bomb.
		{"strings of a second, larger sheet", instHeaderCells,
			items(100_000, func(i int) string { return fmt.Sprint(i * 7919) }), true, 0,
			[]string{"xl/worksheets/sheet3.xml", xmlDecl + `<worksheet ` + nsMain + `><sheetData>` + secondSheet(100_000) + `</sheetData></worksheet>`}, true},
		{"more text than the sheet shows", instHeaderCells,
			items(len(long), func(i int) string { return long[i] }), false, 0, nil, false},
		{"inflates like a bomb", pad,
			items(150_000, func(int) string { return "x" }), false, 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.large {
				t.Skip("writes a string table of 100 MiB or 100,000 strings (CI runs it)")
			}
			book := streamedBook(t, tt.sheetData, tt.sst, tt.extra...)
			var src sheet.Source
			var err error
			n := allocated(func() { src, err = sheet.OpenReader(bytes.NewReader(book), int64(len(book))) })
			if tt.ok {
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				src.Close()
				return
			}
			if err == nil {
				src.Close()
			}
			re := wantLimit(t, err, 0, "")
			if !strings.Contains(re.Zh, "sharedStrings.xml") || !strings.Contains(re.En, "sharedStrings.xml") {
				t.Errorf("the messages do not name the part: %q / %q", re.Zh, re.En)
			}
			if tt.maxAlloc > 0 && n > tt.maxAlloc {
				t.Errorf("opening allocated %d MiB, want at most %d MiB: the bound must hold before inflating", n>>20, tt.maxAlloc>>20)
			}
		})
	}
}

// countingReaderAt counts the bytes read from r.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// fill is a file of size bytes: head, then fill bytes, then tail; nothing is held.
type fillFile struct {
	head, tail string
	fill       byte
	size       int64
}

func (f *fillFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.size {
		return 0, io.EOF
	}
	n := 0
	for ; n < len(p) && off < f.size; n, off = n+1, off+1 {
		switch {
		case off < int64(len(f.head)):
			p[n] = f.head[off]
		case off >= f.size-int64(len(f.tail)):
			p[n] = f.tail[off-(f.size-int64(len(f.tail)))]
		default:
			p[n] = f.fill
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestCSVBounded reads CSV files with a line, a quoted cell, a cell or a header beyond
// the readers' bounds, and checks each is refused at its row, reading little more than
// the bound: a 64 MiB line is refused after some 1 MiB.
func TestCSVBounded(t *testing.T) {
	inst := "year,code,name,district,type,ownership,location\n"
	wide := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "c%d,", i)
		}
		return b.String()
	}
	tests := []struct {
		name   string
		file   *fillFile
		row    int
		column string
	}{
		{"one line of 64 MiB", &fillFile{fill: 'a', size: 64 << 20}, 1, ""},
		{"64 MiB of NUL bytes", &fillFile{fill: 0, size: 64 << 20}, 1, ""},
		{"a row of 64 MiB", &fillFile{head: inst + "\n2024,", fill: 'x', size: 64 << 20, tail: ",n,370602,primary,public,urban\n"}, 3, ""},
		{"a quoted cell of 64 MiB lines", &fillFile{head: inst + "2024,\"", fill: '\n', size: 64 << 20, tail: "\",n,370602,primary,public,urban\n"}, 2, ""},
		{"a header of 2,000 columns", &fillFile{head: wide(2000) + "\n", size: int64(len(wide(2000)) + 1)}, 1, "AMK"},
		{"a cell of 40,000 characters", &fillFile{head: inst + "2024,c,", fill: 'x', tail: ",370602,primary,public,urban\n", size: int64(len(inst)+len("2024,c,")+len(",370602,primary,public,urban\n")) + 40_000}, 2, "C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := &countingReaderAt{r: tt.file}
			src, err := sheet.OpenReader(cr, tt.file.size)
			if err == nil {
				_, err = allRows(t, src)
				src.Close()
			}
			re := wantLimit(t, err, tt.row, tt.column)
			if len(re.Value) > 4*64+len("…") {
				t.Errorf("the error quotes %d bytes of the value", len(re.Value))
			}
			if n := cr.n.Load(); n > 4<<20 {
				t.Errorf("read %d MiB of the file before refusing it", n>>20)
			}
		})
	}
	// Within the bounds: 1,024 columns and as many empty ones after them; a cell of
	// 32,767 characters.
	ok := strings.TrimSuffix(wide(1024), ",") + strings.Repeat(",", 1024) + "\n" + strings.Repeat("字", 32_767) + "\n"
	src, err := openString(ok)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if rows, err := allRows(t, src); err != nil || len(rows) != 1 || len(src.Header()) != 2048 {
		t.Fatalf("rows %d, header %d, err %v", len(rows), len(src.Header()), err)
	}
}

// TestXLSXRowsBounded reads sheets with a cell, a row or a header beyond the readers'
// bounds, written as Excel writes cells and in the forms only the slow path reads.
func TestXLSXRowsBounded(t *testing.T) {
	big := strings.Repeat("字", 40_000)
	var wide, runs, longRow strings.Builder
	for i := range 1100 {
		fmt.Fprintf(&wide, `<c t="inlineStr"><is><t>c%d</t></is></c>`, i)
	}
	for range 50 {
		runs.WriteString(`<r><t>` + strings.Repeat("x", 1000) + `</t></r>`)
	}
	for range 40 {
		longRow.WriteString(`<c t="inlineStr"><is><t>` + strings.Repeat("y", 30_000) + `</t></is></c>`)
	}
	tests := []struct {
		name, sheetData, sst string
		row                  int
		column               string
	}{
		{"an inline cell of 40,000 characters", instHeaderCells + `<row r="2"><c r="A2"><v>2024</v></c><c r="C2" t="inlineStr"><is><t>` + big + `</t></is></c></row>`, "", 2, "C"},
		{"a number cell of 40,000 digits", instHeaderCells + `<row r="2"><c r="B2"><v>` + strings.Repeat("9", 40_000) + `</v></c></row>`, "", 2, "B"},
		{"a shared string of 40,000 characters", instHeaderCells + `<row r="2"><c r="C2" t="s"><v>0</v></c></row>`, `<si><t>` + big + `</t></si>`, 2, "C"},
		{"rich text runs of 50,000 characters", instHeaderCells + `<row r="2"><c r="C2" t="inlineStr"><is>` + runs.String() + `</is></c></row>`, "", 2, "C"},
		{"a header of 1,100 columns", `<row r="1">` + wide.String() + `</row>`, "", 1, "AMK"},
		{"a row of 1.2 MB", instHeaderCells + `<row r="2">` + longRow.String() + `</row>`, "", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := zipBook(t, excelBook(tt.sheetData, tt.sst))
			src, err := sheet.OpenReader(bytes.NewReader(book), int64(len(book)))
			if err == nil {
				_, err = allRows(t, src)
				src.Close()
			}
			re := wantLimit(t, err, tt.row, tt.column)
			if utf8.RuneCountInString(re.Value) > 65 {
				t.Errorf("the error quotes %d characters of the value", utf8.RuneCountInString(re.Value))
			}
		})
	}
}
