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
	files, err := plan.Draft(p, plan.BuiltinFS(), 2025, func(code string) (float64, bool) {
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
