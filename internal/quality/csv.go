package quality

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// CSVHeader is the header of WriteCSV's output.
var CSVHeader = []string{"org", "year", "kind", "element", "status", "rows", "batches", "files", "imported_at", "warnings", "cannot_compute", "origins"}

// WriteCSV writes the report's cells, one row each: batches and files are joined by
// ";" (newest first), imported_at is the newest batch's (RFC 3339, UTC), and
// cannot_compute lists the indicators the cell's missing data blocks, joined by ";",
// each followed by "@year" when the data missing is of another year than the row's
// (a formula's year offset); origins says where students' and teachers' figures come
// from (roster, school, district, city; joined by ";"). Text a spreadsheet would run is neutralised (sheet.Text).
func WriteCSV(w io.Writer, r *Report) error {
	cw := sheet.NewWriter(w)
	cw.Write(CSVHeader)
	for _, c := range r.Cells {
		var ids, files []string
		for _, b := range c.Batches {
			ids = append(ids, strconv.FormatInt(b.ID, 10))
			files = append(files, b.File)
		}
		at := ""
		if len(c.Batches) > 0 {
			at = c.Batches[0].ImportedAt.UTC().Format(time.RFC3339)
		}
		cw.Write([]string{c.Org, strconv.Itoa(c.Year), c.Kind, c.Element, c.Status, strconv.FormatInt(c.Rows, 10),
			strings.Join(ids, ";"), strings.Join(files, ";"), at, strconv.Itoa(c.Warnings), c.BlocksText(),
			strings.Join(c.Origins, ";")})
	}
	cw.Flush()
	return cw.Error()
}

// BlocksText returns the cell's blocked indicators as WriteCSV writes them:
// "kg_teacher_preschool_major;compulsory_retention@2012".
func (c Cell) BlocksText() string {
	parts := make([]string, len(c.Blocks))
	for i, b := range c.Blocks {
		parts[i] = b.Indicator
		if b.Year != c.Year {
			parts[i] += "@" + strconv.Itoa(b.Year)
		}
	}
	return strings.Join(parts, ";")
}
