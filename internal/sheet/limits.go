package sheet

import "fmt"

// Bounds of what the readers take in. A file beyond one is refused whole, at the first
// row or part that passes it and before anything is stored: without them a corrupt or
// hostile file (a line of hundreds of MB, a header of a million columns, a workbook
// whose shared strings inflate to a gigabyte) makes the reader hold all of it in
// memory. Each is far above what a real file needs: the widest kind has 12 columns, a
// student row is some 80 bytes, and a workbook of 900,000 students has some 30 MB of
// shared strings (every student id a string) and a sheet of some 260 MB.
const (
	// maxColumns bounds the columns of a row, counted to its last non-empty cell: an
	// export from a bureau's system with every column eduplan ignores stays far below.
	maxColumns = 1024
	// maxCellChars is Excel's own limit of a cell's text: no spreadsheet writes more.
	maxCellChars = 32_767
	// maxRowBytes bounds the text of a row: a CSV record with its separators and
	// quoted line breaks, or the cells of a sheet's row.
	maxRowBytes = 1 << 20
	// maxPartBytes bounds the small parts of a workbook (workbook.xml, relationships),
	// inflated.
	maxPartBytes = 16 << 20
	// maxSheetBytes bounds the first sheet, inflated. It is read as a stream, so this
	// bounds time, not memory: a full sheet of 1,048,576 students as Excel writes it
	// is some 300 MB.
	maxSheetBytes = 2 << 30
	// maxSharedStringsBytes and maxSharedStrings bound the shared strings, which are
	// held in memory while the sheet is read: their part inflated, and their count
	// (four distinct strings in every row of a full sheet).
	maxSharedStringsBytes = 128 << 20
	maxSharedStrings      = 4 << 20
	// maxSharedStringsRatio bounds how far the shared strings inflate: they are
	// distinct by construction and so compress poorly (5 to 1 for student ids, where
	// a sheet compresses 9 to 1), while a bomb's run of one item inflates some 400 to
	// 1. Checked only on parts above sharedStringsSlack, whose ratio says something.
	maxSharedStringsRatio = 100
	sharedStringsSlack    = 1 << 20
	// minSharedStringCell is the fewest bytes a sheet spends on a cell that uses a
	// shared string (<c t="s"><v>0</v></c> is 22): a sheet of n bytes uses at most
	// n/minSharedStringCell of them.
	minSharedStringCell = 16
	// maxSharedTextPerSheetByte bounds the shared strings' text relative to the sheet:
	// a sheet's string cell takes about 30 bytes and uses a string of a few dozen
	// bytes, not thousands.
	maxSharedTextPerSheetByte = 64
)

// MaxQuoted is how much of a bad value a report quotes, in characters.
const MaxQuoted = 64

// Shorten returns s cut to at most n characters, with "…" if it was cut, so that a
// report quotes a prefix of a huge bad value rather than all of it.
func Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

func rowTooLongError(row int) *Error {
	return &Error{Row: row, Class: ClassLimit,
		Zh: fmt.Sprintf("这一行超过 %d MiB，不是正常的数据行（也许不是表格文件，或某个引号没有闭合）", maxRowBytes>>20),
		En: fmt.Sprintf("the row is longer than %d MiB, which no data row is (perhaps not a table, or a quote left open)", maxRowBytes>>20)}
}

func tooManyColumnsError(row int) *Error {
	return &Error{Row: row, Column: ColumnName(maxColumns), Class: ClassLimit,
		Zh: fmt.Sprintf("这一行超过 %d 列（计到最后一个非空单元格），请删去多余的列", maxColumns),
		En: fmt.Sprintf("the row has more than %d columns (counted to its last non-empty cell); remove the extra columns", maxColumns)}
}

// cellTooLongError refuses a cell; value is the start of its text.
func cellTooLongError(row, col int, value string) *Error {
	return &Error{Row: row, Column: ColumnName(col), Value: Shorten(value, MaxQuoted), Class: ClassLimit,
		Zh: fmt.Sprintf("单元格超过 %d 个字符（Excel 单元格的上限）", maxCellChars),
		En: fmt.Sprintf("the cell is longer than %d characters (the limit of an Excel cell)", maxCellChars)}
}

// partTooLargeError refuses a part of a workbook that would inflate beyond max.
func partTooLargeError(part string, size uint64, max int64) *Error {
	return &Error{Class: ClassLimit,
		Zh: fmt.Sprintf("工作簿的 %s 解压后有 %s，超过上限 %s，不予读取（可能是压缩炸弹）", part, byteSize(size), byteSize(uint64(max))),
		En: fmt.Sprintf("the workbook's %s inflates to %s, beyond the limit of %s; not read (a zip bomb?)", part, byteSize(size), byteSize(uint64(max)))}
}

// sharedStringsError refuses a workbook's table of shared strings, saying why.
func sharedStringsError(part, zh, en string) *Error {
	return &Error{Class: ClassLimit,
		Zh: fmt.Sprintf("工作簿的共享字符串（%s）%s，不予读取", part, zh),
		En: fmt.Sprintf("the workbook's shared strings (%s) %s; not read", part, en)}
}

// byteSize writes a size for people: "1.0 GiB", "128 MiB", "900 KiB".
func byteSize(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}
