package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestBuiltin checks the Yantai pack against the plan's indicator table
// (spec/indicators.md): codes, baselines, targets, attributes and directions.
func TestBuiltin(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code     string
		base, tg float64
		attr     plan.Attribute
		dir      plan.Direction
		unit     string
	}{
		{"kg_public_share", 41.17, 75, plan.Expected, plan.Up, "%"},
		{"kg_ger", 100, 100, plan.Expected, plan.Hold, "%"},
		{"compulsory_enrolment", 49.18, 51.03, plan.Expected, plan.Up, "万人"},
		{"compulsory_retention", 100, 100, plan.Binding, plan.Hold, "%"},
		{"senior_enrolment", 13.27, 13.89, plan.Expected, plan.Up, "万人"},
		{"senior_ger", 100, 100, plan.Expected, plan.Hold, "%"},
		{"higher_enrolment", 25.8, 28, plan.Expected, plan.Up, "万人"},
		{"kg_teacher_preschool_major", 75.6, 85, plan.Expected, plan.Up, "%"},
		{"compulsory_teacher_bachelor", 92.6, 95, plan.Expected, plan.Up, "%"},
		{"urban_rural_bachelor_ratio", 1.07, 1, plan.Expected, plan.Toward, "ratio"},
		{"senior_teacher_master", 12.7, 18, plan.Expected, plan.Up, "%"},
		{"vocational_dual_teacher", 60, 70, plan.Expected, plan.Up, "%"},
		{"working_age_schooling_years", 10.8, 11.3, plan.Binding, plan.Up, "年"},
	}
	if len(p.Indicators) != len(want) {
		t.Fatalf("%d indicators, want %d", len(p.Indicators), len(want))
	}
	for i, w := range want {
		ind := p.Indicators[i]
		if ind.Code != w.code || ind.Baseline != (plan.Point{Year: 2020, Value: w.base}) || ind.Target != (plan.Point{Year: 2025, Value: w.tg}) ||
			ind.Attribute != w.attr || ind.Direction != w.dir || ind.Unit != w.unit {
			t.Errorf("indicator %d = %+v, want %+v", i, ind, w)
		}
	}
	if el := p.Element("working_age_schooling_years"); el == nil || el.Additive || el.WeightAges != [2]int{16, 59} {
		t.Errorf("working_age_schooling_years element = %+v", el)
	}
}

// TestOrgUnits checks the pack's org units are spec/yantai-orgunits.csv exactly.
func TestOrgUnits(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "spec", "yantai-orgunits.csv"))
	if err != nil {
		t.Skipf("spec not beside the repository: %v", err)
	}
	ours, err := os.ReadFile(filepath.Join("packs", plan.BuiltinCode, "orgunits.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(ours) != string(spec) {
		t.Error("orgunits.csv differs from spec/yantai-orgunits.csv")
	}
	p, _ := plan.Builtin()
	if len(p.Districts()) != 13 || p.Top().Name != "烟台市" || p.Org("370614").NameEn != "Penglai District" {
		t.Errorf("org tree: %d districts, top %q", len(p.Districts()), p.Top().Name)
	}
}

// TestCheckErrors breaks a copy of the built-in pack and checks that every problem is
// reported with its file, line and field.
func TestCheckErrors(t *testing.T) {
	tests := []struct {
		file, old, new string
		want           string // file:line: field
	}{
		{"indicators.yaml", "direction: hold\n    attribute: binding", "direction: sideways\n    attribute: binding", "indicators.yaml:64: indicators[compulsory_retention].direction"},
		{"indicators.yaml", "    unit: ratio", "    unit: ratios", "indicators.yaml:148: indicators[urban_rural_bachelor_ratio].unit"},
		{"indicators.yaml", "    attribute: expected\n    levels: [city, district]\n    formula: 100 * students(\"stage=preschool\") / population", "    attribute: maybe\n    levels: [city, district]\n    formula: 100 * students(\"stage=preschool\") / population", "indicators.yaml:37: indicators[kg_ger].attribute"},
		{"indicators.yaml", "    baseline: {year: 2020, value: 41.17}", "    baseline: {year: 2020, value: high}", "indicators.yaml:26: indicators[kg_public_share].baseline.value"},
		{"indicators.yaml", "    decimals: 2\n    direction: up\n    attribute: expected\n    levels: [city, district]\n    formula: 100 * students(\"stage=preschool; ownership", "    decimals: 2\n    colour: red\n    direction: up\n    attribute: expected\n    levels: [city, district]\n    formula: 100 * students(\"stage=preschool; ownership", "indicators.yaml:22: indicators[kg_public_share].colour"},
		{"orgunits.csv", "370611,370600,district", "370611,370699,district", "orgunits.csv:4: parent"},
		{"orgunits.csv", "370612,370600,district", "370602,370600,district", "orgunits.csv:5: code"},
		{"pack.yaml", "target_year: 2025", "target_year: 2019", "pack.yaml:9: target_year"},
		{"elements.yaml", "dims: [age, sex]", "dims: [age, gender]", "elements.yaml:29: elements[2].dims"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		path := filepath.Join(dir, tt.file)
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.old) {
			t.Fatalf("%s: %q not found", tt.file, tt.old)
		}
		os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
}

// wantIssue loads the pack in dir and fails unless it is refused with an issue whose
// text starts with want ("file:line: field").
func wantIssue(t *testing.T, dir, want string) {
	t.Helper()
	_, err := plan.LoadDir(dir)
	ce, ok := err.(*plan.CheckError)
	if !ok {
		t.Errorf("%s: err = %v, want a *CheckError", want, err)
		return
	}
	// want may be said in English only: the issue's English message, located.
	for _, is := range ce.Issues {
		en := fmt.Sprintf("%s:%d: %s: %s", is.File, is.Line, is.Field, is.Message)
		if strings.HasPrefix(is.String(), want) || strings.HasPrefix(en, want) {
			return
		}
	}
	t.Errorf("want an issue at %s, got:\n%v", want, err)
}

func copyBuiltin(t *testing.T) string {
	dir := t.TempDir()
	src := filepath.Join("packs", plan.BuiltinCode)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	return dir
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"stage=preschool; ownership=public", "ownership=public;stage=preschool", ""},
		{"stage=primary,junior", "stage=primary,junior", ""},
		{"age=3..5", "age=3,4,5", ""},
		{"", "", ""},
		{"stage=college", "", "expected one of"},
		{"age=5..3", "", "outside"},
		{"stage", "", "not key=value"},
		{"sex=M;sex=F", "", "twice"},
	}
	for _, tt := range tests {
		f, err := plan.ParseFilter(tt.in, nil)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseFilter(%q) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || f.String() != tt.want {
			t.Errorf("ParseFilter(%q) = %q, %v; want %q", tt.in, f.String(), err, tt.want)
		}
	}
	if _, err := plan.ParseFilter("education=master", []string{"stage"}); err == nil {
		t.Error("a dimension not allowed was accepted")
	}
}
