package ingest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestScopeBeforeUnchanged: a district officer importing another district's current
// file is refused for scope; it is not a no-op "unchanged" (issue 10, point 8).
func TestScopeBeforeUnchanged(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	officer := plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Records}
	for _, f := range tinyFiles() {
		res, err := ingest.ImportFiles(ctx, db, pack, officer, []string{f}, ingest.Options{User: "fs"})
		var rej *ingest.RejectedError
		if !errors.As(err, &rej) || rej.Reports[0].Counts["scope"] == 0 {
			t.Errorf("%s: result %+v, err %v; want a scope refusal", f, res, err)
		}
		if zh, _ := plan.ErrorMessages(err); plan.ErrorCode(err) != plan.EFORBIDDEN || !strings.Contains(zh, "权限范围") {
			t.Errorf("%s: refusal coded %s %q, want forbidden, said in both languages", f, plan.ErrorCode(err), zh)
		}
	}
	// Its own district's current file stays a no-op.
	own := writeFile(t, "population.csv", "year,district,age,count\n2020,370612,3,2\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, officer, []string{own}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.ImportFiles(ctx, db, pack, officer, []string{own}, ingest.Options{})
	if err != nil || len(res.Skipped) != 1 {
		t.Fatalf("re-import of the district's own current file: %+v, %v; want it skipped", res, err)
	}
}

// TestScopeErrorNamesTheCell: the scope error quotes the cell's own value (the
// institution's code, not its district's), and names the districts by name and code.
func TestScopeErrorNamesTheCell(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	officer := plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Records}
	f := writeFile(t, "students.csv", "year,student_id,institution,stage,grade,sex\n2020,s01,K1,preschool,1,M\n")
	_, err := ingest.ImportFiles(ctx, db, pack, officer, []string{f}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	e := rej.Reports[0].Errors[0]
	zf, fs := pack.Org("370602"), pack.Org("370612")
	if e.Value != "K1" || e.Column != "institution" {
		t.Errorf("error quotes column %q value %q, want institution K1", e.Column, e.Value)
	}
	for _, want := range []string{zf.Name + "（370602）", fs.Name + "（370612）"} {
		if !strings.Contains(e.Expected, want) {
			t.Errorf("Chinese message %q does not name %s", e.Expected, want)
		}
	}
	for _, want := range []string{zf.NameEn + " (370602)", fs.NameEn + " (370612)"} {
		if !strings.Contains(e.ExpectedEn, want) {
			t.Errorf("English message %q does not name %s", e.ExpectedEn, want)
		}
	}
}
