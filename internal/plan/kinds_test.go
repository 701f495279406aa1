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
