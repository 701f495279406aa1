package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// Source is a file read as rows of cells: a header row, then data rows.
type Source interface {
	// Header returns the cells of the header row, trimmed.
	Header() []string
	// Next returns the next data row that has a non-empty cell, with its row number as
	// the user's spreadsheet shows it (header = 1, blank rows counted). The cells are
	// raw: Excel numbers unformatted, date cells as serial numbers. The slice is only
	// valid until the next call. At the end err is io.EOF; a problem of the file itself
	// (not UTF-8, broken quoting, a corrupt workbook) is an *Error naming the row.
	Next() (row int, cells []string, err error)
	Close() error
}

var (
	magicZip   = []byte("PK\x03\x04")
	magicOLE   = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") // .xls, or an encrypted .xlsx
	bomUTF8    = []byte("\xEF\xBB\xBF")
	bomUTF16LE = []byte("\xFF\xFE")
	bomUTF16BE = []byte("\xFE\xFF")
)

// Open opens a CSV or XLSX file, telling them apart by content (an XLSX workbook is a
// zip archive), not by name.
func Open(path string) (Source, error) {
	src, _, err := OpenCounted(path, nil)
	return src, err
}

// OpenCounted opens a file as Open does and, for a CSV file, adds the bytes read from
// it to n (if not nil), for a progress bar; it returns the size of what is counted, 0
// for a workbook (read whole when opened).
func OpenCounted(path string, n *atomic.Int64) (Source, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	var head [8]byte
	k, _ := io.ReadFull(f, head[:])
	if bytes.HasPrefix(head[:k], magicZip) {
		f.Close()
		src, err := openXLSXFile(path)
		return src, 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, err
	}
	var r io.Reader = f
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if n != nil {
		r = &countingReader{r: f, n: n}
	}
	src, err := openStream(r, size, f)
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if n == nil {
		size = 0
	}
	return src, size, nil
}

// OpenReader reads a CSV or XLSX file from r, as Open does; for an upload, say.
// Closing the Source does not close r.
func OpenReader(r io.ReaderAt, size int64) (Source, error) {
	return openStream(io.NewSectionReader(r, 0, size), size, nil)
}

// openStream sniffs the content of r, of size bytes (0 if unknown), and opens the right
// reader; c, if not nil, is closed with the Source.
func openStream(r io.Reader, size int64, c io.Closer) (Source, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(head, magicZip):
		src, err := openXLSX(br)
		if c != nil && err == nil {
			c.Close() // the workbook is in memory now
		}
		return src, err
	case bytes.HasPrefix(head, magicOLE):
		return nil, &Error{Class: ClassFormat,
			Zh: "这是旧版 .xls 或加密的工作簿，请另存为 .xlsx 或 CSV UTF-8（逗号分隔）",
			En: "this is a legacy .xls or an encrypted workbook; save it as .xlsx or CSV UTF-8 (comma delimited)"}
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return nil, &Error{Row: 1, Class: ClassEncoding,
			Zh: "文件是 UTF-16 编码（“Unicode 文本”），请另存为 CSV UTF-8（逗号分隔）",
			En: "the file is UTF-16 (\"Unicode text\"); save it as CSV UTF-8 (comma delimited)"}
	}
	if bytes.HasPrefix(head, bomUTF8) {
		br.Discard(len(bomUTF8))
	}
	// A file in the local code page (GBK) can hold rows that are valid UTF-8 by chance
	// ("女" is); looking at the start of the file at once rejects it before those rows
	// are taken for bad values.
	head, _ = br.Peek(br.Size())
	if i := invalidUTF8(head); i >= 0 {
		return nil, encodingError(1 + bytes.Count(head[:i], []byte("\n")))
	}
	return openCSV(br, size, c)
}

// invalidUTF8 returns the offset of the first byte of b that is not UTF-8, or -1. A
// rune cut at the end of b is not counted: b is the start of a file.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if !utf8.FullRune(b[i:]) {
				return -1
			}
			return i
		}
		i += n
	}
	return -1
}

// encodingError is the error for a row that is not UTF-8: most often a CSV saved by an
// old Excel or WPS in the local code page (GBK).
func encodingError(row int) *Error {
	return &Error{Row: row, Class: ClassEncoding,
		Zh: "文件不是 UTF-8 编码，请另存为 CSV UTF-8（逗号分隔）",
		En: "not UTF-8; save as CSV UTF-8 (comma delimited)"}
}

func emptyFileError() *Error {
	return &Error{Row: 1, Class: ClassHeader, Zh: "文件为空，第 1 行应为表头", En: "the file is empty; row 1 should be the header"}
}

// CountingReader returns r adding the number of bytes read through it to n: a byte
// count a progress bar can read while another goroutine reads r.
func CountingReader(r io.Reader, n *atomic.Int64) io.Reader { return &countingReader{r: r, n: n} }

// countingReader counts the bytes read through it into n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// blank reports whether every cell is empty or spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if Trim(c) != "" {
			return false
		}
	}
	return true
}

// Trim trims spaces (full-width ones too) around a cell, without work for the usual
// cell that has none.
func Trim(s string) string {
	if len(s) == 0 || (s[0] > ' ' && s[0] < 0x80 && s[len(s)-1] > ' ' && s[len(s)-1] < 0x80) {
		return s
	}
	return strings.TrimSpace(s)
}

// ColumnName returns the spreadsheet name of the i-th column (0 → A, 26 → AA).
func ColumnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// formatError is the error for a row that cannot be read; an *Error (a bound
// passed) is passed on as it is.
func formatError(row int, err error) *Error {
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	msg := Shorten(err.Error(), 200)
	return &Error{Row: row, Class: ClassFormat,
		Zh: fmt.Sprintf("文件格式有误（%v）", msg),
		En: fmt.Sprintf("the file is malformed (%v)", msg)}
}
