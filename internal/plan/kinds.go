package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"
)

// KindsFile is the optional file of a pack that declares record kinds.
const KindsFile = "kinds.yaml"

// Keys of a record kind: what one row is about. With the year (and the kind's
// KeyFields) the key names a row; no two rows of a file share it.
const (
	// KeyInstitution: a row per institution (column institution), e.g. a school's
	// after-school service in a term.
	KeyInstitution = "institution"
	// KeyStudent: a row per student (columns student_id and institution).
	KeyStudent = "student"
	// KeyTeacher: a row per teacher (columns teacher_id and institution).
	KeyTeacher = "teacher"
	// KeyProvider: a row per body that is not an institution of the rosters, with a
	// code of its own within a district (columns provider and district), e.g. an
	// out-of-school tutoring provider (校外培训机构).
	KeyProvider = "provider"
)

var recordKeys = []string{KeyInstitution, KeyStudent, KeyTeacher, KeyProvider}

// Field types of a record kind.
const (
	FieldInteger = "integer"
	FieldNumber  = "number"
	FieldBoolean = "boolean"
	FieldDate    = "date"
	FieldCode    = "code"
	FieldText    = "text"
)

var fieldTypes = []string{FieldInteger, FieldNumber, FieldBoolean, FieldDate, FieldCode, FieldText}

// RecordKind is a kind of record declared in the pack (kinds.yaml): a file format of
// its own that ingest reads and validates as strictly as the built-in rosters, and
// elements computed from its rows. A new register (screenings, training credits,
// after-school services) is pack data, not code.
type RecordKind struct {
	Code   string
	Name   string
	NameEn string
	// Row and RowEn say what one row is, for the format reference.
	Row   string
	RowEn string
	// Key is KeyInstitution, KeyStudent, KeyTeacher or KeyProvider; KeyFields are the
	// fields that, with the key and the year, make a row unique (a term, a date).
	Key       string
	KeyFields []string
	// Institutions, for rows at institutions, is the filter on the institution's type,
	// ownership, location and inclusive (InstitutionDims) of that year that the
	// institution must match: a private school's register takes only private (民办)
	// institutions. Empty: any institution of the year.
	Institutions Filter
	// OnRoster: each row of a kind about persons must name a student or teacher on that
	// year's roster at the row's institution (the default for such kinds). A pack whose
	// city imports no roster of persons, only counts, sets on_roster: false.
	OnRoster bool
	Fields   []*Field
	Rules    []*RecordRule
	// Elements are the elements computed from the kind, in the order declared; they
	// are in Pack.Elements too.
	Elements []*Element
	Line     int
}

// Person reports whether a row of the kind is about one person: such files may hold
// no names or ID-card numbers, and counts from them are suppressed when small.
func (k *RecordKind) Person() bool { return k.Key == KeyStudent || k.Key == KeyTeacher }

// Field returns the field with the code, or nil.
func (k *RecordKind) Field(code string) *Field {
	for _, f := range k.Fields {
		if f.Code == code {
			return f
		}
	}
	return nil
}

// Dims are the dimensions of the kind's elements: its code and boolean fields and,
// for rows at institutions, the institution's type, ownership, location and
// inclusive, as rosters have them.
func (k *RecordKind) Dims() []string {
	var out []string
	for _, f := range k.Fields {
		if f.Dim() {
			out = append(out, f.Code)
		}
	}
	if k.Key != KeyProvider {
		out = append(out, InstitutionDims...)
	}
	return out
}

// Measures are the fields whose values are summed: integer and number fields.
func (k *RecordKind) Measures() []*Field {
	var out []*Field
	for _, f := range k.Fields {
		if f.Type == FieldInteger || f.Type == FieldNumber {
			out = append(out, f)
		}
	}
	return out
}

// Summed reports whether an element of the kind sums or averages the field: only such
// fields are stored summed (a field no element reads stays in the kept file only).
func (k *RecordKind) Summed(field string) bool {
	for _, e := range k.Elements {
		if e.Record.Field == field {
			return true
		}
	}
	return false
}

// InstitutionDims are the dimensions a row at an institution takes from the
// institution's row of the same year.
var InstitutionDims = []string{"type", "ownership", "location", "inclusive"}

// Field is a column of a record kind.
type Field struct {
	Code   string
	Name   string
	NameEn string
	Type   string
	Unit   string
	// Required: the cell may not be empty. An optional empty cell is unknown.
	Required bool
	// Min and Max bound an integer or number field (inclusive), and a date's year.
	Min, Max *float64
	// Values are a code field's codes with their meanings; Domain names the built-in
	// list they come from, if any (stage, sex, subject...).
	Values []CodeValue
	Domain string
	// Multiple: a code field whose cell holds several of its codes (a tutoring
	// provider's subjects), separated by MultipleSeparators. It is not a dimension: a
	// row is counted once, by the fields derived from it.
	Multiple bool
	// From names the multiple code field that this code field is derived from: its
	// value is the first of its own codes, in the order declared, that a code of that
	// cell belongs to (CodeValue.Group); empty when the cell is. Its column is optional:
	// a file that gives it must give the derived value.
	From     string
	fromLine int
	// Aliases are the other headers accepted for the column (Chinese mostly).
	Aliases []string
	// Meaning and MeaningEn describe the column, Example is a value for the template.
	Meaning   string
	MeaningEn string
	Example   string
	// Computed is the pack's expression (expr-lang) that gives a number field's value
	// from the row's other integer and number fields, e.g. training hours converted
	// into credits. Its column is optional: a file that gives it must give the computed
	// value, within ComputedTolerance. Inputs are the fields it reads.
	Computed string
	Inputs   []string
	program  *vm.Program
	Line     int
	// computedLine is the line of computed:, for the errors found once every field is read.
	computedLine int
}

// ComputedTolerance is how far a computed field's cell, when a file gives it, may be
// from the value computed from the row: a spreadsheet's rounding to two decimals.
const ComputedTolerance = 0.01

// Compute returns a computed field's value from the row's values by field code: NaN
// when a field it reads is unknown (an empty cell) or the result is not a finite number
// (a division by zero).
func (f *Field) Compute(values map[string]float64) float64 {
	env := make(map[string]any, len(f.Inputs))
	for _, in := range f.Inputs {
		v, ok := values[in]
		if !ok || math.IsNaN(v) {
			return math.NaN()
		}
		env[in] = v
	}
	out, err := expr.Run(f.program, env)
	x, ok := out.(float64)
	if err != nil || !ok || math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

// Dim reports whether the field is a dimension of the kind's elements: a code field
// with one code a cell, or a boolean.
func (f *Field) Dim() bool { return f.Type == FieldCode && !f.Multiple || f.Type == FieldBoolean }

// Codes returns the codes a code field allows, in order.
func (f *Field) Codes() []string {
	out := make([]string, len(f.Values))
	for i, v := range f.Values {
		out[i] = v.Code
	}
	return out
}

// CodeValue is a code a field allows, with its meaning in Chinese and English. Group,
// for a code of a multiple field, is the code of a derived field it belongs to: a
// subject's class (学科类 or 非学科类).
type CodeValue struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEn string `yaml:"name_en" json:"name_en"`
	Group  string `yaml:"group" json:"group,omitempty"`
}

// MultipleSeparators are the characters that separate the codes of a multiple field's
// cell.
const MultipleSeparators = "、,，;；"

// SplitCodes splits a multiple field's cell into its codes, as written, dropping empty
// ones.
func SplitCodes(cell string) []string {
	return strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(MultipleSeparators, r) || r == ' ' })
}

// Derive returns a derived field's value from the codes of its From field's cell
// (src): the first of f's codes that one of them belongs to, or "" when none does.
func (f *Field) Derive(src *Field, codes []string) string {
	groups := map[string]bool{}
	for _, c := range codes {
		for _, v := range src.Values {
			if v.Code == c {
				groups[v.Group] = true
			}
		}
	}
	for _, v := range f.Values {
		if groups[v.Code] {
			return v.Code
		}
	}
	return ""
}

// RecordRule is a row check of a record kind: Left Op Right, each side a field's code
// or a number, checked on rows where both sides are known (and When holds). Level
// error refuses the row; warning (the default) reports it and keeps it.
type RecordRule struct {
	Code      string `json:"code"`
	Check     string `json:"check"`
	Left      string `json:"-"`
	Op        string `json:"-"`
	Right     string `json:"-"`
	When      Filter `json:"-"`
	Error     bool   `json:"error"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Record measures of an element.
const (
	MeasureCount = "count"
	MeasureSum   = "sum"
	MeasureMean  = "mean"
)

// RecordMeasure is how an element is computed from a record kind's rows: the rows
// matching Filter counted, or their Field summed or averaged; then, if Of is set,
// as a percentage of that other element of the kind (a share), or if PerStudents is
// set, per Per students of the roster matching Students.
type RecordMeasure struct {
	Kind   string
	Op     string
	Field  string
	Filter Filter
	// Of is the code of the element a share divides by.
	Of string
	// PerStudents, Students and Per make a per-student rate.
	PerStudents bool
	Students    Filter
	Per         float64
}

// SourceRecord is the source of an element computed from a declared record kind.
const SourceRecord = "record"

// RecordKind returns the declared record kind with the code, or nil.
func (p *Pack) RecordKind(code string) *RecordKind {
	for _, k := range p.Kinds {
		if k.Code == code {
			return k
		}
	}
	return nil
}

// ParseFilter parses a filter on the element's dimensions, with the codes its record
// kind's fields allow.
func (e *Element) ParseFilter(s string) (Filter, error) {
	return parseFilter(s, e.Dims, e.Domains)
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// personalHeaders are column names a person's record may not have: names and ID-card
// numbers (after normalizing: lower case, spaces and hyphens as underscores).
var personalHeaders = []string{"name", "姓名", "student_name", "teacher_name", "学生姓名", "教师姓名", "full_name",
	"id_card", "id_number", "idcard", "身份证", "身份证号", "身份证号码", "公民身份号码", "证件号", "证件号码", "身份证件号", "身份证件号码", "passport"}

// PersonalHeader reports whether a header names a person's name or ID-card number.
func PersonalHeader(h string) bool {
	h = strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
	return slices.Contains(personalHeaders, h)
}

// reservedColumns are the columns the key gives a kind; no field may take them.
var reservedColumns = []string{"year", "institution", "student_id", "teacher_id", "provider", "district"}

func (l *loader) loadKinds(p *Pack) {
	const file = KindsFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return
	}
	taken := map[string]bool{}
	for _, e := range p.Elements {
		taken[e.Code] = true
	}
	seen := map[string]int{}
	for i, n := range l.list(file, "kinds") {
		m := l.mapping(file, fmt.Sprintf("kinds[%d].", i), n)
		k := &RecordKind{Line: n.Line}
		k.Code = m.str("code", true)
		if k.Code != "" {
			m.pre = fmt.Sprintf("kinds[%s].", k.Code)
			switch {
			case seen[k.Code] != 0:
				l.issue(file, m.line("code"), m.pre+"code", "%s 已在第 %d 行定义", "%s already defined on line %d", k.Code, seen[k.Code])
			case !codeRE.MatchString(k.Code):
				l.issue(file, m.line("code"), m.pre+"code", "%q：只能用小写字母、数字和 _，并以字母开头", "%q: lower-case letters, digits and _ only, starting with a letter", k.Code)
			case slices.Contains(builtinKinds, k.Code):
				l.issue(file, m.line("code"), m.pre+"code", "%s 是内置的数据类型", "%s is a built-in kind", k.Code)
			}
			seen[k.Code] = m.line("code")
		}
		k.Name = m.str("name", true)
		k.NameEn = m.str("name_en", false)
		k.Row = m.str("row", true)
		k.RowEn = m.str("row_en", false)
		k.Key = m.str("key", true)
		if k.Key != "" && !slices.Contains(recordKeys, k.Key) {
			l.issue(file, m.line("key"), m.pre+"key", "%q：应为 %s 之一", "%q: expected one of %s", k.Key, strings.Join(recordKeys, ", "))
		}
		m.decode("key_fields", false, &k.KeyFields)
		if text := m.str("institutions", false); text != "" {
			f, err := parseFilter(text, InstitutionDims, nil)
			switch {
			case err != nil:
				l.issueErr(file, m.line("institutions"), m.pre+"institutions", err)
			case k.Key == KeyProvider:
				l.issue(file, m.line("institutions"), m.pre+"institutions", "机构（provider）的记录不属于学校，不能限定学校", "a provider's rows are not at institutions")
			}
			k.Institutions = f
		}
		k.OnRoster = k.Person()
		if kv, _ := m.get("on_roster"); kv != nil {
			m.decode("on_roster", false, &k.OnRoster)
			if k.OnRoster && !k.Person() {
				l.issue(file, kv.Line, m.pre+"on_roster", "只有关于个人的记录类型（key 为 student 或 teacher）才与名册核对", "only a kind about persons (key student or teacher) is checked against a roster")
			}
		}
		l.kindFields(m, k)
		for _, kf := range k.KeyFields {
			if f := k.Field(kf); f == nil {
				l.issue(file, m.line("key_fields"), m.pre+"key_fields", "%s 不是本记录类型的字段", "%s is not a field of the kind", kf)
			} else if !f.Required {
				l.issue(file, m.line("key_fields"), m.pre+"key_fields", "%s 是键的一部分，须为必填", "%s is part of the key: it must be required", kf)
			}
		}
		l.kindRules(m, k)
		l.kindElements(p, m, k, taken)
		m.done()
		p.Kinds = append(p.Kinds, k)
	}
}

// builtinKinds are the kinds of file ingest knows without a pack.
var builtinKinds = []string{"institutions", "students", "teachers", "population", "facts", "conditions"}

// kindFields reads the fields of a kind: a list of at least one, at most 12 of them
// code or boolean fields (the dimensions of its cells).
func (l *loader) kindFields(m *mapping, k *RecordKind) {
	k0, v := m.get("fields")
	if v == nil || v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		line := m.node.Line
		if k0 != nil {
			line = k0.Line
		}
		l.issue(m.file, line, m.pre+"fields", "应为字段列表", "expected a list of fields")
		return
	}
	dims := map[string]bool{}
	for j, n := range v.Content {
		fm := l.mapping(m.file, fmt.Sprintf("%sfields[%d].", m.pre, j), n)
		f := l.kindField(m, fm, n)
		l.checkField(fm, k, f)
		if f.Dim() {
			dims[f.Code] = true
		}
		fm.done()
		k.Fields = append(k.Fields, f)
	}
	if len(dims) > 12 {
		l.issue(m.file, k0.Line, m.pre+"fields", "代码与布尔字段至多 12 个：每个都是各统计格的维度", "at most 12 code and boolean fields: each is a dimension of every cell")
	}
	l.computeFields(m, k)
	l.deriveFields(m, k)
}

// deriveFields checks the kind's multiple and derived code fields once all its fields
// are read: only a multiple field's codes have a group, and a derived field is a
// single code field, not required, whose codes are the groups of its From field's.
func (l *loader) deriveFields(m *mapping, k *RecordKind) {
	for _, f := range k.Fields {
		at := fmt.Sprintf("%sfields[%s].", m.pre, f.Code)
		if f.Multiple && f.Type != FieldCode {
			l.issue(m.file, f.Line, at+"multiple", "只有代码字段才能填多个代码", "only a code field holds several codes")
		}
		if f.Multiple && slices.Contains(k.KeyFields, f.Code) {
			l.issue(m.file, f.Line, at+"multiple", "可填多个代码的字段不能是键的一部分", "a field of several codes cannot be part of the key")
		}
		if !f.Multiple && slices.ContainsFunc(f.Values, func(v CodeValue) bool { return v.Group != "" }) {
			l.issue(m.file, f.Line, at+"values", "只有可填多个代码（multiple: true）的字段，其代码才有 group",
				"only the codes of a field with multiple: true have a group")
		}
		if f.From == "" {
			continue
		}
		src := k.Field(f.From)
		switch {
		case f.Type != FieldCode || f.Multiple:
			l.issue(m.file, f.fromLine, at+"from", "派生字段须为单个代码的代码字段", "a derived field is a code field of one code")
		case f.Required:
			l.issue(m.file, f.fromLine, at+"from", "派生字段由 %s 得出，不能设为必填", "a derived field is worked out from %s: it cannot be required", f.From)
		case src == nil:
			l.issue(m.file, f.fromLine, at+"from", "%s 不是本记录类型的字段", "%s is not a field of the kind", f.From)
		case !src.Multiple:
			l.issue(m.file, f.fromLine, at+"from", "%s 不是可填多个代码（multiple: true）的字段", "%s is not a field with multiple: true", f.From)
		default:
			for _, v := range src.Values {
				if !slices.Contains(f.Codes(), v.Group) {
					l.issue(m.file, f.fromLine, at+"from", "%s 的代码 %s 的 group %q 不是本字段的代码", "code %[2]s of %[1]s has group %[3]q, not a code of this field",
						f.From, v.Code, v.Group)
					break
				}
			}
		}
	}
}

// kindField reads a field of a kind (n under the kind's m) as fm gives it.
func (l *loader) kindField(m, fm *mapping, n *yaml.Node) *Field {
	f := &Field{Line: n.Line}
	f.Code = fm.str("code", true)
	if f.Code != "" {
		fm.pre = fmt.Sprintf("%sfields[%s].", m.pre, f.Code)
	}
	f.Name = fm.str("name", true)
	f.NameEn = fm.str("name_en", false)
	f.Type = fm.str("type", true)
	f.Unit = fm.str("unit", false)
	f.Meaning = fm.str("meaning", false)
	f.MeaningEn = fm.str("meaning_en", false)
	f.Example = fm.str("example", false)
	fm.decode("required", false, &f.Required)
	fm.decode("aliases", false, &f.Aliases)
	var lo, hi float64
	if fm.decode("min", false, &lo) {
		f.Min = &lo
	}
	if fm.decode("max", false, &hi) {
		f.Max = &hi
	}
	f.Domain = fm.str("domain", false)
	f.Computed = fm.str("computed", false)
	f.computedLine = fm.line("computed")
	fm.decode("multiple", false, &f.Multiple)
	f.From = fm.str("from", false)
	f.fromLine = fm.line("from")
	l.fieldValues(fm, f)
	return f
}

// computeFields compiles the kind's computed fields once all its fields are read: an
// expression may read only the kind's integer and number fields that are not computed
// themselves, and must give a number.
func (l *loader) computeFields(m *mapping, k *RecordKind) {
	for _, f := range k.Fields {
		if f.Computed == "" {
			continue
		}
		at := fmt.Sprintf("%sfields[%s].computed", m.pre, f.Code)
		fail := func(zh, en string, args ...any) {
			l.issue(m.file, f.computedLine, at, zh, en, args...)
		}
		switch {
		case f.Type != FieldNumber:
			fail("计算字段的类型须为 number", "a computed field is of type number")
			continue
		case f.Required:
			fail("计算字段由其他字段算出，不能设为必填", "a computed field is worked out from the others: it cannot be required")
			continue
		}
		tree, err := parser.Parse(f.Computed)
		if err != nil {
			fail("%q 不是有效的表达式：%v", "%[1]q is not a valid expression: %[2]v", f.Computed, err)
			continue
		}
		env, bad := map[string]any{}, false
		for _, name := range identifiers(tree.Node) {
			in := k.Field(name)
			switch {
			case in == nil:
				fail("%s 不是本记录类型的字段", "%[1]s is not a field of the kind", name)
			case in.Type != FieldInteger && in.Type != FieldNumber:
				fail("%s 不是整数或数值字段", "%[1]s is not an integer or number field", name)
			case in.Computed != "":
				fail("%s 本身是计算字段", "%[1]s is computed itself", name)
			default:
				env[name] = 0.0
				f.Inputs = append(f.Inputs, name)
				continue
			}
			bad = true
		}
		if bad {
			continue
		}
		f.program, err = expr.Compile(f.Computed, expr.Env(env), expr.AsFloat64())
		if err != nil {
			fail("%q 不能算出数值：%v", "%[1]q does not give a number: %[2]v", f.Computed, err)
		}
	}
}

// identifiers are the names an expression reads, each once, in order.
func identifiers(n ast.Node) []string {
	var v identVisitor
	ast.Walk(&n, &v)
	return v.names
}

type identVisitor struct{ names []string }

func (v *identVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && !slices.Contains(v.names, id.Value) {
		v.names = append(v.names, id.Value)
	}
}

// checkField checks a field read against the kind's fields before it: its code, its
// type and what goes with it (values, a range), and that a kind about persons keeps no
// personal data in it.
func (l *loader) checkField(fm *mapping, k *RecordKind, f *Field) {
	file := fm.file
	switch {
	case f.Code == "":
	case !codeRE.MatchString(f.Code):
		l.issue(file, fm.line("code"), fm.pre+"code", "%q：只能用小写字母、数字和 _，并以字母开头", "%q: lower-case letters, digits and _ only, starting with a letter", f.Code)
	case k.Field(f.Code) != nil:
		l.issue(file, fm.line("code"), fm.pre+"code", "%s 出现了两次", "%s appears twice", f.Code)
	case slices.Contains(reservedColumns, f.Code):
		l.issue(file, fm.line("code"), fm.pre+"code", "%s 是键已给出的列", "%s is a column the key gives every kind", f.Code)
	case k.Key != KeyProvider && slices.Contains(InstitutionDims, f.Code):
		l.issue(file, fm.line("code"), fm.pre+"code", "%s 属于学校：学校的记录从学校名单取得此项", "%s is the institution's: rows at institutions take it from the institutions file", f.Code)
	}
	if f.Type != "" && !slices.Contains(fieldTypes, f.Type) {
		l.issue(file, fm.line("type"), fm.pre+"type", "%q：应为 %s 之一", "%q: expected one of %s", f.Type, strings.Join(fieldTypes, ", "))
	}
	if f.Type == FieldCode && len(f.Values) == 0 {
		l.issue(file, fm.line("values"), fm.pre+"values", "代码字段须列出其代码（values 或 domain）", "a code field needs its values (or a domain)")
	}
	if f.Type != FieldCode && (len(f.Values) > 0 || f.Domain != "") {
		l.issue(file, fm.line("values"), fm.pre+"values", "只有代码字段才有 values", "only a code field has values")
	}
	if (f.Min != nil || f.Max != nil) && f.Type != FieldInteger && f.Type != FieldNumber && f.Type != FieldDate {
		l.issue(file, fm.line("min"), fm.pre+"min", "只有整数、数值与日期字段才有范围", "only integer, number and date fields have a range")
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		l.issue(file, fm.line("max"), fm.pre+"max", "%v 小于 min %v", "%v is below min %v", *f.Max, *f.Min)
	}
	if len(f.Values) > 250 {
		l.issue(file, fm.line("values"), fm.pre+"values", "至多 250 个代码", "at most 250 codes")
	}
	if k.Person() {
		for _, h := range append([]string{f.Code, f.Name, f.NameEn}, f.Aliases...) {
			if PersonalHeader(h) {
				l.issue(file, fm.line("code"), fm.pre+"code", "个人记录不得包含姓名或身份证件号（%q）", "a record of a person keeps no names or ID-card numbers (%q)", h)
				break
			}
		}
	}
}

// fieldValues reads a code field's values: a list of codes, or of {code, name,
// name_en}, or a domain of the built-in dimensions.
func (l *loader) fieldValues(fm *mapping, f *Field) {
	if f.Domain != "" {
		dom, ok := Domains[f.Domain]
		if !ok {
			l.issue(fm.file, fm.line("domain"), fm.pre+"domain", "%q 不是内置维度", "%q: not a built-in dimension", f.Domain)
			return
		}
		for _, c := range dom {
			f.Values = append(f.Values, CodeValue{Code: c})
		}
		if k, _ := fm.get("values"); k != nil {
			l.issue(fm.file, k.Line, fm.pre+"values", "字段只能有 values 或 domain 之一", "a field has values or a domain, not both")
		}
		return
	}
	k, v := fm.get("values")
	if v == nil {
		return
	}
	if v.Kind != yaml.SequenceNode {
		l.issue(fm.file, k.Line, fm.pre+"values", "应为列表", "expected a list")
		return
	}
	seen := map[string]bool{}
	for _, n := range v.Content {
		var cv CodeValue
		if n.Kind == yaml.ScalarNode {
			cv.Code = n.Value
		} else if err := n.Decode(&cv); err != nil {
			l.issue(fm.file, n.Line, fm.pre+"values", "应为代码或 {code, name, name_en}", "expected a code or {code, name, name_en}")
			continue
		}
		switch {
		case cv.Code == "" || strings.ContainsAny(cv.Code, ";=,") || strings.TrimSpace(cv.Code) != cv.Code:
			l.issue(fm.file, n.Line, fm.pre+"values", "%q：代码不能为空，不能含 ; = , 或首尾空格", "%q: a code is not empty and has no ; = , or surrounding spaces", cv.Code)
		case seen[cv.Code]:
			l.issue(fm.file, n.Line, fm.pre+"values", "%s 出现了两次", "%s appears twice", cv.Code)
		}
		seen[cv.Code] = true
		f.Values = append(f.Values, cv)
	}
}

var ruleRE = regexp.MustCompile(`^\s*([a-z][a-z0-9_]*|-?[0-9.]+)\s*(<=|>=|==|!=|<|>)\s*([a-z][a-z0-9_]*|-?[0-9.]+)\s*$`)

func (l *loader) kindRules(m *mapping, k *RecordKind) {
	_, v := m.get("rules")
	if v == nil {
		return
	}
	if v.Kind != yaml.SequenceNode {
		l.issue(m.file, v.Line, m.pre+"rules", "应为列表", "expected a list")
		return
	}
	for j, n := range v.Content {
		rm := l.mapping(m.file, fmt.Sprintf("%srules[%d].", m.pre, j), n)
		r := &RecordRule{}
		r.Code = rm.str("code", true)
		r.Check = rm.str("check", true)
		r.Message = rm.str("message", true)
		r.MessageEn = rm.str("message_en", false)
		level := rm.str("level", false)
		switch level {
		case "", "warning":
		case "error":
			r.Error = true
		default:
			l.issue(m.file, rm.line("level"), rm.pre+"level", "%q：应为 error 或 warning", "%q: expected error or warning", level)
		}
		if mm := ruleRE.FindStringSubmatch(r.Check); mm == nil && r.Check != "" {
			l.issue(m.file, rm.line("check"), rm.pre+"check", "%q：应为“字段 运算符 字段或数”，运算符为 <= < >= > == != 之一", "%q: expected FIELD OP FIELD-or-NUMBER, OP one of <= < >= > == !=", r.Check)
		} else if mm != nil {
			r.Left, r.Op, r.Right = mm[1], mm[2], mm[3]
			for _, side := range []string{r.Left, r.Right} {
				if _, err := strconv.ParseFloat(side, 64); err == nil {
					continue
				}
				if f := k.Field(side); f == nil || (f.Type != FieldInteger && f.Type != FieldNumber && f.Type != FieldDate) {
					l.issue(m.file, rm.line("check"), rm.pre+"check", "%s 不是本记录类型的整数、数值或日期字段", "%s is not an integer, number or date field of the kind", side)
				}
			}
		}
		if when := rm.str("when", false); when != "" {
			f, err := parseFilter(when, k.Dims(), kindDomains(k))
			if err != nil {
				l.issueErr(m.file, rm.line("when"), rm.pre+"when", err)
			}
			r.When = f
		}
		rm.done()
		k.Rules = append(k.Rules, r)
	}
}

// kindDomains are the codes of a kind's code and boolean fields.
func kindDomains(k *RecordKind) map[string][]string {
	out := map[string][]string{}
	for _, f := range k.Fields {
		switch f.Type {
		case FieldCode:
			if !f.Multiple {
				out[f.Code] = f.Codes()
			}
		case FieldBoolean:
			out[f.Code] = []string{"true", "false"}
		}
	}
	return out
}

// kindElements reads the elements computed from a kind's rows into k and p; taken
// holds the element codes so far, and gains the kind's.
func (l *loader) kindElements(p *Pack, m *mapping, k *RecordKind, taken map[string]bool) {
	k0, v := m.get("elements")
	if v == nil || v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		line := m.node.Line
		if k0 != nil {
			line = k0.Line
		}
		l.issue(m.file, line, m.pre+"elements", "应为由本记录类型算出的数据元列表", "expected a list of the elements computed from the kind")
		return
	}
	dims, domains := k.Dims(), kindDomains(k)
	ofs := map[*Element]int{}
	for j, n := range v.Content {
		em := l.mapping(m.file, fmt.Sprintf("%selements[%d].", m.pre, j), n)
		e := &Element{Source: SourceRecord, Additive: true, Dims: dims, Domains: domains, Record: &RecordMeasure{Kind: k.Code}}
		e.Code = em.str("code", true)
		if e.Code != "" {
			em.pre = fmt.Sprintf("%selements[%s].", m.pre, e.Code)
			if taken[e.Code] {
				l.issue(m.file, em.line("code"), em.pre+"code", "%s 已是数据元", "%s is already an element", e.Code)
			}
			taken[e.Code] = true
		}
		e.Name = em.str("name", true)
		e.NameEn = em.str("name_en", false)
		e.Unit = em.str("unit", false)
		rm := e.Record
		l.elementMeasure(em, k, n, dims, domains, rm)
		rm.Of = em.str("of", false)
		if rm.Of != "" {
			ofs[e] = em.line("of")
			if e.Unit == "" {
				e.Unit = "%"
			}
		}
		l.elementPerStudents(p, em, rm)
		// A share or a mean is not summed up the hierarchy: each org's is computed from
		// its own sums.
		e.Additive = rm.Op != MeasureMean && rm.Of == "" && !rm.PerStudents
		em.done()
		k.Elements = append(k.Elements, e)
		p.Elements = append(p.Elements, e)
	}
	l.checkElementShares(m, k, ofs)
}

// elementMeasure reads what an element of a kind (n, read as em) measures of its rows:
// exactly one of count: FILTER, sum: FIELD or mean: FIELD, with the filter of a sum or
// a mean.
func (l *loader) elementMeasure(em *mapping, k *RecordKind, n *yaml.Node, dims []string, domains map[string][]string, rm *RecordMeasure) {
	forms := 0
	if _, cv := em.get("count"); cv != nil {
		forms++
		rm.Op = MeasureCount
		rm.Filter = l.kindFilter(em, "count", dims, domains)
	}
	for _, op := range []string{MeasureSum, MeasureMean} {
		if _, fv := em.get(op); fv != nil {
			forms++
			rm.Op = op
			rm.Field = em.str(op, true)
			if f := k.Field(rm.Field); f == nil || (f.Type != FieldInteger && f.Type != FieldNumber) {
				l.issue(em.file, em.line(op), em.pre+op, "%s 不是本记录类型的整数或数值字段", "%s is not an integer or number field of the kind", rm.Field)
			}
		}
	}
	if forms != 1 {
		l.issue(em.file, n.Line, em.pre+"count", "数据元须有且只有 count、sum、mean 之一", "an element needs exactly one of count, sum, mean")
	}
	if rm.Op != MeasureCount {
		rm.Filter = l.kindFilter(em, "filter", dims, domains)
	} else if kf, _ := em.get("filter"); kf != nil {
		l.issue(em.file, kf.Line, em.pre+"filter", "计数的筛选条件写在 count: 中", "a count's filter is its count: field")
	}
}

// elementPerStudents reads an element's per_students: FILTER and per, which make it a
// rate per that many of the students the filter counts.
func (l *loader) elementPerStudents(p *Pack, em *mapping, rm *RecordMeasure) {
	if _, sv := em.get("per_students"); sv != nil {
		rm.PerStudents = true
		text := em.str("per_students", false)
		f, err := ParseFilter(text, p.rosterDims("students"))
		if err != nil {
			l.issueErr(em.file, em.line("per_students"), em.pre+"per_students", err)
		}
		rm.Students = f
		rm.Per = 1
		em.decode("per", false, &rm.Per)
		if rm.Per <= 0 {
			l.issue(em.file, em.line("per"), em.pre+"per", "须为正数", "must be positive")
		}
		if rm.Of != "" {
			l.issue(em.file, em.line("of"), em.pre+"of", "数据元是占比（of）或每生比率，不能兼有", "an element is a share (of) or a per-student rate, not both")
		}
	} else if kp, _ := em.get("per"); kp != nil {
		l.issue(em.file, kp.Line, em.pre+"per", "per 须与 per_students 同用", "per goes with per_students")
	}
}

// checkElementShares checks that each share's of (the elements in ofs, with the line of
// their of) is a count or a sum of the same kind.
func (l *loader) checkElementShares(m *mapping, k *RecordKind, ofs map[*Element]int) {
	for e, line := range ofs {
		i := slices.IndexFunc(k.Elements, func(x *Element) bool { return x.Code == e.Record.Of })
		switch {
		case i < 0:
			l.issue(m.file, line, m.pre+"elements["+e.Code+"].of", "%s 不是本记录类型的数据元", "%s is not an element of the kind", e.Record.Of)
		case k.Elements[i].Record.Of != "" || k.Elements[i].Record.PerStudents || k.Elements[i].Record.Op == MeasureMean:
			l.issue(m.file, line, m.pre+"elements["+e.Code+"].of", "%s 不是计数或合计", "%s is not a count or a sum", e.Record.Of)
		}
	}
}

func (l *loader) kindFilter(m *mapping, key string, dims []string, domains map[string][]string) Filter {
	text := m.str(key, false)
	f, err := parseFilter(text, dims, domains)
	if err != nil {
		l.issueErr(m.file, m.line(key), m.pre+key, err)
	}
	return f
}

func (p *Pack) rosterDims(code string) []string {
	if e := p.Element(code); e != nil {
		return e.Dims
	}
	for _, e := range p.Elements {
		if e.Code == code {
			return e.Dims
		}
	}
	return nil
}

// And returns the filter of rows matching both f and g: a key both constrain keeps
// the values they share (none: the filter matches nothing, and Empty reports it).
func (f Filter) And(g Filter) Filter {
	if len(g) == 0 {
		return f
	}
	if len(f) == 0 {
		return g
	}
	out := slices.Clone(f)
	for _, c := range g {
		i := slices.IndexFunc(out, func(x Cond) bool { return x.Key == c.Key })
		if i < 0 {
			out = append(out, c)
			continue
		}
		var both []string
		for _, v := range out[i].Values {
			if slices.Contains(c.Values, v) {
				both = append(both, v)
			}
		}
		out[i] = Cond{Key: c.Key, Values: both}
	}
	slices.SortFunc(out, func(a, b Cond) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Empty reports whether the filter matches nothing: a condition with no values.
func (f Filter) Empty() bool {
	for _, c := range f {
		if len(c.Values) == 0 {
			return true
		}
	}
	return false
}
