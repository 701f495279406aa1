package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

func TestBuiltinSchoolTables(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	kg := p.SchoolTable("kg_students")
	if kg == nil || kg.Element != "students" || kg.Dims.String() != "stage=preschool" || len(kg.Counts) != 6 || len(kg.Totals) != 5 {
		t.Fatalf("kg_students = %+v", kg)
	}
	if c := kg.Counts[1]; c.Header != "小班女" || kg.Cell(c) != "grade=1;sex=F;stage=preschool" {
		t.Errorf("小班女 = %+v, cell %s", c, kg.Cell(c))
	}
	total, girls := kg.Totals[0], kg.Totals[1]
	if !kg.Includes(total, kg.Counts[0]) || kg.Includes(girls, kg.Counts[0]) || !kg.Includes(girls, kg.Counts[1]) {
		t.Errorf("合计 and 其中女 include the wrong counts")
	}
	if pt := p.SchoolTable("primary_teachers"); pt == nil || pt.Element != "teachers" || len(pt.Counts) != 6 {
		t.Errorf("primary_teachers = %+v", pt)
	}
}

// TestSchoolTablesFileErrors: a broken school_tables.yaml is refused with its file, line
// and field.
func TestSchoolTablesFileErrors(t *testing.T) {
	b, err := os.ReadFile("packs/yantai-2021-2025/school_tables.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	tests := []struct{ old, new, want string }{
		{"code: kg_students", "code: students", "tables[students].code: students is a built-in kind"},
		{"code: primary_students", "code: kg_students", "tables[kg_students].code: kg_students already defined"},
		{"element: students\n    dims: stage=preschool", "element: population\n    dims: stage=preschool", "tables[kg_students].element: expected students or teachers"},
		{"dims: stage=preschool", "dims: stage=nursery", "tables[kg_students].dims"},
		{"dims: stage=preschool", "dims: ownership=public", "tables[kg_students].dims: dimension \"ownership\" is not one of"},
		{`{header: 小班女, dims: "grade=1; sex=F"}`, `{header: 小班女, dims: "grade=1"}`, "counts \"小班男\" and \"小班女\" overlap"},
		{`{header: 中班男, dims: "grade=2; sex=M"}`, `{header: 小班男, dims: "grade=2; sex=M"}`, "header \"小班男\" appears twice"},
		{"{header: 其中女, aliases: [女生, 合计女], dims: sex=F}\n      - {header: 小班合计", "{header: 其中女, aliases: [女生, 合计女], dims: hukou=migrant}\n      - {header: 小班合计", "total \"其中女\" (hukou=migrant) includes no count"},
		{`{header: 小班男, dims: "grade=1; sex=M"}`, `{header: 小班男, dims: "grade=1; sex=M; stage=primary"}`, "dimension \"stage\" is the table's"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		if err := os.WriteFile(filepath.Join(dir, plan.SchoolTablesFile), []byte(strings.Replace(good, tt.old, tt.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := plan.LoadDir(dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s → %s: got %v, want %q", tt.old, tt.new, err, tt.want)
		}
	}
}
