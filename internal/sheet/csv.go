package sheet

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// csvSource reads a UTF-8 CSV file (its BOM already skipped).
//
// Lines without a quote are split on commas where they lie (lines); from the first
// line with a quote, or one longer than the lines' buffer, the rest of the file goes
// through encoding/csv, which reads quoted fields and their line breaks. Most files
// have no quote at all, and splitting a line costs far less than encoding/csv's
// copies of it; both give the same cells and row numbers.
type csvSource struct {
	lines *lines // nil once encoding/csv reads the rest
	r     *csv.Reader
	u     *utf8Reader
	lim   *recordLimiter
	c     io.Closer
	size  int64 // of the file, in bytes; 0 if unknown
	cells []string
	// header is the header row's cells, trimmed.
	header []string
	// row is the spreadsheet row of the last record; end is the line it ended on.
	// encoding/csv skips empty lines silently, but a spreadsheet shows each as a row,
	// so the gap between records' lines is added to the row number.
	row, end int
}

func openCSV(r io.Reader, size int64, c io.Closer) (*csvSource, error) {
	return openCSVBuffer(r, size, c, linesBuffer)
}

// openCSVBuffer is openCSV with a buffer of lines of the given size; 0 reads the whole
// file with encoding/csv (for tests that compare the two).
func openCSVBuffer(r io.Reader, size int64, c io.Closer, buffer int) (*csvSource, error) {
	s := &csvSource{lines: &lines{r: r, buf: make([]byte, 0, buffer)}, c: c, size: size}
	if buffer == 0 {
		s.toCSV()
	}
	_, header, err := s.Next()
	if err == io.EOF {
		return nil, emptyFileError()
	}
	if err != nil {
		return nil, err
	}
	s.header = make([]string, len(header))
	for i, h := range header {
		s.header[i] = Trim(h)
	}
	return s, nil
}

// linesBuffer is the most of a file lines holds at once; a longer line is read by
// encoding/csv.
const linesBuffer = 256 << 10

// lines reads a CSV stream line by line while its lines have no quote.
type lines struct {
	r     io.Reader
	buf   []byte // buf[start:] is read and not yet taken
	start int
	eof   bool
	line  int // lines taken
	err   error
}

// next returns the next line that encoding/csv would not skip, without its line
// break, and its line number; ok is false when the line (left in the buffer) has a
// quote or is longer than the buffer: encoding/csv must read it.
func (l *lines) next() (line []byte, n int, ok bool, err error) {
	for {
		rest := l.buf[l.start:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 && !l.eof {
			if l.start == 0 && len(l.buf) == cap(l.buf) {
				return nil, 0, false, nil // a line longer than the buffer
			}
			l.fill()
			continue
		}
		if i < 0 {
			if len(rest) == 0 {
				return nil, 0, true, cmp.Or(l.err, io.EOF)
			}
			i = len(rest) // the last line, without a line break
		}
		line = rest[:i]
		if bytes.IndexByte(line, '"') >= 0 {
			return nil, 0, false, nil
		}
		l.start += min(i+1, len(rest))
		l.line++
		// As encoding/csv: a line's \r\n is a line break, as is a \r at the end of the
		// file; an empty line is no record.
		if k := len(line); k > 0 && line[k-1] == '\r' {
			line = line[:k-1]
		}
		if len(line) > 0 {
			return line, l.line, true, nil
		}
	}
}

// fill moves what is left to the start of the buffer and reads more after it.
func (l *lines) fill() {
	k := copy(l.buf[:cap(l.buf)], l.buf[l.start:])
	l.buf, l.start = l.buf[:k], 0
	n, err := io.ReadAtLeast(l.r, l.buf[k:cap(l.buf)], 1)
	l.buf = l.buf[:k+n]
	if err != nil {
		l.eof = true
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			l.err = err
		}
	}
}

// toCSV hands the rest of the stream to encoding/csv, from the line lines stopped at.
func (s *csvSource) toCSV() {
	l := s.lines
	s.lines = nil
	rest := io.MultiReader(bytes.NewReader(bytes.Clone(l.buf[l.start:])), l.r)
	if l.eof {
		rest = bytes.NewReader(bytes.Clone(l.buf[l.start:]))
	}
	s.u = &utf8Reader{r: rest, bad: -1}
	s.lim = &recordLimiter{r: s.u, start: 1}
	s.r = csv.NewReader(s.lim)
	s.r.FieldsPerRecord = -1
	s.r.ReuseRecord = true
	// encoding/csv numbers its lines from 1 again.
	s.row, s.end = l.line, 0
}

func (s *csvSource) Header() []string { return s.header }

// Size returns the size of the file in bytes, 0 if unknown, for a reader that sizes its
// tables by the rows to come.
func (s *csvSource) Size() int64 { return s.size }

func (s *csvSource) Next() (int, []string, error) {
	for s.lines != nil {
		line, n, ok, err := s.lines.next()
		if !ok {
			s.toCSV()
			break
		}
		if err != nil {
			return 0, nil, err
		}
		s.row, s.end = n, n
		if !utf8.Valid(line) {
			return 0, nil, encodingError(n)
		}
		rec := split(s.cells[:0], string(line))
		s.cells = rec
		if blank(rec) {
			continue
		}
		if err := checkCells(n, rec); err != nil {
			return 0, nil, err
		}
		return n, rec, nil
	}
	return s.nextCSV()
}

// split appends the comma-separated cells of a line to cells.
func split(cells []string, line string) []string {
	for {
		i := strings.IndexByte(line, ',')
		if i < 0 {
			return append(cells, line)
		}
		cells = append(cells, line[:i])
		line = line[i+1:]
	}
}

// nextCSV returns the next record that encoding/csv reads.
func (s *csvSource) nextCSV() (int, []string, error) {
	for {
		rec, err := s.r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return 0, nil, formatError(s.row+pe.StartLine-s.end, pe.Err)
			}
			if err == errRecordTooLong {
				return 0, nil, rowTooLongError(s.row + s.lim.start - s.end)
			}
			return 0, nil, err
		}
		line, _ := s.r.FieldPos(0)
		s.row += line - s.end
		// The record ends on the line its last field starts on, plus the line breaks
		// inside that field (quoted fields may hold them).
		last := len(rec) - 1
		s.end, _ = s.r.FieldPos(last)
		if strings.IndexByte(rec[last], '\n') >= 0 {
			s.end += strings.Count(rec[last], "\n")
		}
		if s.u.bad >= 0 && s.r.InputOffset() > s.u.bad {
			return 0, nil, encodingError(s.row)
		}
		if blank(rec) {
			continue
		}
		if err := checkCells(s.row, rec); err != nil {
			return 0, nil, err
		}
		return s.row, rec, nil
	}
}

// checkCells refuses a row of more than maxColumns columns (up to its last non-empty
// cell) or with a cell of more than maxCellChars characters.
func checkCells(row int, cells []string) error {
	width := len(cells)
	for width > 0 && cells[width-1] == "" {
		width--
	}
	if width > maxColumns {
		return tooManyColumnsError(row)
	}
	for i, c := range cells[:width] {
		if len(c) > maxCellChars && utf8.RuneCountInString(c) > maxCellChars {
			return cellTooLongError(row, i, c[:4*MaxQuoted])
		}
	}
	return nil
}

// errRecordTooLong ends a CSV record longer than maxRowBytes.
var errRecordTooLong = errors.New("CSV record too long")

// recordLimiter passes a CSV stream on, failing with errRecordTooLong within a record
// longer than maxRowBytes: encoding/csv holds a whole record, so without it one line
// of a gigabyte (or a quote left open) is held whole. A record ends at a line break
// outside quotes, which is one after an even number of quotes since its start.
type recordLimiter struct {
	r      io.Reader
	n      int  // bytes of the record so far
	quoted bool // within quotes: an odd number of them since the record began
	line   int  // line breaks passed
	start  int  // the line the record began on (from 1)
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		seg := b
		if i >= 0 {
			seg = b[:i+1]
		}
		if bytes.Count(seg, []byte{'"'})%2 == 1 {
			l.quoted = !l.quoted
		}
		if l.n += len(seg); l.n > maxRowBytes {
			return n, errRecordTooLong
		}
		if i < 0 {
			break
		}
		l.line++
		if !l.quoted {
			l.n, l.start = 0, l.line+1
		}
		b = b[i+1:]
	}
	return n, err
}

func (s *csvSource) Close() error {
	if s.c != nil {
		return s.c.Close()
	}
	return nil
}

// utf8Reader passes a stream on, noting the offset of its first byte that is not
// UTF-8. Checking the stream in large blocks costs far less than checking each cell.
type utf8Reader struct {
	r     io.Reader
	off   int64  // bytes passed on so far
	bad   int64  // offset of the first invalid byte; -1 if none yet
	carry []byte // the start of a rune cut by the end of the last block
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if u.bad < 0 && n > 0 {
		u.check(p[:n])
	}
	u.off += int64(n)
	if err == io.EOF && u.bad < 0 && len(u.carry) > 0 {
		u.bad = u.off - int64(len(u.carry))
	}
	return n, err
}

func (u *utf8Reader) check(b []byte) {
	start := u.off // offset of b[0]
	if len(u.carry) > 0 {
		// Complete the rune cut at the end of the last block.
		k := min(utf8.UTFMax-len(u.carry), len(b))
		tmp := append(u.carry, b[:k]...)
		if !utf8.FullRune(tmp) {
			u.carry = tmp
			return
		}
		r, size := utf8.DecodeRune(tmp)
		if r == utf8.RuneError && size == 1 {
			u.bad = start - int64(len(u.carry))
			return
		}
		skip := size - len(u.carry)
		b, start, u.carry = b[skip:], start+int64(skip), u.carry[:0]
	}
	// Leave a rune cut at the end for the next block.
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(b[:cut]) {
		i := invalidUTF8(b[:cut])
		if i < 0 {
			// The bad rune is the one b[:cut] ends in, which another byte than its
			// own follows ("\xec\xe8": not cut by the block, just broken).
			i = cut - 1
			for i > 0 && !utf8.RuneStart(b[i]) {
				i--
			}
		}
		u.bad = start + int64(i)
		return
	}
	u.carry = append(u.carry[:0], b[cut:]...)
}
