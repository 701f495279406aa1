package ingest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// Kind is a kind of interchange file (docs/formats.md).
type Kind string

// Kinds of file. The population kind is Populations, plural like the others, because
// Population is the record of its rows.
const (
	Institutions Kind = "institutions"
	Students     Kind = "students"
	Teachers     Kind = "teachers"
	Populations  Kind = "population"
	Facts        Kind = "facts"
	Conditions   Kind = "conditions"
)

// Kinds lists the kinds in the order of docs/formats.md.
var Kinds = []Kind{Institutions, Students, Teachers, Populations, Facts, Conditions}

var kindNames = map[string]Kind{
	"institutions": Institutions, "institution": Institutions, "学校": Institutions, "机构": Institutions,
	"students": Students, "student": Students, "学生": Students,
	"teachers": Teachers, "teacher": Teachers, "教师": Teachers,
	"population": Populations, "人口": Populations,
	"facts": Facts, "fact": Facts, "数据": Facts,
	"conditions": Conditions, "condition": Conditions, "办学条件": Conditions,
}

// ParseKind returns the kind named s (English, singular or plural, or Chinese).
func ParseKind(s string) (Kind, error) {
	if k, ok := kindNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return k, nil
	}
	return "", plan.Errorf(plan.EINVALID, "未知的文件类型 %q，应为 institutions、students、teachers、population、facts 或 conditions",
		"unknown kind %q: expected institutions, students, teachers, population, facts or conditions", s)
}

// ParseKindIn returns the kind named s: a built-in kind as ParseKind takes it, one of
// the pack's school tables (by its code), or a record kind the pack declares (by its
// code or Chinese name).
func ParseKindIn(s string, pack *plan.Pack) (Kind, error) {
	if k, err := ParseKind(s); err == nil {
		return k, nil
	}
	if t := SchoolTableOf(pack, Kind(strings.TrimSpace(s))); t != nil {
		return Kind(t.Code), nil
	}
	if pack != nil {
		t := strings.TrimSpace(s)
		for _, rk := range pack.Kinds {
			if strings.EqualFold(t, rk.Code) || t == rk.Name {
				return Kind(rk.Code), nil
			}
		}
	}
	names := []string{"institutions", "students", "teachers", "population", "facts", "conditions"}
	for _, rk := range kindsOf(pack) {
		names = append(names, rk.Code)
	}
	return "", plan.Errorf(plan.EINVALID, "未知的文件类型 %q，应为 %s 之一", "unknown kind %q: expected one of %s", s, strings.Join(names, ", "))
}

func kindsOf(pack *plan.Pack) []*plan.RecordKind {
	if pack == nil {
		return nil
	}
	return pack.Kinds
}

// KindsIn lists the kinds of file an import of the pack takes: the built-in ones in
// the order of docs/formats.md, then the record kinds the pack declares.
func KindsIn(pack *plan.Pack) []Kind {
	out := slices.Clone(Kinds)
	for _, rk := range kindsOf(pack) {
		out = append(out, Kind(rk.Code))
	}
	return out
}

// KindName returns the kind's name in Chinese (学生名册; a declared kind's name).
func KindName(pack *plan.Pack, k Kind) string {
	if n, ok := kindZhNames[k]; ok {
		return n
	}
	if rk := declaredKind(pack, k); rk != nil {
		return rk.Name
	}
	if t := SchoolTableOf(pack, k); t != nil {
		return t.Name
	}
	return string(k)
}

// DetectKindIn is DetectKind knowing the pack's record kinds: a header with every
// required column of a declared kind is of that kind (a health screening has a
// student_id, as a students file does, and more), unless it fits two declared kinds.
func DetectKindIn(header []string, pack *plan.Pack) (Kind, error) {
	builtin, berr := DetectKind(header)
	var found []Kind
	for _, rk := range kindsOf(pack) {
		r := &declReader{kind: rk, cols: declColumns(rk), rep: &Report{}}
		if !r.header(header) && missingColumns(r.rep) {
			continue // a bad header of the kind is still of it, one lacking its columns not
		}
		// A teachers file has every column a teacher's record kind requires: the
		// declared kind needs a column of its own that the built-in kind lacks.
		if berr == nil && !ownColumn(r, header, builtin) {
			continue
		}
		found = append(found, Kind(rk.Code))
	}
	if len(found) > 1 { // the kind that knows every column wins
		var exact []Kind
		for _, k := range found {
			r := &declReader{kind: pack.RecordKind(string(k)), rep: &Report{}}
			r.cols = declColumns(r.kind)
			if r.header(header); r.rep.WarningCount == 0 {
				exact = append(exact, k)
			}
		}
		if len(exact) == 1 {
			found = exact
		}
	}
	switch len(found) {
	case 0:
		return builtin, berr
	case 1:
		return found[0], nil
	}
	ks := make([]string, len(found))
	for i, k := range found {
		ks[i] = string(k)
	}
	return "", &RowError{Row: 1, Class: ClassHeader,
		Expected:   "表头同时符合 " + strings.Join(ks, "、") + " 文件，无法判断类型。请删去多余的列或用 --kind 指定",
		ExpectedEn: "the header fits " + strings.Join(ks, " and ") + " files alike. Remove the extra columns or give the kind with --kind"}
}

// ownColumn reports whether the header has a column of the declared kind's fields that
// the built-in kind k does not know.
func ownColumn(r *declReader, header []string, k Kind) bool {
	for _, h := range header {
		if h == "" || plan.PersonalHeader(h) {
			continue
		}
		if i := r.lookup(h); i >= 0 && r.cols[i].field != nil {
			if _, ok := lookupColumn(k, h); !ok {
				return true
			}
		}
	}
	return false
}

// missingColumns reports whether a header lacks a required column.
func missingColumns(rep *Report) bool {
	for _, e := range rep.Errors {
		if strings.HasPrefix(e.ExpectedEn, "missing required columns") {
			return true
		}
	}
	return false
}

// Column is a column of a kind of file.
type Column struct {
	Name     string   `json:"name"`
	Required bool     `json:"required"`
	Aliases  []string `json:"aliases,omitempty"` // other accepted headers, Chinese mostly
}

// col identifies a column across kinds, so a row's cells are found by index.
type col int

const (
	cYear col = iota
	cCode
	cName
	cDistrict
	cType
	cOwnership
	cInclusive
	cLocation
	cLat
	cLon
	cStudentID
	cTeacherID
	cInstitution
	cStage
	cGrade
	cSex
	cBirthDate
	cHukou
	cEducation
	cPreschoolMajor
	cDualQualified
	cRotated
	cNewHire
	cAge
	cCount
	cOrg
	cElement
	cDims
	cValue
	cTeachingPoint
	cSubject
	cBackbone
	cTeachingArea
	cSportsArea
	cEquipmentValue
	cMultimediaClassrooms
	nCols
)

var colNames = [nCols]string{
	"year", "code", "name", "district", "type", "ownership", "inclusive", "location", "lat", "lon",
	"student_id", "teacher_id", "institution", "stage", "grade", "sex", "birth_date", "hukou",
	"education", "preschool_major", "dual_qualified", "rotated", "new_hire",
	"age", "count", "org", "element", "dims", "value",
	"teaching_point", "subject", "backbone",
	"teaching_area", "sports_area", "equipment_value", "multimedia_classrooms",
}

func (c col) String() string { return colNames[c] }

// aliases are the other headers accepted for a column, in any kind that has it. They
// are compared after normalizeHeader.
var aliases = [nCols][]string{
	cYear:                 {"年份", "学年", "年度", "统计年份"},
	cCode:                 {"学校标识码", "学校代码", "标识码", "代码", "institution_code"},
	cName:                 {"学校名称", "名称", "机构名称", "单位名称"},
	cDistrict:             {"区县", "区市", "所属区县", "所属区市", "区县代码", "行政区划代码", "district_code"},
	cType:                 {"办学类型", "类型", "学校类型"},
	cOwnership:            {"举办者", "办学性质"},
	cInclusive:            {"普惠性", "是否普惠"},
	cLocation:             {"城乡", "城乡分类"},
	cLat:                  {"纬度", "latitude"},
	cLon:                  {"经度", "longitude", "lng"},
	cStudentID:            {"学籍号", "学号", "全国学籍号"},
	cTeacherID:            {"教师编号", "工号"},
	cInstitution:          {"学校标识码", "学校代码", "学校", "institution_code", "school_code"},
	cStage:                {"学段"},
	cGrade:                {"年级"},
	cSex:                  {"性别", "gender"},
	cBirthDate:            {"出生日期", "birthdate", "birthday", "date_of_birth"},
	cHukou:                {"户籍"},
	cEducation:            {"最高学历", "学历"},
	cPreschoolMajor:       {"学前教育专业"},
	cDualQualified:        {"双师型"},
	cRotated:              {"交流轮岗"},
	cNewHire:              {"新进", "新招聘"},
	cAge:                  {"年龄"},
	cCount:                {"人数", "人口数"},
	cOrg:                  {"机构", "单位", "组织", "机构代码", "单位代码"},
	cElement:              {"数据元素", "指标", "数据元素代码"},
	cDims:                 {"维度"},
	cValue:                {"数值", "值"},
	cTeachingPoint:        {"教学点", "是否教学点"},
	cSubject:              {"任教学科", "学科"},
	cBackbone:             {"骨干教师", "骨干教师级别"},
	cTeachingArea:         {"教学及辅助用房面积", "教学及辅助用房"},
	cSportsArea:           {"体育运动场馆面积", "运动场馆面积"},
	cEquipmentValue:       {"教学仪器设备值", "仪器设备值"},
	cMultimediaClassrooms: {"网络多媒体教室", "网络多媒体教室数"},
}

// kindCols lists each kind's columns in the order of docs/formats.md; required ones
// are marked in kindRequired.
var kindCols = map[Kind][]col{
	Institutions: {cYear, cCode, cName, cDistrict, cType, cOwnership, cInclusive, cLocation, cLat, cLon, cTeachingPoint},
	Students:     {cYear, cStudentID, cInstitution, cStage, cGrade, cSex, cBirthDate, cHukou},
	Teachers:     {cYear, cTeacherID, cInstitution, cStage, cSex, cBirthDate, cEducation, cPreschoolMajor, cDualQualified, cRotated, cNewHire, cSubject, cBackbone},
	Populations:  {cYear, cDistrict, cAge, cSex, cCount},
	Facts:        {cYear, cOrg, cElement, cDims, cValue},
	Conditions:   {cYear, cInstitution, cStage, cTeachingArea, cSportsArea, cEquipmentValue, cMultimediaClassrooms},
}

var kindOptional = map[Kind][]col{
	Institutions: {cInclusive, cLat, cLon, cTeachingPoint},
	Students:     {cBirthDate, cHukou},
	Teachers:     {cBirthDate, cPreschoolMajor, cDualQualified, cRotated, cNewHire, cSubject, cBackbone},
	Populations:  {cSex},
	Facts:        {cDims},
	Conditions:   {cStage, cTeachingArea, cSportsArea, cEquipmentValue, cMultimediaClassrooms},
}

// kindSignature is what a header must have to be of a kind.
var kindSignature = map[Kind][]col{
	Institutions: {cCode, cType},
	Students:     {cStudentID},
	Teachers:     {cTeacherID},
	Populations:  {cAge, cCount},
	Facts:        {cElement, cValue},
	Conditions:   {cInstitution, cTeachingArea},
}

func (k Kind) required(c col) bool {
	for _, o := range kindOptional[k] {
		if o == c {
			return false
		}
	}
	return true
}

// Columns returns the columns of the kind, in the order of docs/formats.md.
func (k Kind) Columns() []Column {
	var out []Column
	for _, c := range kindCols[k] {
		out = append(out, Column{Name: c.String(), Required: k.required(c), Aliases: aliases[c]})
	}
	return out
}

// kindZhNames are the kinds' names in Chinese, for messages.
var kindZhNames = map[Kind]string{
	Institutions: "学校名单", Students: "学生名册", Teachers: "教师名册", Populations: "人口", Facts: "数据",
	Conditions: "办学条件",
}

// normalizeHeader folds the spellings of a header that mean the same column:
// case, surrounding spaces, and spaces or hyphens for underscores ("Student ID").
func normalizeHeader(h string) string {
	h = strings.ToLower(sheet.Trim(strings.TrimPrefix(h, "\uFEFF")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(h)
}

// lookupColumn returns the column of kind k that a header names.
func lookupColumn(k Kind, header string) (col, bool) {
	h := normalizeHeader(header)
	for _, c := range kindCols[k] {
		if h == c.String() {
			return c, true
		}
	}
	for _, c := range kindCols[k] {
		for _, a := range aliases[c] {
			if h == a {
				return c, true
			}
		}
	}
	return 0, false
}

// headerMap is a header read for one kind.
type headerMap struct {
	idx     [nCols]int // cell index of each column; -1 if absent
	names   map[string]string
	missing []string
	dups    []RowError
	unknown []RowError
}

func mapHeader(k Kind, header []string) *headerMap {
	m := &headerMap{names: map[string]string{}}
	for i := range m.idx {
		m.idx[i] = -1
	}
	for i, h := range header {
		if h == "" {
			continue // Excel and WPS leave empty columns at the right
		}
		c, ok := lookupColumn(k, h)
		if !ok {
			m.unknown = append(m.unknown, RowError{Row: 1, Column: h, Class: ClassHeader,
				Expected:   fmt.Sprintf("第 %s 列不是%s文件的列，已忽略", sheet.ColumnName(i), kindZhNames[k]),
				ExpectedEn: fmt.Sprintf("column %s is not a column of a %s file; ignored", sheet.ColumnName(i), k)})
			continue
		}
		if j := m.idx[c]; j >= 0 {
			m.dups = append(m.dups, RowError{Row: 1, Column: c.String(), Class: ClassHeader,
				Expected:   fmt.Sprintf("列出现了两次：第 %s 列“%s”与第 %s 列“%s”", sheet.ColumnName(j), sheet.Shorten(header[j], sheet.MaxQuoted), sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted)),
				ExpectedEn: fmt.Sprintf("the column appears twice: %s %q and %s %q", sheet.ColumnName(j), sheet.Shorten(header[j], sheet.MaxQuoted), sheet.ColumnName(i), sheet.Shorten(h, sheet.MaxQuoted))})
			continue
		}
		m.idx[c] = i
		m.names[c.String()] = h
	}
	for _, c := range kindCols[k] {
		if m.idx[c] < 0 && k.required(c) {
			m.missing = append(m.missing, c.String())
		}
	}
	return m
}

func (m *headerMap) has(c col) bool { return m.idx[c] >= 0 }

// missingError is the one error for a header that lacks required columns.
func missingError(k Kind, header []string, missing []string) RowError {
	var need []string
	for _, c := range kindCols[k] {
		if k.required(c) {
			need = append(need, c.String())
		}
	}
	found := sheet.Shorten(strings.Join(header, ", "), 200)
	return RowError{Row: 1, Class: ClassHeader,
		Expected: fmt.Sprintf("缺少必需的列 %s；%s文件需要 %s（第 1 行为表头，现为：%s）",
			strings.Join(missing, "、"), kindZhNames[k], strings.Join(need, "、"), found),
		ExpectedEn: fmt.Sprintf("missing required columns %s; a %s file needs %s (row 1 is the header; it has: %s)",
			strings.Join(missing, ", "), k, strings.Join(need, ", "), found)}
}

// DetectKind tells the kind of a file from its header: students have student_id,
// teachers teacher_id, institutions code and type, population age and count, facts
// element and value. Headers are matched as Read matches them (case-insensitive,
// Chinese aliases). The error is a *RowError for row 1.
func DetectKind(header []string) (Kind, error) {
	var found []Kind
	for _, k := range Kinds {
		m := mapHeader(k, header)
		ok := true
		for _, c := range kindSignature[k] {
			ok = ok && m.has(c)
		}
		if ok {
			found = append(found, k)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	var needZh, needEn []string
	for _, k := range Kinds {
		var cs []string
		for _, c := range kindSignature[k] {
			cs = append(cs, c.String())
		}
		needZh = append(needZh, fmt.Sprintf("%s（%s）需有 %s", k, kindZhNames[k], strings.Join(cs, " 与 ")))
		needEn = append(needEn, fmt.Sprintf("%s need %s", k, strings.Join(cs, " and ")))
	}
	e := &RowError{Row: 1, Class: ClassHeader}
	if len(found) == 0 {
		e.Expected = "无法从表头判断文件类型：" + strings.Join(needZh, "；") + "。也可用 --kind 指定"
		e.ExpectedEn = "cannot tell the kind of file from its header: " + strings.Join(needEn, "; ") + ". Or give it with --kind"
	} else {
		var ks []string
		for _, k := range found {
			ks = append(ks, string(k))
		}
		e.Expected = "表头同时符合 " + strings.Join(ks, "、") + " 文件，无法判断类型：" + strings.Join(needZh, "；") + "。请删去多余的列或用 --kind 指定"
		e.ExpectedEn = "the header fits " + strings.Join(ks, " and ") + " files alike: " + strings.Join(needEn, "; ") + ". Remove the extra columns or give the kind with --kind"
	}
	return "", e
}
