package ingest

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxSource streams the first sheet of a workbook, row by row.
type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	// row is the spreadsheet row of the current row: excelize's Next yields every row
	// number in turn, gaps included, so counting its calls gives the number.
	row int
}

// xlsxOptions: raw cell values, so that numbers come unformatted ("0.125", not "13%")
// and dates as Excel serials that the date parser turns into YYYY-MM-DD whatever the
// cell's display format.
var xlsxOptions = excelize.Options{RawCellValue: true}

func openXLSXFile(path string) (src Source, err error) {
	defer recoverXLSX(&err)
	f, err := excelize.OpenFile(path, xlsxOptions)
	if err != nil {
		return nil, notXLSX(err)
	}
	return newXLSX(f)
}

func openXLSX(r io.Reader) (src Source, err error) {
	defer recoverXLSX(&err)
	f, err := excelize.OpenReader(r, xlsxOptions)
	if err != nil {
		return nil, notXLSX(err)
	}
	return newXLSX(f)
}

func notXLSX(err error) *RowError {
	return &RowError{Class: ClassFormat,
		Expected:   fmt.Sprintf("无法作为 XLSX 工作簿打开（%v）", err),
		ExpectedEn: fmt.Sprintf("cannot be opened as an XLSX workbook (%v)", err)}
}

// recoverXLSX turns a panic of the workbook parser on a malformed file into an error:
// files come from outside, and one bad file must not bring the server down.
func recoverXLSX(err *error) {
	if p := recover(); p != nil {
		*err = notXLSX(fmt.Errorf("%v", p))
	}
}

func newXLSX(f *excelize.File) (Source, error) {
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
	s := &xlsxSource{f: f, rows: rows}
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

func (s *xlsxSource) Header() []string { return s.header }

func (s *xlsxSource) Next() (row int, cells []string, err error) {
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
			cells[i] = trim(c)
		}
		return s.row, cells, nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, formatError(s.row+1, err)
	}
	return 0, nil, io.EOF
}

func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
