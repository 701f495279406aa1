package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestInstitutionImport: a school clerk's file (scope: institution P1 of 370602) changes
// P1's rows only — the district's other schools keep theirs, other districts are
// untouched — and a row of another school, or a kind a clerk may not import, changes
// nothing.
func TestInstitutionImport(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	clerk := plan.Scope{Tenant: pack.Tenant, Org: "P1", Detail: plan.Records}
	countIn := func(org string, f plan.Filter) float64 {
		t.Helper()
		c, err := cube.Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		return c.Get("students", org, 2020, f).Value
	}
	count := func(org string) float64 { return countIn(org, nil) }
	grade := func(g string) plan.Filter { return plan.Filter{{Key: "grade", Values: []string{g}}} }
	write := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The tiny set: P1 has s07, s08, s09; K1 three pupils; 370602 has 16 in 2020.
	p1, k1, d, other := count("P1"), count("K1"), count("370602"), count("370612")
	if p1 != 3 || k1 != 3 || countIn("P1", grade("6")) != 1 {
		t.Fatalf("fixture: P1 %v, K1 %v", p1, k1)
	}

	// Refused: a row of K1; a facts file. Nothing changes.
	for _, tt := range []struct{ name, content, want string }{
		{"students.csv", "year,student_id,institution,stage,grade,sex\n2020,s07,P1,primary,1,M\n2020,s01,K1,preschool,1,M\n", "your institution (P1) only"},
		{"facts.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,11\n", "institutions, students and teachers files only"},
	} {
		_, err := ingest.ImportFiles(ctx, db, pack, clerk, []string{write(tt.name, tt.content)}, ingest.Options{User: "clerk"})
		var rej *ingest.RejectedError
		if !errors.As(err, &rej) || !strings.Contains(rej.Reports[0].Errors[0].ExpectedEn, tt.want) || rej.Reports[0].Counts["scope"] == 0 {
			t.Fatalf("%s: %v, want a scope refusal saying %q", tt.name, err, tt.want)
		}
	}
	// A clerk's file without a data row is refused as any empty file is.
	_, err := ingest.ImportFiles(ctx, db, pack, clerk, []string{write("students-P1.csv", "year,student_id,institution,stage,grade,sex\n")}, ingest.Options{User: "clerk"})
	if rej := (*ingest.RejectedError)(nil); !errors.As(err, &rej) || rej.Reports[0].Counts["header"] != 1 {
		t.Fatalf("a clerk's empty file: %v, want a rejection", err)
	}
	if count("P1") != p1 || count("370602") != d {
		t.Fatal("a refused clerk's import changed data")
	}

	// Accepted: P1's pupils of 2020 now s07, s08 and a new s30 (s09 left).
	own := write("students-P1-2020.csv", "学年,学籍号,学校标识码,学段,年级,性别\n2020,s07,P1,primary,1,M\n2020,s08,P1,primary,1,F\n2020,s30,P1,primary,2,F\n")
	res, err := ingest.ImportFiles(ctx, db, pack, clerk, []string{own}, ingest.Options{User: "clerk", Remote: "10.0.0.7"})
	if err != nil {
		t.Fatal(err)
	}
	if got, g6, g2 := count("P1"), countIn("P1", grade("6")), countIn("P1", grade("2")); got != 3 || g6 != 0 || g2 != 1 {
		t.Errorf("P1 has %v pupils, %v in grade 6, %v in grade 2; want 3, 0 (s09 left), 1 (s30 came)", got, g6, g2)
	}
	if got := count("K1"); got != k1 {
		t.Errorf("K1 has %v pupils after P1's import, want %v", got, k1)
	}
	if got := count("370602"); got != d {
		t.Errorf("370602 has %v pupils, want %v (one left, one came)", got, d)
	}
	if got := count("370612"); got != other {
		t.Errorf("another district changed: %v, was %v", got, other)
	}
	if b := res.Batches[0]; b.File != "students-P1-2020.csv" || b.ImportedBy != "clerk" {
		t.Errorf("batch %+v", b)
	}
	// s09 is gone and s30 is there: a district import naming s30 elsewhere in 370602 is
	// a duplicate, s09 is free.
	dup := write("students-K1.csv", "year,student_id,institution,stage,grade,sex\n2020,s30,J1,junior,7,F\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, plan.Scope{Tenant: pack.Tenant, Org: "P1", Detail: plan.Records}, []string{dup}, ingest.Options{}); err == nil {
		t.Error("the clerk imported a row of J1")
	}
	// The same file again changes nothing.
	again, err := ingest.ImportFiles(ctx, db, pack, clerk, []string{own}, ingest.Options{User: "clerk"})
	if err != nil || len(again.Batches) != 0 || len(again.Skipped) != 1 {
		t.Errorf("the same file again: %+v, %v", again, err)
	}
	log, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Actor: "clerk", Action: store.AuditImport})
	if err != nil || len(log) != 1 || log[0].Remote != "10.0.0.7" {
		t.Errorf("audit: %+v %v", log, err)
	}
}
