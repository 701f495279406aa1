package supervision_test

import (
	"context"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// TestCaseNeedsDueDate: every case opened is due by a date, or it could never be
// overdue. A finding without its own date in a round that sets no rectification date
// is refused, and so is a hazard reported without one, each in both languages and
// storing nothing; given a date, each opens.
func TestCaseNeedsDueDate(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年区市履职督导", Kind: sv.KindChecklist, Subject: "district_duty", Year: 2020, Orgs: []string{"370602"}})
	must(t, err)
	if r.RectifyDue != "" {
		t.Fatalf("the round sets a rectification date %s: the test proves nothing", r.RectifyDue)
	}
	_, err = l.RaiseFinding(ctx, inspector, sv.Finding{Round: r.ID, Org: "370602", Item: "D4", Text: "校园安全风险台账不完整"})
	refused(t, "a finding with no due date in a round with none", err, plan.EINVALID)
	zh, en := plan.ErrorMessages(err)
	if !strings.Contains(zh, "整改期限") || !strings.Contains(en, "a finding needs a due date") {
		t.Errorf("the finding's refusal: %q / %q", zh, en)
	}

	rp := sv.CaseReport{Type: "safety_hazard", Org: "K1", Title: "围墙局部开裂", Fields: map[string]string{"risk": "high", "responsible": "芝罘公办幼儿园"}}
	_, err = l.ReportCase(ctx, clerk, rp)
	refused(t, "a hazard with no due date", err, plan.EINVALID)
	zh, en = plan.ErrorMessages(err)
	if zh != "上报“校园安全隐患”须填写整改期限（YYYY-MM-DD）" || en != "a reported school safety hazard needs a due date: the date it is to be rectified by (YYYY-MM-DD)" {
		t.Errorf("the hazard's refusal: %q / %q", zh, en)
	}
	if cs, err := l.Cases(ctx, inspector, 0); err != nil || len(cs) != 0 {
		t.Fatalf("refused cases stored: %v %+v", err, cs)
	}

	c, err := l.RaiseFinding(ctx, inspector, sv.Finding{Round: r.ID, Org: "370602", Item: "D4", Text: "校园安全风险台账不完整", Due: "2026-12-01"})
	must(t, err)
	rp.Due = "2026-12-31"
	h, err := l.ReportCase(ctx, clerk, rp)
	must(t, err)
	if c.Due != "2026-12-01" || h.Due != "2026-12-31" {
		t.Errorf("due dates: the finding's %q, the hazard's %q", c.Due, h.Due)
	}
	// Today is 2026-12-04 (newLoop): the finding is overdue, the hazard not yet.
	cs, err := l.Cases(ctx, inspector, 0)
	must(t, err)
	for _, v := range cs {
		if v.Overdue != (v.ID == c.ID) {
			t.Errorf("case %d due %s: overdue %v", v.ID, v.Due, v.Overdue)
		}
	}
}

// TestCaseStoredWithoutDueDate: a case stored before due dates were required stays
// valid: it is read, takes its steps, and is never overdue (its pages say it has no
// due date).
func TestCaseStoredWithoutDueDate(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	old := store.SupCase{Type: "safety_hazard", Org: "K1", Title: "旧案：围墙开裂", Status: sv.Open, OpenedBy: "k1"}
	must(t, l.db.Write(ctx, l.pack.Tenant, func(tx *store.Tx) error { return tx.AddCase(ctx, &old) }))
	must(t, l.CaseStep(ctx, clerk, old.ID, sv.ActStart, "已设置警戒", nil))
	v, err := l.CaseDetail(ctx, clerk, old.ID)
	must(t, err)
	if v.Due != "" || v.Overdue || v.Status != sv.InProgress {
		t.Errorf("the old case: due %q, overdue %v, %s", v.Due, v.Overdue, v.Status)
	}
}
