package ingest

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// noRowsError refuses a file with a header but no data row: importing it would record
// a batch of nothing.
func noRowsError(file string) RowError {
	return RowError{File: file, Row: 2, Class: ClassHeader,
		Expected:   "文件只有表头，没有数据行；空文件不能导入",
		ExpectedEn: "the file has a header but no data rows; an empty file is not imported"}
}

// Years a file may hold.
const (
	MinYear = 1949
	MaxYear = 2100
)

// Read streams the rows of a file of one kind, validating each. Every valid row is
// passed to visit in file order, as a new *Institution, *Student, *Teacher,
// *Population, *Fact or *Condition, or for a kind the pack declares a *Record, that
// visit may keep; every invalid row is added to the report
// and NOT passed. visit returning an error stops the read with that error.
//
// Valid students are checked against the pack's student_age rules (validation.yaml)
// too: a finding is a warning in the report, and the row is still passed on.
//
// Problems of the file itself (a header without the required columns, no data row, a
// file that is not UTF-8) are added to the report too, and end the read early with a
// nil error: an error is returned only for a failure to read (I/O, ctx) or from visit.
// pack checks districts, elements and dims; with a nil pack they are not checked.
// References to institutions are left to the caller, who knows the stored ones.
func Read(ctx context.Context, src sheet.Source, file string, kind Kind, pack *plan.Pack, rep *Report, visit func(rec any) error) error {
	if k := declaredKind(pack, kind); k != nil {
		if rep.File == "" {
			rep.File = file
		}
		rep.Kind = kind
		return readDeclared(ctx, src, file, k, pack, rep, visit)
	}
	if _, ok := kindCols[kind]; !ok {
		return fmt.Errorf("read %s: unknown kind %q", file, kind)
	}
	if rep.File == "" {
		rep.File = file
	}
	rep.Kind = kind
	h, ok := checkHeader(kind, src.Header(), rep)
	if !ok {
		return nil
	}
	r := newReader(file, kind, pack, rep, h)
	r.seen = newKeySet()
	if s, ok := src.(interface{ Size() int64 }); ok {
		// Room for the file's keys at once: growing the table as they come rehashes
		// every key seen at each step, a tenth of reading a large roster.
		r.seen.reserve(int(min(s.Size()/typicalRowBytes, maxReservedKeys)))
	}
	return r.read(ctx, src, newReader(file, kind, pack, rep, h), visit)
}

// parsed is a batch of rows read and checked one by one, waiting for the checks across
// rows (duplicates) and for visit.
type parsed struct {
	rows  int
	batch []pendingRow
	errs  []RowError
	reqs  []keyReq
	keys  []byte
	err   error // what the source returned after the batch's rows; nil: more to come
}

// parsedAhead is how many batches the parser may be ahead of the checks across rows.
const parsedAhead = 8

// read reads the rows of src in batches: p reads and checks each row on its own on
// another goroutine (a row's cells depend on that row alone) while r checks the batch
// before across rows and passes its valid rows to visit, so that both of a machine's
// cores validate. Rows, errors and records still come out in file order.
func (r *reader) read(ctx context.Context, src sheet.Source, p *reader, visit func(rec any) error) error {
	full, free := make(chan *parsed, parsedAhead), make(chan *parsed, parsedAhead+2)
	for range parsedAhead + 2 {
		free <- &parsed{}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	var panicked any // the parser's panic, raised again on the caller's goroutine
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		for {
			var b *parsed
			select {
			case b = <-free:
			case <-stop:
				return
			}
			p.batch, p.errs, p.reqs, p.keys = b.batch[:0], b.errs[:0], b.reqs[:0], b.keys[:0]
			b.rows, b.err = 0, nil
			for len(p.batch) < batchRows {
				row, cells, err := src.Next()
				if err != nil {
					b.err = err
					break
				}
				b.rows++
				p.row, p.cells, p.bad = row, cells, false
				rec := p.parse()
				p.batch = append(p.batch, pendingRow{rec, p.bad})
			}
			b.batch, b.errs, b.reqs, b.keys = p.batch, p.errs, p.reqs, p.keys
			select {
			case full <- b:
			case <-stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	defer func() { close(stop); <-done }() // src is not read once Read returns
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var b *parsed
		select {
		case b = <-full:
		case <-done:
			if panicked != nil {
				panic(panicked) // where a server's handler recovers it, as before
			}
			b = <-full // the last batch, sent before the parser ended
		}
		r.batch, r.errs, r.reqs, r.keys = b.batch, b.errs, b.reqs, b.keys
		r.rep.Rows += b.rows
		if err := r.flush(visit); err != nil {
			return err
		}
		r.rep.progress.addRows(b.rows)
		if b.err != nil {
			return endOfRows(r.file, b.err, r.rep)
		}
		b.batch, b.errs, b.reqs, b.keys = r.batch, r.errs, r.reqs, r.keys // emptied by flush
		free <- b
	}
}

// checkHeader maps a file's header to the kind's columns, adding unknown columns to the
// report as warnings and duplicate or missing ones as errors; ok is false when the rows
// cannot be read for those.
func checkHeader(kind Kind, header []string, rep *Report) (h *headerMap, ok bool) {
	h = mapHeader(kind, header)
	rep.headers = h.names
	for _, w := range h.unknown {
		rep.Warn(w)
	}
	for _, e := range h.dups {
		rep.Add(e)
	}
	if len(h.missing) > 0 {
		rep.Add(missingError(kind, header, h.missing))
	}
	return h, len(h.dups) == 0 && len(h.missing) == 0
}

// typicalRowBytes is the size of a typical row of a large file, a student's (some 58
// bytes in the Yantai-size demo), and maxReservedKeys the most keys reserved from a
// file's size: a file of shorter rows grows the table as it is read.
const (
	typicalRowBytes = 56
	maxReservedKeys = 4 << 20
)

// batchRows is how many rows are validated before any is passed on.
const batchRows = 128

type pendingRow struct {
	rec any
	bad bool
}

// keyReq is a row's key waiting for the duplicate check.
type keyReq struct {
	batch      int // index in reader.batch
	row        int
	c          col
	value      string
	names      string
	start, end int // in reader.keys
}

// flush checks the keys of the batch, reports its errors and passes on its valid rows.
func (r *reader) flush(visit func(any) error) error {
	r.hashes = r.hashes[:0]
	for _, q := range r.reqs {
		r.hashes = append(r.hashes, r.seen.hash(r.keys[q.start:q.end]))
	}
	r.seen.reserve(len(r.hashes))
	r.sink += r.seen.touch(r.hashes)
	dups := false
	for i, q := range r.reqs {
		first, seen := r.seen.insert(r.hashes[i], q.row)
		if !seen {
			continue
		}
		r.batch[q.batch].bad, dups = true, true
		r.row = q.row
		r.duplicateError(q, first)
	}
	if dups { // duplicate errors go after the other errors of their row
		slices.SortStableFunc(r.errs, func(a, b RowError) int { return a.Row - b.Row })
	}
	for _, e := range r.errs {
		r.rep.Add(e)
	}
	batch := r.batch
	r.batch, r.reqs, r.keys, r.errs = r.batch[:0], r.reqs[:0], r.keys[:0], r.errs[:0]
	for i, p := range batch {
		batch[i].rec = nil
		if !p.bad {
			if s, ok := p.rec.(*Student); ok && len(r.ageRules) > 0 {
				r.checkAge(s)
			}
			if err := visit(p.rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// reader validates the rows of one file.
type reader struct {
	file  string
	pack  *plan.Pack
	rep   *Report
	h     *headerMap
	parse func() any

	row   int
	cells []string
	bad   bool // the current row has an error

	// The batch being read: its rows, errors and keys.
	batch  []pendingRow
	errs   []RowError
	reqs   []keyReq
	keys   []byte
	hashes []keyHash
	seen   *keySet
	sink   uint64 // keeps touch from being optimized away

	institutions slab[Institution]
	students     slab[Student]
	teachers     slab[Teacher]
	populations  slab[Population]
	facts        slab[Fact]
	conditions   slab[Condition]

	// dates are the bounds of birth dates for dateYear.
	dateYear         int
	dateMin, dateMax string

	districtsZh, districtsEn string

	// ageRules are the pack's student_age rules, for a students file.
	ageRules []*plan.Rule
}

func newReader(file string, kind Kind, pack *plan.Pack, rep *Report, h *headerMap) *reader {
	r := &reader{file: file, pack: pack, rep: rep, h: h}
	switch kind {
	case Institutions:
		r.parse = r.institution
	case Students:
		r.parse = r.student
	case Teachers:
		r.parse = r.teacher
	case Populations:
		r.parse = r.population
	case Facts:
		r.parse = r.fact
	case Conditions:
		r.parse = r.condition
	}
	if pack != nil && kind == Students {
		r.ageRules = pack.RulesOf(plan.CheckStudentAge)
	}
	if pack != nil && pack.Top() != nil {
		var codes []string
		for _, d := range pack.Districts() {
			codes = append(codes, d.Code)
		}
		r.districtsZh = "；应为以下之一：" + strings.Join(codes, "、")
		r.districtsEn = "; expected one of " + strings.Join(codes, ", ")
	}
	return r
}

func (r *reader) cell(c col) string {
	i := r.h.idx[c]
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return sheet.Trim(r.cells[i])
}

func (r *reader) fail(c col, value, class, zh, en string) {
	r.bad = true
	r.errs = append(r.errs, RowError{File: r.file, Row: r.row, Column: c.String(), Value: value, Class: class, Expected: zh, ExpectedEn: en})
}

// required returns the cell, failing the row if it is empty.
func (r *reader) required(c col, zh, en string) string {
	v := r.cell(c)
	if v == "" {
		r.fail(c, "", ClassMissing, zh, en)
	}
	return v
}

// identifier returns a required code, id or name: a cell that reports and downloads
// show as text. One that begins as a spreadsheet formula does (=, +, -, @, or a tab or
// return before one, OWASP's list; cells come trimmed) fails the row, so that no file
// eduplan writes carries it to a spreadsheet that would run it.
func (r *reader) identifier(c col, zh, en string) string {
	v := r.required(c, zh, en)
	if v != "" && strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
		r.fail(c, v, ClassFormula,
			"不能以 = + - @ 开头：电子表格会把它当作公式执行",
			"must not begin with =, +, - or @: a spreadsheet would run it as a formula")
	}
	return v
}

// year returns the year, or 0 after failing the row.
func (r *reader) year() int {
	const zh, en = "1949–2100 之间的整数年份（学年的起始年）", "an integer year from 1949 to 2100 (the school year's first year)"
	v := r.required(cYear, zh, en)
	if v == "" {
		return 0
	}
	y, ok := parseInt(v)
	switch {
	case !ok:
		r.fail(cYear, v, ClassNumber, zh, en)
	case y < MinYear || y > MaxYear:
		r.fail(cYear, v, ClassRange, zh, en)
	default:
		return int(y)
	}
	return 0
}

func (r *reader) enum(c col, e *enum, required bool) string {
	v := r.cell(c)
	if v == "" {
		if required {
			r.fail(c, "", ClassMissing, e.zh, e.en)
		}
		return ""
	}
	w, ok := e.parse(v)
	if !ok {
		r.fail(c, v, ClassEnum, e.zh, e.en)
	}
	return w
}

// integer returns a required integer cell within lo..hi.
func (r *reader) integer(c col, lo, hi int64, zh, en string) int64 {
	v := r.required(c, zh, en)
	if v == "" {
		return 0
	}
	n, ok := parseInt(v)
	switch {
	case !ok:
		r.fail(c, v, ClassNumber, zh, en)
	case n < lo || n > hi:
		r.fail(c, v, ClassRange, zh, en)
	}
	return n
}

func (r *reader) grade(stage string) int {
	rg, ok := grades(stage) // for a wrong stage, what holds for every stage
	// The messages are built only for a bad cell: this runs for every student.
	msg := func() (string, string) {
		zh := fmt.Sprintf("%d–%d", rg[0], rg[1])
		en := zh
		if ok {
			zh += "（" + stageZh[stage] + "）"
			en += " for " + stage
		}
		return zh, en
	}
	v := r.cell(cGrade)
	if v == "" {
		zh, en := msg()
		r.fail(cGrade, "", ClassMissing, zh, en)
		return 0
	}
	n, isInt := parseInt(v)
	switch {
	case !isInt:
		zh, en := msg()
		r.fail(cGrade, v, ClassNumber, "整数年级 "+zh, "an integer grade, "+en)
	case n < int64(rg[0]) || n > int64(rg[1]):
		zh, en := msg()
		r.fail(cGrade, v, ClassRange, zh, en)
	}
	return int(n)
}

func (r *reader) optBool(c col) *bool {
	v := r.cell(c)
	if v == "" {
		return nil
	}
	b, ok := parseBool(v)
	if !ok {
		r.fail(c, v, ClassEnum, "true/false、1/0 或 是/否", "true/false, 1/0 or 是/否")
		return nil
	}
	return &b
}

func (r *reader) optFloat(c col, lo, hi float64, zh, en string) *float64 {
	v := r.cell(c)
	if v == "" {
		return nil
	}
	f, ok := parseFloat(v)
	switch {
	case !ok:
		r.fail(c, v, ClassNumber, zh, en)
		return nil
	case f < lo || f > hi:
		r.fail(c, v, ClassRange, zh, en)
		return nil
	}
	return &f
}

// birthDate returns an optional date of birth as YYYY-MM-DD: a real date, at most
// 100 years before the school year and not after the year it ends in.
func (r *reader) birthDate(year int) string {
	const zh, en = "日期 YYYY-MM-DD（也接受 YYYY/MM/DD 与 Excel 日期）", "a date as YYYY-MM-DD (YYYY/MM/DD and Excel dates are accepted too)"
	v := r.cell(cBirthDate)
	if v == "" {
		return ""
	}
	d, ok := parseDate(v)
	if !ok {
		r.fail(cBirthDate, v, ClassDate, zh, en)
		return ""
	}
	if year == 0 {
		return d
	}
	if year != r.dateYear {
		r.dateYear = year
		r.dateMin, _ = formatDate(year-100, 1, 1)
		r.dateMax, _ = formatDate(year+1, 12, 31)
	}
	if d < r.dateMin || d > r.dateMax {
		r.fail(cBirthDate, v, ClassDate,
			fmt.Sprintf("%s 至 %s 之间的日期（%d 学年）", r.dateMin, r.dateMax, year),
			fmt.Sprintf("a date from %s to %s (school year %d)", r.dateMin, r.dateMax, year))
	}
	return d
}

// district returns a district code of the pack.
func (r *reader) district() string {
	v := r.required(cDistrict, "区县代码", "a district code")
	if v == "" || r.pack == nil {
		return v
	}
	o := r.pack.Org(v)
	if o == nil {
		if w := codeForm(v); w != v {
			o = r.pack.Org(w)
		}
	}
	if o == nil || o.Level != plan.LevelDistrict {
		r.fail(cDistrict, v, ClassReference, "不是本规划的区县代码"+r.districtsZh, "not a district of the plan"+r.districtsEn)
		return v
	}
	return o.Code
}

// codeForm returns a code that a spreadsheet turned into a number ("370602.0",
// "3.70602E+05") as digits; other strings as they are.
func codeForm(v string) string {
	if n, ok := parseInt(v); ok && n >= 0 {
		return strconv.FormatInt(n, 10)
	}
	return v
}

// key queues the row's key for the duplicate check; a duplicate fails the row at
// column c. The key's parts are the year and parts; names names them for the message.
func (r *reader) key(c col, value string, names string, year int, parts ...string) {
	start := len(r.keys)
	r.keys = binary.BigEndian.AppendUint16(r.keys, uint16(year))
	for _, p := range parts {
		r.keys = append(r.keys, p...)
		r.keys = append(r.keys, 0)
	}
	r.reqs = append(r.reqs, keyReq{batch: len(r.batch), row: r.row, c: c, value: value, names: names, start: start, end: len(r.keys)})
}

func (r *reader) duplicateError(q keyReq, first int) {
	k := r.keys[q.start:q.end]
	vals := strconv.Itoa(int(binary.BigEndian.Uint16(k)))
	for p := range strings.SplitSeq(string(k[2:len(k)-1]), "\x00") {
		if p == "" {
			p = "-"
		}
		vals += "、" + p
	}
	ns := strings.Split(q.names, ",")
	r.fail(q.c, q.value, ClassDuplicate,
		fmt.Sprintf("与第 %d 行重复（%s 相同：%s）", first, strings.Join(ns, "、"), vals),
		fmt.Sprintf("duplicate of row %d (same %s and %s: %s)", first, strings.Join(ns[:len(ns)-1], ", "), ns[len(ns)-1], strings.ReplaceAll(vals, "、", ", ")))
}

func (r *reader) institution() any {
	x := r.institutions.next()
	*x = Institution{Row: r.row, Year: r.year()}
	x.Code = r.identifier(cCode, "学校标识码", "the institution's code")
	x.Name = r.identifier(cName, "学校名称", "the institution's name")
	x.District = r.district()
	x.Type = r.enum(cType, enumType, true)
	x.Ownership = r.enum(cOwnership, enumOwnership, true)
	x.Inclusive = r.optBool(cInclusive)
	x.Location = r.enum(cLocation, enumLocation, true)
	x.Lat = r.optFloat(cLat, -90, 90, "−90 至 90 之间的纬度", "a latitude from −90 to 90")
	x.Lon = r.optFloat(cLon, -180, 180, "−180 至 180 之间的经度", "a longitude from −180 to 180")
	x.TeachingPoint = r.optBool(cTeachingPoint)
	if x.Year != 0 && x.Code != "" {
		r.key(cCode, x.Code, "year,code", x.Year, x.Code)
	}
	return x
}

func (r *reader) student() any {
	x := r.students.next()
	*x = Student{Row: r.row, Year: r.year()}
	x.ID = r.identifier(cStudentID, "学籍号", "the student's id")
	x.Institution = r.identifier(cInstitution, "学校标识码", "the institution's code")
	x.Stage = r.enum(cStage, enumStage, true)
	x.Grade = r.grade(x.Stage)
	x.Sex = r.enum(cSex, enumSex, true)
	x.BirthDate = r.birthDate(x.Year)
	x.Hukou = r.enum(cHukou, enumHukou, false)
	if x.Year != 0 && x.ID != "" {
		r.key(cStudentID, x.ID, "year,student_id", x.Year, x.ID)
	}
	return x
}

func (r *reader) teacher() any {
	x := r.teachers.next()
	*x = Teacher{Row: r.row, Year: r.year()}
	x.ID = r.identifier(cTeacherID, "教师编号", "the teacher's id")
	x.Institution = r.identifier(cInstitution, "学校标识码", "the institution's code")
	x.Stage = r.enum(cStage, enumStage, true)
	x.Sex = r.enum(cSex, enumSex, true)
	x.BirthDate = r.birthDate(x.Year)
	x.Education = r.enum(cEducation, enumEducation, true)
	x.PreschoolMajor = r.optBool(cPreschoolMajor)
	x.DualQualified = r.optBool(cDualQualified)
	x.Rotated = r.optBool(cRotated)
	x.NewHire = r.optBool(cNewHire)
	x.Subject = r.enum(cSubject, enumSubject, false)
	x.Backbone = r.enum(cBackbone, enumBackbone, false)
	if x.Year != 0 && x.ID != "" {
		r.key(cTeacherID, x.ID, "year,teacher_id", x.Year, x.ID)
	}
	return x
}

func (r *reader) population() any {
	x := r.populations.next()
	*x = Population{Row: r.row, Year: r.year()}
	x.District = r.district()
	age := r.integer(cAge, 0, 100, "0–100 的整数（100 表示 100 岁及以上）", "an integer from 0 to 100 (100 = 100 and over)")
	x.Age = int(age)
	x.Sex = r.enum(cSex, enumSex, false)
	if !r.bad { // the key is valid
		r.key(cAge, r.cell(cAge), "year,district,age,sex", x.Year, x.District, strconv.Itoa(x.Age), x.Sex)
	}
	x.Count = r.integer(cCount, 0, 1<<53, "非负整数", "a non-negative integer")
	return x
}

func (r *reader) fact() any {
	x := r.facts.next()
	*x = Fact{Row: r.row, Year: r.year()}
	x.Org = r.identifier(cOrg, "市、区县或学校的代码", "the code of the city, a district or an institution")
	if x.Org != "" && r.pack != nil && r.pack.Org(x.Org) == nil {
		if w := codeForm(x.Org); r.pack.Org(w) != nil {
			x.Org = w
		}
	}
	x.Element = r.required(cElement, "规划包中的数据元素代码", "a data element code of the plan pack")
	var allowed []string
	known := true
	if x.Element != "" && r.pack != nil {
		el := r.pack.Element(x.Element)
		if el == nil {
			known = false
			r.fail(cElement, x.Element, ClassReference, "不是规划包中声明的数据元素", "not a data element declared in the plan pack")
		} else {
			allowed = el.Dims
			if allowed == nil {
				allowed = []string{}
			}
		}
	}
	if v := r.cell(cDims); v != "" && known {
		d, err := plan.ParseDims(v, allowed)
		switch {
		case err == nil:
		case len(allowed) == 0 && r.pack != nil:
			r.fail(cDims, v, ClassDims, "空：此数据元素不分维度", "nothing: the element has no dimensions")
		default:
			zh, en := plan.ErrorMessages(err)
			r.fail(cDims, v, ClassDims,
				fmt.Sprintf("以 ; 分隔的 key=value（如 sex=F;location=rural），维度为 %s 之一（%s）", strings.Join(allowed, "、"), zh),
				fmt.Sprintf("key=value pairs joined by ; (e.g. sex=F;location=rural) with dimensions among %s (%s)", strings.Join(allowed, ", "), en))
		}
		x.Dims = d
	}
	const zh, en = "有限的数值", "a finite number"
	if v := r.required(cValue, zh, en); v != "" {
		f, ok := parseFloat(v)
		if !ok {
			r.fail(cValue, v, ClassNumber, zh, en)
		}
		x.Value = f
	}
	if x.Year != 0 && x.Org != "" && x.Element != "" && (x.Dims != "" || r.cell(cDims) == "") {
		r.key(cElement, x.Element, "year,org,element,dims", x.Year, x.Org, x.Element, x.Dims)
	}
	return x
}

// conditionCols are a conditions file's quantity columns, in plan.ConditionColumns order.
var conditionCols = [4]col{cTeachingArea, cSportsArea, cEquipmentValue, cMultimediaClassrooms}

// maxCondition bounds a quantity of a conditions file: far above any school's (yuan of
// equipment included), so that only a slip of the keyboard reaches it.
const maxCondition = 1e12

func (r *reader) condition() any {
	x := r.conditions.next()
	*x = Condition{Row: r.row, Year: r.year()}
	x.Institution = r.identifier(cInstitution, "学校标识码", "the institution's code")
	x.Stage = r.enum(cStage, enumStage, false)
	for i, c := range conditionCols {
		x.Values[i] = r.optFloat(c, 0, maxCondition, "非负数（空表示未知）", "a non-negative number (empty = unknown)")
	}
	if x.Year != 0 && x.Institution != "" {
		r.key(cInstitution, x.Institution, "year,institution,stage", x.Year, x.Institution, x.Stage)
	}
	return x
}

// slab hands out records from blocks: one allocation for many rows rather than one a
// row. A record that visit keeps keeps its block alive, which is a few KB.
type slab[T any] struct{ free []T }

func (s *slab[T]) next() *T {
	if len(s.free) == 0 {
		s.free = make([]T, 64)
	}
	x := &s.free[0]
	s.free = s.free[1:]
	return x
}
