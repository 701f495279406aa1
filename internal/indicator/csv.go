package indicator

import (
	"io"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// WriteCSV writes values as the "Indicator values out" CSV of docs/formats.md:
// indicator,org,year,value, with value empty where it cannot be computed, and text a
// spreadsheet would run neutralised (sheet.Text).
func WriteCSV(w io.Writer, vs []Value) error {
	cw := sheet.NewWriter(w)
	cw.Write([]string{"indicator", "org", "year", "value"})
	for _, v := range vs {
		val := ""
		if v.OK {
			val = FormatNumber(v.Value)
		}
		cw.Write([]string{v.Indicator, v.Org, strconv.Itoa(v.Year), val})
	}
	cw.Flush()
	return cw.Error()
}
