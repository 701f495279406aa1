package ingest

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// parseInt parses an integer cell. Besides plain digits it takes what spreadsheets and
// their exports write for integers: "2020.0", "2.02E+03".
func parseInt(s string) (int64, bool) {
	if n := len(s); n > 0 && n <= 18 {
		i, neg := 0, false
		if s[0] == '-' || s[0] == '+' {
			neg, i = s[0] == '-', 1
		}
		if i < n {
			var v int64
			for ; i < n; i++ {
				c := s[i] - '0'
				if c > 9 {
					break
				}
				v = v*10 + int64(c)
			}
			if i == n {
				if neg {
					v = -v
				}
				return v, true
			}
		}
	}
	if !plainNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// parseFloat parses a finite number.
func parseFloat(s string) (float64, bool) {
	if !plainNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// plainNumber reports whether s is written only with what a spreadsheet writes in a
// number (digits, sign, point, exponent): strconv also reads Go's literals, such as
// "1_0", "0x1p4" and "Inf", which no statistics table means as numbers.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '+', c == '-', c == '.', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return true
}

// parseBool parses true/false, 1/0, 是/否 (and yes/no), in any case.
func parseBool(s string) (bool, bool) {
	switch s {
	case "true", "1", "是":
		return true, true
	case "false", "0", "否":
		return false, true
	}
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1.0":
		return true, true
	case "false", "no", "n", "0.0":
		return false, true
	}
	return false, false
}

// parseDate parses a date and returns it as YYYY-MM-DD. It takes YYYY-MM-DD and
// YYYY/MM/DD (months and days with one digit too, as Excel writes them in CSV),
// YYYY.MM.DD, YYYY年M月D日, YYYYMMDD, a time after the date (ignored), and an
// Excel serial number of the 1900 date system (what an XLSX date cell holds).
func parseDate(s string) (string, bool) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' { // YYYY-MM-DD already, most often
		y, ok1 := digits(s[:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:])
		if ok1 && ok2 && ok3 && y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
			return s, true
		}
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	if s == "" {
		return "", false
	}
	if strings.Trim(s, "0123456789.") == "" && strings.Count(s, ".") <= 1 {
		return numericDate(s)
	}
	return writtenDate(s)
}

// numericDate parses a date written as digits: YYYYMMDD, or an Excel serial number
// (a fraction is the time of day).
func numericDate(s string) (string, bool) {
	if len(s) == 8 && !strings.Contains(s, ".") {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:])
		return formatDate(y, m, d)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !plainNumber(s) || f < 1 || f >= 2958466 { // 2958465 is 9999-12-31
		return "", false
	}
	return excelDate(int(f))
}

// writtenDate parses a date written as year, month and day separated by any of
// - / . 年 月 (and 日 after the day).
func writtenDate(s string) (string, bool) {
	var parts [3]int
	n, num, ndig := 0, 0, 0
	flush := func() bool {
		if ndig == 0 || n == 3 {
			return false
		}
		if (n == 0 && ndig != 4) || (n > 0 && ndig > 2) {
			return false
		}
		parts[n], n, num, ndig = num, n+1, 0, 0
		return true
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			num, ndig = num*10+int(r-'0'), ndig+1
			if ndig > 4 {
				return "", false
			}
		case r == '-' || r == '/' || r == '.' || r == '年' || r == '月':
			if !flush() {
				return "", false
			}
		case r == '日':
			if !flush() || n != 3 {
				return "", false
			}
		default:
			return "", false
		}
	}
	if ndig > 0 && !flush() {
		return "", false
	}
	if n != 3 {
		return "", false
	}
	return formatDate(parts[0], parts[1], parts[2])
}

// digits parses a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	return n, len(s) > 0
}

// excelDate converts an Excel serial day (1900 date system) to YYYY-MM-DD. Excel counts
// 1900-02-29, which did not exist, as day 60; days after it are one too many.
func excelDate(n int) (string, bool) {
	switch {
	case n == 60:
		return "", false
	case n > 60:
		n--
	}
	t := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	return formatDate(t.Year(), int(t.Month()), t.Day())
}

func formatDate(y, m, d int) (string, bool) {
	if y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return "", false
	}
	b := []byte("0000-00-00")
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[5], b[6] = byte('0'+m/10), byte('0'+m%10)
	b[8], b[9] = byte('0'+d/10), byte('0'+d%10)
	return string(b), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// enum is the values a column may take, with the other spellings accepted for them.
type enum struct {
	values  []string
	aliases map[string]string // lower case → value
	zh, en  string            // the values, for messages
}

func newEnum(domain string, aliases ...string) *enum {
	e := &enum{values: plan.Domains[domain], aliases: map[string]string{}}
	for _, v := range e.values {
		e.aliases[strings.ToLower(v)] = v
	}
	shown := map[string]string{} // the first Chinese alias of each value, for messages
	for i := 0; i+1 < len(aliases); i += 2 {
		a, v := aliases[i], aliases[i+1]
		e.aliases[strings.ToLower(a)] = v
		if _, ok := shown[v]; !ok && !isASCII(a) {
			shown[v] = a
		}
	}
	e.zh = strings.Join(e.values, "、")
	e.en = "one of " + strings.Join(e.values, ", ")
	var zh []string
	for _, v := range e.values {
		if a, ok := shown[v]; ok {
			zh = append(zh, a)
		}
	}
	if len(zh) > 0 {
		e.zh += "（或 " + strings.Join(zh, "、") + "）"
		e.en += " (or " + strings.Join(zh, ", ") + ")"
	}
	return e
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (e *enum) parse(s string) (string, bool) {
	for _, v := range e.values {
		if s == v {
			return v, true
		}
	}
	v, ok := e.aliases[strings.ToLower(s)]
	return v, ok
}

// The enums of the interchange formats, with the Chinese terms of the statistics
// forms (教育事业统计) accepted for them.
var (
	enumStage = newEnum("stage",
		"学前", "preschool", "学前教育", "preschool", "小学", "primary", "初中", "junior",
		"高中", "senior", "普通高中", "senior", "中职", "secondary_vocational", "中等职业教育", "secondary_vocational",
		"特殊教育", "special", "特教", "special", "高等教育", "higher", "高等", "higher")
	enumType = newEnum("type",
		"幼儿园", "kindergarten", "小学", "primary", "初级中学", "junior", "初中", "junior",
		"九年一贯制学校", "nine_year", "九年一贯制", "nine_year", "完全中学", "complete_secondary",
		"高级中学", "senior", "高中", "senior", "十二年一贯制学校", "twelve_year", "十二年一贯制", "twelve_year",
		"中等职业学校", "secondary_vocational", "中职", "secondary_vocational", "特殊教育学校", "special",
		"高等职业学校", "higher_vocational", "高职", "higher_vocational", "大学", "university", "本科院校", "university",
		"培训机构", "training")
	enumOwnership = newEnum("ownership", "公办", "public", "民办", "private")
	enumLocation  = newEnum("location", "城区", "urban", "镇区", "town", "乡村", "rural")
	enumSex       = newEnum("sex", "男", "M", "女", "F", "male", "M", "female", "F")
	enumHukou     = newEnum("hukou", "本地", "local", "随迁", "migrant", "随迁子女", "migrant")
	enumEducation = newEnum("education",
		"高中以下", "below_secondary", "高中", "secondary", "中专", "secondary", "专科", "associate", "大专", "associate",
		"本科", "bachelor", "硕士", "master", "研究生", "master", "博士", "doctor")
	enumSubject = newEnum("subject",
		"语文", "chinese", "数学", "math", "外语", "foreign_language", "英语", "foreign_language", "科学", "science",
		"体育", "pe", "体育与健康", "pe", "音乐", "music", "美术", "art", "信息技术", "it", "信息科技", "it",
		"道德与法治", "moral", "思想政治", "moral", "思政", "moral", "其他", "other")
	enumBackbone = newEnum("backbone",
		"无", "none", "否", "none", "县级", "county", "区级", "county", "市级", "city", "省级", "province", "国家级", "national")
)

// grades returns the grades a stage may have (docs/formats.md: compulsory grades are
// counted 1–9 continuously; higher education goes on from 13).
func grades(stage string) ([2]int, bool) {
	switch stage {
	case "preschool":
		return [2]int{1, 3}, true
	case "primary":
		return [2]int{1, 6}, true
	case "junior":
		return [2]int{6, 9}, true
	case "senior", "secondary_vocational":
		return [2]int{10, 12}, true
	case "higher":
		return [2]int{13, 22}, true
	case "special":
		return [2]int{1, 9}, true
	}
	return [2]int{1, 22}, false
}

var stageZh = map[string]string{
	"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中",
	"secondary_vocational": "中职", "higher": "高等教育", "special": "特殊教育",
}
