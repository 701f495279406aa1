package web

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestFormulaOf(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		formula, lang   string
		symbols, words  string
		terms           int
		explainCall     string // as indicator.Explain writes a call
		explainedSymbol string
	}{
		{`100 * students("stage=preschool; ownership=public") / students("stage=preschool")`, langZh,
			"100 × A ÷ B", "100 × 在园幼儿（公办） ÷ 在园幼儿", 2, `students("stage=preschool")`, "B"},
		{`100 * students("stage=preschool; ownership=public") / students("stage=preschool")`, langEn,
			"100 × A ÷ B", "100 × students (preschool, public) ÷ students (preschool)", 2, `students("stage=preschool; ownership=public")`, "A"},
		{`100 * students("stage=preschool") / population("age=3..5")`, langZh,
			"100 × A ÷ B", "100 × 在园幼儿 ÷ 常住人口（3–5岁）", 2, `population("age=3..5")`, "B"},
		{`100 * students("stage=preschool") / population("age=3..5")`, langEn,
			"100 × A ÷ B", "100 × students (preschool) ÷ resident population (aged 3–5)", 2, "", ""},
		{`100 * students("stage=junior; grade=9") / students("stage=primary; grade=1", -8)`, langZh,
			"100 × A ÷ B", "100 × 在校生（初中，9年级） ÷ 在校生（小学，1年级，8年前）", 2, `students("stage=primary; grade=1", -8)`, "B"},
		{`100 * students("stage=junior; grade=9") / students("stage=primary; grade=1", -8)`, langEn,
			"100 × A ÷ B", "100 × students (junior secondary, grade 9) ÷ students (primary, grade 1, 8 years earlier)", 2, "", ""},
		{`students("stage=primary,junior") / 10000`, langZh,
			"A ÷ 10000", "在校生（小学、初中） ÷ 10000", 1, "", ""},
		{`100 * teachers("type=secondary_vocational,higher_vocational; dual_qualified=true") / teachers("type=secondary_vocational,higher_vocational")`, langEn,
			"100 × A ÷ B", "100 × full-time teachers (secondary vocational schools or higher vocational colleges; dual-qualified) ÷ full-time teachers (secondary vocational schools or higher vocational colleges)", 2, "", ""},
		{`100 * teachers("stage=preschool; preschool_major=false") / teachers("stage=preschool")`, langZh,
			"100 × A ÷ B", "100 × 专任教师（学前，非学前教育专业毕业） ÷ 专任教师（学前）", 2, "", ""},
		{"(teachers(\"location=urban; education=bachelor,master,doctor\")\n / teachers(\"location=urban\"))\n / (teachers(\"location=rural; education=bachelor,master,doctor\") / teachers(\"location=rural\"))", langEn,
			"(A ÷ B) ÷ (C ÷ D)", "(full-time teachers (urban; bachelor's, master's or doctorate) ÷ full-time teachers (urban)) ÷ (full-time teachers (rural; bachelor's, master's or doctorate) ÷ full-time teachers (rural))", 4, "", ""},
		{`fact("working_age_schooling_years")`, langZh,
			"A", "劳动年龄人口平均受教育年限", 1, `fact("working_age_schooling_years")`, "A"},
		// The same call twice is one symbol.
		{`students("stage=senior") / (students("stage=senior") + 1)`, langEn,
			"A ÷ (A + 1)", "students (general senior secondary) ÷ (students (general senior secondary) + 1)", 1, "", ""},
		// A value it does not know is shown as written, not guessed.
		{`teachers("subject=pe")`, langEn, "A", "full-time teachers (subject=pe)", 1, "", ""},
		// What the tree does not cover is shown as written.
		{`-students("stage=senior") / 2`, langZh, `-students("stage=senior") / 2`, `-students("stage=senior") / 2`, 0, "", ""},
		{`fact("school_places") - fact("school_places", at(2020))`, langEn, `fact("school_places") - fact("school_places", at(2020))`, `fact("school_places") - fact("school_places", at(2020))`, 0, "", ""},
		// Brackets where the order of operations needs them, and around a ratio divided.
		{`(students("stage=senior") - 1) * 2 - (3 - 4) + 5 / (6 * 7)`, langZh, "(A - 1) × 2 - (3 - 4) + 5 ÷ (6 × 7)", "(在校生（普通高中） - 1) × 2 - (3 - 4) + 5 ÷ (6 × 7)", 1, "", ""},
	} {
		f, err := indicator.Compile(pack, &plan.Indicator{Code: "x", Formula: tc.formula})
		if err != nil {
			t.Fatalf("%s: %v", tc.formula, err)
		}
		v := formulaOf(pack, tc.lang, f)
		if v.Symbols != tc.symbols || v.Words != tc.words || len(v.Terms) != tc.terms {
			t.Errorf("formulaOf(%s, %q):\n symbols %q\n words   %q\n %d terms\nwant\n symbols %q\n words   %q\n %d terms",
				tc.lang, tc.formula, v.Symbols, v.Words, len(v.Terms), tc.symbols, tc.words, tc.terms)
		}
		if tc.explainCall != "" {
			if term, ok := v.term(tc.explainCall); !ok || term.Symbol != tc.explainedSymbol {
				t.Errorf("formulaOf(%q).term(%q) = %q %v, want %s", tc.formula, tc.explainCall, term.Symbol, ok, tc.explainedSymbol)
			}
		}
	}

	// Every formula of the built-in pack reads in words, in both languages.
	for _, ind := range pack.Indicators {
		f, err := indicator.Compile(pack, ind)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{langZh, langEn} {
			v := formulaOf(pack, lang, f)
			if len(v.Terms) == 0 || strings.ContainsAny(v.Words, `"=*/`) {
				t.Errorf("%s (%s): %q", ind.Code, lang, v.Words)
			}
		}
	}
}

var updateFormulas = flag.Bool("update-formulas", false, "rewrite testdata/formulas.golden")

// TestFormulaPack renders every formula of the built-in pack, indicators and
// commitments, in both languages, with the symbol each of its calls (as an explanation
// names them) stands for, and compares with testdata/formulas.golden. The golden file
// was written by the renderer that tokenized the formula text, before rendering moved
// to the syntax tree the engine compiles: the pages read the same.
func TestFormulaPack(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, ind := range slices.Concat(pack.Indicators, pack.Commitments) {
		f, err := indicator.Compile(pack, ind)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{langZh, langEn} {
			v := formulaOf(pack, lang, f)
			fmt.Fprintf(&b, "%s %s\n  text    %s\n  symbols %s\n  words   %s\n", ind.Code, lang, v.Text, v.Symbols, v.Words)
			for _, term := range v.Terms {
				fmt.Fprintf(&b, "  %s = %s = %s\n", term.Symbol, term.Call, term.Words)
			}
			for _, r := range f.Reads() {
				term, ok := v.term(r.Call)
				fmt.Fprintf(&b, "  explained %s: %s %v\n", r.Call, term.Symbol, ok)
			}
		}
	}
	golden := filepath.Join("testdata", "formulas.golden")
	if *updateFormulas {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got  %s\n want %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}
