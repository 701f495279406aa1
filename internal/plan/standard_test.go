package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestBuiltinStandards(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	qb := p.Standard("quality_balanced")
	if qb == nil || len(qb.Items) != 7 || qb.MinMet != 6 || qb.Floor != 0.85 || qb.CVLimit["junior"] != 0.45 || qb.TeachingPointMin != 50 {
		t.Fatalf("quality_balanced = %+v", qb)
	}
	if l1 := qb.Items[0]; l1.Threshold["primary"] != 4.2 || l1.Threshold["junior"] != 5.3 || l1.Per != 100 ||
		l1.Teachers["junior"].String() != "education=bachelor,master,doctor" {
		t.Errorf("L1 = %+v", l1)
	}
	if l2 := qb.Items[1]; l2.Threshold["junior"] != 1 || l2.Teachers["primary"].String() != "backbone=county,city,province,national" {
		t.Errorf("L2 = %+v (one threshold and filter for both stages)", l2)
	}
	if up := p.Standard("universal_preschool"); up == nil || len(up.Items) != 3 || up.Items[0].Indicator != "kg_ger" {
		t.Errorf("universal_preschool = %+v", up)
	}
}

// TestStandardsFileErrors: a broken standards.yaml is refused with its file, line and
// field.
func TestStandardsFileErrors(t *testing.T) {
	b, err := os.ReadFile("packs/yantai-2021-2025/standards.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	tests := []struct{ old, new, want string }{
		{"level: schools", "level: county", "standards.yaml:17: standards[quality_balanced].level"},
		{"stages: [primary, junior]", "stages: [primary, college]", "standards.yaml:18: standards[quality_balanced].stages"},
		{"exclude_types: [special]", "exclude_types: [spa]", "standards.yaml:19: standards[quality_balanced].exclude_types"},
		{"school_rule: {min_met: 6, floor: 0.85}", "school_rule: {min_met: 6, floor: 1.5}", "standards.yaml:21: standards[quality_balanced].school_rule.floor"},
		{"school_rule: {min_met: 6, floor: 0.85}", "school_rule: {min_met: 9, floor: 0.85}", "standards.yaml:21: standards[quality_balanced].school_rule.min_met"},
		{"cv_limit: {primary: 0.50, junior: 0.45}", "cv_limit: {primary: 0.50}", "standards.yaml:22: standards[quality_balanced].cv_limit: no value for stage junior"},
		{"threshold: {primary: 4.2, junior: 5.3}", "threshold: {primary: 4.2, junior: 5.3, senior: 6}", "standards.yaml:32: standards[quality_balanced].items[L1].threshold.senior"},
		{"teachers: backbone=county,city,province,national", "teachers: rank=county", "standards.yaml:40: standards[quality_balanced].items[L2].teachers"},
		{"condition: sports_area", "condition: pool_area", "standards.yaml:65: standards[quality_balanced].items[L5].condition"},
		{"condition: sports_area", "indicator: kg_ger", "standards.yaml:61: standards[quality_balanced].items[L5].teachers"},
		{"indicator: kg_ger", "indicator: kg_nope", "standards.yaml:98: standards[universal_preschool].items[gross_enrolment].indicator"},
		{"        threshold: 90\n", "", "standards.yaml:94: standards[universal_preschool].items[gross_enrolment].threshold: required field is missing"},
		{"      - code: L7", "      - code: L6", "standards.yaml:77: standards[quality_balanced].items[L6].code: L6 appears twice"},
		{"    name_en: Quality-balanced", "    colour: red\n    name_en: Quality-balanced", "standards.yaml:15: standards[quality_balanced].colour: unknown field"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(filepath.Join(dir, plan.StandardsFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
	dir := copyBuiltin(t)
	os.Remove(filepath.Join(dir, plan.StandardsFile))
	if p, err := plan.LoadDir(dir); err != nil || len(p.Standards) != 0 {
		t.Errorf("no file: %v", err)
	}
}
