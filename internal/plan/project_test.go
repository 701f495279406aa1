package plan_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestBuiltinProjects checks the 12 key projects against the plan's annex.
func TestBuiltinProjects(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Projects) != 12 {
		t.Fatalf("%d projects, want 12", len(p.Projects))
	}
	for i, pr := range p.Projects {
		if pr.Number != i+1 || p.Project(pr.Code) != pr || pr.Name == "" || pr.NameEn == "" || pr.Description == "" || pr.Lead != "市教育局" || len(pr.Tasks) == 0 {
			t.Errorf("project %d = %+v", i+1, pr)
		}
		for _, tg := range pr.Targets {
			if (tg.Measure == "") == (tg.Stated == nil) || (tg.Measure != "" && p.Measure(tg.Measure) == nil) {
				t.Errorf("project %d, target %s: measure %q, stated %+v", pr.Number, tg.Name, tg.Measure, tg.Stated)
			}
		}
	}
	// 重点工程1: 新增公办幼儿园200处以上,学前教育公办率提升到75%以上.
	pr := p.Project("public_preschool")
	if pr.Name != "公办学前教育资源扩容工程" || !slices.Equal(pr.Tasks, []int{8}) || len(pr.Targets) != 2 ||
		pr.Targets[0].Measure != "kg_public_new" || pr.Targets[1].Measure != "kg_public_share" {
		t.Errorf("project 1 = %+v", pr)
	}
	// 重点工程2: 新建、改扩建中小学校100所以上,增加学位6万个.
	pr = p.Project("compulsory_improvement")
	if len(pr.Targets) != 2 || pr.Targets[0].Measure != "schools_built" || pr.Targets[1].Measure != "school_places_new" || pr.Targets[0].Stated != nil {
		t.Errorf("project 2 = %+v", pr)
	}
	if p.Project("nope") != nil {
		t.Error("project nope exists")
	}

	j := p.JSON()
	if len(j.Projects) != 12 {
		t.Fatalf("JSON: %d projects", len(j.Projects))
	}
	t1 := j.Projects[0].Targets[0]
	if t1.Measure == nil || *t1.Measure != "kg_public_new" || t1.MeasureKind != plan.MeasureCommitment || t1.Unit != "count" ||
		t1.Target.Year != 2025 || t1.Target.Kind != "value" || t1.Target.Value == nil || *t1.Target.Value != 200 {
		t.Errorf("JSON project 1 target 1 = %+v", t1)
	}
	if t2 := j.Projects[0].Targets[1]; t2.MeasureKind != plan.MeasureIndicator || *t2.Target.Value != 75 || t2.Unit != "%" {
		t.Errorf("JSON project 1 target 2 = %+v", t2)
	}
	if t3 := j.Projects[1].Targets[1]; *t3.Measure != "school_places_new" || t3.MeasureKind != plan.MeasureCommitment || *t3.Target.Value != 60000 {
		t.Errorf("JSON project 2 target 2 = %+v", t3)
	}
	// 5—8所山东省高水平中等职业学校: a range, min 5 and max 8.
	if t4 := j.Projects[7].Targets[0]; t4.Target.Kind != "range" || *t4.Target.Min != 5 || *t4.Target.Max != 8 {
		t.Errorf("JSON project 8 target 1 = %+v", t4)
	}
	if j.Projects[2].Targets == nil {
		t.Error("JSON writes null for a project without targets")
	}
}

// TestProjectErrors breaks projects.yaml one way at a time and wants the issue at
// file:line: field. The lines are those of the built-in projects.yaml.
func TestProjectErrors(t *testing.T) {
	// noMeasure is project 1's first target with no measure and the plan's figure.
	noMeasure := func(unit string) string {
		return "        measure: none yet\n        target: {year: 2025, value: 200, " + unit + "}\n"
	}
	tests := []struct{ old, new, want string }{
		{"measure: kg_public_new", "measure: kg_public_neu", "projects.yaml:32: projects[public_preschool].targets[1].measure"},
		{"        measure: kg_public_new\n", "        measure: none yet\n", "projects.yaml:32: projects[public_preschool].targets[1].target"},
		{"        measure: kg_public_new\n", "        measure: kg_public_new\n        target: {year: 2025, value: 200, unit: count}\n", "projects.yaml:33: projects[public_preschool].targets[1].target"},
		{"        measure: kg_public_new\n", noMeasure("unit: places"), "projects.yaml:33: projects[public_preschool].targets[1].target.unit"},
		{"        measure: kg_public_new\n", noMeasure("unit: count, by: 2025"), "projects.yaml:33: projects[public_preschool].targets[1].target.by"},
		{"        measure: kg_public_new\n", "        measure: none yet\n        target: {year: 2040, value: 200, unit: count}\n", "projects.yaml:33: projects[public_preschool].targets[1].target.year"},
		{"        measure: kg_public_new\n", "        measure: none yet\n        target: {year: 2025, unit: count}\n", "projects.yaml:33: projects[public_preschool].targets[1].target.value"},
		{"tasks: [17, 19]", "tasks: [17, 34]", "projects.yaml:168: projects[teacher_excellence].tasks"},
		{"    lead: 市教育局\n    description: 通过新建", "    lead: 市教委\n    description: 通过新建", "projects.yaml:26: projects[public_preschool].lead"},
		{"    number: 3\n", "    number: 2\n", "projects.yaml:55: projects[moral_education].number"},
		{"  - code: moral_education\n", "  - code: public_preschool\n", "projects.yaml:54: projects[public_preschool].code"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		path := filepath.Join(dir, plan.ProjectsFile)
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
}

// TestNoMeasureYet: a target the pack does not measure yet carries the plan's figure.
func TestNoMeasureYet(t *testing.T) {
	dir := copyBuiltin(t)
	path := filepath.Join(dir, plan.ProjectsFile)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), "        measure: kg_public_new\n",
		"        measure: none yet\n        target: {year: 2024, value: 200, unit: count}\n        reason: 无数据\n", 1)), 0o644)
	p, err := plan.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tg := p.Projects[0].Targets[0]
	if tg.Measure != "" || tg.Stated == nil || *tg.Stated != (plan.StatedTarget{Year: 2024, Value: 200, Unit: "count"}) {
		t.Errorf("target = %+v", tg)
	}
	j := p.JSON().Projects[0].Targets[0]
	if j.Measure != nil || j.MeasureKind != plan.MeasureNone || j.Unit != "count" || j.Target.Year != 2024 || *j.Target.Value != 200 || j.Target.Kind != "value" {
		t.Errorf("JSON target = %+v", j)
	}
}

// TestStatedProjectTargets: the targets the annex states but no data measures are
// listed with the plan's figure (shown as 尚未测量) and the reason, not left out:
// 工程6's 1—2项, 工程7's lesson a week and labour week.
func TestStatedProjectTargets(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]plan.StatedTarget{
		"aesthetic_education": {{Year: 2025, Value: 1, Min: 1, Max: 2, Unit: "count"}},
		"labour_education":    {{Year: 2025, Value: 1, Unit: "count"}, {Year: 2025, Value: 1, Unit: "count"}},
		// 工程5's sports and 工程10's three coverages are measured from record kinds.
		"school_sports":     nil,
		"digital_education": nil,
	}
	for code, targets := range want {
		pr := p.Project(code)
		if pr == nil {
			t.Fatalf("no project %s", code)
		}
		var got []plan.StatedTarget
		for _, tg := range pr.Targets {
			if tg.Measure == "" && tg.Stated != nil {
				got = append(got, *tg.Stated)
				if tg.Reason == "" || tg.ReasonEn == "" {
					t.Errorf("%s: %s has no measure and no reason in both languages", code, tg.Name)
				}
			}
		}
		if !slices.Equal(got, targets) {
			t.Errorf("%s: stated targets %+v, want %+v", code, got, targets)
		}
	}
}
