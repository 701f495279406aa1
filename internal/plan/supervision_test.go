package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestBuiltinSupervision(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	kg := p.Checklist("kg_annual")
	if kg == nil || kg.Level != "institution" || len(kg.Items) != 7 || len(kg.Results) != 3 || kg.Results[1].Code != "conditional" {
		t.Fatalf("kg_annual = %+v", kg)
	}
	hz := p.CaseType("safety_hazard")
	if hz == nil || hz.Source != "report" || len(hz.Fields) != 3 || hz.Fields[0].Option("major") == nil || !hz.Fields[1].Required {
		t.Fatalf("safety_hazard = %+v", hz)
	}
}

// TestSupervisionFileErrors: a broken supervision.yaml is refused with its file, line
// and field.
func TestSupervisionFileErrors(t *testing.T) {
	b, err := os.ReadFile("packs/yantai-2021-2025/supervision.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	tests := []struct{ old, new, want string }{
		{"    level: institution", "    level: school", "supervision.yaml:18: checklists[kg_annual].level"},
		{"    types: [kindergarten]", "    types: [creche]", "supervision.yaml:19: checklists[kg_annual].types"},
		{"{code: KG2,", "{code: KG1,", "supervision.yaml:26: checklists[kg_annual].items[1].code: KG1 appears twice"},
		{"    source: report", "    source: rumour", "supervision.yaml:51: case_types[safety_hazard].source"},
		{"    source: report", "    source: report\n    colour: red", "supervision.yaml:52: case_types[safety_hazard].colour: unknown field"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(filepath.Join(dir, plan.SupervisionFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
	dir := copyBuiltin(t)
	os.Remove(filepath.Join(dir, plan.SupervisionFile))
	if p, err := plan.LoadDir(dir); err != nil || len(p.Checklists) != 0 {
		t.Errorf("no file: %v", err)
	}
}
