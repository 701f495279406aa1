package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestBuiltinRules(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 7 {
		t.Fatalf("%d rules, want 7", len(p.Rules))
	}
	if mm := p.Rules[6]; mm.Check != plan.CheckConditionPerStudent || mm.Condition != "multimedia_classrooms" || mm.Per != 100 || mm.Min != 0.2 || mm.Max != 40 {
		t.Errorf("multimedia rule = %+v", mm)
	}
	if ta := p.Rules[3]; ta.Per != 1 {
		t.Errorf("per defaults to %v, want 1", ta.Per)
	}
	age, change, pop := p.Rules[0], p.Rules[1], p.Rules[2]
	if age.Check != plan.CheckStudentAge || age.MaxYears != 2 || len(age.Stages) != 5 || age.Line != 24 {
		t.Errorf("student_age rule = %+v", age)
	}
	if change.Check != plan.CheckEnrolmentChange || change.MaxPercent != 30 || change.MinStudents != 100 {
		t.Errorf("enrolment_change rule = %+v", change)
	}
	if pop.Check != plan.CheckPreschoolPopulation || pop.MaxPercent != 120 || pop.Ages != [2]int{3, 5} {
		t.Errorf("preschool_vs_population rule = %+v", pop)
	}
	if got := p.RulesOf(plan.CheckEnrolmentChange); len(got) != 1 || got[0] != change {
		t.Errorf("RulesOf(enrolment_change) = %v", got)
	}
	zh, en := pop.Format(map[string]string{"district_name": "芝罘区", "district_name_en": "Zhifu District", "district": "370602",
		"year": "2020", "students": "13", "population": "10", "percent": "130.0", "max_percent": "120", "ages": "3–5"})
	if !strings.HasPrefix(zh, "芝罘区（370602）2020 年在园幼儿 13 人，为 3–5 岁常住人口 10 人的 130.0%") ||
		!strings.HasPrefix(en, "Zhifu District (370602): 13 children in preschool in 2020 are 130.0% of the 10 residents aged 3–5") {
		t.Errorf("Format:\n%s\n%s", zh, en)
	}
}

// TestRuleCheckErrors breaks validation.yaml of a copy of the built-in pack and checks
// that each problem is reported at its file, line and field.
func TestRuleCheckErrors(t *testing.T) {
	tests := []struct {
		old, new string
		want     string // file:line: field
	}{
		{"    check: enrolment_change", "    check: enrolment_jump", "validation.yaml:34: rules[enrolment_change].check"},
		{"    max_years: 2", "    max_years: -1", "validation.yaml:28: rules[student_age].max_years"},
		{"    max_years: 2", "    max_years: two", "validation.yaml:28: rules[student_age].max_years"},
		{"    max_years: 2\n", "", "validation.yaml:24: rules[student_age].max_years"}, // required, missing
		{"    max_percent: 30", "    max_percent: 0", "validation.yaml:37: rules[enrolment_change].max_percent"},
		{"    min_students: 100", "    max_years: 100", "validation.yaml:38: rules[enrolment_change].max_years"}, // not a field of this check
		{"    stages: [preschool, primary, junior, senior, secondary_vocational]\n    message: 学生", "    stages: [preschool, college]\n    message: 学生", "validation.yaml:29: rules[student_age].stages"},
		{"    ages: [3, 5]", "    ages: [5, 3]", "validation.yaml:48: rules[preschool_vs_population].ages"},
		{"{expected} 岁", "{expectation} 岁", "validation.yaml:30: rules[student_age].message"},
		{"({change}%), a change", "({change%), a change", "validation.yaml:41: rules[enrolment_change].message_en"},
		{"  - code: preschool_vs_population", "  - code: enrolment_change", "validation.yaml:43: rules[enrolment_change].code"},
		{"  - code: student_age", "  - code: Student-Age", "validation.yaml:24: rules[Student-Age].code"},
		{"    message_en: \"{district_name_en} ({district}): {students}", "    colour: red\n    message_en: \"{district_name_en} ({district}): {students}", "validation.yaml:50: rules[preschool_vs_population].colour"},
		{"rules:", "rule:", "validation.yaml:23: rule"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		path := filepath.Join(dir, plan.RulesFile)
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
}

// TestNoRulesFile: validation.yaml is optional.
func TestNoRulesFile(t *testing.T) {
	dir := copyBuiltin(t)
	if err := os.Remove(filepath.Join(dir, plan.RulesFile)); err != nil {
		t.Fatal(err)
	}
	p, err := plan.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 0 {
		t.Errorf("%d rules without validation.yaml", len(p.Rules))
	}
}
