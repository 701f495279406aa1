package ingest

import "strconv"

// KindFormat describes a kind of file for the people who fill it in: the format
// reference (docs/formats.md, the /formats page and the templates) is made from it,
// and from the column lists, aliases and allowed codes the readers check, so that it
// cannot say other than what an import accepts.
type KindFormat struct {
	Kind Kind `json:"kind"`
	// Name is the kind's name in Chinese (学生名册); Row and RowEn say what a row is.
	Name    string         `json:"name"`
	Row     string         `json:"row"`
	RowEn   string         `json:"row_en"`
	Columns []ColumnFormat `json:"columns"`
}

// ColumnFormat describes one column: its type and meaning in both languages, an
// example value, and for a column of codes every allowed code with its meaning.
type ColumnFormat struct {
	Column
	Type      string `json:"type"`
	TypeEn    string `json:"type_en"`
	Meaning   string `json:"meaning"`
	MeaningEn string `json:"meaning_en"`
	Example   string `json:"example"`
	Codes     []Code `json:"codes,omitempty"`
}

// Code is an allowed value of a column, with its meaning.
type Code struct {
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

// Formats returns the format of every kind, in the order of Kinds.
func Formats() []KindFormat {
	out := make([]KindFormat, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, k.Format())
	}
	return out
}

// Format returns the kind's format.
func (k Kind) Format() KindFormat {
	f := KindFormat{Kind: k, Name: kindZhNames[k], Row: kindRows[k][0], RowEn: kindRows[k][1]}
	for i, c := range kindCols[k] {
		d := colDocs[c]
		if o, ok := kindColDocs[k][c]; ok {
			d = o
		}
		cf := ColumnFormat{Column: k.Columns()[i], Type: d.typ, TypeEn: d.typEn, Meaning: d.meaning, MeaningEn: d.meaningEn, Example: d.example}
		if e := colEnums[c]; e != nil {
			for _, v := range e.values {
				m := codeMeanings[c.String()][v]
				cf.Codes = append(cf.Codes, Code{Code: v, Zh: m[0], En: m[1]})
			}
		}
		f.Columns = append(f.Columns, cf)
	}
	return f
}

// Example returns the example row of the kind's template, a cell per column.
func (f KindFormat) Example() []string {
	row := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		row[i] = c.Example
	}
	return row
}

// Header returns the column names, as a template's header row has them.
func (f KindFormat) Header() []string {
	row := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		row[i] = c.Name
	}
	return row
}

var kindRows = map[Kind][2]string{
	Institutions: {"每所学校（机构）每年一行。", "One row per institution per year."},
	Students:     {"每名在校学生每年一行（秋季学期的快照）。不含姓名和身份证号。", "One row per enrolled student per year (an autumn snapshot). No names, no ID-card numbers."},
	Teachers:     {"每名专任教师每年一行。", "One row per full-time teacher (专任教师) per year."},
	Populations:  {"各区县的常住人口（统计部门提供），每个年龄（及性别）一行。", "Resident population per district (from the statistics bureau), one row per age (and sex)."},
	Facts:        {"名册中没有的报送数值（普查、财政、项目数、调查结果），可在市、区县或学校一级。", "Reported values no roster carries (census, finance, project counts, surveys), at the city, a district or an institution."},
	Conditions:   {"每所学校每年一行（一校多学段时每个学段一行）：督导评估标准所需的办学条件。", "One row per institution per year (one per stage for a school of several stages): the school conditions the supervision standards need."},
}

// colDoc is what the reference says of a column.
type colDoc struct {
	typ, typEn, meaning, meaningEn, example string
}

const (
	boolZh = "布尔：true/false、1/0、是/否、yes/no"
	boolEn = "boolean: true/false, 1/0, 是/否, yes/no"
	codeZh = "代码（见下表）"
	codeEn = "code (see below)"
)

var yearDoc = colDoc{"整数，" + strconv.Itoa(MinYear) + "–" + strconv.Itoa(MaxYear), "integer, " + strconv.Itoa(MinYear) + "–" + strconv.Itoa(MaxYear),
	"学年的起始年（2020 即 2020/21 学年，按 2020 年秋季统计）", "the school year's first year (2020 = the 2020/21 school year, as counted in autumn 2020)", "2024"}

var colDocs = [nCols]colDoc{
	cYear:                 yearDoc,
	cCode:                 {"文本", "text", "学校（机构）标识码，全国学校代码为 10 位数字", "the institution's identification code (10 digits in China's registry)", "3706020001"},
	cName:                 {"文本", "text", "学校（机构）名称", "the institution's name", "烟台市芝罘区示例小学"},
	cDistrict:             {"区县代码", "district code", "所属区县（县级市）的 6 位行政区划代码", "the 6-digit administrative code of its district or county-level city", "370602"},
	cType:                 {codeZh, codeEn, "办学类型", "type of institution", "primary"},
	cOwnership:            {codeZh, codeEn, "举办者：公办或民办", "ownership: public or private", "public"},
	cInclusive:            {boolZh, boolEn, "是否普惠性（幼儿园；公办园均为普惠）", "inclusive (普惠性; for kindergartens, public ones are inclusive)", ""},
	cLocation:             {codeZh, codeEn, "城乡分类", "urban or rural location", "urban"},
	cLat:                  {"数值，−90 至 90", "number, −90 to 90", "纬度（WGS84）", "latitude (WGS84 degrees)", "37.53"},
	cLon:                  {"数值，−180 至 180", "number, −180 to 180", "经度（WGS84）", "longitude (WGS84 degrees)", "121.39"},
	cStudentID:            {"文本", "text", "学生标识，跨年不变（全国学籍号或其哈希值）", "the student's id, the same every year (national student number or a hash of it)", "G370602201801010001"},
	cTeacherID:            {"文本", "text", "教师标识，跨年不变", "the teacher's id, the same every year", "T0001"},
	cInstitution:          {"学校标识码", "institution code", "所在学校的标识码（须在当年学校名单中）", "the code of the institution (it must be in that year's institutions)", "3706020001"},
	cStage:                {codeZh, codeEn, "学段", "stage of education", "primary"},
	cGrade:                {"整数", "integer", "年级：学前 1–3；义务教育 1–9 连续编号（小学 1–6，初中 6–9，无论六三制或五四制）；高中、中职 10–12；高等教育 13–22；特殊教育按相当的义务教育年级 1–9", "grade: preschool 1–3; compulsory 1–9 counted continuously (primary 1–6, junior 6–9, whatever the local 6-3 or 5-4 system); senior and secondary_vocational 10–12; higher 13–22; special: the equivalent compulsory grade 1–9", "3"},
	cSex:                  {codeZh, codeEn, "性别", "sex", "F"},
	cBirthDate:            {"日期 YYYY-MM-DD（也接受 YYYY/M/D、YYYY年M月D日、YYYYMMDD 和 Excel 日期）", "date YYYY-MM-DD (also YYYY/M/D, YYYY年M月D日, YYYYMMDD and Excel dates)", "出生日期，须在该学年前 100 年至次年末之间", "date of birth, from 100 years before the school year to the end of the next year", "2016-05-12"},
	cHukou:                {codeZh, codeEn, "户籍：本地或随迁子女", "residence registration: local or migrant (随迁子女)", "local"},
	cEducation:            {codeZh, codeEn, "最高学历", "highest degree", "bachelor"},
	cPreschoolMajor:       {boolZh, boolEn, "是否学前教育专业毕业", "graduated in preschool education", "false"},
	cDualQualified:        {boolZh, boolEn, "是否“双师型”教师（职业教育）", "dual-qualified teacher (双师型, vocational education)", "false"},
	cRotated:              {boolZh, boolEn, "本学年是否参加交流轮岗", "took part in exchange or rotation (交流轮岗) this school year", "false"},
	cNewHire:              {boolZh, boolEn, "是否本学年新招聘", "newly recruited this school year", "false"},
	cAge:                  {"整数，0–100", "integer, 0–100", "周岁年龄（100 表示 100 岁及以上）", "age in whole years (100 = 100 and over)", "6"},
	cCount:                {"非负整数", "non-negative integer", "人数", "number of people", "5230"},
	cOrg:                  {"机构代码", "org code", "市、区县或学校的代码", "the code of the city, a district or an institution", "370602"},
	cElement:              {"数据元素代码", "data element code", "规划包中声明的数据元素（见规划包 elements.yaml）", "a data element declared in the plan pack (elements.yaml)", "working_age_schooling_years"},
	cDims:                 {"key=value，以 ; 分隔", "key=value pairs joined by ;", "分组维度，如 sex=F;location=rural；为空表示合计。维度须为该数据元素声明的维度", "disaggregation, e.g. sex=F;location=rural; empty = the total. Keys must be dimensions the element declares", ""},
	cValue:                {"数值", "number", "数值（有限数，不可为空）", "the value (a finite number)", "11.2"},
	cTeachingPoint:        {boolZh, boolEn, "是否教学点", "a teaching point (教学点, a small village site)", "false"},
	cSubject:              {codeZh, codeEn, "任教学科", "subject taught", "math"},
	cBackbone:             {codeZh, codeEn, "骨干教师级别", "backbone teacher (骨干教师) level", "none"},
	cTeachingArea:         {"非负数", "non-negative number", "教学及辅助用房面积（平方米）；空表示未知", "teaching and auxiliary floor area (m²); empty = unknown", "5200"},
	cSportsArea:           {"非负数", "non-negative number", "体育运动场馆面积（平方米）；空表示未知", "sports ground and hall area (m²); empty = unknown", "8000"},
	cEquipmentValue:       {"非负数", "non-negative number", "教学仪器设备值（元）；空表示未知", "value of teaching equipment (yuan); empty = unknown", "1500000"},
	cMultimediaClassrooms: {"非负数", "non-negative number", "网络多媒体教室数；空表示未知", "networked multimedia classrooms; empty = unknown", "24"},
}

// kindColDocs are what a column means in one kind where it differs from colDocs.
var kindColDocs = map[Kind]map[col]colDoc{
	Teachers:    {cStage: {codeZh, codeEn, "任教学段", "the stage taught", "primary"}},
	Conditions:  {cStage: {codeZh, codeEn, "学段（一校多学段时按学段分行；空表示全校）", "stage (a row per stage in a school of several; empty = the whole school)", "primary"}},
	Populations: {cSex: {codeZh, codeEn, "性别；为空表示男女合计（同一区县同一年不可两者并存）", "sex; empty = both sexes (a district's year may not have both)", ""}},
}

// colEnums are the columns of codes, with the values the readers accept.
var colEnums = map[col]*enum{
	cType: enumType, cOwnership: enumOwnership, cLocation: enumLocation, cStage: enumStage,
	cSex: enumSex, cHukou: enumHukou, cEducation: enumEducation, cSubject: enumSubject, cBackbone: enumBackbone,
}

// codeMeanings say what each code means, by column, in Chinese and English.
var codeMeanings = map[string]map[string][2]string{
	"type": {
		"kindergarten": {"幼儿园", "kindergarten"}, "primary": {"小学", "primary school"}, "junior": {"初级中学", "junior secondary school"},
		"nine_year": {"九年一贯制学校", "nine-year school (primary and junior)"}, "complete_secondary": {"完全中学", "complete secondary school (junior and senior)"},
		"senior": {"高级中学", "senior secondary school"}, "twelve_year": {"十二年一贯制学校", "twelve-year school"},
		"secondary_vocational": {"中等职业学校", "secondary vocational school"}, "special": {"特殊教育学校", "special education school"},
		"higher_vocational": {"高等职业学校", "higher vocational college"}, "university": {"普通本科院校", "university"}, "training": {"培训机构", "training institution"},
	},
	"ownership": {"public": {"公办", "public"}, "private": {"民办", "private"}},
	"location":  {"urban": {"城区", "urban"}, "town": {"镇区", "town"}, "rural": {"乡村", "rural"}},
	"stage": {
		"preschool": {"学前教育", "preschool"}, "primary": {"小学", "primary"}, "junior": {"初中", "junior secondary"},
		"senior": {"普通高中", "senior secondary"}, "secondary_vocational": {"中等职业教育", "secondary vocational"},
		"special": {"特殊教育", "special education"}, "higher": {"高等教育", "higher education"},
	},
	"sex": {"M": {"男", "male"}, "F": {"女", "female"}},
	"subject": {
		"chinese": {"语文", "Chinese"}, "math": {"数学", "mathematics"}, "foreign_language": {"外语", "foreign language"},
		"science": {"科学", "science"}, "pe": {"体育与健康", "physical education"}, "music": {"音乐", "music"}, "art": {"美术", "art"},
		"it": {"信息技术", "information technology"}, "moral": {"道德与法治、思想政治", "morality and law, politics"}, "other": {"其他", "other"},
	},
	"backbone": {
		"none": {"非骨干教师", "none"}, "county": {"县（区）级", "county or district level"}, "city": {"市级", "city level"},
		"province": {"省级", "provincial level"}, "national": {"国家级", "national level"},
	},
	"hukou": {"local": {"本地户籍", "local"}, "migrant": {"随迁子女", "migrant (children who moved with their parents)"}},
	"education": {
		"below_secondary": {"高中以下", "below upper secondary"}, "secondary": {"高中或中专", "upper secondary"}, "associate": {"专科", "associate (junior college)"},
		"bachelor": {"本科", "bachelor"}, "master": {"硕士研究生", "master"}, "doctor": {"博士研究生", "doctor"},
	},
}
