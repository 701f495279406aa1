package indicator_test

import (
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// FuzzCompile compiles arbitrary formula text against the built-in pack: a pack comes
// from outside (plan check, --plan), so no formula may panic the compiler, and what
// compiles reads only elements of the pack with filters that parse again.
func FuzzCompile(f *testing.F) {
	pack, err := plan.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, ind := range pack.Indicators {
		f.Add(ind.Formula)
	}
	for _, s := range []string{
		"", "1", "students", "students()", `students("stage=")`, `students("age=3..", -1)`,
		`fact()`, `fact(1)`, `fact("nope")`, `fact("working_age_schooling_years", "sex=F", -2)`,
		`students(-1, "stage=primary")`, `students("stage=primary", 1, 2)`, `students("x" + "y")`,
		`population("age=100..0")`, `teachers("stage=preschool") / 0`, `[1, 2][5]`, `{"a": 1}.b`,
		`students("stage=primary") ?? 1`, `let x = students(""); x * 2`, `students("") | students("")`,
		`fact("working_age_schooling_years", -9223372036854775808)`, `"\xff"`, `((((((((((1))))))))))`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, formula string) {
		ind := &plan.Indicator{Code: "fuzz", Formula: formula}
		fm, err := indicator.Compile(pack, ind)
		if err != nil {
			return
		}
		reads := fm.Reads()
		if len(reads) == 0 {
			t.Fatalf("%q compiled but reads nothing", formula)
		}
		for _, r := range reads {
			el := pack.Element(r.Element)
			if el == nil {
				t.Fatalf("%q reads %q, not an element of the pack", formula, r.Element)
			}
			if _, err := plan.ParseFilter(r.Filter.String(), el.Dims); err != nil {
				t.Fatalf("%q: filter %q does not parse again: %v", formula, r.Filter, err)
			}
		}
	})
}
