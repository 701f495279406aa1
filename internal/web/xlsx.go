package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// valuesWorkbook returns values as a workbook of one sheet with the columns of the
// "Indicator values out" CSV (indicator, org, year, value), numbers as numbers and the
// value cell empty where it cannot be computed, text a spreadsheet would run
// neutralised (sheet.Text). Rows go through excelize's stream
// writer, so a large answer does not hold a cell object per value. The caller closes it.
func valuesWorkbook(vs []indicator.Value) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "values"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := writeValueRows(sw, vs); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func writeValueRows(sw *excelize.StreamWriter, vs []indicator.Value) error {
	for col, width := range []float64{30, 12, 8, 14} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", []any{"indicator", "org", "year", "value"}); err != nil {
		return err
	}
	row := make([]any, 4)
	for i, v := range vs {
		row[0], row[1], row[2], row[3] = sheet.Text(v.Indicator), sheet.Text(v.Org), v.Year, nil
		if v.OK {
			row[3] = v.Value
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// respondXLSX writes a workbook as an attachment; whether it is demo data is said in a
// header, as for CSV.
func (s *Server) respondXLSX(w http.ResponseWriter, r *http.Request, name string, build func() (*excelize.File, error)) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.apiError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	f, err := build()
	if err != nil {
		s.apiError(w, r, fmt.Errorf("write %s: %w", name, err))
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	h.Set(demoHeader, strconv.FormatBool(demo))
	if _, err := f.WriteTo(w); err != nil {
		// The status is sent: the client sees a cut workbook, the log says why.
		s.log.ErrorContext(r.Context(), "write xlsx", "file", name, "err", err)
	}
}
