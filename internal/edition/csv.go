package edition

import (
	"io"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// FiguresHeader is the header of an edition's figures as CSV.
var FiguresHeader = []string{"measure", "org", "year", "value", "batches"}

// WriteFiguresCSV writes an edition's figures as CSV, numbers as in "Indicator values
// out", with the batches each was read from (ids joined by ";").
func WriteFiguresCSV(w io.Writer, c *Content) error {
	cw := sheet.NewWriter(w)
	cw.Write(FiguresHeader)
	for _, f := range c.Figures {
		cw.Write([]string{f.Measure, f.Org, strconv.Itoa(f.Year), f.Value.String(), ids(f.Batches())})
	}
	cw.Flush()
	return cw.Error()
}

// ChangesHeader is the header of a diff as CSV.
var ChangesHeader = []string{"what", "code", "org", "year", "field", "old", "new", "batches"}

// ChangeRecord is a change as a CSV record under ChangesHeader.
func ChangeRecord(c Change) []string {
	return []string{c.What, c.Code, c.Org, year(c.Year), c.Field, c.Old, c.New, ids(c.Batches)}
}

// WriteChangesCSV writes a diff as CSV.
func WriteChangesCSV(w io.Writer, cs []Change) error {
	cw := sheet.NewWriter(w)
	cw.Write(ChangesHeader)
	for _, c := range cs {
		cw.Write(ChangeRecord(c))
	}
	cw.Flush()
	return cw.Error()
}

func ids(xs []int64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatInt(x, 10)
	}
	return strings.Join(s, ";")
}
