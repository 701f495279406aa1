package ingest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Record is a row of a file of a record kind the pack declares (kinds.yaml). It keeps
// what the kind's elements are computed from and nothing about who the row is: a
// student's or teacher's id serves the duplicate check and the roster check, and is
// neither written out nor stored.
type Record struct {
	Row  int    `json:"row"`
	Year int    `json:"year"`
	Kind string `json:"kind"`
	// Institution is the row's institution (kinds keyed by institution, student or
	// teacher); District the district a provider's row gives.
	Institution string `json:"institution,omitempty"`
	District    string `json:"district,omitempty"`
	// ID is a person's id (kinds keyed by student or teacher), for the roster check.
	ID string `json:"-"`
	// Dims are the code and boolean fields, canonical (key=value;... sorted by key; an
	// empty optional cell is an empty value).
	Dims string `json:"dims"`
	// Values are the integer and number fields, in the order of the kind's Measures;
	// NaN where the cell is empty (unknown).
	Values []float64 `json:"values"`
}

// declCol is a column of a declared kind: one the key gives it, or a field.
type declCol struct {
	name     string
	aliases  []string
	required bool
	field    *plan.Field
	enum     *enum // a code field's codes and the spellings accepted for them
}

// keyColumns are the columns a record kind's key gives it, after year.
func keyColumns(key string) []declCol {
	inst := declCol{name: "institution", aliases: aliases[cInstitution], required: true}
	switch key {
	case plan.KeyStudent:
		return []declCol{{name: "student_id", aliases: aliases[cStudentID], required: true}, inst}
	case plan.KeyTeacher:
		return []declCol{{name: "teacher_id", aliases: aliases[cTeacherID], required: true}, inst}
	case plan.KeyProvider:
		return []declCol{{name: "provider", aliases: providerAliases, required: true}, {name: "district", aliases: aliases[cDistrict], required: true}}
	}
	return []declCol{inst}
}

var providerAliases = []string{"机构代码", "机构编号", "办学许可证号", "许可证号", "统一社会信用代码", "provider_code", "provider_id"}

// builtinEnums are the enums of the built-in columns, for a code field whose codes are
// a built-in domain: its Chinese spellings are accepted too.
var builtinEnums = map[string]*enum{
	"stage": enumStage, "type": enumType, "ownership": enumOwnership, "location": enumLocation, "sex": enumSex,
	"hukou": enumHukou, "education": enumEducation, "subject": enumSubject, "backbone": enumBackbone,
}

// declColumns lists a kind's columns in the order of its format: year, the key's
// columns, then the fields.
func declColumns(k *plan.RecordKind) []declCol {
	cols := []declCol{{name: "year", aliases: aliases[cYear], required: true}}
	cols = append(cols, keyColumns(k.Key)...)
	for _, f := range k.Fields {
		c := declCol{name: f.Code, aliases: f.Aliases, required: f.Required, field: f}
		if f.Type == plan.FieldCode {
			c.enum = fieldEnum(f)
		}
		cols = append(cols, c)
	}
	return cols
}

// fieldEnum is the enum of a code field: its codes, in any case, and each code's
// Chinese name.
func fieldEnum(f *plan.Field) *enum {
	if e, ok := builtinEnums[f.Domain]; ok {
		return e
	}
	e := &enum{values: f.Codes(), aliases: map[string]string{}}
	var zh []string
	for _, v := range f.Values {
		e.aliases[strings.ToLower(v.Code)] = v.Code
		if v.Name != "" {
			e.aliases[strings.ToLower(v.Name)] = v.Code
			zh = append(zh, v.Name)
		}
	}
	e.zh = strings.Join(e.values, "、")
	e.en = "one of " + strings.Join(e.values, ", ")
	if len(zh) > 0 {
		e.zh += "（或 " + strings.Join(zh, "、") + "）"
		e.en += " (or " + strings.Join(zh, ", ") + ")"
	}
	return e
}

// declaredKind returns the record kind of the pack that kind names, or nil.
func declaredKind(pack *plan.Pack, kind Kind) *plan.RecordKind {
	if pack == nil {
		return nil
	}
	return pack.RecordKind(string(kind))
}

// declReader validates the rows of a file of a declared kind.
type declReader struct {
	file  string
	kind  *plan.RecordKind
	pack  *plan.Pack
	rep   *Report
	cols  []declCol
	idx   []int // cell index of each column; -1 if absent
	dims  []int // the columns of the dims, by field code
	meas  []int // the columns of the measures, in Measures order
	keys  map[string]int
	row   int
	cells []string
	bad   bool

	districtsZh, districtsEn string
}

// readDeclared is Read for a kind the pack declares.
func readDeclared(ctx context.Context, src sheet.Source, file string, k *plan.RecordKind, pack *plan.Pack, rep *Report, visit func(rec any) error) error {
	r := &declReader{file: file, kind: k, pack: pack, rep: rep, cols: declColumns(k), keys: map[string]int{}}
	if !r.header(src.Header()) {
		return nil
	}
	if pack.Top() != nil {
		var codes []string
		for _, d := range pack.Districts() {
			codes = append(codes, d.Code)
		}
		r.districtsZh = "；应为以下之一：" + strings.Join(codes, "、")
		r.districtsEn = "; expected one of " + strings.Join(codes, ", ")
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, cells, err := src.Next()
		if err != nil {
			return endOfRows(file, err, rep)
		}
		rep.Rows++
		rep.progress.addRows(1)
		r.row, r.cells, r.bad = row, cells, false
		rec := r.parse()
		if r.bad {
			continue
		}
		if err := visit(rec); err != nil {
			return err
		}
	}
}

// header maps the header to the kind's columns, reporting what is wrong with it; it
// reports whether rows can be read.
func (r *declReader) header(header []string) bool {
	r.idx = make([]int, len(r.cols))
	for i := range r.idx {
		r.idx[i] = -1
	}
	r.rep.headers = map[string]string{}
	ok := true
	kindZh := r.kind.Name
	for i, h := range header {
		if h == "" {
			continue
		}
		if r.kind.Person() && plan.PersonalHeader(h) {
			r.rep.Add(RowError{Row: 1, Column: h, Class: ClassHeader,
				Expected:   fmt.Sprintf("第 %s 列“%s”是姓名或身份证件号：%s是个人记录，不得包含姓名或身份证件号，请删去该列后再导入", sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted), kindZh),
				ExpectedEn: fmt.Sprintf("column %s %q is a name or an ID-card number: a %s file is about persons and may hold neither; remove the column and import again", sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted), r.kind.Code)})
			ok = false
			continue
		}
		c := r.lookup(h)
		if c < 0 {
			r.rep.Warn(RowError{Row: 1, Column: h, Class: ClassHeader,
				Expected:   fmt.Sprintf("第 %s 列不是%s文件的列，已忽略", sheet.ColumnName(i), kindZh),
				ExpectedEn: fmt.Sprintf("column %s is not a column of a %s file; ignored", sheet.ColumnName(i), r.kind.Code)})
			continue
		}
		if j := r.idx[c]; j >= 0 {
			r.rep.Add(RowError{Row: 1, Column: r.cols[c].name, Class: ClassHeader,
				Expected:   fmt.Sprintf("列出现了两次：第 %s 列“%s”与第 %s 列“%s”", sheet.ColumnName(j), sheet.Shorten(header[j], sheet.MaxQuoted), sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted)),
				ExpectedEn: fmt.Sprintf("the column appears twice: %s %q and %s %q", sheet.ColumnName(j), sheet.Shorten(header[j], sheet.MaxQuoted), sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted))})
			ok = false
			continue
		}
		r.idx[c] = i
		r.rep.headers[r.cols[c].name] = h
	}
	var missing, need []string
	for i, c := range r.cols {
		if c.required {
			need = append(need, c.name)
			if r.idx[i] < 0 {
				missing = append(missing, c.name)
			}
		}
	}
	if len(missing) > 0 {
		found := sheet.Shorten(strings.Join(header, ", "), 200)
		r.rep.Add(RowError{Row: 1, Class: ClassHeader,
			Expected: fmt.Sprintf("缺少必需的列 %s；%s文件需要 %s（第 1 行为表头，现为：%s）",
				strings.Join(missing, "、"), kindZh, strings.Join(need, "、"), found),
			ExpectedEn: fmt.Sprintf("missing required columns %s; a %s file needs %s (row 1 is the header; it has: %s)",
				strings.Join(missing, ", "), r.kind.Code, strings.Join(need, ", "), found)})
		ok = false
	}
	dimCols := map[string]int{}
	for i, c := range r.cols {
		if c.field == nil {
			continue
		}
		if c.field.Dim() {
			dimCols[c.field.Code] = i
		}
	}
	for _, code := range slices.Sorted(maps.Keys(dimCols)) {
		r.dims = append(r.dims, dimCols[code])
	}
	for _, f := range r.kind.Measures() {
		r.meas = append(r.meas, slices.IndexFunc(r.cols, func(c declCol) bool { return c.field == f }))
	}
	return ok
}

// lookup returns the column a header names, or -1.
func (r *declReader) lookup(header string) int {
	h := normalizeHeader(header)
	for i, c := range r.cols {
		if h == c.name {
			return i
		}
	}
	for i, c := range r.cols {
		for _, a := range c.aliases {
			if h == normalizeHeader(a) {
				return i
			}
		}
	}
	return -1
}

func (r *declReader) cell(i int) string {
	j := r.idx[i]
	if j < 0 || j >= len(r.cells) {
		return ""
	}
	return sheet.Trim(r.cells[j])
}

func (r *declReader) fail(i int, value, class, zh, en string) {
	r.bad = true
	r.rep.Add(RowError{File: r.file, Row: r.row, Column: r.cols[i].name, Value: value, Class: class, Expected: zh, ExpectedEn: en})
}

// identifier returns a required code or id, refusing one a spreadsheet would run.
func (r *declReader) identifier(i int, zh, en string) string {
	v := r.cell(i)
	if v == "" {
		r.fail(i, "", ClassMissing, zh, en)
		return ""
	}
	if strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
		r.fail(i, v, ClassFormula, "不能以 = + - @ 开头：电子表格会把它当作公式执行",
			"must not begin with =, +, - or @: a spreadsheet would run it as a formula")
	}
	return v
}

func (r *declReader) parse() *Record {
	x := &Record{Row: r.row, Kind: r.kind.Code}
	const yzh, yen = "1949–2100 之间的整数年份（学年的起始年）", "an integer year from 1949 to 2100 (the school year's first year)"
	if v := r.cell(0); v == "" {
		r.fail(0, "", ClassMissing, yzh, yen)
	} else if y, ok := parseInt(v); !ok {
		r.fail(0, v, ClassNumber, yzh, yen)
	} else if y < MinYear || y > MaxYear {
		r.fail(0, v, ClassRange, yzh, yen)
	} else {
		x.Year = int(y)
	}
	key := []string{strconv.Itoa(x.Year)}
	switch r.kind.Key {
	case plan.KeyStudent, plan.KeyTeacher:
		zh, en := "学籍号", "the student's id"
		if r.kind.Key == plan.KeyTeacher {
			zh, en = "教师编号", "the teacher's id"
		}
		x.ID = r.identifier(1, zh, en)
		key = append(key, x.ID)
		x.Institution = r.identifier(2, "学校标识码", "the institution's code")
	case plan.KeyProvider:
		key = append(key, r.identifier(1, "机构代码（如办学许可证号）", "the provider's code (e.g. its licence number)"))
		x.District = r.district(2)
		key = append(key, x.District)
	default:
		x.Institution = r.identifier(1, "学校标识码", "the institution's code")
		key = append(key, x.Institution)
	}
	first := len(keyColumns(r.kind.Key)) + 1
	text := make([]string, len(r.cols)) // each field's value as read, for the key and rules
	nums := make([]float64, len(r.cols))
	for i := first; i < len(r.cols); i++ {
		text[i], nums[i] = r.field(i, x.Year)
	}
	r.compute(first, text, nums)
	r.derive(first, text)
	for _, kf := range r.kind.KeyFields {
		i := slices.IndexFunc(r.cols, func(c declCol) bool { return c.field != nil && c.field.Code == kf })
		key = append(key, text[i])
	}
	var dims []string
	for _, i := range r.dims {
		dims = append(dims, r.cols[i].name+"="+text[i])
	}
	x.Dims = strings.Join(dims, ";")
	x.Values = make([]float64, len(r.meas))
	for j, i := range r.meas {
		x.Values[j] = nums[i]
	}
	if !r.bad {
		k := strings.Join(key, "\x00")
		if first, ok := r.keys[k]; ok {
			names := []string{"year", r.cols[1].name}
			if r.kind.Key == plan.KeyProvider {
				names = append(names, "district")
			}
			names = append(names, r.kind.KeyFields...)
			r.fail(1, r.cell(1), ClassDuplicate,
				fmt.Sprintf("与第 %d 行重复（%s 相同）", first, strings.Join(names, "、")),
				fmt.Sprintf("duplicate of row %d (same %s)", first, strings.Join(names, ", ")))
		} else {
			r.keys[k] = r.row
		}
	}
	if !r.bad {
		r.rules(text, nums)
	}
	return x
}

// field reads the cell of field column i: its text as stored in dims or compared by
// rules, and for an integer, number or date (as days) its value; NaN when empty.
func (r *declReader) field(i, year int) (string, float64) {
	c := r.cols[i]
	f := c.field
	v := r.cell(i)
	if v == "" {
		if c.required {
			zh, en := fieldExpect(f)
			r.fail(i, "", ClassMissing, zh, en)
		}
		return "", math.NaN()
	}
	switch f.Type {
	case plan.FieldInteger, plan.FieldNumber:
		zh, en := fieldExpect(f)
		var x float64
		var ok bool
		if f.Type == plan.FieldInteger {
			var n int64
			n, ok = parseInt(v)
			x = float64(n)
		} else {
			x, ok = parseFloat(v)
		}
		switch {
		case !ok:
			r.fail(i, v, ClassNumber, zh, en)
		case f.Min != nil && x < *f.Min, f.Max != nil && x > *f.Max:
			r.fail(i, v, ClassRange, zh, en)
		default:
			return v, x
		}
	case plan.FieldBoolean:
		b, ok := parseBool(v)
		if !ok {
			r.fail(i, v, ClassEnum, "true/false、1/0 或 是/否", "true/false, 1/0 or 是/否")
			return "", math.NaN()
		}
		return strconv.FormatBool(b), math.NaN()
	case plan.FieldDate:
		zh, en := "日期 YYYY-MM-DD（也接受 YYYY/MM/DD 与 Excel 日期）", "a date as YYYY-MM-DD (YYYY/MM/DD and Excel dates are accepted too)"
		d, ok := parseDate(v)
		if !ok {
			r.fail(i, v, ClassDate, zh, en)
			return "", math.NaN()
		}
		if year != 0 {
			lo, _ := formatDate(year, 1, 1)
			hi, _ := formatDate(year+1, 12, 31)
			if d < lo || d > hi {
				r.fail(i, v, ClassDate, fmt.Sprintf("%s 至 %s 之间的日期（%d 学年）", lo, hi, year),
					fmt.Sprintf("a date from %s to %s (school year %d)", lo, hi, year))
				return "", math.NaN()
			}
		}
		return d, dayNumber(d)
	case plan.FieldCode:
		if f.Multiple {
			return r.codes(i, v), math.NaN()
		}
		w, ok := c.enum.parse(v)
		if !ok {
			r.fail(i, v, ClassEnum, c.enum.zh, c.enum.en)
			return "", math.NaN()
		}
		return w, math.NaN()
	case plan.FieldText:
		if strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
			r.fail(i, v, ClassFormula, "不能以 = + - @ 开头：电子表格会把它当作公式执行",
				"must not begin with =, +, - or @: a spreadsheet would run it as a formula")
		}
		return v, math.NaN()
	}
	return "", math.NaN()
}

// codes reads the cell v of a multiple code field, column i: its codes (or their
// Chinese names) separated by plan.MultipleSeparators, each once, returned joined by
// commas in the field's order; "" when one is not a code of the field.
func (r *declReader) codes(i int, v string) string {
	c := r.cols[i]
	seen := map[string]bool{}
	for _, part := range plan.SplitCodes(v) {
		w, ok := c.enum.parse(part)
		if !ok {
			r.fail(i, v, ClassEnum, fmt.Sprintf("“%s”不是可填的代码；可填多个，以“、”分隔，每个为 %s", part, c.enum.zh),
				fmt.Sprintf("%q is not one of the codes; several may be given, separated by 、 or a comma, each %s", part, c.enum.en))
			return ""
		}
		seen[w] = true
	}
	var out []string
	for _, code := range c.field.Codes() {
		if seen[code] {
			out = append(out, code)
		}
	}
	return strings.Join(out, ",")
}

// derive works out the row's derived code fields (columns from first on) from the
// codes of the multiple fields they are derived from, into text. A cell the file gives
// for one must hold the derived value.
func (r *declReader) derive(first int, text []string) {
	for i := first; i < len(r.cols); i++ {
		f := r.cols[i].field
		if f.From == "" {
			continue
		}
		j := slices.IndexFunc(r.cols, func(c declCol) bool { return c.field != nil && c.field.Code == f.From })
		x := ""
		if text[j] != "" {
			x = f.Derive(r.cols[j].field, strings.Split(text[j], ","))
		}
		given := text[i]
		text[i] = x
		if given != "" && given != x {
			zh, en := "留空", "empty"
			if x != "" {
				zh, en = x, x
				if name := f.Values[slices.Index(f.Codes(), x)].Name; name != "" {
					zh = fmt.Sprintf("%s（%s）", x, name)
				}
			}
			r.fail(i, r.cell(i), ClassEnum,
				fmt.Sprintf("由 %s 得出应为 %s（可留空，由系统得出）", f.From, zh),
				fmt.Sprintf("by %s it is %s (the cell may be left empty: it is derived)", f.From, en))
		}
	}
}

// compute works out the row's computed fields (columns from first on) from the fields
// they read, into text and nums. A cell the file gives for one must hold the computed
// value, within plan.ComputedTolerance; the computed value must be in the field's range.
func (r *declReader) compute(first int, text []string, nums []float64) {
	var values map[string]float64
	for i := first; i < len(r.cols); i++ {
		f := r.cols[i].field
		if f.Computed == "" {
			continue
		}
		if values == nil {
			values = map[string]float64{}
			for j := first; j < len(r.cols); j++ {
				values[r.cols[j].field.Code] = nums[j]
			}
		}
		x := f.Compute(values)
		given, read := text[i], nums[i]
		text[i], nums[i] = "", x
		zh, en := fieldExpect(f)
		switch {
		case given == "" && math.IsNaN(x):
		case math.IsNaN(x):
			r.fail(i, given, ClassRange,
				fmt.Sprintf("由 %s 按 %s 计算，其中有空值：此格应留空", strings.Join(f.Inputs, "、"), f.Computed),
				fmt.Sprintf("computed by %s from %s, one of them empty: leave the cell empty", f.Computed, strings.Join(f.Inputs, ", ")))
		case given != "" && !math.IsNaN(read) && math.Abs(read-x) > plan.ComputedTolerance:
			r.fail(i, given, ClassRange,
				fmt.Sprintf("按 %s 计算应为 %s（可留空，由系统计算）", f.Computed, formatComputed(x)),
				fmt.Sprintf("by %s it is %s (the cell may be left empty: it is computed)", f.Computed, formatComputed(x)))
		case f.Min != nil && x < *f.Min, f.Max != nil && x > *f.Max:
			r.fail(i, formatComputed(x), ClassRange, fmt.Sprintf("按 %s 计算得 %s，应为%s", f.Computed, formatComputed(x), zh),
				fmt.Sprintf("%s by %s, expected %s", formatComputed(x), f.Computed, en))
		default:
			text[i] = formatComputed(x)
		}
	}
}

// formatComputed writes a computed value as a spreadsheet would show it, to two decimals.
func formatComputed(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// dayNumber is a YYYY-MM-DD date as a number that orders dates, for rules.
func dayNumber(d string) float64 {
	y, _ := strconv.Atoi(d[:4])
	m, _ := strconv.Atoi(d[5:7])
	day, _ := strconv.Atoi(d[8:])
	return float64(y*10000 + m*100 + day)
}

// fieldExpect says what a field's cell must hold.
func fieldExpect(f *plan.Field) (zh, en string) {
	unit := ""
	if f.Unit != "" {
		unit = "（" + f.Unit + "）"
	}
	rng := func() (string, string) {
		switch {
		case f.Min != nil && f.Max != nil:
			return fmt.Sprintf("，%v–%v", *f.Min, *f.Max), fmt.Sprintf(" from %v to %v", *f.Min, *f.Max)
		case f.Min != nil:
			return fmt.Sprintf("，不小于 %v", *f.Min), fmt.Sprintf(" of at least %v", *f.Min)
		case f.Max != nil:
			return fmt.Sprintf("，不大于 %v", *f.Max), fmt.Sprintf(" of at most %v", *f.Max)
		}
		return "", ""
	}
	switch f.Type {
	case plan.FieldInteger:
		rz, re := rng()
		return "整数" + rz + unit, "an integer" + re
	case plan.FieldNumber:
		rz, re := rng()
		return "数值" + rz + unit, "a number" + re
	case plan.FieldBoolean:
		return "true/false、1/0 或 是/否", "true/false, 1/0 or 是/否"
	case plan.FieldDate:
		return "日期 YYYY-MM-DD", "a date as YYYY-MM-DD"
	case plan.FieldCode:
		e := fieldEnum(f)
		return e.zh, e.en
	}
	return f.Name, f.NameEn
}

// rules runs the kind's row checks on a valid row.
func (r *declReader) rules(text []string, nums []float64) {
	value := func(side string) (float64, bool) {
		if x, err := strconv.ParseFloat(side, 64); err == nil {
			return x, true
		}
		i := slices.IndexFunc(r.cols, func(c declCol) bool { return c.field != nil && c.field.Code == side })
		return nums[i], !math.IsNaN(nums[i])
	}
	for _, rule := range r.kind.Rules {
		if !r.when(rule.When, text) {
			continue
		}
		a, okA := value(rule.Left)
		b, okB := value(rule.Right)
		if !okA || !okB || compare(a, rule.Op, b) {
			continue
		}
		col := slices.IndexFunc(r.cols, func(c declCol) bool { return c.field != nil && c.field.Code == rule.Left })
		if col < 0 {
			col = slices.IndexFunc(r.cols, func(c declCol) bool { return c.field != nil && c.field.Code == rule.Right })
		}
		if col < 0 {
			continue // two numbers: the pack refuses such a rule
		}
		e := RowError{File: r.file, Row: r.row, Column: r.cols[col].name, Value: text[col], Class: ClassPlausibility, Rule: rule.Code,
			Expected: rule.Message + "（" + rule.Check + "）", ExpectedEn: cmpOr(rule.MessageEn, rule.Message) + " (" + rule.Check + ")"}
		if rule.Error {
			r.bad = true
			r.rep.Add(e)
		} else {
			r.rep.Warn(e)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// when reports whether a row's code and boolean fields match a rule's filter.
func (r *declReader) when(f plan.Filter, text []string) bool {
	for _, c := range f {
		i := slices.IndexFunc(r.cols, func(col declCol) bool { return col.field != nil && col.field.Code == c.Key })
		if i < 0 || !slices.Contains(c.Values, text[i]) {
			return false
		}
	}
	return true
}

func compare(a float64, op string, b float64) bool {
	switch op {
	case "<=":
		return a <= b
	case "<":
		return a < b
	case ">=":
		return a >= b
	case ">":
		return a > b
	case "==":
		return a == b
	case "!=":
		return a != b
	}
	return true
}

// district returns a district code of the pack from column i.
func (r *declReader) district(i int) string {
	v := r.cell(i)
	if v == "" {
		r.fail(i, "", ClassMissing, "区县代码", "a district code")
		return ""
	}
	o := r.pack.Org(v)
	if o == nil {
		if w := codeForm(v); w != v {
			o = r.pack.Org(w)
		}
	}
	if o == nil || o.Level != plan.LevelDistrict {
		r.fail(i, v, ClassReference, "不是本规划的区县代码"+r.districtsZh, "not a district of the plan"+r.districtsEn)
		return v
	}
	return o.Code
}

// record takes a declared kind's row into its snapshot and its cell's measures.
func (a *applier) record(r *Record) error {
	org, district, column, value := r.Institution, r.District, "institution", r.Institution
	if r.Institution != "" {
		d, ok, err := a.institution(r.Year, r.Institution)
		if err != nil {
			return err
		}
		if !ok {
			a.fail(r.Row, "institution", r.Institution, ClassReference, fmt.Sprintf("%d 年的学校名单中没有这所学校（请先导入学校名单）", r.Year),
				fmt.Sprintf("no such institution in %d (import the institutions file first)", r.Year))
			return nil
		}
		district = d
	} else {
		org, column, value = r.District, "district", r.District
	}
	if ok, err := a.take(r.Row, column, value, r.Year, district, ""); !ok || err != nil {
		return err
	}
	if r.Institution != "" {
		rk := declaredKind(a.pack, a.f.kind)
		if ok, err := a.checkInstitution(rk, r); !ok || err != nil {
			return err
		}
		if ok, err := a.checkPerson(rk, r, district); !ok || err != nil {
			return err
		}
	}
	a.after[snapshotKey{r.Year, district, ""}]++
	if !a.writing() {
		return nil
	}
	key := recordCell{r.Year, district, org, r.Dims}
	m := a.records[key]
	if m == nil {
		m = make([]float64, 1+2*len(r.Values))
		a.records[key] = m
	}
	m[0]++
	for i, v := range r.Values {
		if !math.IsNaN(v) {
			m[1+2*i] += v
			m[2+2*i]++
		}
	}
	return nil
}

// recordCells are the cells of the declared kind's rows the file brought, as stored.
func (a *applier) recordCells(pack *plan.Pack) []store.RecordCell {
	if len(a.records) == 0 {
		return nil
	}
	rk := declaredKind(pack, a.f.kind)
	meas := rk.Measures()
	out := make([]store.RecordCell, 0, len(a.records)*(1+2*len(meas)))
	for k, m := range a.records {
		c := store.RecordCell{Kind: rk.Code, Year: k.year, District: k.district, Org: k.org, Dims: k.dims, Batch: a.batch.ID}
		c.Value = m[0]
		out = append(out, c)
		for i, f := range meas {
			if !rk.Summed(f.Code) {
				continue // no element reads its sum: a cell row fewer per cell
			}
			c.Measure, c.Value = f.Code, m[1+2*i]
			out = append(out, c)
			c.Measure, c.Value = f.Code+"#n", m[2+2*i]
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y store.RecordCell) int {
		return cmp.Or(x.Year-y.Year, strings.Compare(x.District, y.District), strings.Compare(x.Org, y.Org),
			strings.Compare(x.Dims, y.Dims), strings.Compare(x.Measure, y.Measure))
	})
	return out
}

// FormatsIn returns the format of every kind an import of the pack takes: the
// built-in kinds', the pack's school tables', then each declared kind's, made from its
// declaration as the reader checks it.
func FormatsIn(pack *plan.Pack) []KindFormat {
	out := Formats()
	for _, t := range schoolTables(pack) {
		out = append(out, TableFormat(t))
	}
	for _, rk := range kindsOf(pack) {
		out = append(out, declaredFormat(rk))
	}
	return out
}

// FormatIn returns the format of a kind of the pack: built-in, a school table, or declared.
func FormatIn(pack *plan.Pack, k Kind) KindFormat {
	if rk := declaredKind(pack, k); rk != nil {
		return declaredFormat(rk)
	}
	if t := SchoolTableOf(pack, k); t != nil {
		return TableFormat(t)
	}
	return k.Format()
}

// keyDocs say what the columns a key gives a kind mean.
var keyDocs = map[string]colDoc{
	"year":        yearDoc,
	"institution": colDocs[cInstitution],
	"student_id":  {"文本", "text", "学生标识，与学生名册相同（全国学籍号或其哈希值）；仅用于查重和与学生名册核对，统计数据中不保存（导入的原文件按原样留存）", "the student's id, as in the students file (national student number or a hash of it); used to find duplicates and to check the row against the roster; the figures keep no ids (the accepted file is kept as it was imported)", "G370602201801010001"},
	"teacher_id":  {"文本", "text", "教师标识，与教师名册相同；仅用于查重和与教师名册核对，统计数据中不保存（导入的原文件按原样留存）", "the teacher's id, as in the teachers file; used to find duplicates and to check the row against the roster; the figures keep no ids (the accepted file is kept as it was imported)", "T0001"},
	"provider":    {"文本", "text", "机构自身的代码（如办学许可证号），在区县内唯一", "the body's own code (e.g. its licence number), unique within its district", "JY3706020001"},
	"district":    colDocs[cDistrict],
}

// fieldTypeDocs name a field type in both languages.
var fieldTypeDocs = map[string][2]string{
	plan.FieldInteger: {"整数", "integer"},
	plan.FieldNumber:  {"数值", "number"},
	plan.FieldBoolean: {boolZh, boolEn},
	plan.FieldDate:    {"日期 YYYY-MM-DD（也接受 YYYY/M/D、YYYY年M月D日、YYYYMMDD 和 Excel 日期），须在该学年起始年的 1 月 1 日至次年 12 月 31 日之间", "date YYYY-MM-DD (also YYYY/M/D, YYYY年M月D日, YYYYMMDD and Excel dates), from 1 January of the school year's first year to 31 December of the next"},
	plan.FieldCode:    {codeZh, codeEn},
	plan.FieldText:    {"文本", "text"},
}

func declaredFormat(rk *plan.RecordKind) KindFormat {
	f := KindFormat{Kind: Kind(rk.Code), Name: rk.Name, Row: rk.Row, RowEn: cmpOr(rk.RowEn, rk.Row)}
	if rk.Person() {
		f.Row += "不含姓名和身份证件号（含此类列的文件不予导入）。"
		f.RowEn += " No names, no ID-card numbers (a file with such a column is refused)."
	}
	if rk.OnRoster {
		roster, rosterEn := "学生", "student"
		if rk.Key == plan.KeyTeacher {
			roster, rosterEn = "教师", "teacher"
		}
		f.Row += fmt.Sprintf("每一行须是该年%s名册中在该校的%s（请先导入%s名册）。", roster, roster, roster)
		f.RowEn += fmt.Sprintf(" Each row must be a %s on that year's %ss roster at the institution (import the roster first).", rosterEn, rosterEn)
	}
	for _, c := range rk.Institutions {
		dimZh, dimEn := dimLabel(c.Key)
		var zh, en []string
		for _, v := range c.Values {
			z, e := codeLabel(c.Key, v)
			zh, en = append(zh, z), append(en, e)
		}
		f.Row += fmt.Sprintf("只填报当年学校名单中%s为%s的学校。", dimZh, strings.Join(zh, "、"))
		f.RowEn += fmt.Sprintf(" Only institutions whose %s is %s in that year's institutions file.", dimEn, strings.Join(en, " or "))
	}
	for _, c := range declColumns(rk) {
		cf := ColumnFormat{Column: Column{Name: c.name, Required: c.required, Aliases: c.aliases}}
		if c.field == nil {
			d := keyDocs[c.name]
			cf.Type, cf.TypeEn, cf.Meaning, cf.MeaningEn, cf.Example = d.typ, d.typEn, d.meaning, d.meaningEn, d.example
			f.Columns = append(f.Columns, cf)
			continue
		}
		fd := c.field
		t := fieldTypeDocs[fd.Type]
		cf.Type, cf.TypeEn = t[0], t[1]
		if fd.Type == plan.FieldInteger || fd.Type == plan.FieldNumber {
			zh, en := fieldExpect(fd)
			cf.Type, cf.TypeEn = zh, en
		}
		cf.Meaning, cf.MeaningEn = cmpOr(fd.Meaning, fd.Name), cmpOr(fd.MeaningEn, cmpOr(fd.NameEn, fd.Name))
		if fd.Unit != "" {
			cf.Meaning += "（" + fd.Unit + "）"
		}
		if fd.Computed != "" {
			cf.Meaning += fmt.Sprintf("；由系统按 %s 计算，可不填，填写则须与计算值相差不超过 %v", fd.Computed, plan.ComputedTolerance)
			cf.MeaningEn += fmt.Sprintf("; computed as %s, so the cell may be left empty; a value given must be within %v of it", fd.Computed, plan.ComputedTolerance)
		}
		if fd.Multiple {
			cf.Type, cf.TypeEn = "代码，可填多个（以“、”“，”或“；”分隔）", "codes, one or several (separated by 、 , or ;)"
		}
		if fd.From != "" {
			cf.Meaning += fmt.Sprintf("；由系统按 %s 得出（见下方代码表的类别），可不填，填写则须与之相同", fd.From)
			cf.MeaningEn += fmt.Sprintf("; derived from %s (see the group of each code below), so the cell may be left empty; a value given must match it", fd.From)
		}
		cf.Example = fd.Example
		for _, v := range fd.Values {
			zh, en := v.Name, v.NameEn
			if m, ok := codeMeanings[fd.Domain][v.Code]; ok {
				zh, en = m[0], m[1]
			}
			code := Code{Code: v.Code, Zh: cmpOr(zh, v.Code), En: cmpOr(en, cmpOr(zh, v.Code))}
			if gz, ge := groupLabel(rk, fd, v.Group); gz != "" {
				code.Zh += "（" + gz + "）"
				code.En += " (" + ge + ")"
			}
			cf.Codes = append(cf.Codes, code)
		}
		if cf.Example == "" {
			cf.Example = fieldExample(fd)
		}
		f.Columns = append(f.Columns, cf)
	}
	return f
}

// groupLabel names, in Chinese and English, the group a code of the multiple field f
// belongs to: the code of the field derived from f, with its meaning.
func groupLabel(rk *plan.RecordKind, f *plan.Field, group string) (zh, en string) {
	if group == "" {
		return "", ""
	}
	for _, d := range rk.Fields {
		if d.From != f.Code {
			continue
		}
		for _, v := range d.Values {
			if v.Code == group {
				return fmt.Sprintf("%s：%s", d.Name, cmpOr(v.Name, v.Code)), fmt.Sprintf("%s: %s", cmpOr(d.NameEn, d.Name), cmpOr(v.NameEn, v.Code))
			}
		}
	}
	return group, group
}

// fieldExample is a field's example value when the pack gives none.
func fieldExample(f *plan.Field) string {
	switch f.Type {
	case plan.FieldInteger, plan.FieldNumber:
		if f.Min != nil {
			return strconv.FormatFloat(*f.Min, 'f', -1, 64)
		}
		return "0"
	case plan.FieldBoolean:
		return "true"
	case plan.FieldDate:
		return "2024-10-15"
	case plan.FieldCode:
		if len(f.Values) > 0 {
			return f.Values[0].Code
		}
	}
	return ""
}
