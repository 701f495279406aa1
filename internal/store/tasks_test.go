package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func ptr[T any](v T) *T { return &v }

// TestTaskLedger edits task 7 of the built-in pack (two milestones) twice, then makes
// an edit that changes nothing and edits that are refused, checking the entry, its
// history and the audit log after each.
func TestTaskLedger(t *testing.T) { store.EachDialect(t, testTaskLedger) }

func testTaskLedger(t *testing.T, path string) {
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const tenant = "370600"
	// 17:30 UTC on 1 March is 01:30 on 2 March in China: the milestone is done on the 2nd.
	now := time.Date(2024, 3, 1, 17, 30, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	edit := func(e store.TaskEdit) (store.TaskEntry, error) {
		var out store.TaskEntry
		err := db.Write(ctx, tenant, func(tx *store.Tx) error {
			var err error
			out, err = tx.EditTask(ctx, pack, e)
			return err
		})
		return out, err
	}

	// Nothing edited: every task not started, none of its milestones done.
	entries, err := db.Tasks(ctx, tenant, pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 33 || entries[6].Number != 7 || entries[6].Status != plan.TaskNotStarted || len(entries[6].Milestones) != 2 ||
		entries[6].Milestones[1] != (store.MilestoneState{Index: 2}) || !entries[6].UpdatedAt.IsZero() {
		t.Fatalf("fresh ledger: %d entries, task 7 = %+v", len(entries), entries[6])
	}

	got, err := edit(store.TaskEdit{Number: 7, Status: ptr(plan.TaskInProgress), Note: ptr("  法育工程方案已印发  "),
		Milestones: []store.MilestoneEdit{{Index: 2, Done: true}}, Actor: "cli:alice", Remote: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	want1 := store.TaskEntry{Number: 7, Status: plan.TaskInProgress, Note: "法育工程方案已印发",
		Milestones: []store.MilestoneState{{Index: 1}, {Index: 2, Done: true, DoneOn: "2024-03-02"}}, UpdatedBy: "cli:alice", UpdatedAt: now}
	if !sameEntry(got, want1) {
		t.Errorf("after edit 1: %+v, want %+v", got, want1)
	}
	if e, err := db.Task(ctx, tenant, pack, 7); err != nil || !sameEntry(e, want1) {
		t.Errorf("task 7 read back: %+v, %v", e, err)
	}

	// A day later: milestone 2 undone, status done.
	now = now.Add(24 * time.Hour)
	got, err = edit(store.TaskEdit{Number: 7, Status: ptr(plan.TaskDone), Milestones: []store.MilestoneEdit{{Index: 2, Done: false}, {Index: 1, Done: true}},
		Actor: "bob", Remote: "10.0.0.9"})
	if err != nil {
		t.Fatal(err)
	}
	want2 := store.TaskEntry{Number: 7, Status: plan.TaskDone, Note: "法育工程方案已印发",
		Milestones: []store.MilestoneState{{Index: 1, Done: true, DoneOn: "2024-03-03"}, {Index: 2}}, UpdatedBy: "bob", UpdatedAt: now}
	if !sameEntry(got, want2) {
		t.Errorf("after edit 2: %+v, want %+v", got, want2)
	}

	// Marking done what is done, and setting the status it has, changes nothing.
	now = now.Add(time.Hour)
	if got, err := edit(store.TaskEdit{Number: 7, Status: ptr(plan.TaskDone), Milestones: []store.MilestoneEdit{{Index: 1, Done: true}}, Actor: "carol"}); err != nil || !sameEntry(got, want2) {
		t.Errorf("edit that changes nothing: %+v, %v", got, err)
	}

	hist, err := db.TaskHistory(ctx, tenant, pack, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 {
		t.Fatalf("%d changes in task 7's history, want 2", len(hist))
	}
	if h := hist[0]; h.Actor != "bob" || h.Remote != "10.0.0.9" || !sameEntry(h.Before, want1) || !sameEntry(h.After, want2) || h.Number != 7 {
		t.Errorf("newest change = %+v", h)
	}
	if h := hist[1]; h.Actor != "cli:alice" || h.Remote != "cli" || h.Before.Status != plan.TaskNotStarted || !sameEntry(h.After, want1) || !h.At.Equal(want1.UpdatedAt) {
		t.Errorf("first change = %+v", h)
	}
	if h, _ := db.TaskHistory(ctx, tenant, pack, 0, 1); len(h) != 1 || h[0].ID != hist[0].ID {
		t.Errorf("latest change of all tasks = %+v", h)
	}
	if h, _ := db.TaskHistory(ctx, tenant, pack, 8, 0); len(h) != 0 {
		t.Errorf("task 8's history = %+v", h)
	}
	log, err := db.AuditLog(ctx, tenant, store.AuditQuery{Action: store.AuditTaskEdit})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Object != "task 7" || log[0].DetailEn != "status in_progress → done; milestone 1 done; milestone 2 not done" ||
		log[0].Detail != "状态 进行中 → 已完成；里程碑 1 已完成；里程碑 2 未完成" ||
		log[1].DetailEn != "status not_started → in_progress; note changed; milestone 2 done" || log[1].Actor != "cli:alice" || log[1].Remote != "cli" {
		t.Errorf("audit log = %+v", log)
	}

	// Refused edits, each with its code and a message in both languages, change nothing.
	for _, tc := range []struct {
		e    store.TaskEdit
		code string
		en   string
	}{
		{store.TaskEdit{Number: 34, Status: ptr(plan.TaskDone), Actor: "x"}, plan.ENOTFOUND, "no main task 34 (the plan has 33)"},
		{store.TaskEdit{Number: 0, Status: ptr(plan.TaskDone), Actor: "x"}, plan.ENOTFOUND, "no main task 0"},
		{store.TaskEdit{Number: 7, Milestones: []store.MilestoneEdit{{Index: 3, Done: true}}, Actor: "x"}, plan.EINVALID, "task 7 has no milestone 3 (it has 2)"},
		{store.TaskEdit{Number: 7, Milestones: []store.MilestoneEdit{{Index: 0, Done: true}}, Actor: "x"}, plan.EINVALID, "task 7 has no milestone 0"},
		{store.TaskEdit{Number: 7, Milestones: []store.MilestoneEdit{{Index: 1}, {Index: 1, Done: true}}, Actor: "x"}, plan.EINVALID, "milestone 1 is given twice"},
		{store.TaskEdit{Number: 7, Status: ptr(plan.TaskStatus("finished")), Actor: "x"}, plan.EINVALID, `invalid task status "finished"`},
		{store.TaskEdit{Number: 7, Actor: "x"}, plan.EINVALID, "nothing to change"},
		{store.TaskEdit{Number: 7, Note: ptr(strings.Repeat("证", store.MaxTaskNote+1)), Actor: "x"}, plan.EINVALID, "the note is too long"},
		// PostgreSQL's text holds neither; SQLite's would, but the two keep the same data.
		{store.TaskEdit{Number: 7, Note: ptr("证据\x00"), Actor: "x"}, plan.EINVALID, "a NUL character"},
		{store.TaskEdit{Number: 7, Note: ptr("证据\xff"), Actor: "x"}, plan.EINVALID, "not UTF-8"},
		{store.TaskEdit{Number: 7, Status: ptr(plan.TaskDelayed)}, plan.EINVALID, "needs the name of who makes it"},
	} {
		_, err := edit(tc.e)
		zh, en := plan.ErrorMessages(err)
		if plan.ErrorCode(err) != tc.code || !strings.Contains(en, tc.en) || zh == "" || zh == en {
			t.Errorf("%+v: %v (%s / %s), want %s %q", tc.e, plan.ErrorCode(err), zh, en, tc.code, tc.en)
		}
	}
	if h, _ := db.TaskHistory(ctx, tenant, pack, 0, 0); len(h) != 2 {
		t.Errorf("%d changes after refused edits, want 2", len(h))
	}

	// Another tenant's ledger is its own.
	if e, err := db.Task(ctx, "370000", pack, 7); err != nil || e.Status != plan.TaskNotStarted || e.Milestones[0].Done {
		t.Errorf("task 7 of another tenant = %+v, %v", e, err)
	}
	if _, err := db.Task(ctx, tenant, pack, 34); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("task 34: %v", err)
	}

	// The history is append-only, even to SQL.
	raw := store.RawSQL(t, path)
	if _, err := raw.Exec(`UPDATE task_history SET actor = 'mallory'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update of the history: %v", err)
	}
	if _, err := raw.Exec(`DELETE FROM task_history`); err == nil {
		t.Error("the history could be deleted")
	}

	// Reopened, the ledger is as it was.
	db.Close()
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if e, err := db.Task(ctx, tenant, pack, 7); err != nil || !sameEntry(e, want2) {
		t.Errorf("task 7 after reopening = %+v, %v", e, err)
	}
}

func sameEntry(a, b store.TaskEntry) bool {
	if a.Number != b.Number || a.Status != b.Status || a.Note != b.Note || a.UpdatedBy != b.UpdatedBy || !a.UpdatedAt.Equal(b.UpdatedAt) || len(a.Milestones) != len(b.Milestones) {
		return false
	}
	for i := range a.Milestones {
		if a.Milestones[i] != b.Milestones[i] {
			return false
		}
	}
	return true
}

// TestMilestoneDoneInZone: the day a milestone is marked done is the day in the DB's
// zone (the one --tz configures), Asia/Shanghai when none is set. It was always UTC+8.
func TestMilestoneDoneInZone(t *testing.T) { store.EachDialect(t, testMilestoneDoneInZone) }

func testMilestoneDoneInZone(t *testing.T, path string) {
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// 03:30 UTC on 2 March is 11:30 on the 2nd in Shanghai, 22:30 on the 1st in New York.
	now := time.Date(2024, 3, 2, 3, 30, 0, 0, time.UTC)
	tests := []struct {
		zone *time.Location
		want string
	}{
		{nil, "2024-03-02"},
		{time.UTC, "2024-03-02"},
		{ny, "2024-03-01"},
	}
	for i, tt := range tests {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return now }
		db.Zone = tt.zone
		var got store.TaskEntry
		err = db.Write(ctx, fmt.Sprint(370600+i), func(tx *store.Tx) error { // a tenant each, in one database
			got, err = tx.EditTask(ctx, pack, store.TaskEdit{Number: 7, Milestones: []store.MilestoneEdit{{Index: 1, Done: true}}, Actor: "a"})
			return err
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got.Milestones[0].DoneOn != tt.want {
			t.Errorf("zone %v: done on %q, want %q", tt.zone, got.Milestones[0].DoneOn, tt.want)
		}
	}
}
