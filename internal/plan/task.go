package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// TasksFile is the optional file of a pack that holds its units and main tasks.
const TasksFile = "tasks.yaml"

// Unit is a body that leads or cooperates in the plan's tasks: a government department
// (市教育局) or a group of institutions (驻烟高校).
type Unit struct {
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

// Task is one of the plan's main tasks (主要任务): what is to be done, by which lead unit
// (牵头单位) with which cooperating units (配合单位), and by when. Its progress — status,
// milestones done, evidence — is the task ledger (台账) in the database.
type Task struct {
	Number    int
	Title     string
	TitleEn   string
	Section   string
	Chapter   string
	ChapterEn string
	// Lead and Cooperating are unit names (Unit.Name).
	Lead        string
	Cooperating []string
	Milestones  []Milestone
}

// Milestone is a task's deliverable and the year it is due.
type Milestone struct {
	Year   int    `json:"year"`
	Text   string `json:"text"`
	TextEn string `json:"text_en"`
}

// Task returns the main task with the number, or nil.
func (p *Pack) Task(number int) *Task {
	if i := slices.IndexFunc(p.Tasks, func(t *Task) bool { return t.Number == number }); i >= 0 {
		return p.Tasks[i]
	}
	return nil
}

// Unit returns the unit with the name, or nil.
func (p *Pack) Unit(name string) *Unit {
	if i := slices.IndexFunc(p.Units, func(u *Unit) bool { return u.Name == name }); i >= 0 {
		return p.Units[i]
	}
	return nil
}

// TaskStatus is the state of a task in the ledger.
type TaskStatus string

// Task statuses.
const (
	TaskNotStarted TaskStatus = "not_started"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
	TaskDelayed    TaskStatus = "delayed"
)

// TaskStatuses are the statuses in the order a task goes through them.
var TaskStatuses = []TaskStatus{TaskNotStarted, TaskInProgress, TaskDone, TaskDelayed}

// Label returns the status in Chinese, as a ledger words it.
func (s TaskStatus) Label() string {
	switch s {
	case TaskNotStarted:
		return "未启动"
	case TaskInProgress:
		return "进行中"
	case TaskDone:
		return "已完成"
	case TaskDelayed:
		return "滞后"
	}
	return string(s)
}

// LabelEn returns the status in English.
func (s TaskStatus) LabelEn() string {
	switch s {
	case TaskNotStarted:
		return "Not started"
	case TaskInProgress:
		return "In progress"
	case TaskDone:
		return "Done"
	case TaskDelayed:
		return "Delayed"
	}
	return string(s)
}

// ParseTaskStatus reads a status given by its code (in_progress) or its Chinese label
// (进行中); anything else is EINVALID.
func ParseTaskStatus(s string) (TaskStatus, error) {
	s = strings.TrimSpace(s)
	for _, st := range TaskStatuses {
		if s == string(st) || s == st.Label() {
			return st, nil
		}
	}
	return "", Errorf(EINVALID, "任务状态 %q 无效：应为 not_started（未启动）、in_progress（进行中）、done（已完成）或 delayed（滞后）",
		"invalid task status %q: want not_started, in_progress, done or delayed", s)
}

// milestoneYears is how far a milestone may lie beyond the plan's target year: the plan
// text sets some goals for 2030 and 2035.
const milestoneYears = 10

// loadTasks reads tasks.yaml when the pack has one: its units, then its tasks.
func (l *loader) loadTasks(p *Pack) {
	const file = TasksFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return
	}
	n := l.document(file)
	if n == nil {
		return
	}
	top := l.mapping(file, "", n)
	units := l.seq(top, "units")
	tasks := l.seq(top, "tasks")
	top.done()
	seenUnit := l.loadUnits(p, units)
	seen := map[int]int{}
	for i, n := range tasks {
		m := l.mapping(file, fmt.Sprintf("tasks[%d].", i), n)
		t := &Task{}
		if m.decode("number", true, &t.Number) {
			m.pre = fmt.Sprintf("tasks[%d].", t.Number)
			switch prev := seen[t.Number]; {
			case t.Number < 1:
				l.add(file, m.line("number"), m.pre+"number", "must be 1 or more")
			case prev != 0:
				l.add(file, m.line("number"), m.pre+"number", "task %d already defined on line %d", t.Number, prev)
			default:
				seen[t.Number] = m.line("number")
			}
		}
		t.Title = m.str("title", true)
		t.TitleEn = m.str("title_en", false)
		t.Section = m.str("section", true)
		t.Chapter = m.str("chapter", false)
		t.ChapterEn = m.str("chapter_en", false)
		l.taskUnits(m, t, seenUnit)
		t.Milestones = l.milestones(p, m)
		m.done()
		p.Tasks = append(p.Tasks, t)
	}
}

// loadUnits reads the units of tasks.yaml into p, and returns the line of each name.
func (l *loader) loadUnits(p *Pack, units []*yaml.Node) map[string]int {
	seenUnit := map[string]int{}
	for i, n := range units {
		m := l.mapping(TasksFile, fmt.Sprintf("units[%d].", i), n)
		u := &Unit{Name: m.str("name", true), NameEn: m.str("name_en", false)}
		if u.Name != "" {
			if prev := seenUnit[u.Name]; prev != 0 {
				l.add(TasksFile, m.line("name"), m.pre+"name", "%s already defined on line %d", u.Name, prev)
			}
			seenUnit[u.Name] = m.line("name")
		}
		m.done()
		p.Units = append(p.Units, u)
	}
	return seenUnit
}

// taskUnits reads a task's lead unit and cooperating units, each one of the units
// listed (seenUnit), the lead not among the cooperating, none twice.
func (l *loader) taskUnits(m *mapping, t *Task, seenUnit map[string]int) {
	unit := func(key, name string) {
		if name != "" && seenUnit[name] == 0 {
			l.add(m.file, m.line(key), m.pre+key, "%s is not one of the units listed under units", name)
		}
	}
	t.Lead = m.str("lead", true)
	unit("lead", t.Lead)
	m.decode("cooperating", false, &t.Cooperating)
	for j, c := range t.Cooperating {
		switch {
		case c == t.Lead:
			l.add(m.file, m.line("cooperating"), m.pre+"cooperating", "%s is the lead unit", c)
		case slices.Contains(t.Cooperating[:j], c):
			l.add(m.file, m.line("cooperating"), m.pre+"cooperating", "%s is listed twice", c)
		default:
			unit("cooperating", c)
		}
	}
}

// milestones reads a task's milestones, each in a year from the plan's baseline year
// to milestoneYears after its target year.
func (l *loader) milestones(p *Pack, m *mapping) []Milestone {
	var out []Milestone
	for j, mn := range l.seq(m, "milestones") {
		mm := l.mapping(m.file, fmt.Sprintf("%smilestones[%d].", m.pre, j+1), mn)
		var ms Milestone
		if mm.decode("year", true, &ms.Year) && p.BaselineYear != 0 &&
			(ms.Year < p.BaselineYear || ms.Year > p.TargetYear+milestoneYears) {
			l.add(m.file, mm.line("year"), mm.pre+"year", "%d is outside %d–%d", ms.Year, p.BaselineYear, p.TargetYear+milestoneYears)
		}
		ms.Text = mm.str("text", true)
		ms.TextEn = mm.str("text_en", false)
		mm.done()
		out = append(out, ms)
	}
	return out
}

// seq returns the items of a mapping's list field, nil (and an issue) when the field is
// not a list. An absent field is an empty list.
func (l *loader) seq(m *mapping, key string) []*yaml.Node {
	k, v := m.get(key)
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(m.file, k.Line, m.pre+key, "expected a list")
		return nil
	}
	return v.Content
}

// TaskJSON is a main task as PackJSON writes it.
type TaskJSON struct {
	Number      int         `json:"number"`
	Title       string      `json:"title"`
	TitleEn     string      `json:"title_en"`
	Section     string      `json:"section"`
	Chapter     string      `json:"chapter"`
	ChapterEn   string      `json:"chapter_en"`
	Lead        string      `json:"lead"`
	Cooperating []string    `json:"cooperating"`
	Milestones  []Milestone `json:"milestones"`
}

// JSON returns the task in its machine-readable form.
func (t *Task) JSON() TaskJSON {
	return TaskJSON{Number: t.Number, Title: t.Title, TitleEn: t.TitleEn, Section: t.Section, Chapter: t.Chapter, ChapterEn: t.ChapterEn,
		Lead: t.Lead, Cooperating: nonNil(t.Cooperating), Milestones: nonNil(t.Milestones)}
}
