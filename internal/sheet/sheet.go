// Package sheet is eduplan's edge with spreadsheets, both ways.
//
// On the way in, Open reads a CSV or XLSX file as rows of cells (Source), streamed and
// bounded (limits.go): a corrupt or hostile file is refused with an *Error naming the
// row, never held whole. Ingest validates those rows; the readers know nothing of kinds.
//
// On the way out, Text is the one rule for every cell eduplan writes into a CSV or XLSX
// download: text a spreadsheet would take for a formula is neutralised (CSV injection,
// OWASP's rule). Institution codes and names, file names and user text are stored as
// they came; it is here, on the way out, that they are made safe to open. Every writer
// of a download — indicator, progress, quality, the web API's workbook and the CLI's
// --format csv — writes through it.
//
// Anything may use it; it uses nothing of eduplan.
package sheet

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Text returns s as a spreadsheet shows it without running it: a cell beginning with
// "=", "+", "-", "@", a tab or a carriage return gets a leading single quote, unless it
// is a plain number ("-2.5" stays a number, "-2+3" does not).
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if number(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// number reports whether s is a plain decimal number: digits, a point, a sign and an
// exponent only (so not "Inf", "NaN" or a hex float, which ParseFloat also takes).
func number(s string) bool {
	if strings.TrimLeft(s, "0123456789.eE+-") != "" {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// Writer is a csv.Writer whose every cell goes through Text.
type Writer struct {
	w   *csv.Writer
	rec []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell through Text.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, c := range record {
		w.rec = append(w.rec, Text(c))
	}
	return w.w.Write(w.rec)
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error of a previous Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
