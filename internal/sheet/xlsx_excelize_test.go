package sheet

// The reader of the first sheet that used excelize's Rows, kept to check that
// xlsxSource reads every workbook as it did.

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// excelizeSource streams the first sheet of a workbook, row by row.
type excelizeSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	// row is the spreadsheet row of the current row: excelize's Next yields every row
	// number in turn, gaps included, so counting its calls gives the number.
	row int
}

// excelizeOptions: raw cell values, so that numbers come unformatted ("0.125", not "13%")
// and dates as Excel serials that the date parser turns into YYYY-MM-DD whatever the
// cell's display format.
var excelizeOptions = excelize.Options{RawCellValue: true}

func openExcelizeFile(path string) (src Source, err error) {
	defer recoverXLSX(&err)
	f, err := excelize.OpenFile(path, excelizeOptions)
	if err != nil {
		return nil, notXLSX(err)
	}
	return newExcelize(f)
}

func newExcelize(f *excelize.File) (Source, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, notXLSX(fmt.Errorf("no worksheet"))
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, notXLSX(err)
	}
	s := &excelizeSource{f: f, rows: rows}
	_, header, err := s.Next()
	if err == io.EOF {
		s.Close()
		return nil, emptyFileError()
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.header = append([]string(nil), header...)
	return s, nil
}

func (s *excelizeSource) Header() []string { return s.header }

func (s *excelizeSource) Next() (row int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			row, cells, err = 0, nil, formatError(s.row, fmt.Errorf("%v", p))
		}
	}()
	for s.rows.Next() {
		s.row++
		cells, err := s.rows.Columns()
		if err != nil {
			return 0, nil, formatError(s.row, err)
		}
		if blank(cells) {
			continue
		}
		for i, c := range cells {
			cells[i] = Trim(c)
		}
		return s.row, cells, nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, formatError(s.row+1, err)
	}
	return 0, nil, io.EOF
}

func (s *excelizeSource) Close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
