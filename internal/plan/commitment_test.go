package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestBuiltinCommitments(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Indicators) != 13 {
		t.Errorf("%d headline indicators, want 13", len(p.Indicators))
	}
	// The plan's sentences with no number and no register are listed with the reason.
	if len(p.NotMeasured) < 7 {
		t.Errorf("%d commitments marked not measurable, want the 7 of tasks 14 and 31", len(p.NotMeasured))
	}
	for _, n := range p.NotMeasured {
		if n.Section == "" || n.Text == "" || n.TextEn == "" || n.Reason == "" || n.ReasonEn == "" {
			t.Errorf("not measured: %+v, want every field", n)
		}
	}
	kinds := map[plan.GoalKind]int{}
	for _, c := range p.Commitments {
		kinds[c.Goal.Kind]++
		if c.Section == "" || c.Measure == "" || c.File != plan.CommitmentsFile {
			t.Errorf("%s: section %q, measure %q, file %q", c.Code, c.Section, c.Measure, c.File)
		}
		if p.Indicator(c.Code) != nil || p.Commitment(c.Code) != c || p.Measure(c.Code) != c {
			t.Errorf("%s: looked up wrongly", c.Code)
		}
	}
	if kinds[plan.GoalValue] == 0 || kinds[plan.GoalRange] == 0 || kinds[plan.GoalRelation] == 0 {
		t.Errorf("kinds of target = %v, want each", kinds)
	}
	c := p.Commitment("vocational_quality_schools")
	if c == nil || c.Goal != (plan.Goal{Kind: plan.GoalRange, Min: 5, Max: 8}) || c.Target.Value != 5 || c.NoBaseline {
		t.Errorf("vocational_quality_schools = %+v", c)
	}
	c = p.Commitment("teacher_pay_parity")
	if c == nil || c.Goal != (plan.Goal{Kind: plan.GoalRelation, Relation: plan.AtLeast, Of: "civil_servant_avg_pay"}) || !c.NoBaseline || c.Baseline.Year != 2020 {
		t.Errorf("teacher_pay_parity = %+v", c)
	}
	// At a demo's scale, counts of people from rosters scale; counts of institutions and
	// reported counts do not.
	q := p.ScaleCounts(0.1)
	if c := q.Commitment("teachers_new"); c == nil || c.Target.Value != 800 || p.Commitment("teachers_new").Target.Value != 8000 {
		t.Errorf("teachers_new at scale 0.1 = %+v", c)
	}
	if c := q.Commitment("vocational_quality_schools"); c == nil || c.Goal.Min != 5 || c.Goal.Max != 8 {
		t.Errorf("vocational_quality_schools at scale 0.1 = %+v", c)
	}
	if c := q.Commitment("kg_public_new"); c == nil || c.Target.Value != 200 {
		t.Errorf("kg_public_new at scale 0.1 = %+v", c)
	}
	// The plan's own words: 保持在93%以上 and 保持…大体相当 hold every year; 3%左右 and
	// 年均增长10%左右 are about a value; shares of 区市 are the city's; 不低于10% has no
	// tolerance; the plan gives commitments no 约束性/预期性, only 确保 (must).
	if c := p.Commitment("kg_inclusive_share"); !c.Goal.EveryYear || c.Goal.Kind != plan.GoalValue || c.Target.Value != 93 {
		t.Errorf("kg_inclusive_share goal = %+v", c.Goal)
	}
	if c := p.Commitment("vocational_general_ratio"); !c.Goal.EveryYear || c.Goal.Kind != plan.GoalRange {
		t.Errorf("vocational_general_ratio goal = %+v", c.Goal)
	}
	if c := p.Commitment("myopia_age6"); c.Goal != (plan.Goal{Kind: plan.GoalRange, Min: 2.5, Max: 3.5, About: 3, Band: 0.5}) {
		t.Errorf("myopia_age6 goal = %+v", c.Goal)
	}
	if c := p.Commitment("municipal_spending_growth"); c.Goal.About != 10 || c.Goal.Band != 1 || !strings.Contains(c.Formula, "cagr(") {
		t.Errorf("municipal_spending_growth = %+v", c)
	}
	for _, code := range []string{"kg_universal_certified_share", "compulsory_balance_certified_share", "special_resource_centre_coverage"} {
		if c := p.Commitment(code); c.AtLevel(plan.LevelDistrict) {
			t.Errorf("%s is assessed per district: a share of 区市 is the city's only", code)
		}
	}
	if c := p.Commitment("teachers_rotated_share"); c.Tolerance != 0 {
		t.Errorf("teachers_rotated_share tolerance = %v, want 0 (不低于10%%)", c.Tolerance)
	}
	for _, c := range p.Commitments {
		if c.Attribute != "" {
			t.Errorf("%s: attribute %q: the plan gives commitments none", c.Code, c.Attribute)
		}
		if c.Tolerance != 0 && c.ToleranceReason == "" {
			t.Errorf("%s: tolerance %v without a reason", c.Code, c.Tolerance)
		}
	}
	// The spending funds the schools from preschool to senior secondary and the special
	// schools: so must the students it is divided by (special schools were left out).
	if c := p.Commitment("education_spending_per_student"); !strings.Contains(c.Formula, `students("stage=preschool,primary,junior,senior,secondary_vocational,special")`) {
		t.Errorf("education_spending_per_student divides by the wrong students: %s", c.Formula)
	}
	if c := p.Commitment("education_spending"); !c.Must || p.Commitment("kg_quality_share").Must {
		t.Errorf("must: education_spending %v, kg_quality_share %v", c.Must, p.Commitment("kg_quality_share").Must)
	}
	j := p.JSON()
	if len(j.Commitments) != len(p.Commitments) || j.Commitments[0].Baseline != nil || j.Commitments[0].Target.Value == nil {
		t.Errorf("JSON commitments = %+v", j.Commitments)
	}
}

// TestCommitmentErrors writes a commitments.yaml with one problem at a time and wants
// the issue at file:line: field.
func TestCommitmentErrors(t *testing.T) {
	const good = `commitments:
  - code: c1
    name: 承诺
    section: 二、(二)8
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("smart_campus_coverage")
    target: {year: 2025, value: 90}
not_measured:
  - section: 二、(二)14
    text: 健全风险防控和退出机制
    reason: 机制建设，无数量目标
`
	tests := []struct {
		old, new string
		want     string // file:line: field
	}{
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, min: 8, max: 5}", "commitments.yaml:9: commitments[c1].target.max"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, value: 90, min: 5, max: 8}", "commitments.yaml:9: commitments[c1].target: expected one of"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, relation: sideways}", "commitments.yaml:9: commitments[c1].target.relation"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, relation: at_least}", "commitments.yaml:9: commitments[c1].target.of"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, relation: at_least, of: nothing}", "commitments.yaml:9: commitments[c1].target.of"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, relation: non_decreasing, of: kg_ger}", "commitments.yaml:9: commitments[c1].target.of"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, min: 5}", "commitments.yaml:9: commitments[c1].target.max"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2020, value: 90}", "commitments.yaml:9: commitments[c1].target.year"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, value: lots}", "commitments.yaml:9: commitments[c1].target.value"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, value: 90, colour: red}", "commitments.yaml:9: commitments[c1].target.colour"},
		{"    target: {year: 2025, value: 90}\n", "", "commitments.yaml:2: commitments[c1].target: required field is missing"},
		{"    section: 二、(二)8\n", "", "commitments.yaml:2: commitments[c1].section: required field is missing"},
		{"- code: c1", "- code: kg_ger", "commitments.yaml:2: commitments[kg_ger].code: kg_ger is already an indicator"},
		{"    unit: \"%\"", "    unit: dollars", "commitments.yaml:6: commitments[c1].unit"},
		{"    direction: up", "    direction: sideways", "commitments.yaml:7: commitments[c1].direction"},
		{"    measure: 上报", "    measure: 上报\n    baseline: {year: 2019, value: 1}", "commitments.yaml:6: commitments[c1].baseline.year"},
		// The plan gives 约束性/预期性 to its 13 headline indicators only.
		{"    direction: up", "    direction: up\n    attribute: binding", "commitments.yaml:8: commitments[c1].attribute: the plan states"},
		// A floor (不低于, 以上) allows no margin unless the pack says why.
		{"    direction: up", "    direction: up\n    tolerance: 0.5", "commitments.yaml:8: commitments[c1].tolerance: a commitment's tolerance needs tolerance_reason"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, about: 3, band: 0}", "commitments.yaml:9: commitments[c1].target.band"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, about: 3}", "commitments.yaml:9: commitments[c1].target.band"},
		{"    target: {year: 2025, value: 90}", "    target: {year: 2025, relation: non_decreasing, every_year: true}", "commitments.yaml:9: commitments[c1].target.every_year"},
		// A commitment no data measures says why; the list holds nothing else.
		{"    reason: 机制建设，无数量目标\n", "", "commitments.yaml:11: not_measured[0].reason: required field is missing"},
		{"    reason: 机制建设，无数量目标", "    reason: \"\"", "commitments.yaml:13: not_measured[0].reason: must not be empty"},
		{"    text: 健全风险防控和退出机制\n", "", "commitments.yaml:11: not_measured[0].text: required field is missing"},
		{"    reason: 机制建设，无数量目标", "    reason: 机制建设\n    formula: fact(\"x\")", "commitments.yaml:14: not_measured[0].formula: unknown field"},
		{"not_measured:", "unmeasured:", "commitments.yaml:10: unmeasured: unknown field"},
		{"  - section: 二、(二)14", "    section: 二、(二)14", "commitments.yaml:10: not_measured: expected a list"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(filepath.Join(dir, plan.CommitmentsFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}

	// The good file loads; a pack without the file has no commitments.
	dir := copyBuiltin(t)
	os.Remove(filepath.Join(dir, plan.ProjectsFile)) // its targets name the built-in commitments
	os.WriteFile(filepath.Join(dir, plan.CommitmentsFile), []byte(good), 0o644)
	if p, err := plan.LoadDir(dir); err != nil || len(p.Commitments) != 1 || p.Commitments[0].Tolerance != 0 ||
		len(p.NotMeasured) != 1 || *p.NotMeasured[0] != (plan.NotMeasured{Section: "二、(二)14", Text: "健全风险防控和退出机制", Reason: "机制建设，无数量目标"}) {
		t.Errorf("good file: %v", err)
	}
	// A stated reason lets a tolerance stand.
	os.WriteFile(filepath.Join(dir, plan.CommitmentsFile), []byte(strings.Replace(good, "    direction: up",
		"    direction: up\n    tolerance: 0.5\n    tolerance_reason: 上报值保留一位小数", 1)), 0o644)
	if p, err := plan.LoadDir(dir); err != nil || p.Commitments[0].Tolerance != 0.5 || p.Commitments[0].ToleranceReason == "" {
		t.Errorf("tolerance with a reason: %v", err)
	}
	os.Remove(filepath.Join(dir, plan.CommitmentsFile))
	if p, err := plan.LoadDir(dir); err != nil || len(p.Commitments) != 0 || p.JSON().Commitments == nil || p.JSON().NotMeasured == nil {
		t.Errorf("no file: %v", err)
	}
}

// TestUnmeasured: the plan's commitments no data can measure are one list, the
// not_measured of commitments.yaml followed by the key projects' targets that have no
// measure (the arts, the weekly labour lesson, the labour week), whose words and reason
// are those of projects.yaml; none appears twice.
func TestUnmeasured(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	all := p.Unmeasured()
	if len(all) != len(p.NotMeasured)+3 {
		t.Fatalf("%d not measured, want commitments.yaml's %d and 3 project targets", len(all), len(p.NotMeasured))
	}
	for i, n := range p.NotMeasured {
		if all[i] != n {
			t.Errorf("not measured %d = %+v, want commitments.yaml's %+v first", i, all[i], n)
		}
	}
	want := []plan.NotMeasured{
		{Section: "附件 重点工程6", Text: "学生至少熟练掌握1—2项艺术特长"},
		{Section: "附件 重点工程7", Text: "每周1节劳动必修课"},
		{Section: "附件 重点工程7", Text: "每学年1次集体劳动周", Reason: "劳动周是学校的活动安排，不在任何报送的名册或记录中；由督导检查核实"},
	}
	seen := map[string]bool{}
	for i, n := range all {
		if seen[n.Text] {
			t.Errorf("%q listed twice", n.Text)
		}
		seen[n.Text] = true
		if n.Section == "" || n.Text == "" || n.TextEn == "" || n.Reason == "" || n.ReasonEn == "" {
			t.Errorf("not measured: %+v, want every field", n)
		}
		if j := i - len(p.NotMeasured); j >= 0 {
			if w := want[j]; n.Section != w.Section || n.Text != w.Text || w.Reason != "" && n.Reason != w.Reason {
				t.Errorf("project target %d = %+v, want %+v", j, n, w)
			}
		}
	}
	if j := p.JSON(); len(j.NotMeasured) != len(all) {
		t.Errorf("JSON not_measured: %d, want %d", len(j.NotMeasured), len(all))
	}
}
