package main

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// table lays out tab-terminated cells in columns, as text/tabwriter does, but measures
// cells by the columns a terminal gives them: a Chinese character takes two, so
// tabwriter, which counts runes, pushes every column after a Chinese name out of line.
// A column's width is set by the run of consecutive lines that have it (tabwriter's
// column blocks); the text after a line's last tab is not a cell and is not padded.
type table struct {
	w     io.Writer
	buf   bytes.Buffer
	right bool // align cells right (tabwriter.AlignRight)
}

// tablePadding is the gap between columns.
const tablePadding = 2

func newTable(w io.Writer) *table { return &table{w: w} }

// Write buffers p until Flush.
func (t *table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered lines, aligned.
func (t *table) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	end := ""
	if strings.HasSuffix(text, "\n") {
		text, end = strings.TrimSuffix(text, "\n"), "\n"
	}
	lines := strings.Split(text, "\n")
	cells := make([][]string, len(lines))
	for i, l := range lines {
		cells[i] = strings.Split(l, "\t") // the last element is the unpadded rest
	}
	// widths[i][c] is the width of column c in line i's block.
	widths := make([][]int, len(lines))
	for i := range lines {
		widths[i] = make([]int, len(cells[i])-1)
	}
	for c := 0; ; c++ {
		any := false
		for i := 0; i < len(lines); {
			if len(cells[i])-1 <= c {
				i++
				continue
			}
			any = true
			j, w := i, 0
			for ; j < len(lines) && len(cells[j])-1 > c; j++ {
				w = max(w, displayWidth(cells[j][c]))
			}
			for k := i; k < j; k++ {
				widths[k][c] = w
			}
			i = j
		}
		if !any {
			break
		}
	}
	var out strings.Builder
	for i, row := range cells {
		if i > 0 {
			out.WriteByte('\n')
		}
		for c, cell := range row[:len(row)-1] {
			pad := strings.Repeat(" ", widths[i][c]-displayWidth(cell)+tablePadding)
			if t.right {
				out.WriteString(pad + cell)
			} else {
				out.WriteString(cell + pad)
			}
		}
		out.WriteString(row[len(row)-1])
	}
	out.WriteString(end)
	_, err := io.WriteString(t.w, out.String())
	return err
}

// displayWidth is the number of terminal columns s takes: two for East Asian wide and
// fullwidth characters (汉字, ，), none for combining marks and other zero-width ones,
// one for the rest (ambiguous ones such as · and – included, as most terminals show them).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r), unicode.IsControl(r):
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}
