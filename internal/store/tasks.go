package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TaskEntry is a main task's current entry in the ledger (台账). A task never edited is
// not_started, with no milestone done and UpdatedAt zero.
type TaskEntry struct {
	Number int             `json:"number"`
	Status plan.TaskStatus `json:"status"`
	// Note is the evidence: what was done, where the documents are.
	Note string `json:"note"`
	// Milestones are the task's milestones in the pack's order.
	Milestones []MilestoneState `json:"milestones"`
	UpdatedBy  string           `json:"updated_by"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// MilestoneState is whether a task's milestone is done. Index is its place in the task's
// list in the pack, from 1.
type MilestoneState struct {
	Index int  `json:"index"`
	Done  bool `json:"done"`
	// DoneOn is the day it was marked done (YYYY-MM-DD, China time), "" when not done.
	DoneOn string `json:"done_on"`
}

// TaskEdit is a change to a task's entry; nil and empty fields leave things as they are.
type TaskEdit struct {
	Number     int
	Status     *plan.TaskStatus
	Note       *string
	Milestones []MilestoneEdit
	// Actor is who makes the change ("cli:" and the OS user on the command line) and
	// Remote where from (the client's address, or "cli").
	Actor  string
	Remote string
}

// MilestoneEdit marks a milestone (Index from 1) done or not done.
type MilestoneEdit struct {
	Index int  `json:"index"`
	Done  bool `json:"done"`
}

// TaskChange is one change in a task's history: who, when, from where, and the entry
// before and after.
type TaskChange struct {
	ID     int64     `json:"id"`
	Number int       `json:"number"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Remote string    `json:"remote"`
	Before TaskEntry `json:"before"`
	After  TaskEntry `json:"after"`
}

// Summary says what the change did, as the audit log records it: "status not_started →
// in_progress; note changed; milestone 2 done".
func (c TaskChange) Summary() string { return strings.Join(changes(c.Before, c.After), "; ") }

// MaxTaskNote is the longest evidence note, in characters.
const MaxTaskNote = 4000

// chinaTime is the zone of the day a milestone is marked done when the DB has none:
// the plan's.
var chinaTime = time.FixedZone("CST", 8*3600)

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Tasks returns the ledger entry of every main task of the pack, in the pack's order.
func (db *DB) Tasks(ctx context.Context, tenant string, pack *plan.Pack) ([]TaskEntry, error) {
	out, err := taskEntries(ctx, db.db, tenant, pack, 0)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	return out, nil
}

// Task returns the ledger entry of one main task; ENOTFOUND if the pack has no such task.
func (db *DB) Task(ctx context.Context, tenant string, pack *plan.Pack, number int) (TaskEntry, error) {
	if pack.Task(number) == nil {
		return TaskEntry{}, errNoTask(pack, number)
	}
	out, err := taskEntries(ctx, db.db, tenant, pack, number)
	if err != nil {
		return TaskEntry{}, fmt.Errorf("task %d: %w", number, err)
	}
	return out[0], nil
}

func errNoTask(pack *plan.Pack, number int) error {
	return plan.Errorf(plan.ENOTFOUND, "主要任务 %d 不存在（规划共 %d 项主要任务）", "no main task %d (the plan has %d)", number, len(pack.Tasks))
}

// taskEntries reads the entries of the pack's tasks, or of task number only when it is
// not 0, filling in tasks never edited.
func taskEntries(ctx context.Context, q queryer, tenant string, pack *plan.Pack, number int) ([]TaskEntry, error) {
	byNumber := map[int]*TaskEntry{}
	var out []TaskEntry
	for _, t := range pack.Tasks {
		if number != 0 && t.Number != number {
			continue
		}
		e := TaskEntry{Number: t.Number, Status: plan.TaskNotStarted, Milestones: make([]MilestoneState, len(t.Milestones))}
		for i := range e.Milestones {
			e.Milestones[i].Index = i + 1
		}
		out = append(out, e)
	}
	for i := range out {
		byNumber[out[i].Number] = &out[i]
	}
	filter, args := "", []any{tenant, pack.Code}
	if number != 0 {
		filter, args = " AND number = ?", append(args, number)
	}
	rows, err := q.QueryContext(ctx, `SELECT number, status, note, updated_by, updated_at FROM tasks WHERE tenant = ? AND plan = ?`+filter, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var status, note, by string
		var at time.Time
		if err := rows.Scan(&n, &status, &note, &by, scanTime(&at)); err != nil {
			return nil, err
		}
		e := byNumber[n]
		if e == nil {
			continue // a task the pack no longer has
		}
		e.Status, e.Note, e.UpdatedBy, e.UpdatedAt = plan.TaskStatus(status), note, by, at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT number, milestone, done_on FROM task_milestones WHERE tenant = ? AND plan = ?`+filter, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n, m int
		var on string
		if err := rows.Scan(&n, &m, &on); err != nil {
			return nil, err
		}
		if e := byNumber[n]; e != nil && m >= 1 && m <= len(e.Milestones) {
			e.Milestones[m-1].Done, e.Milestones[m-1].DoneOn = true, on
		}
	}
	return out, rows.Err()
}

// EditTask changes a task's ledger entry, records the change in the task's history and
// in the audit log, all in the transaction, and returns the entry after. An edit that
// changes nothing records nothing. A task the pack does not have is ENOTFOUND; an unknown
// status or milestone, a note too long or an edit with nothing in it is EINVALID.
func (tx *Tx) EditTask(ctx context.Context, pack *plan.Pack, e TaskEdit) (TaskEntry, error) {
	task := pack.Task(e.Number)
	if task == nil {
		return TaskEntry{}, errNoTask(pack, e.Number)
	}
	if err := checkEdit(task, e); err != nil {
		return TaskEntry{}, err
	}
	entries, err := taskEntries(ctx, tx.tx, tx.Tenant, pack, e.Number)
	if err != nil {
		return TaskEntry{}, fmt.Errorf("edit task %d: %w", e.Number, err)
	}
	before := entries[0]
	after := before
	after.Milestones = slices.Clone(before.Milestones)
	if e.Status != nil {
		after.Status = *e.Status
	}
	if e.Note != nil {
		after.Note = strings.TrimSpace(*e.Note)
	}
	today := tx.Now.In(cmp.Or(tx.db.Zone, chinaTime)).Format(time.DateOnly)
	for _, m := range e.Milestones {
		ms := &after.Milestones[m.Index-1]
		if m.Done && !ms.Done {
			ms.Done, ms.DoneOn = true, today
		} else if !m.Done {
			ms.Done, ms.DoneOn = false, ""
		}
	}
	what := changes(before, after)
	if len(what) == 0 {
		return before, nil
	}
	after.UpdatedBy, after.UpdatedAt = e.Actor, tx.Now
	if err := tx.writeTask(ctx, pack.Code, before, after, e); err != nil {
		return TaskEntry{}, fmt.Errorf("edit task %d: %w", e.Number, err)
	}
	// Every main task is the city's.
	err = tx.Audit(ctx, &AuditEntry{Actor: e.Actor, Action: AuditTaskEdit, Object: fmt.Sprintf("task %d", e.Number),
		Detail: strings.Join(changesZh(before, after), "；"), DetailEn: strings.Join(what, "; "), Remote: e.Remote, Org: tx.Tenant})
	if err != nil {
		return TaskEntry{}, err
	}
	return after, nil
}

func checkEdit(task *plan.Task, e TaskEdit) error {
	if e.Actor == "" {
		return plan.Errorf(plan.EINVALID, "修改主要任务须注明修改人", "a change to a task needs the name of who makes it")
	}
	if e.Status == nil && e.Note == nil && len(e.Milestones) == 0 {
		return plan.Errorf(plan.EINVALID, "没有要修改的内容：请给出状态、说明或里程碑", "nothing to change: give a status, a note or milestones")
	}
	if e.Status != nil && !slices.Contains(plan.TaskStatuses, *e.Status) {
		_, err := plan.ParseTaskStatus(string(*e.Status))
		return err
	}
	if e.Note != nil && utf8.RuneCountInString(*e.Note) > MaxTaskNote {
		return plan.Errorf(plan.EINVALID, "说明过长：最多 %d 字", "the note is too long: at most %d characters", MaxTaskNote)
	}
	if e.Note != nil {
		if err := checkText("说明", "the note", *e.Note); err != nil {
			return err
		}
	}
	seen := map[int]bool{}
	for _, m := range e.Milestones {
		if m.Index < 1 || m.Index > len(task.Milestones) {
			return plan.Errorf(plan.EINVALID, "主要任务 %d 没有第 %d 个里程碑（共 %d 个）", "task %d has no milestone %d (it has %d)", task.Number, m.Index, len(task.Milestones))
		}
		if seen[m.Index] {
			return plan.Errorf(plan.EINVALID, "里程碑 %d 出现了两次", "milestone %d is given twice", m.Index)
		}
		seen[m.Index] = true
	}
	return nil
}

// changes says what differs between two entries, for the audit log: never the note's
// text, which may name people.
func changes(before, after TaskEntry) []string {
	var out []string
	if before.Status != after.Status {
		out = append(out, fmt.Sprintf("status %s → %s", before.Status, after.Status))
	}
	if before.Note != after.Note {
		out = append(out, "note changed")
	}
	for i, m := range after.Milestones {
		// A change read back from the history may predate a pack that has since gained
		// milestones: those it lacks were not done.
		if was := i < len(before.Milestones) && before.Milestones[i].Done; m.Done != was {
			if m.Done {
				out = append(out, fmt.Sprintf("milestone %d done", m.Index))
			} else {
				out = append(out, fmt.Sprintf("milestone %d not done", m.Index))
			}
		}
	}
	return out
}

// changesZh is changes in Chinese, for the audit log.
func changesZh(before, after TaskEntry) []string {
	var out []string
	if before.Status != after.Status {
		out = append(out, fmt.Sprintf("状态 %s → %s", before.Status.Label(), after.Status.Label()))
	}
	if before.Note != after.Note {
		out = append(out, "说明已修改")
	}
	for i, m := range after.Milestones {
		if was := i < len(before.Milestones) && before.Milestones[i].Done; m.Done != was {
			if m.Done {
				out = append(out, fmt.Sprintf("里程碑 %d 已完成", m.Index))
			} else {
				out = append(out, fmt.Sprintf("里程碑 %d 未完成", m.Index))
			}
		}
	}
	return out
}

func (tx *Tx) writeTask(ctx context.Context, planCode string, before, after TaskEntry, e TaskEdit) error {
	at := tx.timeArg(tx.Now)
	if _, err := tx.exec(ctx, `INSERT INTO tasks (tenant, plan, number, status, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, plan, number) DO UPDATE SET status = excluded.status, note = excluded.note,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		tx.Tenant, planCode, after.Number, string(after.Status), after.Note, after.UpdatedBy, at); err != nil {
		return err
	}
	for i, m := range after.Milestones {
		switch was := before.Milestones[i].Done; {
		case m.Done && !was:
			_, err := tx.exec(ctx, `INSERT INTO task_milestones (tenant, plan, number, milestone, done_on) VALUES (?, ?, ?, ?, ?)`,
				tx.Tenant, planCode, after.Number, m.Index, m.DoneOn)
			if err != nil {
				return err
			}
		case !m.Done && was:
			_, err := tx.exec(ctx, `DELETE FROM task_milestones WHERE tenant = ? AND plan = ? AND number = ? AND milestone = ?`,
				tx.Tenant, planCode, after.Number, m.Index)
			if err != nil {
				return err
			}
		}
	}
	b, err := json.Marshal(before)
	if err != nil {
		return err
	}
	a, err := json.Marshal(after)
	if err != nil {
		return err
	}
	_, err = tx.insertID(ctx, "task_history", "tenant, plan, number, at, actor, remote, entry_before, entry_after", "?, ?, ?, ?, ?, ?, ?, ?",
		tx.Tenant, planCode, after.Number, at, e.Actor, e.Remote, string(b), string(a))
	return err
}

// TaskHistory returns the changes to task number of the pack (every task's when number
// is 0), newest first, at most limit of them (all when limit is 0).
func (db *DB) TaskHistory(ctx context.Context, tenant string, pack *plan.Pack, number, limit int) ([]TaskChange, error) {
	query := `SELECT id, number, at, actor, remote, entry_before, entry_after FROM task_history WHERE tenant = ? AND plan = ?`
	args := []any{tenant, pack.Code}
	if number != 0 {
		query += ` AND number = ?`
		args = append(args, number)
	}
	query += ` ORDER BY id DESC`
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("task history: %w", err)
	}
	defer rows.Close()
	var out []TaskChange
	for rows.Next() {
		var c TaskChange
		var before, after string
		if err := rows.Scan(&c.ID, &c.Number, scanTime(&c.At), &c.Actor, &c.Remote, &before, &after); err != nil {
			return nil, fmt.Errorf("task history: %w", err)
		}
		if err := json.Unmarshal([]byte(before), &c.Before); err != nil {
			return nil, fmt.Errorf("task history %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(after), &c.After); err != nil {
			return nil, fmt.Errorf("task history %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// checkText refuses text PostgreSQL cannot keep in a text column — a NUL character,
// bytes that are not UTF-8 — on both databases, so that both keep the same data and
// the writer is told why rather than given an internal error. what names the text.
func checkText(what, whatEn, text string) error {
	switch {
	case strings.ContainsRune(text, 0):
		return &plan.Error{Code: plan.EINVALID, Message: what + "含有 NUL 字符", MessageEn: whatEn + " holds a NUL character"}
	case !utf8.ValidString(text):
		return &plan.Error{Code: plan.EINVALID, Message: what + "不是有效的 UTF-8 文本", MessageEn: whatEn + " is not UTF-8 text"}
	}
	return nil
}
