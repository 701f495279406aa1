package supervision_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// verdicts writes each item's verdict of an org's self-evaluation: "D1:pending D2:accepted".
func verdicts(t *testing.T, l *loop, round int64, org string) string {
	t.Helper()
	v, err := l.Evaluation(context.Background(), inspector, round, org)
	must(t, err)
	var out []string
	for _, it := range v.Items {
		out = append(out, it.Code+":"+it.Verdict)
	}
	return strings.Join(out, " ")
}

// resubmitSteps writes the item steps that put items back to review: "D1:returned→pending".
func resubmitSteps(t *testing.T, l *loop, round int64, org string) string {
	t.Helper()
	v, err := l.Evaluation(context.Background(), inspector, round, org)
	must(t, err)
	var out []string
	for _, st := range v.Steps {
		if st.Entity == string(sv.Item) && st.Action == sv.ActResubmit {
			out = append(out, st.Item+":"+st.From+"→"+st.To)
		}
	}
	return strings.Join(out, " ")
}

// TestResubmitReviewsChanges: after a self-evaluation is returned and resubmitted, the
// items returned and the items changed since they were accepted (answer, note or
// evidence) are pending again, each by a recorded and audited step, and verifying
// needs them accepted anew; an item resubmitted as it was stays accepted.
func TestResubmitReviewsChanges(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年区市履职督导", Kind: sv.KindChecklist, Subject: "district_duty", Year: 2020, Orgs: []string{"370602"}})
	must(t, err)
	var answers []sv.Answer
	for _, it := range l.pack.Checklist("district_duty").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Met, Note: "已落实"})
	}
	must(t, l.Save(ctx, officer, r.ID, "370602", answers))
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	for _, a := range answers[1:] {
		must(t, l.Review(ctx, inspector, r.ID, "370602", a.Item, sv.ActAccept, ""))
	}
	must(t, l.Review(ctx, inspector, r.ID, "370602", "D1", sv.ActReturn, "缺少决算报告"))
	must(t, l.Return(ctx, inspector, r.ID, "370602", "D1 须补充材料"))

	// D1 gets its evidence; after they were accepted, D2's answer changes (met →
	// not_met), D3's note, D4's evidence; D5 is saved again as it was.
	must(t, l.Save(ctx, officer, r.ID, "370602", []sv.Answer{
		{Item: "D1", Answer: sv.Met, Note: "已落实", Files: []sv.File{pdf("决算报告.pdf")}},
		{Item: "D2", Answer: sv.NotMet, Note: "已落实"},
		{Item: "D3", Answer: sv.Met, Note: "已落实，见编制核定文件"},
		{Item: "D4", Answer: sv.Met, Note: "已落实", Files: []sv.File{pdf("台账.pdf")}},
		{Item: "D5", Answer: sv.Met, Note: "已落实"},
	}))
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	if got, want := verdicts(t, l, r.ID, "370602"), "D1:pending D2:pending D3:pending D4:pending D5:accepted"; got != want {
		t.Errorf("verdicts after resubmitting:\n got %s\nwant %s", got, want)
	}
	if got, want := resubmitSteps(t, l, r.ID, "370602"), "D1:returned→pending D2:accepted→pending D3:accepted→pending D4:accepted→pending"; got != want {
		t.Errorf("resubmit steps:\n got %s\nwant %s", got, want)
	}
	refused(t, "verify with D2 changed and not reviewed again", l.Verify(ctx, inspector, r.ID, "370602", ""), plan.ECONFLICT)

	// The audit log says why each came back, in both languages.
	log, err := l.db.AuditLog(ctx, l.pack.Tenant, store.AuditQuery{Orgs: []string{"370602"}, Action: store.AuditSupItem, Limit: 100})
	must(t, err)
	want := map[string]string{
		"D1": "the item was returned",
		"D2": "changed since it was accepted: answer",
		"D3": "changed since it was accepted: note",
		"D4": "changed since it was accepted: evidence",
	}
	for item, en := range want {
		i := slices.IndexFunc(log, func(e store.AuditEntry) bool {
			return strings.HasSuffix(e.Object, " "+item) && strings.HasPrefix(e.DetailEn, "resubmit for review:")
		})
		if i < 0 {
			t.Errorf("no audit entry resubmitting %s", item)
			continue
		}
		if e := log[i]; !strings.HasSuffix(e.DetailEn, en) || !strings.Contains(e.Detail, "重新提交审核") {
			t.Errorf("%s: audit %q / %q, want it to end %q", item, e.Detail, e.DetailEn, en)
		}
	}

	for _, item := range []string{"D1", "D2", "D3", "D4"} {
		must(t, l.Review(ctx, inspector, r.ID, "370602", item, sv.ActAccept, ""))
	}
	must(t, l.Verify(ctx, inspector, r.ID, "370602", ""))
}

// TestResubmitReviewsMovedValues: a computed item accepted at one value and frozen at
// another on resubmission (the data changed in between) is reviewed again; one whose
// value did not move stays accepted.
func TestResubmitReviewsMovedValues(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602"}})
	must(t, err)
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	for _, d := range sv.ItemsOf(l.pack, r) {
		must(t, l.Review(ctx, inspector, r.ID, "370602", d.Code, sv.ActAccept, ""))
	}
	must(t, l.Return(ctx, inspector, r.ID, "370602", "请按最新数据重新提交"))
	l.dropZhifuKindergartens(t)
	before, err := l.Evaluation(ctx, officer, r.ID, "370602")
	must(t, err)
	var want []string
	moved := 0
	for _, it := range before.Items {
		if it.Moved {
			moved++
			want = append(want, it.Code+":pending")
		} else {
			want = append(want, it.Code+":accepted")
		}
	}
	if moved == 0 || moved == len(before.Items) {
		t.Fatalf("%d of %d values moved: the test proves nothing", moved, len(before.Items))
	}
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	if got := verdicts(t, l, r.ID, "370602"); got != strings.Join(want, " ") {
		t.Errorf("verdicts after resubmitting:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
	if n := strings.Count(resubmitSteps(t, l, r.ID, "370602"), "accepted→pending"); n != moved {
		t.Errorf("%d resubmit steps, %d values moved", n, moved)
	}
}
