package sheet

import (
	"fmt"
	"strings"
)

// Classes of Error: the same stable codes as ingest's RowError classes of the same name.
const (
	ClassHeader   = "header"   // an empty file: no header row
	ClassEncoding = "encoding" // the file is not UTF-8
	ClassFormat   = "format"   // the file is not valid CSV or XLSX
	ClassLimit    = "limit"    // a row, cell or workbook part beyond what the readers take in
)

// Error is a problem of a file that the readers find: the file is not one they read, or
// a row or a part of it is beyond their bounds. It is located as the user's spreadsheet
// shows the file; ingest reports it as a RowError of the same class.
type Error struct {
	// Row is the row number as the spreadsheet shows it (header = 1); 0 for the whole file.
	Row int
	// Column is the column's letters ("C") when one cell is at fault.
	Column string
	// Value is the start of the cell at fault, at most MaxQuoted characters.
	Value string
	Class string
	// Zh and En say what is wrong, in Chinese and English.
	Zh, En string
}

// Error returns the English message, e.g. "row 2: not UTF-8; save as CSV UTF-8 (comma
// delimited)".
func (e *Error) Error() string {
	var loc []string
	if e.Row > 0 {
		loc = append(loc, fmt.Sprintf("row %d", e.Row))
	}
	if e.Column != "" {
		loc = append(loc, "column "+e.Column)
	}
	if len(loc) == 0 {
		return e.En
	}
	return strings.Join(loc, ", ") + ": " + e.En
}
