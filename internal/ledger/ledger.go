// Package ledger follows the plan's key projects (重点工程) and main tasks (主要任务): each
// key project's targets with the city's value, target and status, read from progress;
// and each main task's ledger entry (台账) — status, milestones done, evidence, history —
// read from and written to the store.
//
// It sits beside progress in the flow: web and cmd call it; it calls progress and store
// and reads plan.
package ledger

import (
	"context"
	"slices"
	"time"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// NoMeasure is the status of a project's target that the pack does not measure yet.
const NoMeasure progress.Status = "no_measure"

// StatusLabel returns a target's status in Chinese and English: progress's words, and
// 尚未测量 (not measured yet) for a target the pack has no measure for.
func StatusLabel(s progress.Status) (zh, en string) {
	if s == NoMeasure {
		return "尚未测量", "Not measured yet"
	}
	return s.Label(), s.LabelEn()
}

// Project is a key project with the city's progress on each of its targets.
type Project struct {
	Code          string    `json:"code"`
	Number        int       `json:"number"`
	Name          string    `json:"name"`
	NameEn        string    `json:"name_en"`
	Section       string    `json:"section"`
	Description   string    `json:"description"`
	DescriptionEn string    `json:"description_en"`
	Lead          plan.Unit `json:"lead"`
	Tasks         []int     `json:"tasks"`
	Targets       []Target  `json:"targets"`
	// Status is the least favourable status of the targets with a value (regressing
	// before lagging before on track before ahead before achieved); no_data when no
	// measured target has a value yet; no_measure when the project has no measured target.
	Status        progress.Status `json:"status"`
	StatusLabel   string          `json:"status_label"`
	StatusLabelEn string          `json:"status_label_en"`
}

// Target is one target of a key project at the city: its measure's latest value against
// its target, and the measure's status — or, with no measure yet, the plan's figure only.
type Target struct {
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	// Measure is the indicator or commitment code; "" with kind none.
	Measure     string `json:"measure"`
	MeasureKind string `json:"measure_kind"`
	Unit        string `json:"unit"`
	Decimals    int    `json:"decimals"`
	// LatestYear is 0 and Latest null when there is no value yet.
	LatestYear int             `json:"latest_year"`
	Latest     progress.Number `json:"latest"`
	TargetYear int             `json:"target_year"`
	// Kind is the kind of target: value, range (Min–Max) or relation. For a value it is
	// Target; for a range, the bound the value is judged against.
	Kind          plan.GoalKind   `json:"target_kind"`
	Target        progress.Number `json:"target"`
	Min           progress.Number `json:"target_min"`
	Max           progress.Number `json:"target_max"`
	Relation      plan.Relation   `json:"relation,omitempty"`
	Completion    progress.Number `json:"completion"`
	Status        progress.Status `json:"status"`
	StatusLabel   string          `json:"status_label"`
	StatusLabelEn string          `json:"status_label_en"`
	// Breaches are the years a relation did not hold.
	Breaches []int `json:"breaches,omitempty"`
}

// severity orders statuses from best to worst, for a project's summary.
var severity = []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing}

// Projects returns every key project of the engine's pack (pack order) with the city's
// progress on its targets. The city must be within the scope.
func Projects(e *indicator.Engine, scope plan.Scope) ([]Project, error) {
	pack := e.Pack()
	q := progress.Query{Org: pack.Tenant}
	rows, err := progress.Assess(e, scope, q)
	if err != nil {
		return nil, err
	}
	crows, err := progress.AssessCommitments(e, scope, q)
	if err != nil {
		return nil, err
	}
	byCode := map[string]progress.CommitmentRow{}
	for _, r := range rows {
		byCode[r.Indicator] = progress.CommitmentRow{Row: r, Kind: plan.GoalValue}
	}
	for _, r := range crows {
		byCode[r.Indicator] = r
	}
	out := make([]Project, 0, len(pack.Projects))
	for _, pr := range pack.Projects {
		p := Project{Code: pr.Code, Number: pr.Number, Name: pr.Name, NameEn: pr.NameEn, Section: pr.Section,
			Description: pr.Description, DescriptionEn: pr.DescriptionEn, Lead: unit(pack, pr.Lead),
			Tasks: slices.Clone(pr.Tasks), Targets: []Target{}, Status: NoMeasure}
		if p.Tasks == nil {
			p.Tasks = []int{}
		}
		worst := -1
		for _, t := range pr.Targets {
			tg := target(pack, t, byCode)
			p.Targets = append(p.Targets, tg)
			if tg.Status == NoMeasure {
				continue
			}
			if p.Status == NoMeasure {
				p.Status = progress.NoData
			}
			if i := slices.Index(severity, tg.Status); i > worst {
				worst, p.Status = i, tg.Status
			}
		}
		p.StatusLabel, p.StatusLabelEn = StatusLabel(p.Status)
		out = append(out, p)
	}
	return out, nil
}

func target(pack *plan.Pack, t plan.ProjectTarget, rows map[string]progress.CommitmentRow) Target {
	tg := Target{Name: t.Name, NameEn: t.NameEn, Measure: t.Measure, MeasureKind: plan.MeasureNone, Kind: plan.GoalValue, Status: NoMeasure}
	m := pack.Measure(t.Measure)
	if m == nil {
		if t.Stated != nil {
			tg.Unit, tg.TargetYear, tg.Target = t.Stated.Unit, t.Stated.Year, progress.Number{V: t.Stated.Value, OK: true}
			if t.Stated.Max > t.Stated.Min {
				tg.Kind = plan.GoalRange
				tg.Min, tg.Max = progress.Number{V: t.Stated.Min, OK: true}, progress.Number{V: t.Stated.Max, OK: true}
			}
		}
		tg.StatusLabel, tg.StatusLabelEn = StatusLabel(tg.Status)
		return tg
	}
	tg.MeasureKind = plan.MeasureIndicator
	if pack.Commitment(m.Code) != nil {
		tg.MeasureKind = plan.MeasureCommitment
	}
	tg.Unit, tg.Decimals, tg.TargetYear, tg.Kind = m.Unit, m.Decimals, m.Target.Year, m.Goal.Kind
	if tg.Kind == "" {
		tg.Kind = plan.GoalValue
	}
	tg.Status = progress.NoData
	if r, ok := rows[m.Code]; ok {
		tg.Latest, tg.Target, tg.Min, tg.Max, tg.Relation = r.Latest, r.Target, r.Min, r.Max, r.Relation
		tg.Completion, tg.Status, tg.Breaches = r.Completion, r.Status, r.Breaches
		if r.Latest.OK {
			tg.LatestYear = r.LatestYear
		}
	}
	if !tg.Target.OK && tg.Kind == plan.GoalValue {
		tg.Target = progress.Number{V: m.Target.Value, OK: true}
	}
	tg.StatusLabel, tg.StatusLabelEn = StatusLabel(tg.Status)
	return tg
}

func unit(pack *plan.Pack, name string) plan.Unit {
	if u := pack.Unit(name); u != nil {
		return *u
	}
	return plan.Unit{Name: name}
}

// Task is a main task with its ledger entry.
type Task struct {
	Number      int         `json:"number"`
	Title       string      `json:"title"`
	TitleEn     string      `json:"title_en"`
	Section     string      `json:"section"`
	Chapter     string      `json:"chapter"`
	ChapterEn   string      `json:"chapter_en"`
	Lead        plan.Unit   `json:"lead"`
	Cooperating []plan.Unit `json:"cooperating"`
	Milestones  []Milestone `json:"milestones"`
	// MilestonesDone counts the milestones marked done.
	MilestonesDone int             `json:"milestones_done"`
	Status         plan.TaskStatus `json:"status"`
	StatusLabel    string          `json:"status_label"`
	StatusLabelEn  string          `json:"status_label_en"`
	Note           string          `json:"note"`
	UpdatedBy      string          `json:"updated_by"`
	// UpdatedAt is null for a task never edited.
	UpdatedAt *time.Time `json:"updated_at"`
}

// Milestone is a task's milestone and whether it is done.
type Milestone struct {
	Index int `json:"index"`
	plan.Milestone
	Done   bool   `json:"done"`
	DoneOn string `json:"done_on"`
}

// TaskDetail is a task with its history, newest change first.
type TaskDetail struct {
	Task
	History []store.TaskChange `json:"history"`
}

// Tasks returns every main task of the pack (pack order) with its ledger entry in the
// scope's tenant. The public sees what was done, not who did it: UpdatedBy is empty.
func Tasks(ctx context.Context, db *store.DB, scope plan.Scope, pack *plan.Pack) ([]Task, error) {
	entries, err := db.Tasks(ctx, scope.Tenant, pack)
	if err != nil {
		return nil, err
	}
	out := make([]Task, 0, len(entries))
	for i, en := range entries {
		out = append(out, taskOf(pack, pack.Tasks[i], redact(scope, en)))
	}
	return out, nil
}

// TaskWithHistory returns one main task with its ledger entry and its history; ENOTFOUND
// if the pack has no such task. Who made each change is shown to signed-in callers
// only, and where from (an address) to those who see the city's records.
func TaskWithHistory(ctx context.Context, db *store.DB, scope plan.Scope, pack *plan.Pack, number int) (TaskDetail, error) {
	en, err := db.Task(ctx, scope.Tenant, pack, number)
	if err != nil {
		return TaskDetail{}, err
	}
	hist, err := db.TaskHistory(ctx, scope.Tenant, pack, number, 0)
	if err != nil {
		return TaskDetail{}, err
	}
	if hist == nil {
		hist = []store.TaskChange{}
	}
	for i := range hist {
		c := &hist[i]
		c.Before, c.After = redact(scope, c.Before), redact(scope, c.After)
		// Where from (an address) is for those who may edit the ledger themselves.
		if !CanEdit(scope) {
			c.Remote = ""
		}
		if scope.Detail == plan.Public {
			c.Actor = ""
		}
	}
	return TaskDetail{Task: taskOf(pack, pack.Task(number), redact(scope, en)), History: hist}, nil
}

// redact is an entry as the scope may see it: without who changed it, for the public.
func redact(scope plan.Scope, en store.TaskEntry) store.TaskEntry {
	if scope.Detail == plan.Public {
		en.UpdatedBy = ""
	}
	return en
}

// CanEdit reports whether a scope may change the task ledger: every main task is the
// city's, so only a scope of the whole city at full detail may (an analyst or admin
// granted on a district may not).
func CanEdit(scope plan.Scope) bool {
	return scope.Org == scope.Tenant && scope.Detail == plan.Records
}

// Edit changes a task's ledger entry in the scope's tenant, in one transaction that also
// records its history and the audit entry, and returns the task after. A scope that
// may not edit (CanEdit) is EFORBIDDEN.
func Edit(ctx context.Context, db *store.DB, scope plan.Scope, pack *plan.Pack, e store.TaskEdit) (Task, error) {
	if !CanEdit(scope) {
		return Task{}, plan.Errorf(plan.EFORBIDDEN, "主要任务台账属于全市：只有授权范围为全市的用户可以修改", "the task ledger is the city's: only users granted on the whole city may change it")
	}
	var en store.TaskEntry
	err := db.Write(ctx, scope.Tenant, func(tx *store.Tx) error {
		var err error
		en, err = tx.EditTask(ctx, pack, e)
		return err
	})
	if err != nil {
		return Task{}, err
	}
	return taskOf(pack, pack.Task(e.Number), en), nil
}

func taskOf(pack *plan.Pack, t *plan.Task, en store.TaskEntry) Task {
	out := Task{Number: t.Number, Title: t.Title, TitleEn: t.TitleEn, Section: t.Section, Chapter: t.Chapter, ChapterEn: t.ChapterEn,
		Lead: unit(pack, t.Lead), Cooperating: []plan.Unit{}, Milestones: []Milestone{},
		Status: en.Status, StatusLabel: en.Status.Label(), StatusLabelEn: en.Status.LabelEn(), Note: en.Note, UpdatedBy: en.UpdatedBy}
	for _, c := range t.Cooperating {
		out.Cooperating = append(out.Cooperating, unit(pack, c))
	}
	for i, m := range t.Milestones {
		ms := Milestone{Index: i + 1, Milestone: m}
		if i < len(en.Milestones) {
			ms.Done, ms.DoneOn = en.Milestones[i].Done, en.Milestones[i].DoneOn
		}
		if ms.Done {
			out.MilestonesDone++
		}
		out.Milestones = append(out.Milestones, ms)
	}
	if !en.UpdatedAt.IsZero() {
		at := en.UpdatedAt
		out.UpdatedAt = &at
	}
	return out
}
