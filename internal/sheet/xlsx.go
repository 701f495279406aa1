package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xlsxSource streams the first sheet of a workbook, row by row. It reads the parts of
// the zip archive itself, with xmlScanner and quickRow: excelize's Rows, which it
// replaces, read a sheet of students at some 20,000 rows a second, several times
// slower than validating and storing them; this reads several hundred thousand.
//
// Cells come raw, as the sheet stores them: numbers unformatted ("0.125", not "13%"),
// booleans as 1/0, dates as Excel serial numbers that the date parser turns into
// YYYY-MM-DD whatever the cell's display format, so no style need be read.
type xlsxSource struct {
	zc     io.Closer     // the archive, when opened from a path
	part   io.ReadCloser // the sheet
	ahead  *aheadReader  // inflating part
	sc     *xmlScanner
	sst    *sharedStrings
	header []string

	slow     bool // read every row a tag at a time (for tests of quickRow)
	row      int  // the spreadsheet row of the last row read
	rowBytes int  // the text of the row's cells so far
	inData   bool // within <sheetData>
	done     bool // past </sheetData>

	// The row being read: its cells, and their values before they become strings.
	cells         []string
	vals          []cellValue
	text          []byte // the values' text, made one string per row
	value, inline []byte // buffers for a cell's <v> and <is>
}

// cellValue is a cell of the row being read: its value is s, or text[start:end].
type cellValue struct {
	col        int
	s          string
	start, end int
	direct     bool
}

// Limits of a worksheet (Excel's).
const (
	xlsxMaxRows = 1_048_576
	xlsxMaxCols = 16_384
)

func openXLSXFile(name string) (src Source, err error) {
	defer recoverXLSX(&err)
	zr, err := zip.OpenReader(name)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, notXLSX(err)
	}
	return newXLSX(&zr.Reader, &xlsxSource{zc: zr})
}

func openXLSX(r io.Reader) (src Source, err error) {
	defer recoverXLSX(&err)
	// An upload is read whole, as the zip directory is at its end.
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, notXLSX(err)
	}
	return newXLSX(zr, &xlsxSource{})
}

// notXLSX is the error for a workbook that cannot be read; an *Error (a bound
// passed) is passed on as it is.
func notXLSX(err error) *Error {
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	msg := Shorten(err.Error(), 200)
	return &Error{Class: ClassFormat,
		Zh: fmt.Sprintf("无法作为 XLSX 工作簿打开（%v）", msg),
		En: fmt.Sprintf("cannot be opened as an XLSX workbook (%v)", msg)}
}

// recoverXLSX turns a panic on a malformed file into an error: files come from
// outside, and one bad file must not bring the server down.
func recoverXLSX(err *error) {
	if p := recover(); p != nil {
		*err = notXLSX(fmt.Errorf("%v", p))
	}
}

// newXLSX opens the first sheet of the workbook in zr as s; s.zc, if not nil, is
// closed with the Source or on an error.
func newXLSX(zr *zip.Reader, s *xlsxSource) (src Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = notXLSX(fmt.Errorf("%v", p))
		}
		if err != nil {
			s.Close()
			src = nil
		}
	}()
	parts := zipPartsOf(zr)
	sheet, strs, err := findSheet(parts)
	if err != nil {
		return nil, notXLSX(err)
	}
	// Every bound that the sizes the archive declares can show is checked before
	// anything is inflated; archive/zip fails a part that inflates beyond its size.
	sheetPart := parts.lookup(sheet)
	if err := checkPart(sheet, sheetPart, maxSheetBytes); err != nil {
		return nil, err
	}
	if s.sst, err = readSharedStrings(strs, parts.lookup(strs), sheetsSize(parts, sheet)); err != nil {
		return nil, notXLSX(fmt.Errorf("%s: %w", strs, err))
	}
	if s.part, err = sheetPart.Open(); err != nil {
		return nil, notXLSX(err)
	}
	s.ahead = newAheadReader(s.part)
	s.sc = newXMLScanner(s.ahead)
	_, header, err := s.Next()
	if err == io.EOF {
		return nil, emptyFileError()
	}
	if err != nil {
		return nil, err
	}
	s.header = append([]string(nil), header...)
	return s, nil
}

func (s *xlsxSource) Header() []string { return s.header }

func (s *xlsxSource) Next() (row int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			row, cells, err = 0, nil, formatError(s.row+1, fmt.Errorf("%v", p))
		}
	}()
	for {
		cells, err := s.readRow()
		if err != nil {
			return 0, nil, err
		}
		if blank(cells) {
			continue
		}
		for i, c := range cells {
			cells[i] = Trim(c)
		}
		return s.row, cells, nil
	}
}

func (s *xlsxSource) Close() error {
	var err error
	if s.ahead != nil {
		s.ahead.Close()
	}
	if s.part != nil {
		err = s.part.Close()
	}
	if s.zc != nil {
		if cerr := s.zc.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// readRow reads the next <row> of the sheet, blank or not, setting s.row.
func (s *xlsxSource) readRow() ([]string, error) {
	if s.done {
		return nil, io.EOF
	}
	for {
		t, err := s.sc.next()
		switch {
		case err == io.EOF && !s.inData: // a sheet without <sheetData> has no rows
			s.done = true
			return nil, io.EOF
		case err != nil:
			return nil, formatError(s.row+1, err)
		case !s.inData:
			if t.is("sheetData") && !t.end {
				s.inData, s.done = !t.empty, t.empty
				if s.done {
					return nil, io.EOF
				}
			}
		case t.end && t.is("sheetData"):
			s.done = true
			return nil, s.drain()
		case t.is("row") && !t.end:
			if err := s.startRow(t.attrs); err != nil {
				return nil, formatError(s.row, err)
			}
			if t.empty {
				return s.cells[:0], nil
			}
			if !s.slow && s.quickRow() {
				return s.cells, nil
			}
			if err := s.readCells(); err != nil {
				return nil, formatError(s.row, err)
			}
			return s.cells, nil
		}
	}
}

// drain reads the rest of the sheet for the archive's checksum of it.
func (s *xlsxSource) drain() error {
	if _, err := io.Copy(io.Discard, s.ahead); err != nil {
		return formatError(s.row+1, err)
	}
	return io.EOF
}

// startRow numbers the row: its r attribute, or the row after the last. Rows go down
// the sheet, so a number at or above the last one's is taken as the row after it.
func (s *xlsxSource) startRow(attrs []byte) error {
	s.row++
	if v, ok := attr(attrs, "r"); ok {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return fmt.Errorf("bad row number %q", v)
		}
		s.row = max(s.row, n)
	}
	if s.row > xlsxMaxRows {
		return fmt.Errorf("row %d is beyond the last row of a sheet (%d)", s.row, xlsxMaxRows)
	}
	s.vals, s.text, s.rowBytes = s.vals[:0], s.text[:0], 0
	return nil
}

// quickRow reads the cells of a row, up to its </row>, if they are all written in the
// few forms Excel, WPS and excelize write: <c .../>, <c ...><v>text</v></c> and
// <c ...><is><t>text</t></is></c>. It reads the row straight from the scanner's
// buffer, twice as fast as a tag at a time. If the row holds anything else (a formula,
// rich text, a comment, a namespace prefix, an error) it reads nothing and returns
// false, for readCells to read the row.
func (s *xlsxSource) quickRow() bool {
	sc := s.sc
	for {
		n, res := s.quickCells(sc.buf[sc.pos:sc.end])
		switch res {
		case quickDone:
			sc.pos += n
			s.rowCells()
			return true
		case quickMore: // the row goes on past the data in buf
			s.vals, s.text, s.rowBytes = s.vals[:0], s.text[:0], 0
			if sc.end-sc.pos > maxQuickRow || !sc.fill() {
				return false
			}
		default:
			s.vals, s.text, s.rowBytes = s.vals[:0], s.text[:0], 0
			return false
		}
	}
}

// maxQuickRow bounds the row that quickRow takes in at once.
const maxQuickRow = 1 << 20

const (
	quickDone = iota // the row is read
	quickMore        // the data ends within the row
	quickNo          // the row holds what quickRow does not read
)

// prefix reports quickDone if b starts with p, quickMore if b is a start of p.
func prefix(b []byte, p string) int {
	if len(b) < len(p) {
		if string(b) == p[:len(b)] {
			return quickMore
		}
		return quickNo
	}
	if string(b[:len(p)]) == p {
		return quickDone
	}
	return quickNo
}

// quickCells reads the cells of a row from b, the data after its <row> tag, for
// quickRow; it returns how much of b the row took, up to and with its </row>.
func (s *xlsxSource) quickCells(data []byte) (int, int) {
	b := data
	col := -1
	var typBuf [16]byte
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return 0, quickMore
		}
		b = b[i:]
		if len(b) < 3 {
			return 0, quickMore
		}
		if b[1] == '/' {
			if r := prefix(b, "</row>"); r != quickDone {
				return 0, r
			}
			return len(data) - len(b) + len("</row>"), quickDone
		}
		if b[1] != 'c' || !(isSpace(b[2]) || b[2] == '>' || b[2] == '/') {
			return 0, quickNo
		}
		j := bytes.IndexByte(b, '>')
		if j < 0 {
			return 0, quickMore
		}
		attrs, empty := b[2:j], false
		if n := len(attrs); n > 0 && attrs[n-1] == '/' {
			attrs, empty = attrs[:n-1], true
		}
		ref, typ, ok := cellAttrs(attrs)
		if !ok {
			return 0, quickNo
		}
		b = b[j+1:]
		if ref == nil {
			col++
		} else if col, ok = refColumn(ref); !ok {
			return 0, quickNo
		}
		if col >= xlsxMaxCols {
			return 0, quickNo
		}
		if empty {
			continue
		}
		c := cellXML{typ: append(typBuf[:0], typ...)}
		var text []byte
		end := "</v></c>"
		if r := prefix(b, "<v>"); r == quickDone {
			b, c.hasV = b[len("<v>"):], true
		} else if r == quickMore {
			return 0, r
		} else if r = prefix(b, "<is><t"); r == quickDone {
			b = b[len("<is><t"):]
			j := bytes.IndexByte(b, '>')
			if j < 0 {
				return 0, quickMore
			}
			if t := b[:j]; len(t) > 0 && (!isSpace(t[0]) || t[len(t)-1] == '/' ||
				bytes.IndexByte(t, '\'') >= 0 || bytes.Count(t, []byte{'"'})%2 != 0) {
				return 0, quickNo // <ts>, an empty <t/>, or perhaps a '>' within quotes
			}
			b, c.hasIS, end = b[j+1:], true, "</t></is></c>"
		} else if r == quickMore {
			return 0, r
		} else if r = prefix(b, "</c>"); r == quickDone {
			b = b[len("</c>"):]
			continue
		} else {
			return 0, r
		}
		k := bytes.IndexByte(b, '<')
		if k < 0 {
			return 0, quickMore
		}
		text = b[:k]
		if r := prefix(b[k:], end); r != quickDone {
			return 0, r
		}
		b = b[k+len(end):]
		var err error
		if c.hasV {
			c.v, err = appendText(s.value[:0], text)
			s.value = c.v
		} else {
			c.is, err = appendText(s.inline[:0], text)
			s.inline = c.is
		}
		if err != nil || s.addCell(col, &c) != nil {
			return 0, quickNo
		}
	}
}

// cellAttrs returns the r and t attributes of a <c> (nil if it lacks them), in one
// pass; ok is false for attributes it does not read (single quotes, references).
func cellAttrs(b []byte) (r, t []byte, ok bool) {
	for {
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		b = b[i:]
		if len(b) == 0 {
			return r, t, true
		}
		eq := bytes.IndexByte(b, '=')
		if eq <= 0 || eq+1 >= len(b) || b[eq+1] != '"' {
			return nil, nil, false
		}
		end := bytes.IndexByte(b[eq+2:], '"')
		if end < 0 {
			return nil, nil, false
		}
		v, key := b[eq+2:eq+2+end], b[:eq]
		for _, ch := range key {
			if !('a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z') {
				return nil, nil, false // a prefix, spaces around the =, or worse
			}
		}
		switch string(key) {
		case "r":
			if r == nil { // the first, as attr takes
				r = v
			}
		case "t":
			if t == nil {
				t = v
			}
		}
		if bytes.IndexByte(v, '&') >= 0 {
			return nil, nil, false
		}
		b = b[eq+3+end:]
	}
}

// refColumn returns the column of a cell reference ("B7" → 1).
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		ch := ref[i] | 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a'+1)
	}
	if i == 0 || col > xlsxMaxCols {
		return 0, false
	}
	for _, ch := range ref[i:] {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	return col - 1, true
}

// readCells reads the cells of a row up to its </row>, into s.cells.
func (s *xlsxSource) readCells() error {
	col := -1 // the last cell's column
	var (
		c      cellXML
		typBuf [16]byte
	)
	inCell := false
	for {
		t, err := s.sc.next()
		if err != nil {
			return err
		}
		switch {
		case t.end && t.is("row"):
			if inCell {
				return errors.New("a cell is not closed")
			}
			s.rowCells()
			return nil
		case !inCell:
			if t.end || !t.is("c") {
				continue
			}
			if col, err = cellColumn(t.attrs, col); err != nil {
				return err
			}
			tv, _ := attr(t.attrs, "t")
			c = cellXML{typ: append(typBuf[:0], tv...), v: s.value[:0], is: s.inline[:0]}
			if t.empty { // a cell with a style or a comment only
				continue
			}
			inCell = true
		case t.end && t.is("c"):
			inCell = false
			s.value, s.inline = c.v, c.is // keep the grown buffers
			if err := s.addCell(col, &c); err != nil {
				return err
			}
		default:
			if err := c.element(s.sc, t); err == errCellTooLong {
				// The error quickRow would give for the cell.
				if err := bound(s, col, unescapeOOXML(c.is)); err != nil {
					return err
				}
				return cellTooLongError(s.row, col, string(c.is[:4*MaxQuoted]))
			} else if err != nil {
				return err
			}
		}
	}
}

// cellXML is what a <c> element holds.
type cellXML struct {
	typ        []byte // its t attribute
	v, is      []byte // the text of its <v> and <is>
	hasV, hasF bool
	hasIS      bool
	inIS       bool
	rPh        int // depth in phonetic runs, whose text is not the cell's
}

// element takes in a tag within a <c>.
func (c *cellXML) element(sc *xmlScanner, t xmlTag) error {
	var err error
	switch {
	case t.is("rPh"):
		if t.end {
			c.rPh--
		} else if !t.empty {
			c.rPh++
		}
	case t.is("is"):
		c.inIS, c.hasIS = !t.end && !t.empty, true
	case t.end:
	case t.is("f"):
		c.hasF = true
	case t.is("v") && t.empty && !c.inIS:
		c.hasV = true // <v/>: a value, empty
	case t.is("v") && !c.inIS && !c.hasV:
		c.v, err = sc.text(c.v)
		c.hasV = true
	case t.is("t") && !t.empty && c.inIS && c.rPh == 0:
		c.is, err = sc.text(c.is)
		if err == nil && len(c.is) > maxCellChars*len("_x0000_") { // runs of rich text add up
			err = errCellTooLong
		}
	}
	return err
}

// errCellTooLong ends a cell whose text cannot be within maxCellChars, even with
// every character written as an _xHHHH_ escape.
var errCellTooLong = errors.New("cell too long")

// cellColumn returns the column of a cell, from its r attribute ("B7") or as the one
// after the last.
func cellColumn(attrs []byte, last int) (int, error) {
	ref, ok := attr(attrs, "r")
	if !ok {
		if last+1 >= xlsxMaxCols {
			return 0, fmt.Errorf("more than %d columns", xlsxMaxCols)
		}
		return last + 1, nil
	}
	col, ok := refColumn(ref)
	if !ok {
		return 0, fmt.Errorf("bad cell reference %q", ref)
	}
	return col, nil
}

// addCell adds a cell's value to the row, as excelize gives it with RawCellValue: a
// shared or inline string's text with Excel's _xHHHH_ escapes decoded, any other
// cell's <v> as it is. An empty cell is left out unless it has a formula, so that a
// row is as long as its last cell with something in it.
//
// A cell beyond the readers' bounds (maxColumns, maxCellChars, maxRowBytes) is a
// *Error.
//
// A formula without the value it computed is refused (formulaError): a program that
// writes formulas without computing them (an exporter, a script) leaves the cell no
// <v>, or an empty one, which would read as an empty cell, and an empty count is 0.
// quickRow leaves every formula to readCells, so this costs its rows nothing.
func (s *xlsxSource) addCell(col int, c *cellXML) error {
	if c.hasF && !c.hasIS && (!c.hasV || len(c.v) == 0 && string(c.typ) != "str") {
		return formulaError(s.row, col)
	}
	var val []byte
	switch typ := string(c.typ); {
	case typ == "s":
		if !c.hasV || len(c.v) == 0 {
			break
		}
		i, err := strconv.Atoi(string(bytes.TrimSpace(c.v)))
		if err != nil || i < 0 || i >= s.sst.len() {
			return fmt.Errorf("bad shared string index %q", Shorten(string(c.v[:min(len(c.v), 4*MaxQuoted)]), MaxQuoted))
		}
		str := s.sst.at(i)
		if str == "" && !c.hasF {
			return nil
		}
		if err := bound(s, col, str); err != nil {
			return err
		}
		s.vals = append(s.vals, cellValue{col: col, s: str, direct: true})
		return nil
	case typ == "inlineStr" && c.hasIS:
		val = unescapeOOXML(c.is)
	default:
		val = c.v
	}
	if len(val) == 0 && !c.hasF {
		return nil
	}
	if err := bound(s, col, val); err != nil {
		return err
	}
	if !utf8.Valid(val) {
		return errors.New("a cell is not UTF-8")
	}
	start := len(s.text)
	s.text = append(s.text, val...)
	s.vals = append(s.vals, cellValue{col: col, start: start, end: len(s.text)})
	return nil
}

// formulaError refuses the cell at row and col, a formula with no computed value. An
// empty text computed by a formula (t="str" with an empty <v>) is a value, and kept.
func formulaError(row, col int) *Error {
	ref := ColumnName(col) + strconv.Itoa(row)
	return &Error{Row: row, Column: ColumnName(col), Class: ClassFormat,
		Zh: fmt.Sprintf("%s 单元格是公式但没有计算结果：请在 Excel/WPS 中打开并保存后再导入", ref),
		En: fmt.Sprintf("cell %s holds a formula with no computed value: open and save the file in Excel or WPS, then import it", ref)}
}

// bound refuses a cell of s beyond the readers' bounds: one more than a sheet has
// columns (the same cell written many times), a column beyond maxColumns with
// something in it, a text of more than maxCellChars characters, a row of more than
// maxRowBytes. The cell's text is a shared string or bytes of the sheet, neither
// copied.
func bound[T string | []byte](s *xlsxSource, col int, val T) error {
	switch {
	case len(s.vals) >= xlsxMaxCols:
		return fmt.Errorf("more than %d cells in a row", xlsxMaxCols)
	case len(val) > 0 && col >= maxColumns:
		return tooManyColumnsError(s.row)
	case len(val) > maxCellChars && utf8.RuneCountInString(string(val)) > maxCellChars:
		return cellTooLongError(s.row, col, string(val[:4*MaxQuoted]))
	}
	if s.rowBytes += len(val); s.rowBytes > maxRowBytes {
		return rowTooLongError(s.row)
	}
	return nil
}

// rowCells sets s.cells to the row's values, empty where the row has no cell.
func (s *xlsxSource) rowCells() {
	n := 0
	for _, v := range s.vals {
		n = max(n, v.col+1)
	}
	s.cells = s.cells[:0]
	for range n {
		s.cells = append(s.cells, "")
	}
	text := string(s.text) // one string for the row's values, sliced below
	for _, v := range s.vals {
		if v.direct {
			s.cells[v.col] = v.s
		} else {
			s.cells[v.col] = text[v.start:v.end]
		}
	}
}

// sheetsSize is the size of the sheets the shared strings serve: every worksheet of the
// workbook, not only the first that is read (a bureau's workbook may hold a small sheet
// to import and a large one of notes or codes beside it). Sheets other than the first are
// never inflated, so each counts at most maxSharedStringsRatio times its compressed size:
// a declared size can't lift the bound further than the ratio bound already allows.
func sheetsSize(parts zipParts, first string) uint64 {
	var n uint64
	for name, f := range parts {
		switch {
		case name == first:
			n += f.UncompressedSize64
		case strings.Contains(name, "worksheets/") && strings.HasSuffix(name, ".xml"):
			n += min(f.UncompressedSize64, maxSharedStringsRatio*f.CompressedSize64)
		}
	}
	return n
}

// zipParts indexes the parts of a workbook by name.
type zipParts map[string]*zip.File

func zipPartsOf(zr *zip.Reader) zipParts {
	m := make(zipParts, len(zr.File))
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")
		if _, dup := m[name]; !dup {
			m[name] = f
		}
	}
	return m
}

// lookup returns the part of the name, matched without regard to case as Excel does;
// nil if there is none.
func (m zipParts) lookup(name string) *zip.File {
	if f, ok := m[name]; ok {
		return f
	}
	for n, f := range m {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}

// readXML scans a part, calling tag for each of its tags.
func (m zipParts) readXML(name string, tag func(t xmlTag) error) error {
	f := m.lookup(name)
	if f == nil {
		return fmt.Errorf("no %s", name)
	}
	if err := checkPart(name, f, maxPartBytes); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := newXMLScanner(rc)
	for {
		t, err := sc.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := tag(t); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// relationship is a <Relationship> of a .rels part, its target resolved to a part name.
type relationship struct{ id, typ, target string }

func (m zipParts) relationships(name string) ([]relationship, error) {
	dir, base := path.Split(name)
	relsName := dir + "_rels/" + base + ".rels"
	var rels []relationship
	err := m.readXML(relsName, func(t xmlTag) error {
		if t.end || !t.is("Relationship") {
			return nil
		}
		var r relationship
		var err error
		for _, a := range []struct {
			name string
			dst  *string
		}{{"Id", &r.id}, {"Type", &r.typ}, {"Target", &r.target}} {
			if *a.dst, err = attrString(t.attrs, a.name); err != nil {
				return err
			}
		}
		if strings.HasPrefix(r.target, "/") {
			r.target = path.Clean(r.target)[1:]
		} else {
			r.target = path.Join(dir, r.target)
		}
		rels = append(rels, r)
		return nil
	})
	return rels, err
}

// findSheet returns the part names of the workbook's first sheet and of its shared
// strings ("" if it has none).
func findSheet(parts zipParts) (sheet, strs string, err error) {
	book := "xl/workbook.xml"
	if rels, err := parts.relationships(""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				book = r.target
				break
			}
		}
	}
	var id string
	err = parts.readXML(book, func(t xmlTag) error {
		if id == "" && !t.end && t.is("sheet") {
			var err error
			id, err = attrString(t.attrs, "id")
			if id == "" && err == nil {
				err = errors.New("a sheet without r:id")
			}
			return err
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	if id == "" {
		return "", "", errors.New("no worksheet")
	}
	rels, err := parts.relationships(book)
	if err != nil {
		return "", "", err
	}
	for _, r := range rels {
		switch {
		case r.id == id:
			sheet = r.target
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			strs = r.target
		}
	}
	if sheet == "" || parts.lookup(sheet) == nil {
		return "", "", fmt.Errorf("the first sheet (%s) is missing", id)
	}
	if strs == "" && parts.lookup("xl/sharedStrings.xml") != nil {
		strs = "xl/sharedStrings.xml"
	}
	return sheet, strs, nil
}

// sharedStrings is a workbook's table of shared strings, in one string.
type sharedStrings struct {
	all  string
	ends []int // the end of each string in all
}

func (t *sharedStrings) len() int { return len(t.ends) }

func (t *sharedStrings) at(i int) string {
	start := 0
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.all[start:t.ends[i]]
}

// checkPart refuses a part of the workbook that the archive says inflates beyond max.
func checkPart(name string, f *zip.File, max int64) error {
	if f != nil && f.UncompressedSize64 > uint64(max) {
		return partTooLargeError(name, f.UncompressedSize64, max)
	}
	return nil
}

// readSharedStrings reads the part of shared strings, name; a nil part is an empty
// table. An item's text is that of its <t>, or of the <t> of its runs of rich text,
// but not of its phonetic runs.
//
// The table is held in memory, so it is bounded: by its size inflated and how far it
// inflates, before anything is; then, as it is read, by what a sheet of sheetSize bytes
// (inflated) can use: as many strings as it has room for cells, and some dozens of
// bytes of text for each.
func readSharedStrings(name string, f *zip.File, sheetSize uint64) (*sharedStrings, error) {
	t := &sharedStrings{}
	if f == nil {
		return t, nil
	}
	if err := checkPart(name, f, maxSharedStringsBytes); err != nil {
		return nil, err
	}
	if size := f.UncompressedSize64; size > sharedStringsSlack && size > maxSharedStringsRatio*f.CompressedSize64 {
		return nil, sharedStringsError(name,
			fmt.Sprintf("解压后是压缩大小的 %d 倍以上，不像是字符串表（可能是压缩炸弹）", maxSharedStringsRatio),
			fmt.Sprintf("inflate more than %d times, as no table of distinct strings does (a zip bomb?)", maxSharedStringsRatio))
	}
	maxCount := min(maxSharedStrings, int(min(sheetSize/minSharedStringCell, 1<<40))+1024)
	maxText := min(maxSharedStringsBytes, int(min(sheetSize, 1<<40))*maxSharedTextPerSheetByte+sharedStringsSlack)
	check := func(all []byte) error {
		switch {
		case len(t.ends) > maxCount:
			return sharedStringsError(name,
				fmt.Sprintf("超过 %d 项，多于工作表（%s）所能用到的", maxCount, byteSize(sheetSize)),
				fmt.Sprintf("hold more than %d items, more than its sheet (%s) can use", maxCount, byteSize(sheetSize)))
		case len(all) > maxText:
			return sharedStringsError(name,
				fmt.Sprintf("的文字超过 %s，多于工作表（%s）所能显示的", byteSize(uint64(maxText)), byteSize(sheetSize)),
				fmt.Sprintf("hold more than %s of text, more than its sheet (%s) can show", byteSize(uint64(maxText)), byteSize(sheetSize)))
		}
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc := newXMLScanner(rc)
	var all []byte
	start, rPh := 0, 0
	for {
		if n := quickItem(sc.buf[sc.pos:sc.end], &all); n > 0 {
			sc.pos += n
			t.ends = append(t.ends, len(all))
			if err := check(all); err != nil {
				return nil, err
			}
			continue
		}
		tag, err := sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case tag.is("si"):
			if tag.end || tag.empty {
				if s := unescapeOOXML(all[start:]); len(s) != len(all)-start {
					all = append(all[:start], s...)
				}
				t.ends = append(t.ends, len(all))
				if err := check(all); err != nil {
					return nil, err
				}
			}
			start, rPh = len(all), 0
		case tag.is("rPh"):
			if tag.end {
				rPh--
			} else if !tag.empty {
				rPh++
			}
		case tag.is("t") && !tag.end && !tag.empty && rPh == 0:
			if all, err = sc.text(all); err != nil {
				return nil, err
			}
			if err := check(all); err != nil {
				return nil, err
			}
		}
	}
	if !utf8.Valid(all) {
		return nil, errors.New("not UTF-8")
	}
	t.all = string(all)
	return t, nil
}

// quickItem reads a shared string written as Excel and WPS write most,
// <si><t>text</t></si> (perhaps with xml:space), from the start of b into all, and
// returns its length in b; 0 if b does not start with a whole such item.
func quickItem(b []byte, all *[]byte) int {
	var n int
	switch {
	case bytes.HasPrefix(b, []byte("<si><t>")):
		n = len("<si><t>")
	case bytes.HasPrefix(b, []byte(`<si><t xml:space="preserve">`)):
		n = len(`<si><t xml:space="preserve">`)
	default:
		return 0
	}
	k := bytes.IndexByte(b[n:], '<')
	if k < 0 || !bytes.HasPrefix(b[n+k:], []byte("</t></si>")) {
		return 0
	}
	start := len(*all)
	a, err := appendText(*all, b[n:n+k])
	if err != nil {
		return 0 // for the tag at a time reading to report
	}
	if u := unescapeOOXML(a[start:]); len(u) != len(a)-start {
		a = append(a[:start], u...)
	}
	*all = a
	return n + k + len("</t></si>")
}
