package ingest

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// Classes of RowError: stable codes that scripts and the web UI may rely on.
const (
	ClassMissing   = "missing"           // a required cell is empty
	ClassEnum      = "enum"              // not one of the allowed values (booleans included)
	ClassRange     = "range"             // a number outside its allowed range
	ClassNumber    = "number"            // not a number, or not an integer where one is needed
	ClassDate      = "date"              // not a real date, or an implausible one
	ClassDims      = "dims"              // a facts dims cell that does not parse
	ClassDuplicate = "duplicate"         // the same key twice
	ClassReference = "reference"         // names an org, element or institution that does not exist
	ClassHeader    = sheet.ClassHeader   // missing, duplicate or unknown columns; empty file, or no data rows
	ClassEncoding  = sheet.ClassEncoding // the file is not UTF-8
	ClassFormat    = sheet.ClassFormat   // the file is not valid CSV or XLSX
	ClassLimit     = sheet.ClassLimit    // a row, cell or workbook part beyond what the readers take in
	ClassFormula   = "formula"           // a code or name that a spreadsheet would run as a formula
	ClassShrink    = "shrink"            // the file drops most of a snapshot's rows (Options.AllowShrink)
	// ClassPlausibility is the class of warnings from the pack's plausibility rules
	// (validation.yaml); their RowError.Rule names the rule.
	ClassPlausibility = "plausibility"
)

// expectClasses are the classes whose Expected says what the value should have been;
// for the others Expected describes the problem.
var expectClasses = []string{ClassMissing, ClassEnum, ClassRange, ClassNumber, ClassDate, ClassDims}

// RowError is one problem of an input file, located as the user sees the file.
type RowError struct {
	File string `json:"file"`
	// Row is the row number as the spreadsheet shows it (header = 1); 0 for the whole file.
	Row int `json:"row"`
	// Column is the column's name in docs/formats.md (e.g. "grade"); Header is the name
	// the file gives it when that differs (e.g. "年级").
	Column string `json:"column,omitempty"`
	Header string `json:"header,omitempty"`
	Value  string `json:"value,omitempty"`
	Class  string `json:"class"`
	// Expected and ExpectedEn say what was expected (for missing, enum, range, number,
	// date and dims) or what is wrong (for the other classes), in Chinese and English.
	Expected   string `json:"expected"`
	ExpectedEn string `json:"expected_en"`
	// Rule is the code of the pack's plausibility rule a warning comes from.
	Rule string `json:"rule,omitempty"`
}

// fileError returns err as a RowError of the file (named file), and whether it is one:
// a *RowError, or a *sheet.Error (a problem the readers found).
func fileError(file string, err error) (RowError, bool) {
	var re *RowError
	if errors.As(err, &re) {
		e := *re
		e.File = file
		return e, true
	}
	var se *sheet.Error
	if errors.As(err, &se) {
		return RowError{File: file, Row: se.Row, Column: se.Column, Value: se.Value, Class: se.Class,
			Expected: se.Zh, ExpectedEn: se.En}, true
	}
	return RowError{}, false
}

// endOfRows reports what ended the reading of file's rows (err, not nil): the end of
// the file, refused when it held no row, or an error of the file, reported as a bad
// row when it is one. It returns an error only when the file could not be read.
func endOfRows(file string, err error, rep *Report) error {
	switch {
	case err == io.EOF && rep.Rows == 0:
		rep.Add(noRowsError(file))
		return nil
	case err == io.EOF:
		return nil
	}
	if e, ok := fileError(file, err); ok {
		rep.Add(e)
		return nil
	}
	return fmt.Errorf("read %s: %w", file, err)
}

// Error returns the English message, so that a *RowError can travel as an error.
func (e *RowError) Error() string { return e.En() }

func (e RowError) describesExpected() bool { return slices.Contains(expectClasses, e.Class) }

// Zh returns the message in Chinese, e.g.
// `students.csv 第 5 行 grade 列：值 "13" 无效，应为 1–3（学前）`.
func (e RowError) Zh() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, " 第 %d 行", e.Row)
	}
	if e.Column != "" {
		if e.Header != "" && e.Header != e.Column {
			b.WriteString(" " + e.Header + "（" + e.Column + "）列")
		} else {
			b.WriteString(" " + e.Column + " 列")
		}
	}
	loc := strings.TrimLeft(b.String(), " ")
	switch {
	case e.Class == ClassMissing && e.Expected != "":
		return loc + "：缺少必填值，应为 " + e.Expected
	case e.Class == ClassMissing:
		return loc + "：缺少必填值"
	case e.describesExpected():
		return fmt.Sprintf("%s：值 %s 无效，应为 %s", loc, quote(e.Value), e.Expected)
	case e.Value != "":
		return fmt.Sprintf("%s：值 %s：%s", loc, quote(e.Value), e.Expected)
	}
	return loc + "：" + e.Expected
}

// En returns the message in English, e.g.
// `students.csv row 5, column grade: "13" is not valid; expected 1–3 for preschool`.
func (e RowError) En() string {
	var loc []string
	if e.File != "" {
		loc = append(loc, e.File)
	}
	if e.Row > 0 {
		loc = append(loc, fmt.Sprintf("row %d", e.Row))
	}
	if e.Column != "" {
		c := "column " + e.Column
		if e.Header != "" && e.Header != e.Column {
			c += " (" + e.Header + ")"
		}
		if len(loc) > 0 && e.Row > 0 {
			loc[len(loc)-1] += ","
		}
		loc = append(loc, c)
	}
	where := strings.Join(loc, " ")
	switch {
	case e.Class == ClassMissing && e.ExpectedEn != "":
		return where + ": required value is missing; expected " + e.ExpectedEn
	case e.Class == ClassMissing:
		return where + ": required value is missing"
	case e.describesExpected():
		return fmt.Sprintf("%s: %s is not valid; expected %s", where, quote(e.Value), e.ExpectedEn)
	case e.Value != "":
		return fmt.Sprintf("%s: %s: %s", where, quote(e.Value), e.ExpectedEn)
	}
	return where + ": " + e.ExpectedEn
}

// quote quotes a cell for a message, shortening long ones and showing bytes that are
// not printable as Go escapes.
func quote(s string) string {
	const max = 60
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// MaxListed is how many errors (and warnings) a Report keeps; the rest are counted.
const MaxListed = 1000

// Report is what reading one file found: how many rows, and every problem.
type Report struct {
	File string `json:"file"`
	Kind Kind   `json:"kind"`
	// Rows counts the data rows read (blank rows not included), valid or not.
	Rows int `json:"rows"`
	// Errors holds the errors of the first rows, at most MaxListed, in row order (errors
	// of the whole file, row 0, where they were found); ErrorCount counts them all (a
	// row with two bad cells has two errors) and Counts counts them by class.
	Errors     []RowError     `json:"errors"`
	ErrorCount int            `json:"error_count"`
	Counts     map[string]int `json:"counts,omitempty"`
	// Warnings are problems that do not stop the import (an unknown column, a finding
	// of a plausibility rule), the first MaxListed in the order found; WarningCount
	// counts them all and WarningCounts counts them by rule (plausibility warnings) or
	// class (the others).
	Warnings      []RowError     `json:"warnings,omitempty"`
	WarningCount  int            `json:"warning_count"`
	WarningCounts map[string]int `json:"warning_counts,omitempty"`

	// headers maps a column to its name in the file, for messages.
	headers map[string]string
	// progress, if not nil, is told how many rows Read has read.
	progress *Progress
}

// Add records an error.
func (r *Report) Add(e RowError) {
	r.fill(&e)
	r.ErrorCount++
	if r.Counts == nil {
		r.Counts = map[string]int{}
	}
	r.Counts[e.Class]++
	r.Errors = insertByRow(r.Errors, e)
}

// insertByRow adds e to the list in row order, keeping the first MaxListed rows. Errors
// come nearly in order: Read reports a batch of rows before the caller's checks of
// those rows.
func insertByRow(list []RowError, e RowError) []RowError {
	i := len(list)
	if e.Row > 0 {
		for i > 0 && list[i-1].Row > e.Row {
			i--
		}
	}
	if i == MaxListed {
		return list
	}
	if len(list) == MaxListed {
		list = list[:MaxListed-1]
	}
	return slices.Insert(list, i, e)
}

// Warn records a warning.
func (r *Report) Warn(e RowError) {
	r.warnFunc(cmp.Or(e.Rule, e.Class), func() RowError { return e })
}

// warnFunc records a warning counted under key, calling mk for it only while warnings
// are still listed: a rule that fires on every row of a large file costs a count, not
// a message, per row.
func (r *Report) warnFunc(key string, mk func() RowError) {
	r.WarningCount++
	if r.WarningCounts == nil {
		r.WarningCounts = map[string]int{}
	}
	r.WarningCounts[key]++
	if len(r.Warnings) < MaxListed {
		e := mk()
		r.fill(&e)
		r.Warnings = append(r.Warnings, e)
	}
}

func (r *Report) fill(e *RowError) {
	if e.File == "" {
		e.File = r.File
	}
	// A bad value is quoted, not echoed: a cell may be megabytes long.
	e.Value, e.Column, e.Header = sheet.Shorten(e.Value, sheet.MaxQuoted), sheet.Shorten(e.Column, sheet.MaxQuoted), sheet.Shorten(e.Header, sheet.MaxQuoted)
	if e.Header == "" && e.Column != "" {
		if h := r.headers[e.Column]; h != e.Column {
			e.Header = h
		}
	}
}

// OK reports whether the file has no error.
func (r *Report) OK() bool { return r.ErrorCount == 0 }

// Write writes the report for people: a summary line, then every listed error and
// warning. lang is "zh", "en" or "both" (each message in Chinese, then in English on
// the next line, indented).
func (r *Report) Write(w io.Writer, lang string) error {
	bw := bufio.NewWriter(w)
	zh, en := lang != "en", lang != "zh"
	errZh, errEn := byClass(r.Counts)
	warnZh, warnEn := byClass(r.WarningCounts)
	// A file refused before its kind is known (too large, not a table) says so.
	kindZh, kindEn := string(r.Kind), string(r.Kind)
	if r.Kind == "" {
		kindZh, kindEn = "未识别的文件类型", "kind not recognised"
	}
	if zh {
		fmt.Fprintf(bw, "%s：%s，%d 行数据，%d 处错误%s，%d 条警告%s\n", r.File, kindZh, r.Rows, r.ErrorCount, errZh, r.WarningCount, warnZh)
	}
	if en {
		indent := ""
		if zh {
			indent = "  "
		}
		fmt.Fprintf(bw, "%s%s: %s, %s, %s%s, %s%s\n", indent, r.File, kindEn, plural(r.Rows, "data row"), plural(r.ErrorCount, "error"), errEn, plural(r.WarningCount, "warning"), warnEn)
	}
	line := func(prefixZh, prefixEn string, e RowError) {
		if zh {
			fmt.Fprintf(bw, "  %s%s\n", prefixZh, e.Zh())
		}
		if en {
			indent := "  "
			if zh {
				indent = "    "
			}
			fmt.Fprintf(bw, "%s%s%s\n", indent, prefixEn, e.En())
		}
	}
	for _, e := range r.Errors {
		line("", "", e)
	}
	if n := r.ErrorCount - len(r.Errors); n > 0 {
		line("", "", RowError{File: r.File, Expected: fmt.Sprintf("另有 %d 处错误未列出", n), ExpectedEn: fmt.Sprintf("%d more errors not listed", n)})
	}
	for _, e := range r.Warnings {
		line("警告 ", "warning: ", e)
	}
	if n := r.WarningCount - len(r.Warnings); n > 0 {
		line("警告 ", "warning: ", RowError{File: r.File, Expected: fmt.Sprintf("另有 %d 条警告未列出", n), ExpectedEn: fmt.Sprintf("%d more warnings not listed", n)})
	}
	return bw.Flush()
}

// byClass returns counts by class as " (a 1, b 2)", in Chinese and English punctuation.
func byClass(counts map[string]int) (zh, en string) {
	var classes []string
	for _, c := range slices.Sorted(maps.Keys(counts)) {
		classes = append(classes, fmt.Sprintf("%s %d", c, counts[c]))
	}
	if len(classes) == 0 {
		return "", ""
	}
	return "（" + strings.Join(classes, "，") + "）", " (" + strings.Join(classes, ", ") + ")"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
