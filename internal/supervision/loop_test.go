package supervision_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

var (
	inspector = sv.Actor{Principal: auth.Principal{User: "insp", Role: auth.Inspector, Org: "370600"}}
	officer   = sv.Actor{Principal: auth.Principal{User: "zhifu", Role: auth.DistrictOfficer, Org: "370602"}}
	muping    = sv.Actor{Principal: auth.Principal{User: "muping", Role: auth.DistrictOfficer, Org: "370612"}}
	clerk     = sv.Actor{Principal: auth.Principal{User: "k1", Role: auth.SchoolClerk, Org: "K1"}}
)

// loop is a service over the tiny data set, its engine reloaded by reload.
type loop struct {
	*sv.Service
	db     *store.DB
	pack   *plan.Pack
	engine *indicator.Engine
}

func newLoop(t *testing.T) *loop {
	t.Helper()
	db, pack, _ := fixture.Tiny(t)
	l := &loop{db: db, pack: pack}
	l.reload(t)
	l.Service = &sv.Service{DB: db, Pack: pack, Engine: func() *indicator.Engine { return l.engine },
		Now: func() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) }}
	return l
}

func (l *loop) reload(t *testing.T) {
	t.Helper()
	e, err := indicator.Load(context.Background(), l.db, l.pack)
	if err != nil {
		t.Fatal(err)
	}
	l.engine = e
}

// dropZhifuKindergartens imports Zhifu's 2020 students again without those of its
// public kindergarten (and MK, M1), which moves the values computed for Zhifu, and
// reloads the engine.
func (l *loop) dropZhifuKindergartens(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(fixture.TinyFiles()[1])
	must(t, err)
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		f := strings.Split(line, ",")
		if f[0] == "year" || (f[0] == "2020" && f[2] != "K1" && f[2] != "MK" && f[2] != "M1") {
			keep = append(keep, line)
		}
	}
	path := filepath.Join(t.TempDir(), "students.csv")
	must(t, os.WriteFile(path, []byte(strings.Join(keep, "\n")+"\n"), 0o600))
	_, err = ingest.ImportFiles(context.Background(), l.db, l.pack, l.pack.FullScope(), []string{path}, ingest.Options{})
	must(t, err)
	l.reload(t)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func refused(t *testing.T, what string, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: allowed, want %s", what, code)
	}
	if got := plan.ErrorCode(err); got != code {
		t.Fatalf("%s: %s (%v), want %s", what, got, err, code)
	}
}

func pdf(name string) sv.File {
	return sv.File{Name: name, R: strings.NewReader("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")}
}

// TestChecklistLoop walks a checklist round through the whole loop, with the refusals
// on the way.
func TestChecklistLoop(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	_, err := l.OpenRound(ctx, officer, sv.NewRound{Title: "x", Kind: sv.KindChecklist, Subject: "district_duty", Year: 2020})
	refused(t, "an officer opens a round", err, plan.EFORBIDDEN)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年区市履职督导", Kind: sv.KindChecklist, Subject: "district_duty", Year: 2020,
		Orgs: []string{"370602", "370612"}, SelfDue: "2026-12-31", RectifyDue: "2026-12-01"})
	must(t, err)
	var answers []sv.Answer
	for _, it := range l.pack.Checklist("district_duty").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Met, Note: "已落实"})
	}
	refused(t, "Muping's officer answers for Zhifu", l.Save(ctx, muping, r.ID, "370602", answers), plan.EFORBIDDEN)
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	refused(t, "submit unanswered", err, plan.EINVALID)
	answers[0].Files = []sv.File{pdf("经费.pdf")}
	must(t, l.Save(ctx, officer, r.ID, "370602", answers))
	answers[0].Files = nil
	refused(t, "verify a draft", l.Verify(ctx, inspector, r.ID, "370602", ""), plan.ECONFLICT)
	sub1, err := l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	refused(t, "save after submitting", l.Save(ctx, officer, r.ID, "370602", answers[:1]), plan.ECONFLICT)
	refused(t, "an officer accepts an item", l.Review(ctx, officer, r.ID, "370602", "D1", sv.ActAccept, ""), plan.EFORBIDDEN)
	refused(t, "return without a reason", l.Review(ctx, inspector, r.ID, "370602", "D2", sv.ActReturn, ""), plan.EINVALID)
	must(t, l.Review(ctx, inspector, r.ID, "370602", "D2", sv.ActReturn, "缺少布局规划文件"))
	refused(t, "verify with an item returned", l.Verify(ctx, inspector, r.ID, "370602", ""), plan.ECONFLICT)
	must(t, l.Return(ctx, inspector, r.ID, "370602", "D2 须补充材料"))
	answers[1].Files = []sv.File{pdf("布局规划.pdf")}
	must(t, l.Save(ctx, officer, r.ID, "370602", answers[1:2]))
	answers[1].Files = nil
	sub2, err := l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	if sub2.N != 2 || sub2.SHA256 == sub1.SHA256 {
		t.Errorf("second submission %d %s, first %s", sub2.N, sub2.SHA256, sub1.SHA256)
	}
	for _, it := range l.pack.Checklist("district_duty").Items {
		must(t, l.Review(ctx, inspector, r.ID, "370602", it.Code, sv.ActAccept, ""))
	}
	c, err := l.RaiseFinding(ctx, inspector, sv.Finding{Round: r.ID, Org: "370602", Item: "D4", Text: "校园安全风险台账不完整"})
	must(t, err)
	if c.Theme != "安全管理" || c.Due != "2026-12-01" || c.Status != sv.Open {
		t.Errorf("finding's case %+v", c)
	}
	must(t, l.Verify(ctx, inspector, r.ID, "370602", ""))
	refused(t, "the inspector starts the rectification", l.CaseStep(ctx, inspector, c.ID, sv.ActStart, "", nil), plan.EFORBIDDEN)
	refused(t, "close before re-check", l.CaseStep(ctx, inspector, c.ID, sv.ActClose, "", nil), plan.ECONFLICT)
	must(t, l.CaseStep(ctx, officer, c.ID, sv.ActStart, "已部署", nil))
	must(t, l.CaseStep(ctx, inspector, c.ID, sv.ActInterview, "约谈分管副区长", nil))
	must(t, l.CaseStep(ctx, officer, c.ID, sv.ActSubmit, "台账已补齐", []sv.File{pdf("台账.pdf")}))
	must(t, l.CaseStep(ctx, inspector, c.ID, sv.ActReopen, "复查发现仍缺两所学校", nil))
	must(t, l.CaseStep(ctx, officer, c.ID, sv.ActSubmit, "已补齐", nil))
	must(t, l.CaseStep(ctx, inspector, c.ID, sv.ActClose, "复查通过", nil))
	refused(t, "start a closed case", l.CaseStep(ctx, officer, c.ID, sv.ActStart, "", nil), plan.ECONFLICT)

	v, err := l.CaseDetail(ctx, officer, c.ID)
	must(t, err)
	var steps []string
	for _, st := range v.Steps {
		steps = append(steps, st.Action+":"+st.To)
	}
	if got := strings.Join(steps, " "); got != "raise:open start:in_progress interview:in_progress submit:submitted reopen:reopened submit:submitted close:closed" {
		t.Errorf("steps %s", got)
	}
	if len(v.Evidence) != 1 || v.Overdue {
		t.Errorf("evidence %d, overdue %v", len(v.Evidence), v.Overdue)
	}
	if _, err := l.CaseDetail(ctx, muping, c.ID); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("Muping reads Zhifu's case: %v", err)
	}
	ev, err := l.Evaluation(ctx, officer, r.ID, "370602")
	must(t, err)
	if ev.Eval.Status != sv.Verified || len(ev.Items[0].Evidence) != 1 || len(ev.Items[1].Evidence) != 1 {
		t.Errorf("evaluation %s, evidence %d %d", ev.Eval.Status, len(ev.Items[0].Evidence), len(ev.Items[1].Evidence))
	}
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	if rep.Summary.Orgs != 2 || rep.Summary.Verified != 1 || rep.Summary.Findings != 1 || rep.Summary.Themes["安全管理"] != 1 || rep.Summary.OpenCases != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}
	var x bytes.Buffer
	must(t, rep.WriteXLSX(&x))
	if !bytes.HasPrefix(x.Bytes(), []byte("PK")) {
		t.Error("the report is not a workbook")
	}
	x.Reset()
	must(t, rep.Document("zh", time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)).WriteDOCX(&x))
	zr, err := zip.NewReader(bytes.NewReader(x.Bytes()), int64(x.Len()))
	must(t, err)
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			must(t, err)
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	for _, want := range []string{"2020 年区市履职督导", "经市级验证 1 个", "校园安全风险台账不完整", "已销号"} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("the Word report lacks %q", want)
		}
	}
	// The audit log has every step, filed under the district.
	log, err := l.db.AuditLog(ctx, l.pack.Tenant, store.AuditQuery{Orgs: []string{"370602"}, Limit: 1000})
	must(t, err)
	if len(log) < 15 {
		t.Errorf("%d audit entries under 370602", len(log))
	}
	// Muping's inbox: its own self-evaluation to write; the inspector's: nothing left
	// but Muping's draft, which is not theirs to act on.
	box, err := l.Inbox(ctx, muping)
	must(t, err)
	if len(box) != 1 || box[0].Org != "370612" || box[0].Action != sv.ActSubmit {
		t.Errorf("Muping's inbox %+v", box)
	}
	must(t, l.CloseRound(ctx, inspector, r.ID))
	refused(t, "save in a closed round", l.Save(ctx, muping, r.ID, "370612", answers[:1]), plan.ECONFLICT)
}

// TestSubmittedFrozen: a self-evaluation's computed values are frozen at submission; a
// later import changes the live values only.
func TestSubmittedFrozen(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602"}})
	must(t, err)
	before, err := l.Evaluation(ctx, officer, r.ID, "370602")
	must(t, err)
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)

	l.dropZhifuKindergartens(t)

	after, err := l.Evaluation(ctx, officer, r.ID, "370602")
	must(t, err)
	moved := 0
	for i, it := range after.Items {
		live := before.Items[i].Live
		if it.Frozen == nil || live == nil || !it.Frozen.Same(*live) {
			t.Errorf("%s: frozen %+v, live at submission %+v", it.Code, it.Frozen, live)
		}
		if it.Moved {
			moved++
			if it.Live.Same(*it.Frozen) {
				t.Errorf("%s moved but live %v = frozen %v", it.Code, it.Live.Text(), it.Frozen.Text())
			}
		}
	}
	if moved == 0 {
		t.Error("the import moved no value: the test proves nothing")
	}
	if after.Submitted == nil || after.Submitted.N != 1 {
		t.Errorf("submission %+v", after.Submitted)
	}
}

// TestInstitutionRound: a kindergarten inspection covers the kindergartens; a school
// clerk evaluates their own only, and verifying needs a result.
func TestInstitutionRound(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年幼儿园年检", Kind: sv.KindChecklist, Subject: "kg_annual", Year: 2020})
	must(t, err)
	if strings.Join(r.Orgs, ",") != "K1,K2,MK" || r.Level != "institution" {
		t.Fatalf("covers %v at %s", r.Orgs, r.Level)
	}
	var answers []sv.Answer
	for _, it := range l.pack.Checklist("kg_annual").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Partly})
	}
	refused(t, "K1's clerk answers for K2", l.Save(ctx, clerk, r.ID, "K2", answers), plan.EFORBIDDEN)
	must(t, l.Save(ctx, clerk, r.ID, "K1", answers))
	_, err = l.Submit(ctx, officer, r.ID, "K1") // the district's officer may submit for its school
	must(t, err)
	for _, a := range answers {
		must(t, l.Review(ctx, inspector, r.ID, "K1", a.Item, sv.ActAccept, ""))
	}
	refused(t, "verify without a result", l.Verify(ctx, inspector, r.ID, "K1", ""), plan.EINVALID)
	must(t, l.Verify(ctx, inspector, r.ID, "K1", "conditional"))
	rv, err := l.RoundDetail(ctx, clerk, r.ID)
	must(t, err)
	if len(rv.Evals) != 1 || rv.Evals[0].Result != "conditional" {
		t.Errorf("the clerk sees %+v", rv.Evals)
	}
}

// TestSafetyHazard: a school reports a hazard with its risk level and responsible
// unit; it is rectified and re-checked like any case.
func TestSafetyHazard(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	rp := sv.CaseReport{Type: "safety_hazard", Org: "K1", Title: "围墙局部开裂", Due: "2026-11-30",
		Fields: map[string]string{"risk": "high", "responsible": "芝罘公办幼儿园"}}
	bad := rp
	bad.Fields = map[string]string{"risk": "apocalyptic", "responsible": "x"}
	_, err := l.ReportCase(ctx, clerk, bad)
	refused(t, "an unknown risk level", err, plan.EINVALID)
	_, err = l.ReportCase(ctx, muping, rp)
	refused(t, "Muping reports for Zhifu's kindergarten", err, plan.EFORBIDDEN)
	c, err := l.ReportCase(ctx, clerk, rp)
	must(t, err)
	must(t, l.CaseStep(ctx, clerk, c.ID, sv.ActStart, "已设置警戒", nil))
	cs, err := l.Cases(ctx, officer, 0)
	must(t, err)
	if len(cs) != 1 || !cs[0].Overdue || cs[0].Values["risk"] != "high" {
		t.Errorf("cases %+v", cs)
	}
	box, err := l.Inbox(ctx, clerk)
	must(t, err)
	if len(box) != 1 || box[0].Case != c.ID || !box[0].Overdue {
		t.Errorf("the clerk's inbox %+v", box)
	}
}

// TestSeedDemo: the demo round holds every state of the loop, and a second seeding
// leaves it as it is.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	must(t, sv.SeedDemo(ctx, l.db, l.pack, 1))
	must(t, sv.SeedDemo(ctx, l.db, l.pack, 1))
	rs, err := l.Rounds(ctx, inspector)
	must(t, err)
	if len(rs) != 1 {
		t.Fatalf("%d rounds", len(rs))
	}
	c := rs[0].Counts
	if c[sv.Verified] != 1 || c[sv.Returned] != 1 || c[sv.Submitted] < 3 || c[sv.Draft] < 1 || len(rs[0].Evals) != len(l.pack.Districts()) {
		t.Errorf("states %v of %d", c, len(rs[0].Evals))
	}
	cs, err := l.Cases(ctx, inspector, 0)
	must(t, err)
	if len(cs) != 2 {
		t.Fatalf("%d cases", len(cs))
	}
	box, err := l.Inbox(ctx, inspector)
	must(t, err)
	if len(box) < 3 {
		t.Errorf("the inspector's inbox: %+v", box)
	}
}

// TestLedgerRound: districts report their own progress on the plan's main tasks, as a
// round's items answered 已完成 / 推进中 / 未启动, verified like any other.
func TestLedgerRound(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年主要任务台账（区市）", Kind: sv.KindLedger, Year: 2020, Orgs: []string{"370602"}})
	must(t, err)
	items := sv.ItemsOf(l.pack, r)
	if len(items) != len(l.pack.Tasks) || items[6].Code != "task7" || items[6].Computed {
		t.Fatalf("%d items, the 7th %+v", len(items), items[6])
	}
	var answers []sv.Answer
	for i, it := range items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: []string{sv.Met, sv.Partly, sv.NotMet}[i%3]})
	}
	must(t, l.Save(ctx, officer, r.ID, "370602", answers))
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	v, err := l.Evaluation(ctx, inspector, r.ID, "370602")
	must(t, err)
	if zh, en := sv.AnswerLabel(r.SubjectKind, v.Items[1].Answer); zh != "推进中" || en != "in progress" {
		t.Errorf("task 2's answer %q: %s / %s", v.Items[1].Answer, zh, en)
	}
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	if row := rep.Rows[0]; row.Met != 11 || row.Partly != 11 || row.NotMet != 11 {
		t.Errorf("report row %+v", row)
	}
}

// TestCommitmentsRound: a round over the plan's commitments has an item per commitment
// the plan makes of districts, each computed for the round's year and judged as
// progress judges it, frozen at submission and verified like any other.
func TestCommitmentsRound(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2021 年承诺事项自评", Kind: sv.KindCommitments, Year: 2021, Orgs: []string{"370602"}})
	must(t, err)
	items := sv.ItemsOf(l.pack, r)
	n := 0
	for _, c := range l.pack.Commitments {
		if c.AtLevel(plan.LevelDistrict) {
			n++
		}
	}
	if len(items) != n || n == 0 || items[0].Code != "kg_inclusive_share" || items[0].Theme != "学前教育" || !items[0].Computed {
		t.Fatalf("%d items (want %d), the first %+v", len(items), n, items[0])
	}
	// Zhifu in 2021 (testdata/tiny): K1 public with 3 children, K2 private and not
	// inclusive with 2, so 3/5 = 60% under the floor of 93% held every year: not met.
	// No private compulsory school opened since 2020: 0, within the ceiling of 0: met.
	// Every other commitment has no data in 2021 and is not judged.
	want := map[string]string{"kg_inclusive_share": sv.NotMet, "private_compulsory_schools_new": sv.Met}
	must(t, l.Save(ctx, officer, r.ID, "370602", []sv.Answer{{Item: "kg_inclusive_share", Note: "新建公办园 2022 年投用", Files: []sv.File{pdf("规划.pdf")}}}))
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)

	// The data behind the values is gone: the submission keeps them.
	empty, _ := fixture.NewDB(t)
	e, err := indicator.Load(ctx, empty, l.pack)
	must(t, err)
	l.engine = e
	v, err := l.Evaluation(ctx, inspector, r.ID, "370602")
	must(t, err)
	for _, it := range v.Items {
		if it.Frozen == nil || it.Frozen.Met != want[it.Code] {
			t.Errorf("%s frozen %+v, want %q", it.Code, it.Frozen, want[it.Code])
		}
		if it.Code == "kg_inclusive_share" && (it.Frozen.Value != 60 || it.Frozen.Threshold == nil || *it.Frozen.Threshold != 93 || !it.Moved || len(it.Evidence) != 1) {
			t.Errorf("kg_inclusive_share: %+v frozen %+v", it, *it.Frozen)
		}
		must(t, l.Review(ctx, inspector, r.ID, "370602", it.Code, sv.ActAccept, ""))
	}
	must(t, l.Verify(ctx, inspector, r.ID, "370602", ""))
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	if row := rep.Rows[0]; row.Items != n || row.Met != 1 || row.NotMet != 1 || row.Accepted != n || row.Status != sv.Verified || row.Submission != 1 {
		t.Errorf("report row %+v", row)
	}
	if rep.SubjectNameEn != "The plan's commitments" || rep.Summary.Verified != 1 {
		t.Errorf("report %q, summary %+v", rep.SubjectNameEn, rep.Summary)
	}
}
