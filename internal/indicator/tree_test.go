package indicator_test

import (
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestTree: a formula's syntax tree, as the engine compiled it, for readers to render:
// operations, numbers and reads, each read with its function and filter as written.
func TestTree(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		formula, want string
	}{
		{`100 * students("stage=preschool; ownership=public") / students("stage=preschool")`,
			`((100 * students[stage=preschool; ownership=public]) / students[stage=preschool])`},
		{`(teachers("location=urban") / teachers("")) / (teachers("location=rural") / teachers(""))`,
			`((teachers[location=urban] / teachers[]) / (teachers[location=rural] / teachers[]))`},
		{`fact("smart_campus_coverage", -1) - fact("smart_campus_coverage") + 0.5`,
			`((fact:smart_campus_coverage[]-1 - fact:smart_campus_coverage[]) + 0.5)`},
		{`fact("school_places") - fact("school_places", at(2020))`,
			`(fact:school_places[] - fact:school_places[]@2020)`},
		// As written: constants the compiler folds stay as they are.
		{`students("stage=senior") * (2 + 3)`, `(students[stage=senior] * (2 + 3))`},
		// Anything but arithmetic over numbers and reads has no tree.
		{`100 * cagr(fact("education_spending"), fact("education_spending", -5), 5)`, `<nil>`},
		{`-students("stage=primary")`, `<nil>`},
	}
	for _, tt := range tests {
		f, err := indicator.Compile(pack, &plan.Indicator{Code: "x", Formula: tt.formula})
		if err != nil {
			t.Fatalf("%s: %v", tt.formula, err)
		}
		if got := f.Tree().String(); got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.formula, got, tt.want)
		}
	}
}
