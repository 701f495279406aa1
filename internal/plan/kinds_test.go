package plan_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// testKinds is the test pack's kinds.yaml (testdata/kinds), which every case changes,
// followed by the built-in pack's kinds, which its commitments read.
func testKinds(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "kinds", "kinds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(fixture.WithBuiltinKinds(t, b))
}

// TestKinds: the record kinds of a pack are read with their fields, rules and
// elements, which join the pack's elements with the kind's dimensions.
func TestKinds(t *testing.T) {
	dir := copyBuiltin(t)
	os.WriteFile(filepath.Join(dir, plan.KindsFile), []byte(testKinds(t)), 0o644)
	p, err := plan.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	k := p.RecordKind("screening")
	if k == nil || !k.Person() || len(k.Fields) != 6 || len(k.Rules) != 2 || len(k.Elements) != 6 {
		t.Fatalf("screening = %+v", k)
	}
	if got := strings.Join(k.Dims(), ","); got != "stage,myopia,fitness,type,ownership,location,inclusive" {
		t.Errorf("dims = %s", got)
	}
	el := p.Element("scr_myopia_rate")
	if el == nil || el.Source != plan.SourceRecord || el.Record.Of != "scr_rows" || el.Unit != "%" || el.Additive {
		t.Fatalf("scr_myopia_rate = %+v", el)
	}
	if _, err := el.ParseFilter("fitness=excellent;stage=primary"); err != nil {
		t.Errorf("a filter on the kind's codes: %v", err)
	}
	if _, err := el.ParseFilter("fitness=superb"); err == nil {
		t.Error("a code the field does not list was accepted in a filter")
	}
	if tut := p.RecordKind("tutoring"); strings.Join(tut.Dims(), ",") != "status" {
		t.Errorf("a provider's dims are its own only: %v", tut.Dims())
	}
	j := p.JSON()
	if len(j.Kinds) != 3+6 || j.Kinds[0].Code != "screening" || len(j.Kinds[0].Elements) != 6 {
		t.Errorf("JSON kinds = %+v", j.Kinds)
	}
}

// TestKindErrors: a declared kind is checked as strictly as the rest of the pack, each
// problem named by its file, line and field.
func TestKindErrors(t *testing.T) {
	good := testKinds(t)
	tests := []struct{ old, new, want string }{
		{"key: student", "key: pupil", "kinds.yaml:9: kinds[screening].key"},
		{"- code: service", "- code: students", "kinds.yaml:36: kinds[students].code: students is a built-in kind"},
		{"type: boolean, required: true, aliases: [近视]", "type: flag, required: true", "kinds.yaml:13: kinds[screening].fields[myopia].type"},
		{"values: [{code: open, name: 营业}, {code: closed, name: 停业}]", "", "kinds.yaml:72: kinds[tutoring].fields[status].values: a code field needs its values"},
		{"{code: minutes, name: 日均户外活动分钟", "{code: name, name: 姓名", "kinds.yaml:25: kinds[screening].fields[name].code: a record of a person keeps no names"},
		{"{code: stage, name: 学段", "{code: district, name: 学段", "kinds.yaml:12: kinds[screening].fields[district].code: district is a column the key gives"},
		{"min: 3.0, max: 5.3", "min: 5.3, max: 3.0", "kinds.yaml:14: kinds[screening].fields[vision_left].max"},
		{"check: \"minutes <= 300\"", "check: \"minutes <== 300\"", "kinds.yaml:27: kinds[screening].rules[0].check"},
		{"check: \"minutes <= 300\"", "check: \"fitness <= 300\"", "kinds.yaml:27: kinds[screening].rules[0].check: fitness is not an integer"},
		{"when: \"stage=primary\"", "when: \"stage=nursery\"", "kinds.yaml:28: kinds[screening].rules[1].when"},
		{"count: \"myopia=true\", of: scr_rows}", "count: \"myopia=true\", of: scr_nope}", "kinds.yaml:32: kinds[screening].elements[scr_myopia_rate].of: scr_nope is not an element"},
		{"mean: vision_left}", "mean: fitness}", "kinds.yaml:34: kinds[screening].elements[scr_vision_mean].mean: fitness is not an integer or number field"},
		{"count: \"fitness=excellent,good\"", "count: \"fitness=superb\"", "kinds.yaml:33: kinds[screening].elements[scr_good_rate].count"},
		{"{code: scr_minutes, name: 户外活动分钟合计, name_en: outdoor minutes in all, sum: minutes}", "{code: scr_minutes, name: x, count: \"\", sum: minutes}", "kinds.yaml:35: kinds[screening].elements[scr_minutes].count: an element needs exactly one"},
		{"{code: tut_open,", "{code: students,", "kinds.yaml:76: kinds[tutoring].elements[students].code: students is already an element"},
		{"per_students: \"stage=primary,junior\"", "per_students: \"stage=college\"", "kinds.yaml:64: kinds[service].elements[svc_served_per100].per_students"},
		{"key_fields: [term]", "key_fields: [offered2]", "kinds.yaml:42: kinds[service].key_fields: offered2 is not a field"},
		{"key: student", "key: student\n    institutions: \"type=castle\"", "kinds.yaml:10: kinds[screening].institutions: type=castle"},
		{"key: provider", "key: provider\n    institutions: \"ownership=private\"", "kinds.yaml:71: kinds[tutoring].institutions: a provider's rows are not at institutions"},
		{"key_fields: [term]", "key_fields: [term]\n    on_roster: true", "kinds.yaml:43: kinds[service].on_roster: only a kind about persons"},
	}
	for _, tt := range tests {
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		dir := copyBuiltin(t)
		os.WriteFile(filepath.Join(dir, plan.KindsFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
}

// TestYantaiKindsMeasured: every record kind of the built-in pack is read by a
// commitment (校外培训 and 民办教育 included), and every commitment says how it is
// measured.
func TestYantaiKindsMeasured(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range p.Kinds {
		read := false
		for _, c := range p.Commitments {
			for _, e := range k.Elements {
				read = read || strings.Contains(c.Formula, `fact("`+e.Code+`"`)
			}
		}
		if !read {
			t.Errorf("no commitment reads the record kind %s", k.Code)
		}
	}
	for _, c := range p.JSON().Commitments {
		if c.Measure == "" || c.MeasureEn == "" || c.Formula == "" {
			t.Errorf("commitment %s has no measure: %+v", c.Code, c)
		}
	}
}

// TestYantaiKindChecks: the built-in pack's kinds about persons are checked against
// the rosters, and the registers of private schools and of after-school services take
// only the institutions they are about.
func TestYantaiKindChecks(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range p.Kinds {
		if k.OnRoster != k.Person() {
			t.Errorf("%s: on_roster %v, want %v", k.Code, k.OnRoster, k.Person())
		}
	}
	for code, want := range map[string]string{
		"private_schools": "ownership=private",
		"after_school":    "type=primary,junior,nine_year,twelve_year,complete_secondary",
		"facilities":      "",
	} {
		if got := p.RecordKind(code).Institutions.String(); got != want {
			t.Errorf("%s takes institutions %q, want %q", code, got, want)
		}
	}
	if j := p.JSON(); !j.Kinds[0].OnRoster || j.Kinds[0].Code != "student_health" {
		t.Errorf("JSON kinds[0] = %+v", j.Kinds[0])
	}
}

// TestKindComputed: the Yantai pack's training credits are computed from the hours of
// each form of training by the pack's rule, centralised + online/2 + school/1.5.
func TestKindComputed(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	f := p.RecordKind("teacher_development").Field("credits")
	if f == nil || f.Computed == "" || strings.Join(f.Inputs, ",") != "centralised_hours,online_hours,school_hours" {
		t.Fatalf("credits = %+v", f)
	}
	nan := math.NaN()
	for _, tt := range []struct {
		central, online, school, want float64
	}{
		{24, 60, 27, 72},   // 24 + 30 + 18
		{12, 48, 18, 48},   // 12 + 24 + 12
		{0, 0, 0, 0},       // no training
		{0, 3, 0, 1.5},     // half a credit an online hour
		{10, nan, 15, nan}, // unknown online hours: unknown credits
	} {
		got := f.Compute(map[string]float64{"centralised_hours": tt.central, "online_hours": tt.online, "school_hours": tt.school})
		if math.IsNaN(tt.want) != math.IsNaN(got) || !math.IsNaN(got) && math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("credits(%v, %v, %v) = %v, want %v", tt.central, tt.online, tt.school, got, tt.want)
		}
	}
}

// TestKindComputedErrors: a computed field's expression is compiled when the pack is
// loaded, and one that reads an unknown or non-numeric field is refused there, in both
// languages.
func TestKindComputedErrors(t *testing.T) {
	good := testKinds(t)
	const credits = `computed: "centralised_hours + online_hours / 2 + school_hours / 1.5"`
	tests := []struct{ new, want string }{
		{`computed: "centralised_hours + teaching_hours / 2"`, "teaching_hours 不是本记录类型的字段 / teaching_hours is not a field of the kind"},
		{`computed: "centralised_hours + stage"`, "stage 不是整数或数值字段 / stage is not an integer or number field"},
		{`computed: "credits * 2"`, "credits 本身是计算字段 / credits is computed itself"},
		{`computed: "centralised_hours +"`, `"centralised_hours +" 不是有效的表达式`},
		{`computed: "centralised_hours > 10"`, `"centralised_hours > 10" 不能算出数值`},
		{credits + `, required: true`, "计算字段由其他字段算出，不能设为必填 / a computed field is worked out from the others: it cannot be required"},
	}
	i := strings.Index(good, credits)
	if i < 0 {
		t.Fatalf("%q not found", credits)
	}
	line := strings.Count(good[:i], "\n") + 1
	for _, tt := range tests {
		dir := copyBuiltin(t)
		os.WriteFile(filepath.Join(dir, plan.KindsFile), []byte(strings.Replace(good, credits, tt.new, 1)), 0o644)
		wantIssue(t, dir, fmt.Sprintf("kinds.yaml:%d: kinds[teacher_development].fields[credits].computed: %s", line, tt.want))
	}
}

// TestKindErrorsBilingual walks the errors a pack author can get from declaring a
// record kind, each caused by one change to the test pack's kinds.yaml: every one is
// said in Chinese and in English, on the issue and in the refusal's Chinese and English
// messages.
func TestKindErrorsBilingual(t *testing.T) {
	good := testKinds(t)
	var booleans strings.Builder
	for i := range 13 {
		fmt.Fprintf(&booleans, "      - {code: b%d, name: b%d, type: boolean}\n", i, i)
	}
	codes := make([]string, 251)
	for i := range codes {
		codes[i] = fmt.Sprintf("c%d", i)
	}
	const status = "values: [{code: open, name: 营业}, {code: closed, name: 停业}]"
	tests := []struct{ name, old, new, field, zh, en string }{
		{"key", "key: student", "key: pupil", "kinds[screening].key", "应为 institution, student, teacher, provider 之一", "expected one of"},
		{"built-in code", "- code: service", "- code: students", "kinds[students].code", "是内置的数据类型", "is a built-in kind"},
		{"code twice", "- code: service", "- code: screening", "kinds[screening].code", "已在第 4 行定义", "already defined on line 4"},
		{"code spelling", "- code: service", "- code: Service", "kinds[Service].code", "只能用小写字母", "lower-case letters"},
		{"name missing", "    name: 校外培训机构\n", "", "kinds[tutoring].name", "缺少必填项", "required field is missing"},
		{"name empty", "    name: 校外培训机构\n", "    name: \"\"\n", "kinds[tutoring].name", "不能为空", "must not be empty"},
		{"not a boolean", "on_roster: false #", "on_roster: maybe #", "kinds[screening].on_roster", "值的类型不对", "cannot unmarshal"},
		{"unknown key", "    key: provider\n", "    key: provider\n    colour: red\n", "kinds[tutoring].colour", "未知的项", "unknown field"},
		{"on_roster", "key_fields: [term]", "key_fields: [term]\n    on_roster: true", "kinds[service].on_roster", "才与名册核对", "checked against a roster"},
		{"institutions filter", "key: student", "key: student\n    institutions: \"type=castle\"", "kinds[screening].institutions", "type=castle：应为", "type=castle: expected one of"},
		{"institutions of providers", "key: provider", "key: provider\n    institutions: \"ownership=private\"", "kinds[tutoring].institutions", "不能限定学校", "not at institutions"},
		{"key field unknown", "key_fields: [term]", "key_fields: [offered2]", "kinds[service].key_fields", "不是本记录类型的字段", "is not a field of the kind"},
		{"key field optional", "required: true\n        aliases: [学期]", "aliases: [学期]", "kinds[service].key_fields", "须为必填", "must be required"},
		{"no fields", "    key: provider\n    fields:\n", "    key: provider\n    fields: none\n    x_fields:\n", "kinds[tutoring].fields", "应为字段列表", "expected a list of fields"},
		{"too many dims", "      - {code: remark, name: 备注, name_en: remark, type: text}\n", "      - {code: remark, name: 备注, name_en: remark, type: text}\n" + booleans.String(), "kinds[tutoring].fields", "至多 12 个", "at most 12"},
		{"field code spelling", "{code: remark,", "{code: Remark,", "kinds[tutoring].fields[Remark].code", "只能用小写字母", "lower-case letters"},
		{"field twice", "{code: remark,", "{code: status,", "kinds[tutoring].fields[status].code", "出现了两次", "appears twice"},
		{"key's column", "{code: stage, name: 学段", "{code: district, name: 学段", "kinds[screening].fields[district].code", "是键已给出的列", "is a column the key gives"},
		{"institution's column", "{code: offered,", "{code: ownership,", "kinds[service].fields[ownership].code", "属于学校", "is the institution's"},
		{"personal data", "{code: minutes, name: 日均户外活动分钟", "{code: name, name: 姓名", "kinds[screening].fields[name].code", "个人记录不得包含姓名或身份证件号", "keeps no names or ID-card numbers"},
		{"type", "type: boolean, required: true, aliases: [近视]", "type: flag, required: true", "kinds[screening].fields[myopia].type", "应为 integer, number, boolean, date, code, text 之一", "expected one of"},
		{"code without values", status, "", "kinds[tutoring].fields[status].values", "代码字段须列出其代码", "a code field needs its values"},
		{"values of a non-code", "type: boolean, required: true, aliases: [近视]", "type: boolean, values: [a]", "kinds[screening].fields[myopia].values", "只有代码字段才有 values", "only a code field has values"},
		{"range of a non-number", "type: boolean, required: true, aliases: [近视]", "type: boolean, min: 1", "kinds[screening].fields[myopia].min", "才有范围", "have a range"},
		{"range upside down", "min: 3.0, max: 5.3", "min: 5.3, max: 3.0", "kinds[screening].fields[vision_left].max", "小于 min", "is below min"},
		{"too many codes", status, "values: [" + strings.Join(codes, ", ") + "]", "kinds[tutoring].fields[status].values", "至多 250 个代码", "at most 250 codes"},
		{"domain unknown", "domain: stage, required: true, aliases: [学段]}\n      - {code: myopia", "domain: grade, required: true}\n      - {code: myopia", "kinds[screening].fields[stage].domain", "不是内置维度", "not a built-in dimension"},
		{"domain and values", "domain: stage, required: true, aliases: [学段]}\n      - {code: myopia", "domain: stage, values: [a]}\n      - {code: myopia", "kinds[screening].fields[stage].values", "values 或 domain 之一", "values or a domain, not both"},
		{"values not a list", status, "values: open", "kinds[tutoring].fields[status].values", "应为列表", "expected a list"},
		{"value not a code", status, "values: [[open]]", "kinds[tutoring].fields[status].values", "应为代码或", "expected a code or"},
		{"value spelling", status, "values: [\"a;b\"]", "kinds[tutoring].fields[status].values", "代码不能为空", "a code is not empty"},
		{"value twice", status, "values: [open, open]", "kinds[tutoring].fields[status].values", "出现了两次", "appears twice"},
		{"several codes of a non-code", "type: text}\n", "type: text, multiple: true}\n", "kinds[tutoring].fields[remark].multiple", "只有代码字段才能填多个代码", "only a code field holds several codes"},
		{"several codes in the key", "required: true\n        aliases: [学期]", "required: true\n        multiple: true\n        aliases: [学期]", "kinds[service].fields[term].multiple", "不能是键的一部分", "cannot be part of the key"},
		{"group of a single code", "{code: open, name: 营业}", "{code: open, name: 营业, group: x}", "kinds[tutoring].fields[status].values", "其代码才有 group", "have a group"},
		{"derived from no field", "from: subjects", "from: topics", "kinds[tutoring_providers].fields[category].from", "topics 不是本记录类型的字段", "topics is not a field of the kind"},
		{"derived from one code", "from: subjects", "from: status", "kinds[tutoring_providers].fields[category].from", "不是可填多个代码", "is not a field with multiple: true"},
		{"derived and required", "from: subjects", "from: subjects\n        required: true", "kinds[tutoring_providers].fields[category].from", "不能设为必填", "cannot be required"},
		{"derived not a code", "from: subjects", "from: subjects\n        multiple: true", "kinds[tutoring_providers].fields[category].from", "派生字段须为单个代码", "a derived field is a code field of one code"},
		{"group not a code", "group: non_academic}\n          - {code: arts", "group: leisure}\n          - {code: arts", "kinds[tutoring_providers].fields[category].from", "sports 的 group \"leisure\" 不是本字段的代码", "code sports of subjects has group \"leisure\""},
		{"rule check", "check: \"minutes <= 300\"", "check: \"minutes <== 300\"", "kinds[screening].rules[0].check", "应为“字段 运算符 字段或数”", "expected FIELD OP FIELD-or-NUMBER"},
		{"rule on a code", "check: \"minutes <= 300\"", "check: \"fitness <= 300\"", "kinds[screening].rules[0].check", "不是本记录类型的整数、数值或日期字段", "is not an integer, number or date field"},
		{"rule level", "level: error, message: 日均", "level: fatal, message: 日均", "kinds[screening].rules[0].level", "应为 error 或 warning", "expected error or warning"},
		{"rule when", "when: \"stage=primary\"", "when: \"stage=nursery\"", "kinds[screening].rules[1].when", "stage=nursery：应为", "stage=nursery: expected one of"},
		{"no elements", "    elements:\n      - {code: tut_open", "    x_elements:\n      - {code: tut_open", "kinds[tutoring].elements", "应为由本记录类型算出的数据元列表", "expected a list of the elements"},
		{"element taken", "{code: tut_open,", "{code: students,", "kinds[tutoring].elements[students].code", "已是数据元", "is already an element"},
		{"two measures", "{code: scr_minutes, name: 户外活动分钟合计, name_en: outdoor minutes in all, sum: minutes}", "{code: scr_minutes, name: x, count: \"\", sum: minutes}", "kinds[screening].elements[scr_minutes].count", "须有且只有 count、sum、mean 之一", "exactly one of count, sum, mean"},
		{"count's filter", "count: \"myopia=true\"}", "count: \"myopia=true\", filter: \"stage=primary\"}", "kinds[screening].elements[scr_myopic].filter", "计数的筛选条件写在 count: 中", "a count's filter is its count: field"},
		{"count filter", "count: \"fitness=excellent,good\"", "count: \"fitness=superb\"", "kinds[screening].elements[scr_good_rate].count", "fitness=superb：应为", "fitness=superb: expected one of"},
		{"mean of a code", "mean: vision_left}", "mean: fitness}", "kinds[screening].elements[scr_vision_mean].mean", "不是本记录类型的整数或数值字段", "is not an integer or number field"},
		{"share of nothing", "of: scr_rows}\n      - {code: scr_good_rate", "of: scr_nope}\n      - {code: scr_good_rate", "kinds[screening].elements[scr_myopia_rate].of", "不是本记录类型的数据元", "is not an element of the kind"},
		{"share of a share", "count: \"fitness=excellent,good\", of: scr_rows}", "count: \"fitness=excellent,good\", of: scr_myopia_rate}", "kinds[screening].elements[scr_good_rate].of", "不是计数或合计", "is not a count or a sum"},
		{"per alone", "sum: minutes}", "sum: minutes, per: 100}", "kinds[screening].elements[scr_minutes].per", "per 须与 per_students 同用", "per goes with per_students"},
		{"per not positive", "per: 100}", "per: 0}", "kinds[service].elements[svc_served_per100].per", "须为正数", "must be positive"},
		{"per_students filter", "per_students: \"stage=primary,junior\"", "per_students: \"stage=college\"", "kinds[service].elements[svc_served_per100].per_students", "stage=college：应为", "stage=college: expected one of"},
		{"share and rate", "per: 100}", "per: 100, of: svc_needing}", "kinds[service].elements[svc_served_per100].of", "不能兼有", "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(good, tt.old) {
				t.Fatalf("%q not found", tt.old)
			}
			dir := copyBuiltin(t)
			os.WriteFile(filepath.Join(dir, plan.KindsFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644)
			_, err := plan.LoadDir(dir)
			ce, ok := err.(*plan.CheckError)
			if !ok {
				t.Fatalf("err = %v, want a *CheckError", err)
			}
			zh, en := plan.ErrorMessages(err)
			for _, is := range ce.Issues {
				if is.File == plan.KindsFile && is.Field == tt.field && strings.Contains(is.MessageZh, tt.zh) && strings.Contains(is.Message, tt.en) {
					if !strings.Contains(zh, is.MessageZh) || !strings.Contains(en, is.Message) || strings.Contains(en, is.MessageZh) {
						t.Errorf("the refusal's messages do not say it in each language:\n%s\n%s", zh, en)
					}
					return
				}
			}
			t.Errorf("no issue at %s saying %q / %q:\n%s", tt.field, tt.zh, tt.en, zh)
		})
	}
}
