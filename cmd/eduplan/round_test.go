package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
)

func TestRoundCommand(t *testing.T) {
	_, _, db := fixture.Tiny(t)
	out, _, err := run(t, "round", "open", "--db", db, "--title", "2020 年指标自评", "--kind", "indicators", "--year", "2020", "--org", "370602", "--org", "370612")
	if err != nil || !strings.Contains(out, "round 1 opened over 2 orgs") {
		t.Fatalf("open: %v\n%s", err, out)
	}
	_, _, err = run(t, "round", "open", "--db", db, "--title", "x", "--kind", "checklist", "--subject", "nope", "--year", "2020")
	if code := taskExit(err); code != 3 {
		t.Errorf("a checklist that does not exist: exit %d (%v)", code, err)
	}
	out, _, err = run(t, "round", "list", "--db", db)
	if err != nil || !strings.Contains(out, "2020 年指标自评") || !strings.Contains(out, "规划主要指标") {
		t.Errorf("list: %v\n%s", err, out)
	}
	out, _, err = run(t, "round", "show", "1", "--db", db)
	if err != nil || !strings.Contains(out, "370602") || !strings.Contains(out, "370612") || !strings.Contains(out, "填报中") {
		t.Errorf("show: %v\n%s", err, out)
	}
	out, _, err = run(t, "round", "show", "1", "--org", "370602", "--db", db)
	if err != nil || !strings.Contains(out, "kg_public_share") {
		t.Errorf("show --org: %v\n%s", err, out)
	}
	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	if _, _, err := run(t, "round", "report", "1", "--xlsx", xlsx, "--db", db); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(xlsx); !strings.HasPrefix(string(b), "PK") {
		t.Error("the report is not a workbook")
	}
	word := filepath.Join(t.TempDir(), "r.docx")
	if _, _, err := run(t, "round", "report", "1", "--docx", word, "--db", db); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(word); !strings.HasPrefix(string(b), "PK") {
		t.Error("the Word report is not a document")
	}
	out, _, err = run(t, "case", "list", "--db", db)
	if err != nil || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("case list: %v\n%s", err, out)
	}
	_, _, err = run(t, "case", "step", "1", "close", "--db", db)
	if code := taskExit(err); code != 3 {
		t.Errorf("a case that does not exist: exit %d (%v)", code, err)
	}
	if _, _, err := run(t, "round", "close", "1", "--db", db); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, "round", "close", "1", "--db", db)
	if code := taskExit(err); code != 5 || !strings.Contains(err.Error(), "closed") {
		t.Errorf("close twice: exit %d (%v)", code, err)
	}
}
