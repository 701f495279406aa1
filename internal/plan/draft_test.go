package plan_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestDraftCommitments drafts the next period from the built-in pack with 2025 as the
// base year and invented actual values, then loads the draft: each commitment is
// carried over with its kind of target, its baseline the actual 2025 value.
func TestDraftCommitments(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	actual := map[string]float64{"kg_inclusive_share": 90.5, "kg_public_new": 163, "vocational_quality_schools": 6, "education_spending": 1234}
	files, err := plan.Draft(p, plan.BuiltinFS(), plan.DraftOptions{BaseYear: 2025}, func(code string) (float64, bool) {
		v, ok := actual[code]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	q, err := plan.Load(fsys)
	if err != nil {
		t.Fatalf("the draft does not load: %v\n%s", err, files[plan.CommitmentsFile])
	}
	if len(q.Commitments) != len(p.Commitments) {
		t.Fatalf("%d commitments, want %d", len(q.Commitments), len(p.Commitments))
	}
	tests := []struct {
		code          string
		noBaseline    bool
		baseline      float64
		kind          plan.GoalKind
		year          int
		value, lo, hi float64
		relation      plan.Relation
		formulaHas    string
	}{
		// a value target: baseline and placeholder target the actual 2025 value.
		{"kg_inclusive_share", false, 90.5, plan.GoalValue, 2030, 90.5, 0, 0, "", ""},
		// "since 2020" becomes "since 2025".
		{"kg_public_new", false, 163, plan.GoalValue, 2030, 163, 0, 0, "", "at(2025)"},
		// a range carried over.
		{"vocational_quality_schools", false, 6, plan.GoalRange, 2030, 5, 5, 8, "", ""},
		// a relation carried over.
		{"education_spending", false, 1234, plan.GoalRelation, 2030, 0, 0, 0, plan.NonDecreasing, ""},
		// no actual value: no baseline (computed from the data), the old target kept.
		{"schools_built", true, 0, plan.GoalValue, 2030, 100, 0, 0, "", ""},
		// due in 2023 before: due in the new target year.
		{"digital_experimental_schools", true, 0, plan.GoalValue, 2030, 110, 0, 0, "", ""},
	}
	for _, tt := range tests {
		c := q.Commitment(tt.code)
		if c == nil {
			t.Errorf("%s: not in the draft", tt.code)
			continue
		}
		if c.NoBaseline != tt.noBaseline || (!tt.noBaseline && (c.Baseline.Year != 2025 || c.Baseline.Value != tt.baseline)) ||
			c.Goal.Kind != tt.kind || c.Target.Year != tt.year || c.Target.Value != tt.value ||
			c.Goal.Min != tt.lo || c.Goal.Max != tt.hi || c.Goal.Relation != tt.relation ||
			!strings.Contains(c.Formula, tt.formulaHas) || c.Section != p.Commitment(tt.code).Section {
			t.Errorf("%s: %+v", tt.code, *c)
		}
	}
	if strings.Contains(q.Commitment("kg_public_new").Formula, "at(2020)") {
		t.Errorf("kg_public_new still counts since 2020: %s", q.Commitment("kg_public_new").Formula)
	}
	if !strings.Contains(string(files[plan.CommitmentsFile]), "TODO") {
		t.Error("the draft's commitments mark no target TODO")
	}
}

// TestDraftNamesRoundsAndMarks: the draft of 2026–2030 is named for the 15th five-year
// plan (it was the old name with "（下一规划期草案）" added, still saying 十四五), its
// baselines are rounded to the indicator's decimals (kg_public_share has 2: 90.4567 →
// 90.46; the teachers count 0: 1234.6 → 1235), and baselines from demo data are marked.
func TestDraftNamesRoundsAndMarks(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	actual := map[string]float64{"kg_public_share": 90.4567, "kg_inclusive_share": 90.4567}
	value := func(code string) (float64, bool) { v, ok := actual[code]; return v, ok }
	tests := []struct {
		name             string
		opt              plan.DraftOptions
		wantName, wantEn string
		demo             bool
	}{
		{"15th", plan.DraftOptions{BaseYear: 2025}, `烟台市"十五五"教育事业发展规划`, "Yantai 15th Five-Year Education Development Plan", false},
		{"demo", plan.DraftOptions{BaseYear: 2025, Demo: true}, `烟台市"十五五"教育事业发展规划`, "Yantai 15th Five-Year Education Development Plan", true},
		{"off period", plan.DraftOptions{BaseYear: 2024}, `烟台市"十四五"教育事业发展规划（2025—2029年草案）`, "Yantai 14th Five-Year Education Development Plan (draft for 2025–2029)", false},
		{"titled", plan.DraftOptions{BaseYear: 2025, Name: "烟台市教育强市建设规划", NameEn: "Yantai Education Plan"}, "烟台市教育强市建设规划", "Yantai Education Plan", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := plan.Draft(p, plan.BuiltinFS(), tt.opt, value)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			for name, b := range files {
				fsys[name] = &fstest.MapFile{Data: b}
			}
			q, err := plan.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if q.Name != tt.wantName || q.NameEn != tt.wantEn {
				t.Errorf("named %q / %q, want %q / %q", q.Name, q.NameEn, tt.wantName, tt.wantEn)
			}
			if got := q.Indicator("kg_public_share").Baseline.Value; got != 90.46 {
				t.Errorf("kg_public_share baseline %v, want 90.46", got)
			}
			if got := q.Commitment("kg_inclusive_share"); got.Baseline.Value != 90.5 && got.Baseline.Value != 90.46 {
				t.Errorf("kg_inclusive_share baseline %v (decimals %d)", got.Baseline.Value, got.Decimals)
			}
			marked := strings.Contains(string(files["indicators.yaml"]), "演示数据") && strings.Contains(string(files[plan.CommitmentsFile]), "demo data")
			if marked != tt.demo {
				t.Errorf("baselines marked as demo data: %v, want %v", marked, tt.demo)
			}
		})
	}
}
