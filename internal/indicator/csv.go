package indicator

import (
	"encoding/csv"
	"io"
	"strconv"
)

// WriteCSV writes values as the "Indicator values out" CSV of spec/formats.md:
// indicator,org,year,value, with value empty where it cannot be computed.
func WriteCSV(w io.Writer, vs []Value) error {
	cw := csv.NewWriter(w)
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
