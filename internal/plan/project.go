package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// ProjectsFile is the optional file of a pack that holds its key projects.
const ProjectsFile = "projects.yaml"

// NoMeasure is what projects.yaml writes as a target's measure when the pack has no
// indicator or commitment that measures it yet.
const NoMeasure = "none yet"

// Project is a key project (重点工程) of the plan: a named programme that carries out some
// of the main tasks, with the targets that measure it.
type Project struct {
	Code          string
	Number        int
	Name          string
	NameEn        string
	Section       string
	Description   string
	DescriptionEn string
	// Lead is the lead unit's name (Unit.Name).
	Lead string
	// Tasks are the numbers of the main tasks the project carries out.
	Tasks   []int
	Targets []ProjectTarget
}

// ProjectTarget is one measurable promise of a project.
type ProjectTarget struct {
	Name   string
	NameEn string
	// Measure is the code of the headline indicator or commitment that measures it; ""
	// when the pack has none yet, and Stated then holds the plan's figure.
	Measure string
	Stated  *StatedTarget
	// Reason and ReasonEn say why a target has no measure: what data would measure it
	// and why eduplan does not hold it.
	Reason   string
	ReasonEn string
}

// StatedTarget is a target the plan states but the pack does not measure yet: a value,
// or a range (1—2项) when Min < Max, Value then being Min.
type StatedTarget struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	// Min and Max bound a range target; both 0 for a value.
	Min  float64 `json:"min,omitempty"`
	Max  float64 `json:"max,omitempty"`
	Unit string  `json:"unit"`
}

// Project returns the key project with the code, or nil.
func (p *Pack) Project(code string) *Project {
	if i := slices.IndexFunc(p.Projects, func(pr *Project) bool { return pr.Code == code }); i >= 0 {
		return p.Projects[i]
	}
	return nil
}

// loadProjects reads projects.yaml when the pack has one. It runs after the indicators,
// commitments and tasks, whose codes, numbers and units the projects refer to.
func (l *loader) loadProjects(p *Pack) {
	const file = ProjectsFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return
	}
	measures := map[string]bool{}
	for _, ind := range slices.Concat(p.Indicators, p.Commitments) {
		measures[ind.Code] = true
	}
	seenCode, seenNumber := map[string]int{}, map[int]int{}
	for i, n := range l.list(file, "projects") {
		m := l.mapping(file, fmt.Sprintf("projects[%d].", i), n)
		pr := &Project{}
		pr.Code = m.str("code", true)
		if pr.Code != "" {
			m.pre = fmt.Sprintf("projects[%s].", pr.Code)
			if prev := seenCode[pr.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", pr.Code, prev)
			}
			seenCode[pr.Code] = m.line("code")
		}
		if m.decode("number", true, &pr.Number) {
			if prev := seenNumber[pr.Number]; pr.Number < 1 {
				l.add(file, m.line("number"), m.pre+"number", "must be 1 or more")
			} else if prev != 0 {
				l.add(file, m.line("number"), m.pre+"number", "project %d already defined on line %d", pr.Number, prev)
			}
			seenNumber[pr.Number] = m.line("number")
		}
		pr.Name = m.str("name", true)
		pr.NameEn = m.str("name_en", false)
		pr.Section = m.str("section", true)
		pr.Description = m.str("description", false)
		pr.DescriptionEn = m.str("description_en", false)
		pr.Lead = m.str("lead", true)
		if pr.Lead != "" && p.Unit(pr.Lead) == nil {
			l.add(file, m.line("lead"), m.pre+"lead", "%s is not one of the units of %s", pr.Lead, TasksFile)
		}
		m.decode("tasks", false, &pr.Tasks)
		for _, t := range pr.Tasks {
			if p.Task(t) == nil {
				l.add(file, m.line("tasks"), m.pre+"tasks", "%d is not a task of %s", t, TasksFile)
			}
		}
		for j, tn := range l.seq(m, "targets") {
			tm := l.mapping(file, fmt.Sprintf("%stargets[%d].", m.pre, j+1), tn)
			t := ProjectTarget{Name: tm.str("name", true), NameEn: tm.str("name_en", false), Measure: tm.str("measure", true)}
			_, stated := tm.get("target")
			switch {
			case t.Measure == NoMeasure:
				t.Measure = ""
				if stated == nil {
					l.add(file, tm.line("measure"), tm.pre+"target", "a target with no measure yet needs the plan's figure: target: {year, value, unit} or {year, min, max, unit}")
				} else {
					t.Stated = l.statedTarget(p, tm)
				}
				t.Reason, t.ReasonEn = tm.str("reason", true), tm.str("reason_en", false)
			case t.Measure == "":
			case tm.str("reason", false) != "":
				l.add(file, tm.line("reason"), tm.pre+"reason", "a target with a measure needs no reason: the reason says why one has none")
			case !measures[t.Measure]:
				l.add(file, tm.line("measure"), tm.pre+"measure", "%s is not an indicator or commitment of the pack (or write %q)", t.Measure, NoMeasure)
			case stated != nil:
				l.add(file, tm.line("target"), tm.pre+"target", "the target is %s's own: write it in %s or %s, not here", t.Measure, IndicatorsFile, CommitmentsFile)
			}
			tm.done()
			pr.Targets = append(pr.Targets, t)
		}
		m.done()
		p.Projects = append(p.Projects, pr)
	}
}

func (l *loader) statedTarget(p *Pack, m *mapping) *StatedTarget {
	_, v := m.get("target")
	tm := l.mapping(m.file, m.pre+"target.", v)
	st := &StatedTarget{}
	tm.decode("year", true, &st.Year)
	if _, v := tm.get("min"); v != nil {
		tm.decode("min", true, &st.Min)
		if tm.decode("max", true, &st.Max) && st.Max <= st.Min {
			l.add(m.file, tm.line("max"), tm.pre+"max", "%v is not above min %v", st.Max, st.Min)
		}
		st.Value = st.Min
	} else {
		tm.decode("value", true, &st.Value)
	}
	st.Unit = tm.str("unit", true)
	if st.Unit != "" && !slices.Contains(units, st.Unit) {
		l.add(m.file, tm.line("unit"), tm.pre+"unit", "%q: expected one of %s", st.Unit, strings.Join(units, ", "))
	}
	if st.Year != 0 && p.BaselineYear != 0 && (st.Year <= p.BaselineYear || st.Year > p.TargetYear+milestoneYears) {
		l.add(m.file, tm.line("year"), tm.pre+"year", "%d is outside %d–%d", st.Year, p.BaselineYear+1, p.TargetYear+milestoneYears)
	}
	tm.done()
	return st
}

// ProjectJSON is a key project as PackJSON writes it.
type ProjectJSON struct {
	Code          string              `json:"code"`
	Number        int                 `json:"number"`
	Name          string              `json:"name"`
	NameEn        string              `json:"name_en"`
	Section       string              `json:"section"`
	Description   string              `json:"description"`
	DescriptionEn string              `json:"description_en"`
	Lead          string              `json:"lead"`
	Tasks         []int               `json:"tasks"`
	Targets       []ProjectTargetJSON `json:"targets"`
}

// ProjectTargetJSON is a project's target: its measure (null when there is none yet,
// measure_kind telling which) and the target — the measure's own, or the plan's figure.
type ProjectTargetJSON struct {
	Name        string   `json:"name"`
	NameEn      string   `json:"name_en"`
	Measure     *string  `json:"measure"`
	MeasureKind string   `json:"measure_kind"` // indicator, commitment or none
	Unit        string   `json:"unit"`
	Target      GoalJSON `json:"target"`
	// Reason and ReasonEn say why a target with no measure is not measured from data.
	Reason   string `json:"reason,omitempty"`
	ReasonEn string `json:"reason_en,omitempty"`
}

// Measure kinds of a project's target.
const (
	MeasureIndicator  = "indicator"
	MeasureCommitment = "commitment"
	MeasureNone       = "none"
)

// ProjectJSON returns the project in its machine-readable form; its targets read their
// measures from p.
func (p *Pack) ProjectJSON(pr *Project) ProjectJSON {
	out := ProjectJSON{Code: pr.Code, Number: pr.Number, Name: pr.Name, NameEn: pr.NameEn, Section: pr.Section,
		Description: pr.Description, DescriptionEn: pr.DescriptionEn, Lead: pr.Lead, Tasks: nonNil(pr.Tasks),
		Targets: make([]ProjectTargetJSON, 0, len(pr.Targets))}
	for _, t := range pr.Targets {
		tj := ProjectTargetJSON{Name: t.Name, NameEn: t.NameEn, MeasureKind: MeasureNone, Reason: t.Reason, ReasonEn: t.ReasonEn}
		switch {
		case p.Indicator(t.Measure) != nil:
			ind := p.Indicator(t.Measure)
			v := ind.Target.Value
			tj.Measure, tj.MeasureKind, tj.Unit = &ind.Code, MeasureIndicator, ind.Unit
			tj.Target = GoalJSON{Year: ind.Target.Year, Kind: string(GoalValue), Value: &v}
		case p.Commitment(t.Measure) != nil:
			c := p.Commitment(t.Measure)
			tj.Measure, tj.MeasureKind, tj.Unit = &c.Code, MeasureCommitment, c.Unit
			tj.Target = c.CommitmentJSON().Target
		case t.Stated != nil && t.Stated.Max > t.Stated.Min:
			lo, hi := t.Stated.Min, t.Stated.Max
			tj.Unit = t.Stated.Unit
			tj.Target = GoalJSON{Year: t.Stated.Year, Kind: string(GoalRange), Min: &lo, Max: &hi}
		case t.Stated != nil:
			v := t.Stated.Value
			tj.Unit = t.Stated.Unit
			tj.Target = GoalJSON{Year: t.Stated.Year, Kind: string(GoalValue), Value: &v}
		}
		out.Targets = append(out.Targets, tj)
	}
	return out
}
