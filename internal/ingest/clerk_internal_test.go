package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestInstitutionImportConflict: a district import that commits while a clerk's file is
// being merged with the district's rows makes the clerk's import fail as a conflict,
// rather than put the merged (now stale) rows of the other schools back.
func TestInstitutionImportConflict(t *testing.T) {
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tiny []string
	for _, k := range []string{"institutions", "students"} {
		tiny = append(tiny, filepath.Join("..", "..", "testdata", "tiny", k+".csv"))
	}
	if _, err := ImportFiles(ctx, db, pack, pack.FullScope(), tiny, Options{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	own := filepath.Join(dir, "p1.csv")
	os.WriteFile(own, []byte("year,student_id,institution,stage,grade,sex\n2020,s07,P1,primary,2,M\n"), 0o644)
	district := filepath.Join(dir, "k1.csv")
	// The district's officer: K1 gets a new pupil, the rest as before.
	b, err := os.ReadFile(tiny[1])
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if parts := strings.Split(l, ","); i == 0 || !strings.HasPrefix(parts[2], "M") {
			lines = append(lines, l) // 370602's schools: all but 牟平's M1 and MK
		}
	}
	lines = append(lines, "2020,s40,K1,preschool,1,F")
	os.WriteFile(district, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	// The clerk's import, phase by phase as importFiles runs it: the clerk's file is
	// merged with the district's rows; the district's import commits; then the merged
	// file is imported.
	clerk := plan.Scope{Tenant: pack.Tenant, Org: "P1", Detail: plan.Records}
	merged, code, expect, err := institutionFiles(ctx, db, pack, clerk, []string{own}, "", t.TempDir())
	if err != nil || code != "370602" {
		t.Fatalf("merge the clerk's file: %s, %v", code, err)
	}
	if _, err := ImportFiles(ctx, db, pack, plan.Scope{Tenant: pack.Tenant, Org: "370602", Detail: plan.Records}, []string{district}, Options{User: "officer"}); err != nil {
		t.Fatalf("the district's import: %v", err)
	}
	_, err = importPaths(ctx, db, pack, plan.Scope{Tenant: pack.Tenant, Org: code, Detail: plan.Records}, merged, expect, Options{User: "clerk"})
	if plan.ErrorCode(err) != plan.ECONFLICT {
		t.Fatalf("clerk's import after a concurrent district import: %v, want a conflict", err)
	}
	// The officer's K1 pupil is kept; trying again now merges with it.
	if _, err := ImportFiles(ctx, db, pack, plan.Scope{Tenant: pack.Tenant, Org: "P1", Detail: plan.Records}, []string{own}, Options{User: "clerk"}); err != nil {
		t.Fatalf("clerk's import again: %v", err)
	}
	id, ok, err := db.SnapshotBatch(ctx, pack.Tenant, "students", 2020, "370602")
	if err != nil || !ok {
		t.Fatal(err)
	}
	rows, err := snapshotRows(ctx, db, pack.Tenant, id, Students, 2020, "370602", "P1")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r[1] == "s40" {
			found = true
		}
	}
	if !found {
		t.Error("the officer's new K1 pupil was lost")
	}
}
