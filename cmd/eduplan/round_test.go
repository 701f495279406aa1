package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
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

// TestRoundCommitments: round open --kind commitments opens a round over the plan's
// commitments, one computed item per commitment made of districts.
func TestRoundCommitments(t *testing.T) {
	_, _, db := fixture.Tiny(t)
	out, _, err := run(t, "round", "open", "--db", db, "--title", "2021 年承诺事项自评", "--kind", "commitments", "--year", "2021", "--org", "370602")
	if err != nil || !strings.Contains(out, "round 1 opened over 1 orgs") {
		t.Fatalf("open: %v\n%s", err, out)
	}
	out, _, err = run(t, "round", "list", "--db", db)
	if err != nil || !strings.Contains(out, "规划承诺事项") {
		t.Errorf("list: %v\n%s", err, out)
	}
	out, _, err = run(t, "round", "show", "1", "--org", "370602", "--db", db)
	if err != nil || !strings.Contains(out, "kg_inclusive_share") || !strings.Contains(out, "private_compulsory_schools_new") || strings.Contains(out, "kg_public_share") {
		t.Errorf("show --org: %v\n%s", err, out)
	}
	dir := t.TempDir()
	word, page := filepath.Join(dir, "r.docx"), filepath.Join(dir, "r.html")
	if _, _, err := run(t, "round", "report", "1", "--docx", word, "--html", page, "--lang", "en", "--db", db); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(word); !strings.HasPrefix(string(b), "PK") {
		t.Error("the Word report is not a document")
	}
	if b, _ := os.ReadFile(page); !strings.Contains(string(b), "<td>Zhifu District</td>") || !strings.Contains(string(b), "1. Overview") || strings.Contains(string(b), "总体情况") {
		t.Errorf("the English HTML report:\n%.600s", b)
	}
}

// TestRoundShowResult: round show writes a kindergarten inspection's result in the
// pack's words in the language asked (限期整改, "Conditional (rectify by a date)"),
// never as its code.
func TestRoundShowResult(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	s := &sv.Service{DB: db, Pack: pack, Engine: func() *indicator.Engine { return e }}
	insp := sv.Actor{Principal: auth.Principal{User: "insp", Role: auth.Inspector, Org: "370600"}}
	clerk := sv.Actor{Principal: auth.Principal{User: "k1", Role: auth.SchoolClerk, Org: "K1"}}
	r, err := s.OpenRound(ctx, insp, sv.NewRound{Title: "2020 年幼儿园年检", Kind: sv.KindChecklist, Subject: "kg_annual", Year: 2020, Orgs: []string{"K1"}})
	if err != nil {
		t.Fatal(err)
	}
	var answers []sv.Answer
	for _, it := range pack.Checklist("kg_annual").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Met})
	}
	if err := s.Save(ctx, clerk, r.ID, "K1", answers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, clerk, r.ID, "K1"); err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if err := s.Review(ctx, insp, r.ID, "K1", a.Item, sv.ActAccept, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Verify(ctx, insp, r.ID, "K1", "conditional"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "zh"}, "限期整改"},
		{[]string{"--lang", "en"}, "Conditional (rectify by a date)"},
		{[]string{"--lang", "both"}, "限期整改 Conditional (rectify by a date)"},
		{[]string{"--org", "K1", "--lang", "zh"}, "结论 限期整改"},
		{[]string{"--org", "K1", "--lang", "en"}, "result Conditional (rectify by a date)"},
	} {
		out, _, err := run(t, append([]string{"round", "show", "1", "--db", path}, c.args...)...)
		if err != nil || !strings.Contains(out, c.want) || strings.Contains(out, "conditional") {
			t.Errorf("round show %s: %v, want %q, not the code:\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}

// TestCaseWithoutDueDate: a case stored before due dates were required is listed and
// shown as having none, in the language asked.
func TestCaseWithoutDueDate(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	old := store.SupCase{Type: "safety_hazard", Org: "370602", Title: "旧案", Status: sv.Open, OpenedBy: "zhifu"}
	if err := db.Write(ctx, pack.Tenant, func(tx *store.Tx) error { return tx.AddCase(ctx, &old) }); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"case", "list", "--lang", "en"}, "no due date"},
		{[]string{"case", "list", "--lang", "both"}, "未设期限 no due date"},
		{[]string{"case", "show", "1", "--lang", "zh"}, "期限 未设期限"},
	} {
		out, _, err := run(t, append(c.args, "--db", path)...)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%s: %v, want %q:\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}
