package supervision_test

import (
	"context"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// metOf counts the items of a self-evaluation whose figure met its threshold: as
// frozen in the submission, or as computed now.
func metOf(t *testing.T, l *loop, round int64, org string) (frozen, live int) {
	t.Helper()
	v, err := l.Evaluation(context.Background(), inspector, round, org)
	must(t, err)
	for _, it := range v.Items {
		if it.Frozen != nil && it.Frozen.Met == sv.Met {
			frozen++
		}
		if it.Live != nil && it.Live.Met == sv.Met {
			live++
		}
	}
	return frozen, live
}

// TestReportCountsAsSubmitted: a round's report counts a submitted self-evaluation as
// submitted, its computed items at their frozen values, however the data changes
// after; a draft is counted from the values as they stand.
func TestReportCountsAsSubmitted(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602", "370612"}})
	must(t, err)
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	_, draftMet := metOf(t, l, r.ID, "370612")
	submittedMet, _ := metOf(t, l, r.ID, "370602")
	if submittedMet == 0 || draftMet == 0 {
		t.Fatalf("met: %d submitted, %d in the draft: the test proves nothing", submittedMet, draftMet)
	}

	// The data behind the values is gone: nothing is met now.
	empty, _ := fixture.NewDB(t)
	e, err := indicator.Load(ctx, empty, l.pack)
	must(t, err)
	l.engine = e
	if _, live := metOf(t, l, r.ID, "370602"); live != 0 {
		t.Fatalf("%d items met over no data", live)
	}
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	rows := map[string]sv.ReportRow{}
	for _, row := range rep.Rows {
		rows[row.Org] = row
	}
	if row := rows["370602"]; row.Met != submittedMet || row.Submission != 1 {
		t.Errorf("the submitted self-evaluation: %d met as of submission %d, want %d as of 1", row.Met, row.Submission, submittedMet)
	}
	if row := rows["370612"]; row.Met != 0 || row.Submission != 0 {
		t.Errorf("the draft: %d met as of submission %d, want 0 as the values stand", row.Met, row.Submission)
	}
	if rep.Summary.Met != submittedMet {
		t.Errorf("the city's summary: %d met, want %d", rep.Summary.Met, submittedMet)
	}
}
