package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// ClassTotal is a school table's total that is not the sum of its parts.
const ClassTotal = "total"

// maxTableCount is the largest count a school table's cell may hold: more people than
// any school has.
const maxTableCount = 1_000_000

// TableRow is a valid row of a school table (plan.SchoolTable): an institution's
// counts in a year.
type TableRow struct {
	Row         int
	Year        int
	Institution string
	// Cells are the counts of the table's count columns that the file has, by the
	// canonical dims of each cell.
	Cells []TableCell
}

// TableCell is one count of a school table's row.
type TableCell struct {
	Dims  string
	Count int64
}

// tableHeader is a school table's header read against the pack's table.
type tableHeader struct {
	year, inst int
	counts     []int // cell index of each of t.Counts; -1 if absent
	totals     []int
}

// SchoolTableOf returns the school table a kind of file names, or nil for the other kinds.
func SchoolTableOf(pack *plan.Pack, k Kind) *plan.SchoolTable {
	if pack == nil {
		return nil
	}
	return pack.SchoolTable(string(k))
}

// schoolTables returns the pack's school tables (none for a nil pack).
func schoolTables(pack *plan.Pack) []*plan.SchoolTable {
	if pack == nil {
		return nil
	}
	return pack.SchoolTables
}

// keyHeaders are the headers of a school table's key columns.
var (
	yearHeaders = append([]string{"year"}, aliases[cYear]...)
	instHeaders = append([]string{"institution", "code"}, aliases[cInstitution]...)
	nameHeaders = append([]string{"name"}, aliases[cName]...)
)

func mapTableHeader(t *plan.SchoolTable, header []string, rep *Report) *tableHeader {
	h := &tableHeader{year: -1, inst: -1, counts: make([]int, len(t.Counts)), totals: make([]int, len(t.Totals))}
	for i := range h.counts {
		h.counts[i] = -1
	}
	for i := range h.totals {
		h.totals[i] = -1
	}
	find := func(cols []*plan.TableColumn, name string) int {
		return slices.IndexFunc(cols, func(c *plan.TableColumn) bool {
			return plan.NormalizeTableHeader(c.Header) == name ||
				slices.ContainsFunc(c.Aliases, func(a string) bool { return plan.NormalizeTableHeader(a) == name })
		})
	}
	for i, raw := range header {
		name := plan.NormalizeTableHeader(raw)
		var at *int
		switch {
		case name == "":
			continue
		case slices.Contains(yearHeaders, name):
			at = &h.year
		case slices.Contains(instHeaders, name):
			at = &h.inst
		case slices.Contains(nameHeaders, name):
			continue // the school's name: read by people, not by the import
		case find(t.Counts, name) >= 0:
			at = &h.counts[find(t.Counts, name)]
		case find(t.Totals, name) >= 0:
			at = &h.totals[find(t.Totals, name)]
		default:
			rep.Warn(RowError{Row: 1, Column: raw, Class: ClassHeader,
				Expected:   fmt.Sprintf("第 %s 列不是%s的列，已忽略", sheet.ColumnName(i), t.Name),
				ExpectedEn: fmt.Sprintf("column %s is not a column of the table %s; ignored", sheet.ColumnName(i), t.Code)})
			continue
		}
		if *at >= 0 {
			rep.Add(RowError{Row: 1, Column: raw, Class: ClassHeader,
				Expected:   fmt.Sprintf("列出现了两次：第 %s 列与第 %s 列", sheet.ColumnName(*at), sheet.ColumnName(i)),
				ExpectedEn: fmt.Sprintf("the column appears twice: %s and %s", sheet.ColumnName(*at), sheet.ColumnName(i))})
			continue
		}
		*at = i
	}
	var missing []string
	if h.year < 0 {
		missing = append(missing, "year（年份）")
	}
	if h.inst < 0 {
		missing = append(missing, "institution（学校标识码）")
	}
	if !slices.ContainsFunc(h.counts, func(i int) bool { return i >= 0 }) {
		missing = append(missing, "count 人数列（"+t.Counts[0].Header+" …）")
	}
	if len(missing) > 0 {
		rep.Add(RowError{Row: 1, Class: ClassHeader,
			Expected:   fmt.Sprintf("缺少必需的列：%s（%s）", strings.Join(missing, "、"), t.Name),
			ExpectedEn: fmt.Sprintf("missing required columns: %s (table %s)", strings.Join(missing, ", "), t.Code)})
	}
	return h
}

// readTable streams the rows of a school table's file, validating each as strictly as
// a roster: the year, the institution, every count a non-negative integer (an empty
// count is 0, as the statistics tables leave zeros blank), every total given equal to
// the sum of the file's counts within it, and one row per institution and year. Valid
// rows go to visit as *TableRow; the institution's existence is the caller's to check.
func readTable(ctx context.Context, src sheet.Source, file string, t *plan.SchoolTable, rep *Report, visit func(any) error) error {
	if rep.File == "" {
		rep.File = file
	}
	h := mapTableHeader(t, src.Header(), rep)
	if !rep.OK() {
		return nil
	}
	seen := map[string]int{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, cells, err := src.Next()
		if err != nil {
			return endOfRows(file, err, rep)
		}
		rep.Rows++
		r, ok := parseTableRow(t, h, row, cells, file, rep)
		if !ok {
			continue
		}
		key := strconv.Itoa(r.Year) + "/" + r.Institution
		if first, dup := seen[key]; dup {
			rep.Add(RowError{File: file, Row: row, Column: "institution", Value: r.Institution, Class: ClassDuplicate,
				Expected:   fmt.Sprintf("%d 年该学校已在第 %d 行", r.Year, first),
				ExpectedEn: fmt.Sprintf("the institution's %d row is already row %d", r.Year, first)})
			continue
		}
		seen[key] = row
		if err := visit(r); err != nil {
			return err
		}
	}
}

// parseTableRow reads a data row of a school table: the year, the institution and its
// counts, each total checked against the counts it sums. Every bad cell is reported;
// ok is false if there is any, and r is nil when the counts cannot be read.
func parseTableRow(t *plan.SchoolTable, h *tableHeader, row int, cells []string, file string, rep *Report) (r *TableRow, ok bool) {
	p := &tableRowParser{t: t, h: h, row: row, cells: cells, file: file, rep: rep}
	r = &TableRow{Row: row, Institution: p.cell(h.inst)}
	keyOK := p.key(r)
	counts, countsOK := p.counts(r)
	if !keyOK || !countsOK {
		return nil, false
	}
	return r, p.totals(counts)
}

// tableRowParser reads the cells of one data row of a school table, reporting each bad
// cell to rep.
type tableRowParser struct {
	t     *plan.SchoolTable
	h     *tableHeader
	row   int
	cells []string
	file  string
	rep   *Report
}

// cell is the trimmed cell in column i, "" where the row has none.
func (p *tableRowParser) cell(i int) string {
	if i < 0 || i >= len(p.cells) {
		return ""
	}
	return sheet.Trim(p.cells[i])
}

// fail reports a bad cell; zh and en say what was expected.
func (p *tableRowParser) fail(column, value, class, zh, en string) {
	p.rep.Add(RowError{File: p.file, Row: p.row, Column: column, Value: value, Class: class, Expected: zh, ExpectedEn: en})
}

// key reads the row's year and institution into r; false if either is bad.
func (p *tableRowParser) key(r *TableRow) bool {
	ok := true
	// The report says "应为"/"expected" before these; they say only what is expected.
	yzh, yen := fmt.Sprintf("%d–%d 的整数年份", MinYear, MaxYear), fmt.Sprintf("an integer year from %d to %d", MinYear, MaxYear)
	y, err := strconv.Atoi(p.cell(p.h.year))
	switch {
	case p.cell(p.h.year) == "":
		p.fail("year", "", ClassMissing, yzh, yen)
		ok = false
	case err != nil || y < MinYear || y > MaxYear:
		p.fail("year", p.cell(p.h.year), ClassRange, yzh, yen)
		ok = false
	}
	r.Year = y
	if r.Institution == "" {
		p.fail("institution", "", ClassMissing, "学校标识码", "the institution's code")
		ok = false
	}
	return ok
}

// number reads the count in column i of column c: given is false for an empty cell,
// ok false (and the cell reported) for anything but a whole number of people.
func (p *tableRowParser) number(c *plan.TableColumn, i int) (n int64, given, ok bool) {
	s := p.cell(i)
	if s == "" {
		return 0, false, true
	}
	n, good := parseInt(s) // a workbook's 12 may read 12.0
	if !good || n < 0 || n > maxTableCount {
		p.fail(c.Header, s, ClassNumber, fmt.Sprintf("0–%d 的整数（人数）", maxTableCount), fmt.Sprintf("a whole number of people from 0 to %d", maxTableCount))
		return 0, false, false
	}
	return n, true, true
}

// counts reads the row's count columns into r's cells, and returns them by the table's
// count (0 where the file lacks the column); false if any is bad.
func (p *tableRowParser) counts(r *TableRow) ([]int64, bool) {
	ok := true
	counts := make([]int64, len(p.t.Counts))
	for j, c := range p.t.Counts {
		if p.h.counts[j] < 0 {
			continue
		}
		n, _, good := p.number(c, p.h.counts[j])
		ok = ok && good
		counts[j] = n
		r.Cells = append(r.Cells, TableCell{Dims: p.t.Cell(c), Count: n})
	}
	return counts, ok
}

// totals checks each total column given against the sum of the counts it includes;
// false if a total is bad or differs.
func (p *tableRowParser) totals(counts []int64) bool {
	t, h := p.t, p.h
	ok := true
	for j, tot := range t.Totals {
		if h.totals[j] < 0 {
			continue
		}
		n, given, good := p.number(tot, h.totals[j])
		if !good {
			ok = false
			continue
		}
		if !given {
			continue
		}
		var sum int64
		var parts []string
		for k, c := range t.Counts {
			if h.counts[k] >= 0 && t.Includes(tot, c) {
				sum += counts[k]
				parts = append(parts, c.Header)
			}
		}
		if sum != n {
			p.fail(tot.Header, strconv.FormatInt(n, 10), ClassTotal,
				fmt.Sprintf("应等于 %s 之和 %d", strings.Join(parts, "、"), sum),
				fmt.Sprintf("expected the sum of %s, %d", strings.Join(parts, ", "), sum))
			ok = false
		}
	}
	return ok
}

// detectTable tells which of the pack's school tables a header is of: the one with the
// most of its columns in the header; a tie, or a header no table fits, is settled by a
// table code in the file's name (kg_students-2024.csv). ok is false when no table fits
// and the name names none, or the tie stands.
func detectTable(pack *plan.Pack, header []string, file string) (*plan.SchoolTable, bool) {
	var best []*plan.SchoolTable
	bestN := 0
	for _, t := range pack.SchoolTables {
		rep := &Report{}
		h := mapTableHeader(t, header, rep)
		if !rep.OK() {
			continue
		}
		n := 0
		for _, i := range slices.Concat(h.counts, h.totals) {
			if i >= 0 {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN = []*plan.SchoolTable{t}, n
		case n == bestN:
			best = append(best, t)
		}
	}
	if len(best) == 1 {
		return best[0], true
	}
	if len(best) == 0 {
		// No table's header is whole (a column given twice, one missing): a file that
		// names a table is read as it, so that its report says what is wrong with the
		// header rather than that the kind is unknown.
		best = pack.SchoolTables
	}
	base := filepath.Base(file)
	for _, t := range best {
		if strings.Contains(base, t.Code) {
			return t, true
		}
	}
	return nil, false
}

// tableRow stores a school table's row as roster cells of its institution, in the
// table's snapshot of the institution's district.
func (a *applier) tableRow(r *TableRow) error {
	district, ok, err := a.institution(r.Year, r.Institution)
	if err != nil {
		return err
	}
	if !ok {
		a.fail(r.Row, "institution", r.Institution, ClassReference, fmt.Sprintf("%d 年的学校名单中没有这所学校（请先导入学校名单）", r.Year),
			fmt.Sprintf("no such institution in %d (import the institutions file first)", r.Year))
		return nil
	}
	if ok, err := a.take(r.Row, "institution", r.Institution, r.Year, district, a.table.Code); !ok || err != nil {
		return err
	}
	for _, c := range r.Cells {
		a.after[snapshotKey{r.Year, district, a.table.Code}] += c.Count
	}
	if !a.writing() {
		return nil
	}
	for _, c := range r.Cells {
		a.cells[store.Cell{Kind: a.table.Element, Year: r.Year, District: district, Institution: r.Institution, Dims: c.Dims, Batch: a.batch.ID}] += c.Count
	}
	return nil
}

// TableFormat describes a school table's file: the key columns, then the counts and
// the totals in the pack's order, with an example row whose totals are the sums of its
// counts (so that the template imports once its codes are real).
func TableFormat(t *plan.SchoolTable) KindFormat {
	f := KindFormat{Kind: Kind(t.Code), Name: t.Name,
		Row: fmt.Sprintf("教育事业统计基础基表：每所学校每年一行，%s；人数为空视为 0，合计类列如填写须等于其各项之和。", t.Name),
		RowEn: fmt.Sprintf("A school table of the education statistics (基础基表): one row per school per year, %s; an empty count is 0, and a total, where given, must equal the sum of its parts.",
			strings.ToLower(t.NameEn[:1])+t.NameEn[1:])}
	f.Columns = append(f.Columns,
		ColumnFormat{Column: Column{Name: "年份", Required: true, Aliases: yearHeaders}, Type: yearDoc.typ, TypeEn: yearDoc.typEn,
			Meaning: yearDoc.meaning, MeaningEn: yearDoc.meaningEn, Example: yearDoc.example},
		ColumnFormat{Column: Column{Name: "学校标识码", Required: true, Aliases: slices.DeleteFunc(slices.Clone(instHeaders), func(h string) bool { return h == "学校标识码" })},
			Type: colDocs[cInstitution].typ, TypeEn: colDocs[cInstitution].typEn, Meaning: colDocs[cInstitution].meaning,
			MeaningEn: colDocs[cInstitution].meaningEn, Example: colDocs[cInstitution].example},
		ColumnFormat{Column: Column{Name: "学校名称", Aliases: slices.DeleteFunc(slices.Clone(nameHeaders), func(h string) bool { return h == "学校名称" })},
			Type: "文本", TypeEn: "text", Meaning: "学校名称（供阅读，导入时不读取）", MeaningEn: "the school's name (for people; the import does not read it)",
			Example: colDocs[cName].example})
	counts := make([]int64, len(t.Counts))
	for j, c := range t.Counts {
		counts[j] = int64(10 + 3*j%17)
		f.Columns = append(f.Columns, ColumnFormat{Column: Column{Name: c.Header, Aliases: c.Aliases},
			Type: "非负整数；空为 0", TypeEn: "non-negative integer; empty = 0",
			Meaning: "人数：" + dimsZh(t.Cell(c)), MeaningEn: "count: " + t.Cell(c), Example: strconv.FormatInt(counts[j], 10)})
	}
	for _, tot := range t.Totals {
		var sum int64
		var parts []string
		for j, c := range t.Counts {
			if t.Includes(tot, c) {
				sum += counts[j]
				parts = append(parts, c.Header)
			}
		}
		f.Columns = append(f.Columns, ColumnFormat{Column: Column{Name: tot.Header, Aliases: tot.Aliases},
			Type: "非负整数；可空", TypeEn: "non-negative integer; may be empty",
			Meaning: "合计，仅用于核对：须等于 " + strings.Join(parts, "、") + " 之和", MeaningEn: "a total, checked only: the sum of " + strings.Join(parts, ", "),
			Example: strconv.FormatInt(sum, 10)})
	}
	return f
}

// dimsZh writes a cell's dims in Chinese where the codes have meanings: "学段=小学；性别=女；年级=1".
func dimsZh(dims string) string {
	names := map[string]string{"stage": "学段", "grade": "年级", "sex": "性别", "education": "学历", "hukou": "户籍", "subject": "学科"}
	var out []string
	for part := range strings.SplitSeq(dims, ";") {
		k, v, _ := strings.Cut(part, "=")
		if m, ok := codeMeanings[k][v]; ok {
			v = m[0]
		}
		if n, ok := names[k]; ok {
			k = n
		}
		out = append(out, k+"="+v)
	}
	return strings.Join(out, "；")
}
