package indicator_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// packWithCommitments is the built-in pack with commitments.yaml replaced.
func packWithCommitments(t *testing.T, yaml string) (*plan.Pack, error) {
	t.Helper()
	files := fixture.BuiltinFiles(t)
	delete(files, "projects.yaml") // its targets name the built-in commitments
	files[plan.CommitmentsFile] = &fstest.MapFile{Data: []byte(yaml)}
	return plan.Load(files)
}

const atCommitments = `commitments:
  - code: t_since_2020
    name: 比2020年增加的学校
    section: 测试
    measure: 学校名册
    unit: count
    direction: up
    formula: institutions("") - institutions("", at(2020))
    baseline: {year: 2020, value: 0}
    target: {year: 2025, value: 1}
  - code: t_2020_kg
    name: 2020年的幼儿园
    section: 测试
    measure: 学校名册
    unit: count
    direction: up
    formula: institutions("type=kindergarten", at(2020))
    baseline: {year: 2020, value: 0}
    target: {year: 2025, value: 1}
  - code: t_offset
    name: 上一年的学校
    section: 测试
    measure: 学校名册
    unit: count
    direction: up
    formula: institutions("", -1)
    baseline: {year: 2020, value: 0}
    target: {year: 2025, value: 1}
`

// TestAtYear: at(YEAR) reads a fixed year whatever the year evaluated. The tiny data
// set has 10 institutions in 2020 (8 in 370602: K1 K2 P1 J1 R1 S1 V1 H1; 2 in 370612:
// M1 MK) and 3 in 2021 (K1 K2 in 370602, MK in 370612); kindergartens in 2020: K1 K2
// MK.
func TestAtYear(t *testing.T) {
	pack, err := packWithCommitments(t, atCommitments)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, _ := fixture.NewDB(t)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), fixture.TinyFiles(), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code, org string
		year      int
		want      float64
		ok        bool
	}{
		{"t_since_2020", "370600", 2020, 0, true},
		{"t_since_2020", "370600", 2021, 3 - 10, true},
		{"t_since_2020", "370602", 2021, 2 - 8, true},
		{"t_since_2020", "370612", 2021, 1 - 2, true},
		{"t_2020_kg", "370600", 2021, 3, true}, // 2020's count, read in 2021
		{"t_2020_kg", "370602", 2021, 2, true}, // K1 K2
		{"t_offset", "370600", 2021, 10, true}, // the year before: 2020
		{"t_offset", "370600", 2020, 0, false}, // 2019: no roster
	}
	for _, tt := range tests {
		v, ok := e.Get(tt.code, tt.org, tt.year)
		if !ok || v.OK != tt.ok || (tt.ok && v.Value != tt.want) {
			t.Errorf("%s %s %d = %+v, want %v (ok %v)", tt.code, tt.org, tt.year, v, tt.want, tt.ok)
		}
	}
	ex, err := e.Explain(pack.FullScope(), "t_since_2020", "370600", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Inputs) != 2 || ex.Inputs[0].Year != 2021 || ex.Inputs[1].Year != 2020 {
		t.Errorf("Explain inputs = %+v, want 2021 then 2020", ex.Inputs)
	}
	f, err := indicator.Compile(pack, pack.Commitment("t_2020_kg"))
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Reads(); len(r) != 1 || r[0].Year != 2020 || r[0].Offset != 0 {
		t.Errorf("Reads = %+v, want one read of 2020", r)
	}
}

// TestAtYearErrors: what the compiler refuses about at(YEAR) and offsets.
func TestAtYearErrors(t *testing.T) {
	tests := []struct{ formula, want string }{
		{`institutions("", at(2020), -1)`, "at(YEAR) is the last argument"},
		{`institutions("", at(1800))`, "at(1800): a year within 1900..2200"},
		{`institutions("", 2020)`, "for a fixed year write at(2020)"},
		{`institutions("", at(2000 + 20))`, "arguments must be constants or at(YEAR)"},
		{`institutions("", max(1, 2))`, "arguments must be constants or at(YEAR)"},
	}
	pack, err := packWithCommitments(t, atCommitments)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		ind := *pack.Commitment("t_2020_kg")
		ind.Formula = tt.formula
		_, err := indicator.Compile(pack, &ind)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%s) = %v, want an error with %q", tt.formula, err, tt.want)
		}
	}
}
