package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SchoolTablesFile is the optional file of a pack that maps the school tables of the
// education statistics (教育事业统计基础基表) onto roster elements.
const SchoolTablesFile = "school_tables.yaml"

// SchoolTable is a school aggregate table: one row per institution and year, whose
// count columns give the institution's students (or teachers) by the dims each column
// stands for. A province's variant of a table is an edit of the pack, not of the code.
type SchoolTable struct {
	// Code names the table; it is the kind of its files (templates, --kind).
	Code   string
	Name   string
	NameEn string
	// Element is the roster element the counts are of: students or teachers.
	Element string
	// Dims are the dims every count of the table has (e.g. stage=preschool).
	Dims Filter
	// Counts are the columns stored: disjoint cells of the element, each with the dims
	// of the table and its own. Totals are checked only: where given, each equals the
	// sum of the counts whose dims include its own.
	Counts []*TableColumn
	Totals []*TableColumn
	Line   int
}

// TableColumn is a column of a school table.
type TableColumn struct {
	Header  string
	Aliases []string
	// Dims are the column's own dims (the table's are added for a count's cell).
	Dims Filter
}

// Cell returns the canonical dims of a count column's cell: the table's and its own.
func (t *SchoolTable) Cell(c *TableColumn) string {
	f := slices.Concat(t.Dims, c.Dims)
	slices.SortFunc(f, func(a, b Cond) int { return strings.Compare(a.Key, b.Key) })
	return f.String()
}

// Includes reports whether a count column's cell lies within a total column's: every
// dim of the total has the same value in the count.
func (t *SchoolTable) Includes(total, count *TableColumn) bool {
	for _, c := range total.Dims {
		if !slices.ContainsFunc(count.Dims, func(d Cond) bool { return d.Key == c.Key && d.Values[0] == c.Values[0] }) {
			return false
		}
	}
	return true
}

// SchoolTable returns the school table of the code, or nil.
func (p *Pack) SchoolTable(code string) *SchoolTable {
	for _, t := range p.SchoolTables {
		if t.Code == code {
			return t
		}
	}
	return nil
}

// tableElements are the roster elements a school table may count: those whose rows
// sit at institutions.
var tableElements = []string{"students", "teachers"}

// institutionDims are the dims a student or teacher takes from the institution's row:
// never a table's.
var institutionDims = []string{"type", "ownership", "location", "inclusive"}

// reservedKinds are the built-in kinds of file, which no table code may take.
var reservedKinds = []string{"institutions", "students", "teachers", "population", "facts", "conditions"}

func (l *loader) loadSchoolTables(p *Pack) {
	const file = SchoolTablesFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return // the file is optional
	}
	seen := map[string]int{}
	for i, n := range l.list(file, "tables") {
		m := l.mapping(file, fmt.Sprintf("tables[%d].", i), n)
		t := &SchoolTable{Line: n.Line}
		t.Code = m.str("code", true)
		if t.Code != "" {
			m.pre = fmt.Sprintf("tables[%s].", t.Code)
			if prev := seen[t.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", t.Code, prev)
			}
			seen[t.Code] = m.line("code")
			if slices.Contains(reservedKinds, t.Code) {
				l.add(file, m.line("code"), m.pre+"code", "%s is a built-in kind of file", t.Code)
			}
		}
		t.Name = m.str("name", true)
		t.NameEn = m.str("name_en", false)
		t.Element = m.str("element", true)
		var el *Element // the pack is not indexed yet
		for _, e := range p.Elements {
			if e.Code == t.Element {
				el = e
			}
		}
		if t.Element != "" && (el == nil || !slices.Contains(tableElements, t.Element)) {
			l.add(file, m.line("element"), m.pre+"element", "expected students or teachers, got %q", t.Element)
		}
		var allowed []string
		if el != nil {
			for _, d := range el.Dims {
				if !slices.Contains(institutionDims, d) {
					allowed = append(allowed, d)
				}
			}
		}
		var dims string
		m.decode("dims", false, &dims)
		f, err := ParseFilter(dims, allowed)
		if err == nil && !f.Single() {
			err = fmt.Errorf("each dimension takes one value")
		}
		if err != nil {
			l.add(file, m.line("dims"), m.pre+"dims", "%v", err)
		}
		t.Dims = f
		t.Counts = l.tableColumns(m, "counts", true, t, allowed)
		t.Totals = l.tableColumns(m, "totals", false, t, allowed)
		l.checkTable(m, t)
		m.done()
		p.SchoolTables = append(p.SchoolTables, t)
	}
}

func (l *loader) tableColumns(m *mapping, key string, required bool, t *SchoolTable, allowed []string) []*TableColumn {
	k, v := m.get(key)
	if v == nil {
		if required {
			l.add(m.file, m.node.Line, m.pre+key, "required field is missing")
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(m.file, k.Line, m.pre+key, "expected a list")
		return nil
	}
	var out []*TableColumn
	for i, n := range v.Content {
		cm := l.mapping(m.file, fmt.Sprintf("%s%s[%d].", m.pre, key, i), n)
		c := &TableColumn{Header: cm.str("header", true)}
		cm.decode("aliases", false, &c.Aliases)
		var dims string
		cm.decode("dims", false, &dims)
		f, err := ParseFilter(dims, allowed)
		if err == nil && !f.Single() {
			err = fmt.Errorf("each dimension takes one value")
		}
		for _, d := range f {
			if slices.ContainsFunc(t.Dims, func(c Cond) bool { return c.Key == d.Key }) {
				err = fmt.Errorf("dimension %q is the table's", d.Key)
			}
		}
		if err != nil {
			l.add(m.file, cm.line("dims"), cm.pre+"dims", "%v", err)
		}
		c.Dims = f
		cm.done()
		out = append(out, c)
	}
	return out
}

// checkTable checks that headers are unique and that counts are disjoint: any two
// differ in the value of some dim they both have, so that no person is counted twice.
func (l *loader) checkTable(m *mapping, t *SchoolTable) {
	headers := map[string]bool{}
	for _, c := range slices.Concat(t.Counts, t.Totals) {
		for _, h := range append([]string{c.Header}, c.Aliases...) {
			h = normalizeTableHeader(h)
			if headers[h] {
				l.add(m.file, m.node.Line, m.pre+"header", "header %q appears twice", h)
			}
			headers[h] = true
		}
	}
	for _, h := range []string{"year", "年份", "institution", "学校标识码"} {
		if headers[h] {
			l.add(m.file, m.node.Line, m.pre+"header", "header %q is the table's key column", h)
		}
	}
	for _, tot := range t.Totals {
		if !slices.ContainsFunc(t.Counts, func(c *TableColumn) bool { return t.Includes(tot, c) }) {
			l.add(m.file, m.node.Line, m.pre+"totals", "total %q (%s) includes no count: it would always be checked against 0", tot.Header, tot.Dims)
		}
	}
	for i, a := range t.Counts {
		for _, b := range t.Counts[i+1:] {
			if !disjoint(a.Dims, b.Dims) {
				l.add(m.file, m.node.Line, m.pre+"counts", "counts %q and %q overlap (%s, %s): a count column must differ from every other in the value of a dim both have",
					a.Header, b.Header, a.Dims, b.Dims)
			}
		}
	}
}

func disjoint(a, b Filter) bool {
	for _, c := range a {
		for _, d := range b {
			if c.Key == d.Key && c.Values[0] != d.Values[0] {
				return true
			}
		}
	}
	return false
}

// normalizeTableHeader folds the spellings of a header as the importer reads it.
func normalizeTableHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	return strings.NewReplacer(" ", "_", "-", "_", "（", "(", "）", ")").Replace(h)
}

// NormalizeTableHeader is how a school table's header cell is compared with the
// pack's headers: case, spaces and full-width brackets folded.
func NormalizeTableHeader(h string) string { return normalizeTableHeader(h) }
