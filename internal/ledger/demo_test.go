package ledger_test

import (
	"context"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// seeded is a fresh database with the demo ledger of the built-in pack for the seed.
func seeded(t *testing.T, seed int64) (*store.DB, *plan.Pack, []ledger.Task) {
	t.Helper()
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := ledger.SeedDemo(ctx, db, pack, seed); err != nil {
		t.Fatal(err)
	}
	tasks, err := ledger.Tasks(ctx, db, pack.FullScope(), pack)
	if err != nil {
		t.Fatal(err)
	}
	return db, pack, tasks
}

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	db, pack, tasks := seeded(t, 2021)
	last := pack.TargetYear // 2025, the demo data's last year

	// 33 tasks: round(33 × 0.3) = 10 done, round(33 × 0.12) = 4 delayed, 19 in progress.
	count := map[plan.TaskStatus]int{}
	dueDone, due, open := 0, 0, 0 // open: tasks in progress with a milestone due and not done
	han := regexp.MustCompile(`\p{Han}`)
	for _, task := range tasks {
		count[task.Status]++
		var undueDone, undone []int // milestones done though due after the last year; due by then and not done
		for _, m := range task.Milestones {
			switch {
			case m.Year > last && m.Done:
				undueDone = append(undueDone, m.Index)
			case m.Year <= last:
				due++
				if m.Done {
					dueDone++
				} else {
					undone = append(undone, m.Index)
				}
			}
			if m.Done && m.DoneOn == "" {
				t.Errorf("task %d milestone %d done with no date", task.Number, m.Index)
			}
		}
		if len(undueDone) > 0 {
			t.Errorf("task %d: milestones %v due after %d are done", task.Number, undueDone, last)
		}
		switch task.Status {
		case plan.TaskDone:
			if task.MilestonesDone != len(task.Milestones) {
				t.Errorf("task %d done with %d of %d milestones", task.Number, task.MilestonesDone, len(task.Milestones))
			}
		case plan.TaskDelayed:
			if len(undone) == 0 {
				t.Errorf("task %d delayed with every milestone due by %d done", task.Number, last)
			}
		case plan.TaskInProgress:
			if len(undone) > 0 {
				open++
			}
		default:
			t.Errorf("task %d: status %s", task.Number, task.Status)
		}
		if !han.MatchString(task.Note) || utf8.RuneCountInString(task.Note) > store.MaxTaskNote || task.UpdatedBy != ledger.DemoActor {
			t.Errorf("task %d: note %q by %q", task.Number, task.Note, task.UpdatedBy)
		}
	}
	if want := (map[plan.TaskStatus]int{plan.TaskDone: 10, plan.TaskDelayed: 4, plan.TaskInProgress: 19}); !maps.Equal(count, want) {
		t.Errorf("statuses %v, want %v", count, want)
	}
	if open == 0 || open == count[plan.TaskInProgress] {
		t.Errorf("%d of %d tasks in progress have a milestone open: want some, not all", open, count[plan.TaskInProgress])
	}
	// Milestones due by the last year: mostly done.
	if share := float64(dueDone) / float64(due); share <= 0.5 || share == 1 {
		t.Errorf("%d of %d milestones due by %d done: want more than half, not all", dueDone, due, last)
	}
	// Task 4's milestone for 2030 (近视率 limits) is never done, so task 4 is never done.
	if tasks[3].Status == plan.TaskDone || tasks[3].Milestones[3].Year != 2030 || tasks[3].Milestones[3].Done {
		t.Errorf("task 4 = %+v", tasks[3])
	}

	// The changes are in each task's history and in the audit log, as the demo's.
	hist, err := db.TaskHistory(ctx, pack.Tenant, pack, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, c := range hist {
		seen[c.Number] = true
		if c.Actor != ledger.DemoActor {
			t.Errorf("change %d by %q", c.ID, c.Actor)
		}
	}
	if len(seen) != 33 || len(hist) < 33 {
		t.Errorf("%d changes to %d tasks, want every task changed", len(hist), len(seen))
	}
	audit, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Actor: ledger.DemoActor, Action: store.AuditTaskEdit, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != len(hist) {
		t.Errorf("%d audit entries, %d changes in the history", len(audit), len(hist))
	}

	// A ledger already edited is left as it is.
	if err := ledger.SeedDemo(ctx, db, pack, 7); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.TaskHistory(ctx, pack.Tenant, pack, 0, 0); len(again) != len(hist) {
		t.Errorf("seeding again: %d changes, was %d", len(again), len(hist))
	}
}

// TestSeedDemoDeterministic: the same seed gives the same ledger, another seed another.
func TestSeedDemoDeterministic(t *testing.T) {
	state := func(tasks []ledger.Task) []string {
		var out []string
		for _, task := range tasks {
			s := string(task.Status) + "|" + task.Note
			for _, m := range task.Milestones {
				s += map[bool]string{true: "|done", false: "|open"}[m.Done]
			}
			out = append(out, s)
		}
		return out
	}
	_, _, a := seeded(t, 2021)
	_, _, b := seeded(t, 2021)
	_, _, c := seeded(t, 2022)
	if !slices.Equal(state(a), state(b)) {
		t.Error("seed 2021 gives two ledgers")
	}
	if slices.Equal(state(a), state(c)) {
		t.Error("seeds 2021 and 2022 give the same ledger")
	}
}
